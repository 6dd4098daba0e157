#!/usr/bin/env bash
# `ggchat serve` against llama.cpp's own llama-server, side by side in one run: the same model,
# threads, total context and slot count, 1, 4 and 8 concurrent streams of 128 generated tokens
# (llama.cpp's `ignore_eos` on both, so every stream runs to the end), aggregate generation tok/s
# and time to first token p50/p95, with ratios. Regenerates the table between the serve-bench
# markers in README.md and writes the raw figures to target/bench-serve/.
#
#   scripts/bench-serve.sh [options]
#     -m, --model FILE        GGUF model (default: target/test-data/models/SmolLM2-135M-Instruct.Q4_1.gguf)
#     -t, --threads N         threads for both (default: the online CPUs)
#     -c, --ctx-size N        total context of each server (default: 4096)
#     -s, --slots N           slots when ggchat serve has --parallel (default: 8); without the
#                             flag ggchat has one slot, and llama-server gets one too
#     -r, --rounds N          rounds per level, interleaved between the servers (default: 3)
#     --levels LIST           concurrent streams (default: 1,4,8)
#     --llama-server FILE     llama-server binary (default: $GGCHAT_LLAMA_SERVER, else
#                             target/llama-server/bin/llama-server from scripts/build-llama-server.sh)
#     --no-readme             do not touch README.md
#
# It builds what it needs (ggchat in release, llama-server with scripts/build-llama-server.sh,
# the openai venv with scripts/make-test-venv.sh), starts both servers on 127.0.0.1 and free
# ports, and stops them on exit, also on failure. The client is scripts/bench_serve.py in the
# test venv: the load is I/O-bound and the same client drives both servers, so its own cost falls
# on both alike, and no extra Rust program needs building. Any failed request stops the run
# with an error; nothing is reported as zero.
#
# llama-server comes from llama-cpp-python's vendored llama.cpp (0.5.0), slightly older than the
# llama.cpp ggchat links through llama-cpp-sys-2; the table says which versions ran.
set -euo pipefail
cd "$(dirname "$0")/.."
root=$PWD

model=$root/target/test-data/models/SmolLM2-135M-Instruct.Q4_1.gguf
threads=$(nproc)
ctx=4096
slots=8
rounds=3
levels=1,4,8
tokens=128
llama_server=${GGCHAT_LLAMA_SERVER:-$root/target/llama-server/bin/llama-server}
update_readme=1

die() { echo "bench-serve: $*" >&2; exit 1; }
step() { printf '== bench-serve: %s\n' "$*" >&2; }

while (($#)); do
  case "$1" in
    -m | --model) model=$2; shift 2 ;;
    -t | --threads) threads=$2; shift 2 ;;
    -c | --ctx-size) ctx=$2; shift 2 ;;
    -s | --slots) slots=$2; shift 2 ;;
    -r | --rounds) rounds=$2; shift 2 ;;
    --levels) levels=$2; shift 2 ;;
    --llama-server) llama_server=$2; shift 2 ;;
    --no-readme) update_readme=0; shift ;;
    -h | --help) sed -n '2,/^set -euo/p' "$0" | sed '$d; s/^# \{0,1\}//'; exit 0 ;;
    *) die "unknown argument '$1' (see --help)" ;;
  esac
done

[ -f "$model" ] || die "no model at $model: run scripts/fetch-model.sh or pass --model FILE"
out=$root/target/bench-serve
mkdir -p "$out"

step "building ggchat (release)"
cargo build --release --locked --bin ggchat >&2 || die "cargo build --release failed"
ggchat=$root/target/release/ggchat
if [ ! -x "$llama_server" ]; then
  step "building llama-server"
  llama_server=$(scripts/build-llama-server.sh) || die "scripts/build-llama-server.sh failed"
fi
scripts/make-test-venv.sh >&2 || die "scripts/make-test-venv.sh failed"
python=$root/target/test-venv/bin/python

# The slot count: N when this ggchat has --parallel (continuous batching), else 1, and the
# same for llama-server.
ggchat_slot_args=()
if "$ggchat" serve --help 2>/dev/null | grep -q -- '--parallel'; then
  ggchat_slot_args=(--parallel "$slots")
else
  slots=1
