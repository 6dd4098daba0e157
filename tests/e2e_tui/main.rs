//! End to end: the real `ggchat` binary, full screen, in a pseudo-terminal, with the real default
//! model, driven by keystrokes like a person would. What the user sees is read back through a
//! `vt100` terminal emulator fed with everything the app writes. `signals` also interrupts a
//! real `ggchat ask`.
//!
//! The tests take turns (one model on the CPU at a time) so the timeouts stay meaningful on a
//! small, shared machine. `GGCHAT_E2E_SHOW=1 cargo test --test e2e_tui -- --nocapture` prints
//! each screen a test waited for.

#[path = "../common/mod.rs"]
mod common;
mod harness;
// The model picker's tests use the hub's files, not its record of requests.
#[allow(dead_code)]
#[path = "../hub_support/mod.rs"]
mod hub;

mod alternatives;
mod branches;
mod chat;
mod clipboard;
mod guard;
mod keys;
mod language;
mod lifecycle;
mod model_picker;
mod models_and_adapters;
mod monitor;
mod params_zh;
mod resume;
mod sessions;
mod signals;
