#!/usr/bin/env bash
# The whole test suite, as CI runs it: prerequisites, the two real test models, formatting and
# lints, then every test (unit, integration, end to end in a pseudo-terminal) on the real models.
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/install-prereqs.sh
export GGCHAT_TEST_MODELS="$PWD/target/test-data/models"
GGCHAT_DATA_DIR="$PWD/target/test-data" scripts/fetch-model.sh smollm2
GGCHAT_DATA_DIR="$PWD/target/test-data" scripts/fetch-model.sh gemma3
# Real LoRA adapters for the default model (tests/lora.rs), written with PyPI's `gguf` package.
scripts/make-test-lora.sh
# llama.cpp's own llama-server, built once (skipped when already built), for tests/remote_*.rs.
GGCHAT_LLAMA_SERVER=$(scripts/build-llama-server.sh)
export GGCHAT_LLAMA_SERVER
# The official `openai` Python client for the `ggchat serve` tests (tests/serve/).
scripts/make-test-venv.sh
cargo fmt --all --check
cargo clippy --all-targets --locked -- -D warnings
# One test at a time: every engine runs llama.cpp with a thread per core, and parallel engines
# would fight over the cores (OpenMP threads spin while they wait).
cargo test --all-targets --locked -- --test-threads=1
# GPU offload, proven without a GPU: a second llama.cpp build with the Vulkan backend (its own
# target dir, target/vulkan), run through Mesa's lavapipe, a Vulkan driver on the CPU. The script
# sets up the packages and the Vulkan SDK environment, builds once, and runs the one test.
scripts/vulkan-build.sh test --locked --features vulkan --test gpu_offload -- --test-threads=1