fi
# The same KV layout in both: ggchat serve gives each slot its own share of the context by
# default (a greedy reply is then the same whatever runs beside it), so llama-server gets its
# per-slot layout too (`-no-kvu`; with an explicit -np it is its default anyway).
kvu_args=()
if "$llama_server" --help 2>&1 | grep -q -- '--no-kv-unified'; then
  kvu_args=(-no-kvu)
fi

free_port() {
  python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])'
}

pids=()
cleanup() {
  for pid in "${pids[@]}"; do
    kill "$pid" 2>/dev/null || true
  done
  for pid in "${pids[@]}"; do
    wait "$pid" 2>/dev/null || true
  done
}
trap cleanup EXIT

# Waits (at most 180 s) until URL/health answers 200; fails if the process died.
wait_healthy() {
  local name=$1 url=$2 pid=$3 log=$4
  for _ in $(seq 1 900); do
    kill -0 "$pid" 2>/dev/null || die "$name exited while starting; its log: $log"
    if [ "$(curl -s -o /dev/null -w '%{http_code}' "$url/health")" = 200 ]; then
      return 0
    fi
    sleep 0.2
  done
  die "$name did not get healthy within 180 s; its log: $log"
}

# The same OpenMP environment for both; passive waiting by default, as scripts/test.sh does: on a
# machine with other work, spinning llama.cpp threads lose their time slices at every barrier.
export OMP_WAIT_POLICY=${OMP_WAIT_POLICY:-passive}

ggchat_port=$(free_port)
step "starting ggchat serve: $slots slot(s), context $ctx, $threads thread(s)"
"$ggchat" serve --host 127.0.0.1 --port "$ggchat_port" \
  --model "$model" -c "$ctx" -t "$threads" --queue 64 "${ggchat_slot_args[@]}" \
  >"$out/ggchat.out" 2>"$out/ggchat.log" &
pids+=($!)
wait_healthy "ggchat serve" "http://127.0.0.1:$ggchat_port" "$!" "$out/ggchat.log"

llama_port=$(free_port)
step "starting llama-server: -np $slots -c $ctx ${kvu_args[*]} -t $threads"
"$llama_server" -m "$model" --host 127.0.0.1 --port "$llama_port" -c "$ctx" -np "$slots" \
  "${kvu_args[@]}" -t "$threads" --no-webui >"$out/llama-server.log" 2>&1 &
pids+=($!)
wait_healthy "llama-server" "http://127.0.0.1:$llama_port" "$!" "$out/llama-server.log"

step "running: levels $levels, $rounds round(s), $tokens tokens per stream"
"$python" scripts/bench_serve.py \
  --server "ggchat=http://127.0.0.1:$ggchat_port" \
  --server "llama-server=http://127.0.0.1:$llama_port" \
  --levels "$levels" --rounds "$rounds" --tokens "$tokens" --json "$out/results.json" \
  || die "the benchmark client failed (server logs: $out/ggchat.log, $out/llama-server.log)"
cleanup
pids=()

