#!/usr/bin/env bash
# The resume benchmark (README, "Reopening long sessions"): a session of about 3,000 tokens
# reopened in a new process, with its KV snapshot and without, beside turn 1 of a new chat.
# Usage: scripts/bench-resume.sh [MODEL.gguf] [TURNS]   (default: the test model, 12 turns)
set -euo pipefail
cd "$(dirname "$0")/.."
model=${1:-target/test-data/models/SmolLM2-135M-Instruct.Q4_1.gguf}
cargo build --release --locked --example resume_bench >&2
target/release/examples/resume_bench "$model" "${2:-12}"
