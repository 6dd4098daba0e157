//! The request body of `POST /v1/completions`: a raw prompt instead of messages.
//!
//! The prompt reaches the model as written, with the model's BOS and no chat template, so a
//! client can drive a base model or build its own template. OpenAI also accepts token arrays
//! and several prompts at once; one prompt string (alone or as a one-element array) is what
//! llama-server and most clients send, and anything else is a 400 naming `prompt`. The sampling
//! fields and their validation are the chat endpoint's ([`parse_options`]).

use super::errors::ApiError;
use super::types::{Fields, Options, field, model, object, parse_options, wrong_type};
use crate::params::SamplingParams;
use serde_json::Value;

/// A checked text completion request.
#[derive(Debug, Clone)]
pub struct TextRequest {
    pub prompt: String,
    pub options: Options,
}

fn prompt(fields: &Fields) -> Result<String, ApiError> {
    const EXPECTED: &str = "a string (or an array holding one string)";
    match field(fields, "prompt") {
        None => Err(ApiError::invalid(
            "prompt",
            "`prompt` is required: the text to continue",
        )),
        Some(Value::String(text)) => Ok(text.clone()),
        Some(Value::Array(items)) => match items.as_slice() {
            [Value::String(text)] => Ok(text.clone()),
            [] => Err(ApiError::invalid(
                "prompt",
                "`prompt` is an empty array: send one prompt string",
            )),
            [single] => Err(wrong_type("prompt", EXPECTED, single)),
            several => Err(ApiError::invalid(
                "prompt",
                format!(
                    "`prompt` holds {} prompts: send one per request (token arrays are not \
                     supported either)",
                    several.len()
                ),
            )),
        },
        Some(other) => Err(wrong_type("prompt", EXPECTED, other)),
    }
}

/// Reads a text completion request; `defaults` are the server's sampling settings.
pub fn parse_completion(
    body: &Value,
    defaults: &SamplingParams,
    n_ctx: u32,
) -> Result<TextRequest, ApiError> {
    let fields = object(body)?;
    let model = model(fields)?;
    let prompt = prompt(fields)?;
    if field(fields, "echo").is_some_and(|v| v != &Value::Bool(false)) {
        return Err(ApiError::invalid(
            "echo",
            "`echo` is not supported: the reply holds only the new text",
        ));
    }
    if field(fields, "suffix").is_some() {
        return Err(ApiError::invalid(
            "suffix",
            "`suffix` (insertion) is not supported",
        ));
    }
    let options = parse_options(fields, model, defaults, n_ctx)?;
    Ok(TextRequest { prompt, options })
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn parse(body: Value) -> Result<TextRequest, ApiError> {
        parse_completion(&body, &SamplingParams::default(), 2048)
    }

    #[test]
    fn a_string_or_a_one_element_array_is_the_prompt() {
        let r =
            parse(json!({"model": "m", "prompt": "Once upon", "max_tokens": 5, "temperature": 0}))
                .unwrap();
        assert_eq!(r.prompt, "Once upon");
        assert_eq!(r.options.sampling.max_tokens, 5);
        assert_eq!(r.options.sampling.temperature, 0.0);
        let r = parse(json!({"model": "m", "prompt": ["a time"], "ignore_eos": true})).unwrap();
        assert_eq!(r.prompt, "a time");
        assert!(r.options.ignore_eos);
    }

    #[test]
    fn bad_prompts_and_values_name_their_parameter() {
        let cases = [
            (json!({"model": "m"}), "prompt"),
            (json!({"model": "m", "prompt": 3}), "prompt"),
            (json!({"model": "m", "prompt": []}), "prompt"),
            (json!({"model": "m", "prompt": ["a", "b"]}), "prompt"),
            (json!({"model": "m", "prompt": [[1, 2]]}), "prompt"),
            (json!({"model": "m", "prompt": [1, 2, 3]}), "prompt"),
            (json!({"model": "m", "prompt": "x", "echo": true}), "echo"),
            (
                json!({"model": "m", "prompt": "x", "suffix": "y"}),
                "suffix",
            ),
            (
                json!({"model": "m", "prompt": "x", "temperature": 9}),
                "temperature",
            ),
            (
                json!({"model": "m", "prompt": "x", "max_tokens": 0}),
                "max_tokens",
            ),
            (json!({"prompt": "x"}), "model"),
            (
                json!({"model": "m", "prompt": "x", "ignore_eos": 1}),
                "ignore_eos",
            ),
        ];
        for (body, param) in cases {
            let e = parse(body.clone()).expect_err(&body.to_string());
            assert_eq!(e.param.as_deref(), Some(param), "{body}: {e:?}");
            assert_eq!(e.status, 400, "{body}");
        }
    }
}
