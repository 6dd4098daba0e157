//! Which language the UI speaks: `--lang`, else `ui.language` in the config, else the locale
//! environment (`LC_ALL`, `LC_MESSAGES`, `LANG`, the first one set), else English.

use thiserror::Error;

/// A language the UI is written in.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
#[repr(u8)]
pub enum Lang {
    #[default]
    En = 0,
    /// Simplified Chinese.
    ZhCn = 1,
}

/// A language setting that names no language ggchat speaks.
#[derive(Debug, Error, PartialEq, Eq)]
#[error(
    "unknown language {value:?} in {source_name}: use \"en\" (English) or \"zh-CN\" (Simplified Chinese)"
)]
pub struct LangError {
    pub value: String,
    pub source_name: &'static str,
}

impl Lang {
    /// The tag written in the config file and accepted by `--lang`.
    pub fn tag(self) -> &'static str {
        match self {
            Lang::En => "en",
            Lang::ZhCn => "zh-CN",
        }
    }

    /// A configured language: `en` or `zh-CN` (case and `_` versus `-` do not matter, and the
    /// region and script forms of Simplified Chinese are accepted).
    pub fn parse(value: &str) -> Option<Lang> {
        let v = value.trim().replace('_', "-").to_ascii_lowercase();
        match v.as_str() {
            "en" | "en-us" | "en-gb" | "english" => Some(Lang::En),
            "zh" | "zh-cn" | "zh-sg" | "zh-hans" | "zh-hans-cn" | "zh-hans-sg" => Some(Lang::ZhCn),
            _ => None,
        }
    }

    /// A locale from the environment, e.g. `zh_CN.UTF-8`: Simplified Chinese for `zh_CN`,
    /// `zh_SG` and `zh_Hans`; English for everything else (including `C`, `POSIX` and
    /// Traditional Chinese, which the UI does not have).
    pub fn from_locale(locale: &str) -> Lang {
        let base = locale.split(['.', '@']).next().unwrap_or("");
        let base = base.replace('-', "_").to_ascii_lowercase();
        match base.as_str() {
            "zh_cn" | "zh_sg" | "zh_hans" | "zh_hans_cn" | "zh_hans_sg" => Lang::ZhCn,
            _ => Lang::En,
        }
    }
}

/// The language the locale environment asks for: the first of `LC_ALL`, `LC_MESSAGES`, `LANG`
/// that is set and not empty, as POSIX orders them.
pub fn from_locale_env(get: impl Fn(&str) -> Option<String>) -> Option<Lang> {
    ["LC_ALL", "LC_MESSAGES", "LANG"]
        .iter()
        .find_map(|name| get(name).filter(|v| !v.trim().is_empty()))
        .map(|locale| Lang::from_locale(&locale))
}

/// The language to use: the `--lang` flag, else `ui.language` from the config, else the locale
/// environment, else English. A flag or config value that names no known language is an error.
pub fn choose(
    flag: Option<&str>,
    configured: Option<&str>,
    env: impl Fn(&str) -> Option<String>,
) -> Result<Lang, LangError> {
    if let Some(value) = flag {
        return Lang::parse(value).ok_or_else(|| LangError {
            value: value.to_owned(),
            source_name: "--lang",
        });
    }
    if let Some(value) = configured {
        return Lang::parse(value).ok_or_else(|| LangError {
            value: value.to_owned(),
            source_name: "ui.language in the config file",
        });
    }
    Ok(from_locale_env(env).unwrap_or_default())
}
