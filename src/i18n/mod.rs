//! The user interface in English and Simplified Chinese.
//!
//! Every string a user reads (the full-screen chat, `ask`, `sessions`, `models`) comes from one
//! message file per language in `assets/i18n/`, written in Project Fluent's syntax and embedded in
//! the binary. Fluent (`fluent-bundle`, Mozilla's reference implementation) was chosen over
//! key-value crates because its messages carry named placeholders (`{ $name }`) and plural rules
//! in the file itself, so a translator can reorder and inflect a sentence without code changes;
//! a test checks that both files have the same messages with the same placeholders.
//!
//! The language is chosen once at start-up ([`choose`]) and read everywhere through [`tr!`]. A
//! message missing from Chinese falls back to English, and one missing from both shows its id:
//! a translation gap never stops the program.

mod lang;

pub use lang::{Lang, LangError, choose, from_locale_env};

use fluent_bundle::concurrent::FluentBundle;
use fluent_bundle::{FluentArgs, FluentResource, FluentValue};
use std::sync::OnceLock;
use std::sync::atomic::{AtomicU8, Ordering};

/// The English message file, as embedded.
pub const EN_FTL: &str = include_str!("../../assets/i18n/en.ftl");
/// The Simplified Chinese message file, as embedded.
pub const ZH_CN_FTL: &str = include_str!("../../assets/i18n/zh-CN.ftl");

static CURRENT: AtomicU8 = AtomicU8::new(0);
static CATALOG: OnceLock<Catalog> = OnceLock::new();

struct Catalog {
    en: FluentBundle<FluentResource>,
    zh_cn: FluentBundle<FluentResource>,
}

fn bundle(lang: Lang) -> FluentBundle<FluentResource> {
    let (tag, source) = match lang {
        Lang::En => ("en", EN_FTL),
        Lang::ZhCn => ("zh-CN", ZH_CN_FTL),
    };
    // The files are part of the binary and checked by the tests; a syntax error in one message
    // drops only that message (it then falls back), so the partial resource is still used.
    let resource =
        FluentResource::try_new(source.to_owned()).unwrap_or_else(|(partial, _)| partial);
    let langid = tag.parse().unwrap_or_default();
    let mut bundle = FluentBundle::new_concurrent(vec![langid]);
    // Unicode isolation marks around placeholders are for bidirectional text in GUIs; in a
    // terminal they are invisible characters that break width measurement.
    bundle.set_use_isolating(false);
    // Duplicate ids are reported by the tests; keep the first.
    let _ = bundle.add_resource(resource);
    bundle
}

fn catalog() -> &'static Catalog {
    CATALOG.get_or_init(|| Catalog {
        en: bundle(Lang::En),
        zh_cn: bundle(Lang::ZhCn),
    })
}

/// Sets the language every later message is written in.
pub fn set_language(lang: Lang) {
    CURRENT.store(lang as u8, Ordering::Relaxed);
}

thread_local! {
    static OVERRIDE: std::cell::Cell<Option<Lang>> = const { std::cell::Cell::new(None) };
}

/// The language messages are written in now (on this thread).
pub fn language() -> Lang {
    if let Some(lang) = OVERRIDE.with(|o| o.get()) {
        return lang;
    }
    match CURRENT.load(Ordering::Relaxed) {
        1 => Lang::ZhCn,
        _ => Lang::En,
    }
}

/// Runs `f` with messages on this thread in `lang`, whatever the process-wide language: tests
/// in one process render both languages side by side without racing on a global.
pub fn with_language<T>(lang: Lang, f: impl FnOnce() -> T) -> T {
    struct Restore(Option<Lang>);
    impl Drop for Restore {
        fn drop(&mut self) {
            OVERRIDE.with(|o| o.set(self.0));
        }
    }
    let _restore = Restore(OVERRIDE.with(|o| o.replace(Some(lang))));
    f()
}

/// One placeholder value for [`text`]: strings and numbers.
pub type Arg<'a> = FluentValue<'a>;

/// The message `id` in the current language with its placeholders filled in.
pub fn text(id: &str, args: &[(&str, Arg<'_>)]) -> String {
    text_in(language(), id, args)
}

/// The message `id` in `lang`; English when `lang` lacks it, the id itself when both do.
pub fn text_in(lang: Lang, id: &str, args: &[(&str, Arg<'_>)]) -> String {
    let catalog = catalog();
    let first = match lang {
        Lang::En => &catalog.en,
        Lang::ZhCn => &catalog.zh_cn,
    };
    format_in(first, id, args)
        .or_else(|| format_in(&catalog.en, id, args))
        .unwrap_or_else(|| id.to_owned())
}

fn format_in(
    bundle: &FluentBundle<FluentResource>,
    id: &str,
    args: &[(&str, Arg<'_>)],
) -> Option<String> {
    let pattern = bundle.get_message(id)?.value()?;
    let mut fluent_args = FluentArgs::with_capacity(args.len());
    for (name, value) in args {
        fluent_args.set(*name, value.clone());
    }
    let mut errors = Vec::new();
    let out = bundle.format_pattern(pattern, Some(&fluent_args), &mut errors);
    Some(out.into_owned())
}

/// A message in the current language: `tr!(ID)` or `tr!(ID, name = value, ...)`, where each
/// value is a string or a number.
#[macro_export]
macro_rules! tr {
    ($id:expr) => {
        $crate::i18n::text($id, &[])
    };
    ($id:expr, $($name:ident = $value:expr),+ $(,)?) => {
        $crate::i18n::text(
            $id,
            &[$((stringify!($name), $crate::i18n::Arg::from($value))),+],
        )
    };
}

#[cfg(test)]
mod tests;

#[cfg(test)]
pub(crate) mod check;
