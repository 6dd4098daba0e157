#!/usr/bin/env bash
# The Python virtual environment the `serve` tests run the official `openai` client in
# (tests/serve/openai_client.rs): target/test-venv, made once; run again to repair it.
set -euo pipefail
cd "$(dirname "$0")/.."
venv=target/test-venv
if [ ! -x "$venv/bin/python" ]; then
    python3 -m venv "$venv"
fi
if ! "$venv/bin/python" -c 'import openai' 2>/dev/null; then
    "$venv/bin/pip" install --quiet --disable-pip-version-check 'openai>=1.40,<3'
fi
"$venv/bin/python" -c 'import openai; print("openai", openai.__version__, "in target/test-venv")'
