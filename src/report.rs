//! The fatal error of a subcommand, as `main` prints it: the chain of contexts and causes, each
//! typed error worded in the interface language ([`localized`]) and every other cause as it is.
//!
//! The library's error types keep an English `Display` for logs, `serve` and tests; only what a
//! person reads at the end of a failed command is translated here, by looking through the anyhow
//! chain for the types that know how to word themselves.

use std::error::Error;

/// The interface-language wording of `error` when it is one of the typed errors that has one.
pub fn localized(error: &(dyn Error + 'static)) -> Option<String> {
    if let Some(e) = error.downcast_ref::<crate::store::StoreError>() {
        return Some(e.localized());
    }
    if let Some(e) = error.downcast_ref::<crate::config::ConfigError>() {
        return Some(e.localized());
    }
    if let Some(e) = error.downcast_ref::<crate::params::ParamError>() {
        return Some(e.localized());
    }
    if let Some(e) = error.downcast_ref::<crate::gguf::GgufError>() {
        return Some(e.localized());
    }
    if let Some(e) = error.downcast_ref::<crate::remote::errors::RemoteError>() {
        return Some(e.localized());
    }
    if let Some(e) = error.downcast_ref::<crate::guard::GuardError>() {
        return Some(e.localized());
    }
    if let Some(e) = error.downcast_ref::<crate::pull::PullError>() {
        return Some(e.localized());
    }
    // An engine error's English `Display` carries more than its localized wording (the bytes
    // found, the parser's hint), so English keeps it; other languages get the localized text.
    if let Some(e) = error.downcast_ref::<crate::engine::EngineError>()
        && crate::i18n::language() != crate::i18n::Lang::En
    {
        return Some(e.localized());
    }
    None
}

/// The error and its causes joined with ": ", like `{error:#}`, but each typed error in the
/// interface language and without a cause the message already quotes (ggchat's errors name
/// their I/O cause themselves, and a context may quote the error it wraps).
pub fn message(error: &anyhow::Error) -> String {
    let mut english_so_far = String::new();
    let mut parts: Vec<String> = Vec::new();
    for cause in error.chain() {
        let english = cause.to_string();
        if english_so_far.contains(&english) {
            continue;
        }
        english_so_far.push_str(&english);
        english_so_far.push('\n');
        parts.push(localized(cause).unwrap_or(english));
    }
    parts.join(": ")
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::i18n::{Lang, with_language};
    use anyhow::Context;

    fn not_found() -> anyhow::Error {
        Err::<(), _>(crate::store::StoreError::NotFound {
            query: "nope".into(),
        })
        .context("cannot open the session")
        .unwrap_err()
    }

    #[test]
    fn a_typed_cause_is_worded_in_chinese_under_its_context() {
        let zh = with_language(Lang::ZhCn, || message(&not_found()));
        assert_eq!(
            zh,
            "cannot open the session: 没有与“nope”匹配的会话；请列出会话查看其 id 和标题"
        );
        let en = with_language(Lang::En, || message(&not_found()));
        assert_eq!(en, format!("{:#}", not_found()));
    }

    #[test]
    fn a_cause_the_context_quotes_is_not_repeated() {
        let e = crate::store::StoreError::InvalidId { id: "x".into() };
        let quoted = format!("failed: {e}");
        let error = anyhow::Error::new(e).context(quoted.clone());
        assert_eq!(with_language(Lang::En, || message(&error)), quoted);
    }
}