ggchat_version=$("$ggchat" --version 2>/dev/null | head -1)
llama_cpp_sys=$(grep -A1 '^name = "llama-cpp-sys-2"' Cargo.lock | sed -n 's/^version = "\(.*\)"/\1/p')
sys_tree=$(ls -d "${CARGO_HOME:-$HOME/.cargo}"/registry/src/*/"llama-cpp-sys-2-$llama_cpp_sys"/llama.cpp 2>/dev/null | head -1)
llama_cpp_version=unknown
if [ -n "$sys_tree" ]; then
  llama_cpp_version=$(sed -n 's/^set(LLAMA_VERSION_\(MAJOR\|MINOR\|PATCH\) \([0-9]*\))$/\2/p' \
    "$sys_tree/CMakeLists.txt" | paste -sd.)
fi
llama_server_version=$("$llama_server" --version 2>&1 | grep -m1 version || echo unknown)
cpu=$(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | sed 's/^ *//')
# The CPU flags: scripts/build-llama-server.sh uses ggml's portable defaults (GGML_NATIVE=OFF), the
# same as ggchat's llama.cpp from llama-cpp-sys-2 (AVX2, no AVX-512; docs/performance.md).
native=off
grep -q -- '-DGGML_NATIVE=ON' scripts/build-llama-server.sh && native=on
avx512=no
grep -qw avx512f /proc/cpuinfo && avx512=yes

REPORT_MODEL=$(basename "$model") REPORT_THREADS=$threads REPORT_CTX=$ctx REPORT_SLOTS=$slots \
REPORT_KVU="${kvu_args[*]}" REPORT_OMP=$OMP_WAIT_POLICY REPORT_TOKENS=$tokens REPORT_ROUNDS=$rounds REPORT_CPU=$cpu \
REPORT_CORES=$(nproc) REPORT_LOAD=$(cut -d' ' -f1-3 /proc/loadavg) \
REPORT_GGCHAT="$ggchat_version, llama.cpp $llama_cpp_version-dev vendored by llama-cpp-sys-2 $llama_cpp_sys" \
REPORT_LLAMA="llama-server $llama_server_version (llama.cpp vendored by llama-cpp-python 0.3.36, slightly older), built with GGML_NATIVE=$native (this CPU has AVX-512: $avx512); ggchat's llama.cpp has llama-cpp-sys-2's portable CPU flags (AVX2, no AVX-512)" \
python3 - "$out/results.json" >"$out/report.md" <<'PY'
import json, os, statistics, sys
env = os.environ.get
data = json.load(open(sys.argv[1]))
g, l = data["ggchat"], data["llama-server"]

def pct(values, p):
    values = sorted(values)
    k = (len(values) - 1) * p / 100
    lo = int(k)
    hi = min(lo + 1, len(values) - 1)
    return values[lo] + (values[hi] - values[lo]) * (k - lo)

def figures(rounds):
    tok = [r["tok_s"] for r in rounds]
    ttft = [t for r in rounds for t in r["ttft_ms"]]
    return statistics.mean(tok), pct(ttft, 50), pct(ttft, 95)

print(f"Machine: {env('REPORT_CPU')}, {env('REPORT_CORES')} cores (load average "
      f"{env('REPORT_LOAD')} at the end). Model {env('REPORT_MODEL')}, {env('REPORT_THREADS')} "
      f"thread(s) (OMP_WAIT_POLICY={env('REPORT_OMP')} for both), total context {env('REPORT_CTX')}, {env('REPORT_SLOTS')} slot(s) in both "
      f"(llama-server `-np {env('REPORT_SLOTS')} -c {env('REPORT_CTX')} {env('REPORT_KVU')}`), "
      f"{env('REPORT_TOKENS')} tokens per stream with `ignore_eos`, greedy, prompts unique per "
      f"request, {env('REPORT_ROUNDS')} interleaved rounds per level. Aggregate tok/s: all "
      f"streams' tokens over the wall time from sending to the last token (mean of the rounds); "
      f"TTFT over every request of the level. Ratios are ggchat / llama-server (tok/s: higher is "
      f"better for ggchat; TTFT: lower is).")
print()
print("| streams | ggchat tok/s | llama-server tok/s | tok/s ratio | ggchat TTFT p50 / p95 ms "
      "| llama-server TTFT p50 / p95 ms | TTFT p50 ratio |")
print("| ---: | ---: | ---: | ---: | ---: | ---: | ---: |")
for level in g:
    gt, g50, g95 = figures(g[level])
    lt, l50, l95 = figures(l[level])
    print(f"| {level} | {gt:.1f} | {lt:.1f} | **{gt / lt:.2f}** | {g50:.0f} / {g95:.0f} "
          f"| {l50:.0f} / {l95:.0f} | {g50 / l50:.2f} |")
print()
print(f"ggchat: {env('REPORT_GGCHAT')}. {env('REPORT_LLAMA')}.")
PY

echo >&2
cat "$out/report.md"

if ((update_readme)); then
  python3 - "$root/README.md" "$out/report.md" <<'PY'
import pathlib, sys
readme, report = pathlib.Path(sys.argv[1]), pathlib.Path(sys.argv[2]).read_text().strip()
text = readme.read_text()
start, end = "<!-- serve-bench:start -->", "<!-- serve-bench:end -->"
if start not in text or end not in text:
    sys.exit(f"bench-serve: README.md has no {start} ... {end} markers; not updated")
head, rest = text.split(start, 1)
_, tail = rest.split(end, 1)
readme.write_text(f"{head}{start}\n{report}\n{end}{tail}")
print("README.md: serving table updated", file=sys.stderr)
PY
fi
