#!/usr/bin/env bash
# Fresh machine to chat: install build prerequisites, fetch the default model, build ggchat in
# release mode and open the chat. Arguments are passed to ggchat (e.g. `scripts/chat.sh ask hi`).
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/install-prereqs.sh
scripts/fetch-model.sh smollm2 >&2
exec cargo run --quiet --release -- "$@"
