//! The config parser on arbitrary UTF-8 text: no panic, errors name the file, and whatever is
//! accepted is within bounds.
#![no_main]

use libfuzzer_sys::fuzz_target;
use std::path::Path;

fuzz_target!(|data: &[u8]| {
    let Ok(text) = std::str::from_utf8(data) else {
        return;
    };
    match ggchat::config::Config::parse(text, Path::new("fuzz.toml")) {
        Ok(config) => {
            assert!(config.sampling.validate().is_ok());
            assert!(config.model.validate().is_ok());
        }
        Err(error) => {
            let message = error.to_string();
            assert!(
                message.starts_with("invalid config file fuzz.toml, line "),
                "{message}"
            );
        }
    }
});
