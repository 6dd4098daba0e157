#!/usr/bin/env bash
# Fresh machine to chat: install build prerequisites, fetch the default model, build ggchat in
# release mode and open the chat. Arguments are passed to ggchat (e.g. `scripts/chat.sh ask hi`).
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/install-prereqs.sh
scripts/fetch-model.sh smollm2 >&2
# Built here, for this machine: llama.cpp may use every instruction the CPU has (AVX-512 made
# prompts 1.45x as fast on K-quant models in docs/performance.md). GGCHAT_PORTABLE=1 builds a
# binary that also runs on other x86-64 CPUs.
if [[ -z "${GGCHAT_PORTABLE:-}" && -z "${RUSTFLAGS:-}" ]]; then
  export RUSTFLAGS="-C target-cpu=native"
fi
exec cargo run --quiet --release -- "$@"
