//! Debug builds only: a way for the end-to-end tests to make a handler panic, which no request
//! can do on purpose, so they can check that the server answers an OpenAI-shaped 500 and goes on
//! serving. Release builds compile nothing here (the function is empty).
//!
//! - `GGCHAT_DEBUG_PANIC_MODEL=NAME`: a completion request whose `model` is NAME panics in the
//!   handler.

/// Panics when `model` is the name in `GGCHAT_DEBUG_PANIC_MODEL`.
#[cfg(debug_assertions)]
pub fn panic_on_model(model: &str) {
    let trigger = std::env::var("GGCHAT_DEBUG_PANIC_MODEL").ok();
    assert!(
        trigger.as_deref() != Some(model),
        "injected panic: model {model:?} (GGCHAT_DEBUG_PANIC_MODEL)"
    );
}

#[cfg(not(debug_assertions))]
pub fn panic_on_model(_model: &str) {}
