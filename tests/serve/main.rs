//! `ggchat serve` end to end: the real binary on the default model, over real HTTP on
//! 127.0.0.1 (raw requests with reqwest, and the official `openai` Python client).

mod bad_input;
mod batching;
mod choices;
mod completions;
mod guard;
mod harness;
mod limits;
mod openai_client;
mod operations;
mod robustness;
mod speculation;
mod thinking;
