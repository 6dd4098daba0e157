#!/usr/bin/env bash
# Write the test LoRA adapters for the default model into target/test-data/lora (tests/lora.rs).
# The `gguf` package comes from PyPI into a private venv under target/, never the system's Python.
# Idempotent: instant when the adapters are newer than this script and its Python half.
set -euo pipefail
cd "$(dirname "$0")/.."
model=${1:-target/test-data/models/SmolLM2-135M-Instruct.Q4_1.gguf}
out=target/test-data/lora
venv=target/py-gguf

if [[ -f "$out/test-lora.gguf" && -f "$out/test-lora-wrong-shape.gguf" \
  && "$out/test-lora.gguf" -nt scripts/make-test-lora.py \
  && "$out/test-lora.gguf" -nt scripts/make-test-lora.sh ]]; then
  echo "LoRA adapters ready: $out"
  exit 0
fi
if [[ ! -f "$model" ]]; then
  echo "make-test-lora.sh: the model $model is missing: run scripts/fetch-model.sh first" >&2
  exit 1
fi
if ! "$venv/bin/python" -c 'import gguf' >/dev/null 2>&1; then
  echo "installing the gguf Python package into $venv ..."
  rm -rf "$venv"
  python3 -m venv "$venv"
  "$venv/bin/pip" install --quiet --disable-pip-version-check gguf==0.19.0
fi
"$venv/bin/python" scripts/make-test-lora.py "$model" "$out"
