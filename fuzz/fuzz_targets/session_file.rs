//! The session file decoder on arbitrary bytes: no panic, and a decoded session can be exported
//! and encoded again.
#![no_main]

use libfuzzer_sys::fuzz_target;

const FILE_ID: &str = "20260101-000000-f022";

fuzz_target!(|data: &[u8]| {
    if let Ok(session) = ggchat::store::format::decode(data, FILE_ID) {
        // The file name is the id, whatever the file says.
        assert_eq!(session.id, FILE_ID);
        let _ = ggchat::store::to_markdown(&session);
        let _ = ggchat::store::to_json(&session);
        let _ = ggchat::store::title_from(&session.conversation);
        let _ = ggchat::store::format::encode(&session);
    }
});
