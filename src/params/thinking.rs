//! `thinking = "auto" | "on" | "off"`: whether a reasoning model thinks before it answers, where
//! its chat template has a switch for it (`enable_thinking`, as Qwen3's; see
//! `crate::engine::template`). `auto` leaves the template's own default.

use super::ParamError;
use serde::{Deserialize, Serialize};

#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize, clap::ValueEnum)]
#[serde(rename_all = "lowercase")]
pub enum ThinkingSwitch {
    #[default]
    Auto,
    On,
    Off,
}

impl ThinkingSwitch {
    pub fn name(self) -> &'static str {
        match self {
            ThinkingSwitch::Auto => "auto",
            ThinkingSwitch::On => "on",
            ThinkingSwitch::Off => "off",
        }
    }

    /// The value given to the template's switch variable; `None` leaves it undefined.
    pub fn as_bool(self) -> Option<bool> {
        match self {
            ThinkingSwitch::Auto => None,
            ThinkingSwitch::On => Some(true),
            ThinkingSwitch::Off => Some(false),
        }
    }
}

impl std::str::FromStr for ThinkingSwitch {
    type Err = ParamError;

    fn from_str(value: &str) -> Result<Self, ParamError> {
        match value.trim().to_ascii_lowercase().as_str() {
            "auto" | "" => Ok(ThinkingSwitch::Auto),
            "on" => Ok(ThinkingSwitch::On),
            "off" => Ok(ThinkingSwitch::Off),
            other => Err(ParamError {
                name: "thinking",
                value: other.to_owned(),
                expected: "auto, on or off",
            }),
        }
    }
}
