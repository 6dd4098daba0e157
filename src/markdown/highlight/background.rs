//! Highlighting off the frame path.
//!
//! The first block in a language is the expensive one: syntect compiles that syntax's regexes on
//! first use, 70-80 ms for one Rust block on the busy 2-core machine of docs/performance.md (the
//! whole first frame of a 2,000-message conversation took 100 ms), which a frame cannot afford. Once [`start`] has run (the app does it at start-up), a block in a
//! language not yet seen is drawn plain for now and sent to a worker thread, which highlights it
//! (compiling the regexes and filling the highlight cache) and then bumps [`generation`]; the chat
//! view keys its rendered messages on it, and the app redraws when it changes, so the block is
//! coloured within a tick. Later blocks in that language are highlighted in the frame, from the
//! compiled regexes and the cache.
//!
//! Without [`start`] (tests, library users) everything is highlighted at once, as before: the
//! output never depends on timing.

use std::collections::BTreeSet;
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::mpsc::{Sender, channel};
use std::sync::{Mutex, MutexGuard, OnceLock};

use ratatui::style::Style;

/// A block to highlight on the worker.
struct Request {
    code: String,
    lang: String,
    theme: String,
    base: Style,
}

#[derive(Default)]
struct Languages {
    /// Language tags whose syntax the worker has loaded and compiled (an alias, `rs` after
    /// `rust`, is one more quick pass on the worker).
    ready: BTreeSet<String>,
    /// Language tags sent to the worker (ready or not yet).
    requested: BTreeSet<String>,
}

static WORKER: OnceLock<Option<Sender<Request>>> = OnceLock::new();
static LANGUAGES: Mutex<Languages> = Mutex::new(Languages {
    ready: BTreeSet::new(),
    requested: BTreeSet::new(),
});
static GENERATION: AtomicU64 = AtomicU64::new(0);

fn languages() -> MutexGuard<'static, Languages> {
    LANGUAGES
        .lock()
        .unwrap_or_else(|poisoned| poisoned.into_inner())
}

/// Starts the worker (once per process): it loads syntect's tables now, then highlights the
/// blocks the frame path defers. If the thread cannot start, highlighting stays synchronous.
pub fn start() {
    WORKER.get_or_init(|| {
        let (tx, rx) = channel::<Request>();
        std::thread::Builder::new()
            .name("highlight".into())
            .spawn(move || {
                super::warm_up();
                for request in rx {
                    let _ = super::highlight_now(
                        &request.code,
                        &request.lang,
                        &request.theme,
                        request.base,
                    );
                    languages().ready.insert(request.lang);
                    GENERATION.fetch_add(1, Ordering::Release);
                }
            })
            .ok()
            .map(|_| tx)
    });
}

/// Changes whenever a deferred block has been highlighted: what was drawn plain can be coloured.
pub fn generation() -> u64 {
    GENERATION.load(Ordering::Acquire)
}

/// Whether a block in `lang` may be highlighted in this frame. If not, it is sent to the worker
/// (the first time its language is seen) and the caller draws it plain.
pub(super) fn ready_now(code: &str, lang: &str, theme: &str, base: Style) -> bool {
    let Some(Some(worker)) = WORKER.get() else {
        return true;
    };
    let mut languages = languages();
    if languages.ready.contains(lang) {
        return true;
    }
    if languages.requested.insert(lang.to_owned()) {
        let sent = worker.send(Request {
            code: code.to_owned(),
            lang: lang.to_owned(),
            theme: theme.to_owned(),
            base,
        });
        if sent.is_err() {
            // The worker is gone: highlight here from now on.
            languages.ready.insert(lang.to_owned());
            return true;
        }
    }
    false
}
