#!/usr/bin/env bash
# Speculative decoding (prompt lookup and a draft model) on real chat turns, against llama.cpp's
# llama-bench tg128 on the same machine, model, threads and flash-attention setting.
#
# Three turns (tests/fixtures/speculation): (a) "fix this code" with ~300 tokens of pasted
# Python, (b) "summarize this text", (c) a free chat turn. Each round runs llama-bench tg128, then
# every turn with `ggchat ask --json` with speculation off, with lookup and with the draft model
# (same seed, so all generate the same text), interleaved so that load from other work on the machine falls on all
# alike. Prints effective generation tok/s (generated tokens over the time from the first token
# to the last), means over the rounds, the ratios to llama-bench and to speculation off, and the
# share of guesses kept. The draft model defaults to the model itself: every guess is then kept
# under greedy sampling, so it shows the verification's ceiling rather than a real gain (a real
# draft model is smaller than the model it drafts for).
#
#   scripts/bench-speculation.sh [options]
#     -m, --model FILE      GGUF model (default: the test model SmolLM2-135M-Instruct Q4_1)
#     -t, --threads N       threads for both (default: 2)
#     -r, --rounds N        interleaved rounds (default: 3)
#     -n, --tokens N        tokens per reply (default: 128, as tg128)
#     --temperature T       ggchat's sampling temperature (default: 0.7, ggchat's default)
#     --flash-attention on|off  for both (default: off, what ggchat's auto picks on an x86-64 CPU
#                           build without AVX-512)
#     --llama-bench FILE    llama-bench (default: target/llama-bench/build-release-default/bin/
#                           llama-bench, built by scripts/bench-vs-llama.sh)
#     --ggchat FILE         ggchat binary (default: target/release/ggchat)
#     --draft-model FILE    draft model for `--speculation draft` (default: the model itself)
set -euo pipefail
cd "$(dirname "$0")/.."

model=target/test-data/models/SmolLM2-135M-Instruct.Q4_1.gguf
threads=2
rounds=3
tokens=128
temperature=0.7
flash=off
llama_bench=target/llama-bench/build-release-default/bin/llama-bench
ggchat=target/release/ggchat
draft_model=
while [[ $# -gt 0 ]]; do
  case $1 in
    -m | --model) model=$2; shift 2 ;;
    -t | --threads) threads=$2; shift 2 ;;
    -r | --rounds) rounds=$2; shift 2 ;;
    -n | --tokens) tokens=$2; shift 2 ;;
    --temperature) temperature=$2; shift 2 ;;
    --flash-attention) flash=$2; shift 2 ;;
    --llama-bench) llama_bench=$2; shift 2 ;;
    --ggchat) ggchat=$2; shift 2 ;;
    --draft-model) draft_model=$2; shift 2 ;;
    *) echo "unknown option: $1 (see the header of $0)" >&2; exit 2 ;;
  esac
done
draft_model=${draft_model:-$model}
for file in "$model" "$llama_bench" "$ggchat" "$draft_model"; do
  [[ -e $file ]] || { echo "missing: $file (see the header of $0)" >&2; exit 1; }
done

home=$(mktemp -d)
trap 'rm -rf "$home"' EXIT
results=$home/results.txt

for round in $(seq 1 "$rounds"); do
  "$llama_bench" -m "$model" -p 0 -n "$tokens" -r 1 -t "$threads" -fa "$([[ $flash == on ]] && echo 1 || echo 0)" -o json 2>/dev/null \
    | python3 -c 'import json,sys; print("llama-bench -", json.load(sys.stdin)[0]["avg_ts"])' \
    >> "$results"
  for turn in code summary chat; do
    for mode in off lookup draft; do
      draft_args=()
      [[ $mode == draft ]] && draft_args=(--draft-model "$draft_model")
      GGCHAT_DATA_DIR=$home GGCHAT_CONFIG_DIR=$home "$ggchat" ask --json --model "$model" \
        -t "$threads" --flash-attention "$flash" --temperature "$temperature" --seed 42 \
        -n "$tokens" --speculation "$mode" "${draft_args[@]}" \
        < "tests/fixtures/speculation/$turn.txt" 2>/dev/null \
        | python3 -c '
import json, sys
s = json.load(sys.stdin)["stats"]
spec = s.get("speculation") or {}
print(sys.argv[1], sys.argv[2], s["generation_tokens_per_second"], s["generated_tokens"],
      spec.get("drafted", 0), spec.get("accepted", 0))' "$turn" "$mode" >> "$results"
    done
  done
  echo "round $round of $rounds done" >&2
done

python3 - "$results" "$threads" "$tokens" <<'PY'
import statistics, sys
from collections import defaultdict
path, threads, tokens = sys.argv[1:]
speed, drafted, accepted, generated = defaultdict(list), defaultdict(int), defaultdict(int), defaultdict(int)
for line in open(path):
    f = line.split()
    if f[0] == "llama-bench":
        speed["llama-bench"].append(float(f[2]))
        continue
    key = (f[0], f[1])
    speed[key].append(float(f[2]))
    generated[key] += int(f[3]); drafted[key] += int(f[4]); accepted[key] += int(f[5])
lb = statistics.mean(speed["llama-bench"])
print(f"threads {threads}, {tokens} tokens per reply, {len(speed['llama-bench'])} interleaved rounds")
print(f"llama-bench tg{tokens}: {lb:.1f} tok/s")
print(f"{'turn':<8} {'mode':<7} {'tok/s':>7} {'/lb':>6} {'/off':>6} {'kept':>10}")
for turn in ["code", "summary", "chat"]:
    off = statistics.mean(speed[(turn, "off")])
    for mode in ["off", "lookup", "draft"]:
        s = statistics.mean(speed[(turn, mode)])
        d, a = drafted[(turn, mode)], accepted[(turn, mode)]
        kept = f"{a}/{d}" if mode != "off" else "-"
        print(f"{turn:<8} {mode:<7} {s:>7.1f} {s/lb:>6.2f} {s/off:>6.2f} {kept:>10}")
PY
