#!/usr/bin/env bash
# The whole test suite, as CI runs it: prerequisites, the two real test models, formatting and
# lints, then every test (unit, integration, end to end in a pseudo-terminal) on the real models.
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/install-prereqs.sh
export GGCHAT_TEST_MODELS="$PWD/target/test-data/models"
GGCHAT_DATA_DIR="$PWD/target/test-data" scripts/fetch-model.sh smollm2
GGCHAT_DATA_DIR="$PWD/target/test-data" scripts/fetch-model.sh gemma3
# The official `openai` Python client for the `ggchat serve` tests (tests/serve/).
scripts/make-test-venv.sh
cargo fmt --all --check
cargo clippy --all-targets --locked -- -D warnings
# One test at a time: every engine runs llama.cpp with a thread per core, and parallel engines
# would fight over the cores (OpenMP threads spin while they wait).
cargo test --all-targets --locked -- --test-threads=1
