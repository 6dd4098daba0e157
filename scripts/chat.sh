#!/usr/bin/env bash
# Fresh machine to chat: install build prerequisites, fetch the default model, build ggchat in
# release mode, put `ggchat` on the PATH (a symlink in ~/.local/bin) and open the chat. Arguments
# are passed to ggchat (e.g. `scripts/chat.sh ask hi`). GGCHAT_NO_LINK=1 skips the symlink.
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
binary=$PWD/target/release/ggchat
if [[ ! -x "$binary" ]]; then
  echo "chat.sh: first build: cargo compiles llama.cpp (C++) along with ggchat; this takes" \
    "several minutes (about 7 on 2 cores). Later builds take seconds." >&2
fi
# Cargo's own progress shows on stderr; a build with nothing to do prints one line.
cargo build --release --locked >&2
# README's examples call `ggchat`: link it into ~/.local/bin, the per-user folder most shells
# put on the PATH. A symlink follows every rebuild made here, with the same CPU flags.
if [[ -z "${GGCHAT_NO_LINK:-}" ]]; then
  bin_dir=$HOME/.local/bin
  mkdir -p "$bin_dir"
  if [[ "$(readlink "$bin_dir/ggchat" 2>/dev/null)" != "$binary" ]]; then
    ln -sfn "$binary" "$bin_dir/ggchat"
    echo "chat.sh: linked $bin_dir/ggchat -> $binary" >&2
  fi
  case ":$PATH:" in
    *":$bin_dir:"*) ;;
    *) echo "chat.sh: $bin_dir is not on your PATH; add it (e.g. in ~/.profile:" \
      "export PATH=\"\$HOME/.local/bin:\$PATH\") to run \`ggchat\` from anywhere" >&2 ;;
  esac
fi
exec "$binary" "$@"
