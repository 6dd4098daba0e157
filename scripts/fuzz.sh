#!/usr/bin/env bash
# Runs the libFuzzer targets in fuzz/ (not part of CI: cargo-fuzz needs the nightly toolchain,
# and the fuzz build compiles llama.cpp a second time). The seed corpora in fuzz/corpus/ also run
# in the normal test suite (tests/fuzz_corpus.rs) on stable.
#
#   scripts/fuzz.sh                      # every target, 5 minutes each
#   scripts/fuzz.sh gguf_header 3600     # one target, one hour
#
# New inputs that reach new code are written to a scratch copy of the corpus, not to
# fuzz/corpus/ (keep that one small and reviewed); a crash is saved under fuzz/artifacts/TARGET/.
set -euo pipefail
cd "$(dirname "$0")/.."
targets=("${1:-gguf_header session_file config_file chat_request}")
seconds="${2:-300}"
if ! cargo +nightly --version >/dev/null 2>&1; then
    echo "fuzz.sh: the nightly toolchain is needed: rustup toolchain install nightly" >&2
    exit 1
fi
if ! cargo +nightly fuzz --version >/dev/null 2>&1; then
    echo "fuzz.sh: cargo-fuzz is needed: cargo install cargo-fuzz" >&2
    exit 1
fi
for target in ${targets[*]}; do
    scratch="fuzz/target/corpus-$target"
    mkdir -p "$scratch"
    cp -n "fuzz/corpus/$target"/* "$scratch"/
    echo "== $target for ${seconds}s (corpus: $scratch)"
    cargo +nightly fuzz run "$target" "$scratch" -- -max_total_time="$seconds"
done
