use super::*;
use serde_json::json;

fn parse(body: Value) -> Result<ChatRequest, ApiError> {
    parse_chat(&body, &SamplingParams::default(), 2048)
}

fn user() -> Value {
    json!([{"role": "user", "content": "hi"}])
}

#[test]
fn a_full_request_maps_onto_the_sampling_params() {
    let r = parse(json!({
        "model": "m", "messages": [{"role": "system", "content": "be brief"},
                                   {"role": "user", "content": [{"type": "text", "text": "hi"}]}],
        "temperature": 0, "top_p": 0.5, "max_tokens": 7, "seed": 3, "stop": "END",
        "presence_penalty": 0.5, "frequency_penalty": -0.5, "top_k": 5, "min_p": 0.1,
        "repeat_penalty": 1.2, "stream": true, "stream_options": {"include_usage": true}
    }))
    .unwrap();
    let s = &r.sampling;
    assert_eq!(
        (s.temperature, s.top_p, s.max_tokens, s.seed),
        (0.0, 0.5, 7, Some(3))
    );
    assert_eq!((s.top_k, s.min_p, s.repeat_penalty), (5, 0.1, 1.2));
    assert_eq!((s.presence_penalty, s.frequency_penalty), (0.5, -0.5));
    assert_eq!(s.stop, vec!["END".to_string()]);
    assert!(r.stream && r.include_usage);
    assert_eq!(r.messages[0].role, Role::System);
    assert_eq!(r.messages[1].content, "hi");
}

#[test]
fn bad_values_name_their_parameter() {
    let cases = [
        (
            json!({"model": "m", "messages": user(), "temperature": 9}),
            "temperature",
        ),
        (
            json!({"model": "m", "messages": user(), "temperature": "hot"}),
            "temperature",
        ),
        (
            json!({"model": "m", "messages": user(), "top_p": 0}),
            "top_p",
        ),
        (
            json!({"model": "m", "messages": user(), "max_tokens": 0}),
            "max_tokens",
        ),
        (
            json!({"model": "m", "messages": user(), "max_tokens": -5}),
            "max_tokens",
        ),
        (
            json!({"model": "m", "messages": user(), "max_tokens": 1.5}),
            "max_tokens",
        ),
        (
            json!({"model": "m", "messages": user(), "max_completion_tokens": "9"}),
            "max_completion_tokens",
        ),
        (
            json!({"model": "m", "messages": user(), "stop": [1]}),
            "stop",
        ),
        (
            json!({"model": "m", "messages": user(), "stop": ""}),
            "stop",
        ),
        (
            json!({"model": "m", "messages": user(), "seed": -7}),
            "seed",
        ),
        (json!({"model": "m", "messages": user(), "n": 5}), "n"),
        (json!({"model": "m", "messages": user(), "n": 0}), "n"),
        (
            json!({"model": "m", "messages": user(), "stream": "yes"}),
            "stream",
        ),
        (json!({"model": "m", "messages": []}), "messages"),
        (json!({"model": "m", "messages": "hi"}), "messages"),
        (
            json!({"model": "m", "messages": [{"role": "wizard", "content": "x"}]}),
            "messages[0].role",
        ),
        (
            json!({"model": "m", "messages": [{"role": "user", "content": 5}]}),
            "messages[0].content",
        ),
        (
            json!({"model": "m", "messages": [{"role": "system", "content": "x"}]}),
            "messages",
        ),
        (json!({"model": 5, "messages": user()}), "model"),
        (json!({"messages": user()}), "model"),
    ];
    for (body, param) in cases {
        let err = parse(body.clone()).expect_err(&body.to_string());
        assert_eq!(err.status, 400, "{body}");
        assert_eq!(err.param.as_deref(), Some(param), "{body}: {}", err.message);
    }
}

#[test]
fn a_huge_max_tokens_is_capped_at_the_context() {
    let r =
        parse(json!({"model": "m", "messages": user(), "max_tokens": 10_000_000_000u64})).unwrap();
    assert_eq!(r.sampling.max_tokens, 2048);
}

#[test]
fn too_many_messages_are_refused() {
    let many: Vec<Value> = (0..=MAX_MESSAGES)
        .map(|_| json!({"role": "user", "content": "x"}))
        .collect();
    let err = parse(json!({"model": "m", "messages": many})).unwrap_err();
    assert!(err.message.contains("limit"), "{}", err.message);
}
