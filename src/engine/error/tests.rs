//! The typed errors read exactly as the sentences they replace, word themselves in Chinese, and
//! `serve` picks its HTTP error by kind.

use super::*;
use crate::i18n::{Lang, with_language};
use crate::serve::completion::engine_error;
use axum::http::StatusCode;
use std::path::Path;

fn too_long() -> PromptError {
    PromptError::TooLong {
        needed: 900,
        available: 200,
        reserved: 56,
    }
}

/// `Display` is the English text the engine sent before (logs, `ask`, `serve` show it).
#[test]
fn display_is_the_text_of_the_error_it_came_from() {
    let path = PathBuf::from("/m/x.gguf");
    let loads = [
        LoadError::LlamaCpp {
            path: path.clone(),
            reason: "bad tensor".into(),
        },
        LoadError::Lora {
            path: path.clone(),
            reason: "r".into(),
        },
        LoadError::AdapterAsModel { path: path.clone() },
        LoadError::Draft {
            model: path.clone(),
            draft: "/m/d.gguf".into(),
            reason: "the vocabularies differ".into(),
        },
        LoadError::Context {
            path: path.clone(),
            ctx_size: 4096,
            reason: "out of memory".into(),
        },
        LoadError::Invalid(GgufError::NotFound { path: path.clone() }),
        LoadError::Invalid(GgufError::Empty { path: path.clone() }),
    ];
    for load in loads {
        let text = load.to_string();
        assert_eq!(EngineError::from(load).to_string(), text);
    }
    for prompt in [too_long(), PromptError::NothingToAnswer] {
        let text = prompt.to_string();
        assert_eq!(EngineError::from(prompt).to_string(), text);
    }
    let decode = GenerateError::Decode("code -3".into());
    let text = decode.to_string();
    assert_eq!(EngineError::from(decode).to_string(), text);
}

#[test]
fn kinds_keep_their_details_as_data() {
    assert_eq!(
        EngineError::from(GenerateError::Prompt(too_long())),
        EngineError::PromptTooLong {
            needed: 900,
            available: 200,
            reserved: 56
        }
    );
    let path = Path::new("/m/x.gguf").to_path_buf();
    assert_eq!(
        EngineError::from(LoadError::Invalid(GgufError::NotFound {
            path: path.clone()
        })),
        EngineError::ModelNotFound { path: path.clone() }
    );
    let not_gguf = EngineError::from(GgufError::BadMagic {
        path: path.clone(),
        found: "00 00".into(),
        hint: "h",
    });
    assert!(
        matches!(&not_gguf, EngineError::NotAGguf { path: p, .. } if *p == path),
        "{not_gguf:?}"
    );
}

#[test]
fn errors_are_worded_in_the_interface_language() {
    let error = EngineError::from(too_long());
    let zh = with_language(Lang::ZhCn, || error.localized());
    assert!(
        zh.contains("消息太长") && zh.contains("900") && zh.contains("200"),
        "{zh}"
    );
    let en = with_language(Lang::En, || error.localized());
    assert_eq!(en, error.to_string(), "English reads as Display");
    let context = EngineError::ContextTooBig {
        path: "/m/x.gguf".into(),
        ctx_size: 32768,
        reason: "failed to allocate".into(),
    };
    let zh = with_language(Lang::ZhCn, || context.localized());
    assert!(
        zh.contains("32768") && zh.contains("/m/x.gguf") && zh.contains("failed to allocate"),
        "{zh}"
    );
    assert!(zh.contains("上下文"), "{zh}");
    let draft = EngineError::DraftModel {
        model: "/m/x.gguf".into(),
        draft: "/m/d.gguf".into(),
        reason: "the vocabularies differ".into(),
    };
    let zh = with_language(Lang::ZhCn, || draft.localized());
    assert!(
        zh.contains("草稿模型") && zh.contains("/m/x.gguf") && zh.contains("/m/d.gguf"),
        "{zh}"
    );
    let en = with_language(Lang::En, || draft.localized());
    assert_eq!(en, draft.to_string(), "English reads as Display");
    let english_only = EngineError::Other("something odd".into());
    assert_eq!(
        with_language(Lang::ZhCn, || english_only.localized()),
        "something odd"
    );
}

#[test]
fn serve_maps_kinds_to_http_errors() {
    let too_long = engine_error(EngineError::from(too_long()));
    assert_eq!(too_long.status, StatusCode::BAD_REQUEST);
    assert_eq!(too_long.code, Some("context_length_exceeded"));
    let remote = engine_error(EngineError::RemoteContextExceeded {
        prompt_tokens: Some(9000),
        n_ctx: Some(4096),
        message: "srv: too big".into(),
    });
    assert_eq!(remote.code, Some("context_length_exceeded"));
    let nothing = engine_error(EngineError::NothingToAnswer);
    assert_eq!(nothing.status, StatusCode::BAD_REQUEST);
    assert_eq!(nothing.param.as_deref(), Some("messages"));
    // Kind, not text: an error that merely mentions the words is an internal error.
    let other = engine_error(EngineError::Other(
        "the message is too long for the context".into(),
    ));
    assert_eq!(other.status, StatusCode::INTERNAL_SERVER_ERROR);
}
