#!/usr/bin/env bash
# Every performance figure of ggchat in one run: against llama.cpp's own llama-bench on the same
# machine, model and thread count, multi-turn time to first token, and the full-screen UI's cost.
#
# llama-bench is built from the very llama.cpp tree that ggchat links (the one vendored in the
# llama-cpp-sys-2 crate) with the CPU flags that crate's build script gives ggchat, then both are
# run alternately (llama-bench, ggchat, llama-bench, ggchat, ...) so that load from other work on
# the machine falls on both alike. Prints pp/tg means ± sample standard deviation and the ratio
# to llama-bench of ggchat's real path (a reply with ggchat's default sampling: sampler chain,
# detokenizer, streamed events; the headline) and of its raw decode loop (llama-bench's terms),
# and of llama-server with the same sampling (a third contender in the same rounds, its own
# timings; scripts/llama-server-speed.py), with the real path / llama-server ratio per round,
# plus how time to first token grows over a 12-turn chat with and without
# KV-cache reuse, then the UI figures of `cargo bench --bench ui` (UI vs `ggchat ask` generation,
# frame time, key echo, first frame, memory), then ggchat's remote engine against a real
# llama-server (its generation speed over the server's own `timings.predicted_per_second`, and
# the time to first token it adds over a bare HTTP client, neither side using the server's prompt
# cache). Regenerates the tables between the bench markers in README.md and writes the raw output
# to target/bench-results.txt.
#
#   scripts/bench-vs-llama.sh [options]
#     -m, --model FILE        GGUF model (default: target/test-data/models/SmolLM2-135M-Instruct.Q4_1.gguf,
#                             fetched with scripts/fetch-model.sh when absent)
#     -t, --threads N         threads for both (default: physical cores, as ggchat's default)
#     -r, --rounds N          interleaved rounds (default: 5)
#     --turns N               turns of the multi-turn time-to-first-token test (default: 12)
#     --mt-runs N             runs of the multi-turn test (default: 3)
#     --flash-attention MODE  auto, on or off for both (default: ggchat's default, auto)
#     --no-ui                 skip the UI figures (cargo bench --bench ui)
#     --no-remote             skip everything that needs llama-server (the third contender and
#                             the remote-backend figures)
#     --llama-server FILE     llama-server binary (default: $GGCHAT_LLAMA_SERVER, else
#                             target/llama-server/bin/llama-server from scripts/build-llama-server.sh)
#     --build-type TYPE       CMake build type of llama-bench (default: Release); it must be the
#                             one llama-cpp-sys-2 built for ggchat, or the script stops
#     --llama-bench-src DIR   use llama-bench sources from DIR (a llama.cpp checkout or its
#                             tools/llama-bench folder) instead of fetching them
#     --no-readme             do not touch README.md
#
# The crates.io package of llama-cpp-sys-2 leaves tools/llama-bench out of its llama.cpp tree,
# so unless the tree has it (a git checkout) or --llama-bench-src is given, llama-bench's source
# is taken from the llama.cpp tree vendored in llama-cpp-python's source package on PyPI (pinned
# below, sha256-checked) and compiled against the crate's tree. Everything lands in
# target/llama-bench/ (never committed).
set -euo pipefail
cd "$(dirname "$0")/.."
root=$PWD
started=$(date +%s)

model=""
threads=""
rounds=5
turns=12
mt_runs=3
build_type=Release
bench_src=""
update_readme=1
flash_attention=auto
ui=1
remote=1
llama_server=${GGCHAT_LLAMA_SERVER:-$PWD/target/llama-server/bin/llama-server}
pp=512
tg=128
while (($#)); do
  case "$1" in
    -m | --model) model=$2; shift 2 ;;
    -t | --threads) threads=$2; shift 2 ;;
    -r | --rounds) rounds=$2; shift 2 ;;
    --turns) turns=$2; shift 2 ;;
    --mt-runs) mt_runs=$2; shift 2 ;;
    --build-type) build_type=$2; shift 2 ;;
    --llama-bench-src) bench_src=$2; shift 2 ;;
    --no-readme) update_readme=0; shift ;;
    --flash-attention) flash_attention=$2; shift 2 ;;
    --no-ui) ui=0; shift ;;
    --no-remote) remote=0; shift ;;
    --llama-server) llama_server=$2; shift 2 ;;
    -h | --help) sed -n '2,/^set -euo/p' "$0" | sed '$d; s/^# \{0,1\}//'; exit 0 ;;
    *) echo "bench-vs-llama: unknown argument '$1' (see --help)" >&2; exit 2 ;;
  esac
done

die() { echo "bench-vs-llama: $*" >&2; exit 1; }
step() { printf '\n== %s\n' "$*" >&2; }

# llama-cpp-python source package that carries llama-bench's source (see the header).
lcp_version=0.3.36
lcp_sha256=832db0699007f1be95a7e41ef12e88926b02ba836461e36a36372db2760c1a2e

# --- prerequisites --------------------------------------------------------------------------
missing=()
command -v cmake >/dev/null 2>&1 || missing+=("cmake (builds llama.cpp)")
command -v clang >/dev/null 2>&1 || missing+=("clang (llama-cpp-sys-2 needs clang/libclang)")
command -v "${CC:-cc}" >/dev/null 2>&1 || missing+=("a C compiler (${CC:-cc})")
command -v "${CXX:-c++}" >/dev/null 2>&1 || missing+=("a C++ compiler (${CXX:-c++})")
command -v cargo >/dev/null 2>&1 || missing+=("cargo")
command -v python3 >/dev/null 2>&1 || missing+=("python3 (parses the JSON)")
if ((${#missing[@]})); then
  printf 'bench-vs-llama: missing prerequisites:\n' >&2
  printf '  - %s\n' "${missing[@]}" >&2
  die "install them (scripts/install-prereqs.sh does it on Debian/Ubuntu) and run again"
fi
python3 -c 'import tomllib' 2>/dev/null || die "python3 >= 3.11 is needed (tomllib)"

out=$root/target/llama-bench
mkdir -p "$out"
runs=$out/runs
rm -rf "$runs"
mkdir -p "$runs"

if [[ -z "$threads" ]]; then
  if command -v lscpu >/dev/null 2>&1; then
    threads=$(lscpu -p=Core,Socket | grep -v '^#' | sort -u | wc -l)
  elif [[ "$(uname -s)" == Darwin ]]; then
    threads=$(sysctl -n hw.physicalcpu)
  else
    threads=$(nproc)
  fi
fi

if [[ -z "$model" ]]; then
  model=$root/target/test-data/models/SmolLM2-135M-Instruct.Q4_1.gguf
  if [[ ! -f "$model" ]]; then
    step "fetching the default model"
    GGCHAT_DATA_DIR="$root/target/test-data" scripts/fetch-model.sh smollm2 >&2
  fi
fi
[[ -f "$model" ]] || die "model not found: $model"
model=$(cd "$(dirname "$model")" && pwd)/$(basename "$model")

# --- the llama.cpp tree ggchat links --------------------------------------------------------
sys_version=$(python3 - <<'PY'
import tomllib
lock = tomllib.load(open("Cargo.lock", "rb"))
print(next(p["version"] for p in lock["package"] if p["name"] == "llama-cpp-sys-2"))
PY
)
shopt -s nullglob
trees=("${CARGO_HOME:-$HOME/.cargo}"/registry/src/*/llama-cpp-sys-2-"$sys_version"/llama.cpp)
shopt -u nullglob
if ((${#trees[@]} == 0)); then
  step "fetching crates (cargo fetch)"
  cargo fetch --locked >&2
  shopt -s nullglob
  trees=("${CARGO_HOME:-$HOME/.cargo}"/registry/src/*/llama-cpp-sys-2-"$sys_version"/llama.cpp)
  shopt -u nullglob
fi
((${#trees[@]})) || die "llama-cpp-sys-2 $sys_version's llama.cpp tree not found under ${CARGO_HOME:-$HOME/.cargo}/registry/src"
tree=${trees[0]}
sys_dir=$(dirname "$tree")

# Version: the crate tree has no git metadata (cmake/build-info.cmake falls back to build 0,
# commit "unknown"), so report what the tree and crate record.
version_info=$(python3 - "$tree" "$sys_dir" <<'PY'
import json, re, sys, pathlib
tree, sys_dir = map(pathlib.Path, sys.argv[1:])
def cmake_version(path, prefix):
    text = path.read_text()
    parts = [re.search(rf"set\({prefix}_VERSION_{p}\s+(\d+)\)", text).group(1) for p in ("MAJOR", "MINOR", "PATCH")]
    return ".".join(parts)
top = (tree / "CMakeLists.txt").read_text()
llama = cmake_version(tree / "CMakeLists.txt", "LLAMA")
if re.search(r'option\(LLAMA_BUILD_IS_DEV\s+"[^"]*"\s+ON\)', top):
    llama += "-dev"
ggml = cmake_version(tree / "ggml" / "CMakeLists.txt", "GGML")
info = (tree / "cmake" / "build-info.cmake").read_text()
number = re.search(r"set\(BUILD_NUMBER (\S+)\)", info).group(1)
commit = re.search(r'set\(BUILD_COMMIT "?([^")]+)"?\)', info).group(1)
try:
    rs_commit = json.load(open(sys_dir / ".cargo_vcs_info.json"))["git"]["sha1"][:10]
except Exception:
    rs_commit = "?"
print(f"llama.cpp {llama}, ggml {ggml} (build {number}, commit {commit}; "
      f"vendored by llama-cpp-sys-2 {sys_dir.name.rsplit('-', 1)[1]}, llama-cpp-rs {rs_commit})")
PY
)
echo "llama.cpp tree: $tree" >&2
echo "version: $version_info" >&2

# --- CPU flags: what llama-cpp-sys-2's build.rs does for ggchat -----------------------------
# build.rs: RUSTFLAGS with target-cpu=native -> GGML_NATIVE=ON; otherwise GGML_NATIVE=OFF and,
# for another target-cpu, -march=CPU plus GGML_<feature>=ON for rustc's target features. With
# GGML_NATIVE=OFF ggml's own defaults apply: ggml/CMakeLists.txt sets INS_ENB (SSE4.2, AVX,
# AVX2, BMI2, FMA, F16C on; AVX-512 off) unless cross-compiling or SOURCE_DATE_EPOCH is set.
# build.rs also forwards GGML_* and CMAKE_* environment variables to CMake; so does this.
host=$(rustc -vV | sed -n 's/^host: //p')
flags_info=$(python3 - "$root" "$host" <<'PY'
import os, pathlib, subprocess, sys, tomllib
root, host = pathlib.Path(sys.argv[1]), sys.argv[2]

def config_rustflags():
    # cargo's config files, nearest first, then $CARGO_HOME; target.<host>.rustflags wins over
    # build.rustflags (cargo does not merge the two).
    files, d = [], root
    while True:
        for name in ("config.toml", "config"):
            p = d / ".cargo" / name
            if p.is_file():
                files.append(p)
        if d.parent == d:
            break
        d = d.parent
    home = pathlib.Path(os.environ.get("CARGO_HOME", pathlib.Path.home() / ".cargo"))
    for name in ("config.toml", "config"):
        p = home / name
        if p.is_file() and p not in files:
            files.append(p)
    target_flags, build_flags = None, None
    for p in files:
        try:
            cfg = tomllib.load(open(p, "rb"))
        except Exception:
            continue
        t = cfg.get("target", {}).get(host, {}).get("rustflags")
        b = cfg.get("build", {}).get("rustflags")
        if t is not None and target_flags is None:
            target_flags = (t.split() if isinstance(t, str) else t, f"{p} [target.{host}]")
        if b is not None and build_flags is None:
            build_flags = (b.split() if isinstance(b, str) else b, f"{p} [build]")
    return target_flags or build_flags or ([], "none")

if "CARGO_ENCODED_RUSTFLAGS" in os.environ:
    flags, source = [f for f in os.environ["CARGO_ENCODED_RUSTFLAGS"].split("\x1f") if f], "CARGO_ENCODED_RUSTFLAGS"
elif "RUSTFLAGS" in os.environ:
    flags, source = os.environ["RUSTFLAGS"].split(), "RUSTFLAGS"
else:
    flags, source = config_rustflags()

cpu = None
for f in flags:
    if "target-cpu=" in f:
        cpu = f.split("target-cpu=", 1)[1]
        break

defines, cflags = [], ""
if cpu == "native":
    defines.append("GGML_NATIVE=ON")
    what = "target-cpu=native -> GGML_NATIVE=ON (-march=native)"
else:
    defines.append("GGML_NATIVE=OFF")
    if cpu:
        cflags = f"-march={cpu}"
        cfg = subprocess.run(["rustc", "--print", "cfg", "-C", f"target-cpu={cpu}"],
                             capture_output=True, text=True, check=True).stdout
        feats = [l.split('"')[1] for l in cfg.splitlines() if l.startswith("target_feature=")]
    else:
        feats = [l.split('"')[1] for l in subprocess.run(["rustc", "--print", "cfg"],
                 capture_output=True, text=True, check=True).stdout.splitlines()
                 if l.startswith("target_feature=")]
    table = {"avx": "GGML_AVX", "avx2": "GGML_AVX2", "avx512bf16": "GGML_AVX512_BF16",
             "avx512vbmi": "GGML_AVX512_VBMI", "avx512vnni": "GGML_AVX512_VNNI",
             "avxvnni": "GGML_AVX_VNNI", "bmi2": "GGML_BMI2", "f16c": "GGML_F16C",
             "fma": "GGML_FMA", "sse4.2": "GGML_SSE42"}
    defines += [f"{table[f]}=ON" for f in feats if f in table]
    ins_enb = "SOURCE_DATE_EPOCH" not in os.environ
    default = ("ggml defaults: INS_ENB=ON -> SSE4.2 AVX AVX2 BMI2 FMA F16C, no AVX-512" if ins_enb
               else "ggml defaults: SOURCE_DATE_EPOCH is set -> INS_ENB=OFF -> baseline x86-64 only")
    what = (f"target-cpu={cpu} -> GGML_NATIVE=OFF, {cflags}, " if cpu else "no target-cpu -> GGML_NATIVE=OFF, ") + default
print(f"RUSTFLAGS source: {source} {' '.join(flags)}".rstrip())
print(what)
print(" ".join(defines))
print(cflags)
PY
)
{ read -r rustflags_line; read -r flags_what; read -r flag_defines; read -r extra_cflags || true; } <<<"$flags_info"
echo "$rustflags_line" >&2
echo "CPU flags: $flags_what" >&2

# --- llama-bench's source ---------------------------------------------------------------------
bench_files=$out/llama-bench-src
bench_origin=""
if [[ -n "$bench_src" ]]; then
  [[ -f "$bench_src/llama-bench.cpp" ]] || bench_src=$bench_src/tools/llama-bench
  [[ -f "$bench_src/llama-bench.cpp" ]] || die "no llama-bench.cpp in $bench_src"
  rm -rf "$bench_files" && mkdir -p "$bench_files"
  cp "$bench_src"/*.cpp "$bench_files"/
  [[ -f "$bench_src/CMakeLists.txt" ]] && cp "$bench_src/CMakeLists.txt" "$bench_files"/
  bench_origin="$bench_src (--llama-bench-src)"
elif [[ -f "$tree/tools/llama-bench/llama-bench.cpp" ]]; then
  rm -rf "$bench_files" && mkdir -p "$bench_files"
  cp "$tree"/tools/llama-bench/*.cpp "$tree"/tools/llama-bench/CMakeLists.txt "$bench_files"/
  bench_origin="the crate's own tree"
else
  sdist=$out/pip/llama_cpp_python-$lcp_version.tar.gz
  if [[ ! -f "$sdist" ]]; then
    step "fetching llama-bench's source: llama-cpp-python $lcp_version source package (pip)"
    command -v pip >/dev/null 2>&1 || python3 -m pip --version >/dev/null 2>&1 \
      || die "pip is needed to fetch llama-bench's source (or pass --llama-bench-src)"
    mkdir -p "$out/pip"
    python3 -m pip download --quiet --no-deps --no-binary :all: -d "$out/pip" \
      "llama-cpp-python==$lcp_version" >&2 \
      || die "could not fetch llama-cpp-python $lcp_version; pass --llama-bench-src DIR (a llama.cpp checkout)"
  fi
  echo "$lcp_sha256  $sdist" | sha256sum -c --quiet - >&2 \
    || die "sha256 mismatch for $sdist (delete it to fetch again)"
  bench_origin=$(python3 - "$sdist" "$bench_files" <<'PY'
import pathlib, re, shutil, sys, tarfile
sdist, dest = sys.argv[1], pathlib.Path(sys.argv[2])
shutil.rmtree(dest, ignore_errors=True)
dest.mkdir(parents=True)
version = "?"
with tarfile.open(sdist) as tar:
    for m in tar.getmembers():
        parts = m.name.split("/")
        if parts[1:5] == ["vendor", "llama.cpp", "tools", "llama-bench"] and len(parts) == 6 and m.isfile() \
                and (parts[5].endswith(".cpp") or parts[5] == "CMakeLists.txt"):
            (dest / parts[5]).write_bytes(tar.extractfile(m).read())
        if parts[1:] == ["vendor", "llama.cpp", "CMakeLists.txt"]:
            text = tar.extractfile(m).read().decode()
            version = ".".join(re.search(rf"set\(LLAMA_VERSION_{p}\s+(\d+)\)", text).group(1)
                               for p in ("MAJOR", "MINOR", "PATCH"))
if not (dest / "llama-bench.cpp").exists():
    sys.exit("llama-bench.cpp not in " + sdist)
print(f"llama-cpp-python {pathlib.Path(sdist).name.split('-')[1].removesuffix('.tar.gz')} "
      f"source package (its llama.cpp {version})")
PY
)
fi
echo "llama-bench source: $bench_origin" >&2

# --- build llama-bench ------------------------------------------------------------------------
# A copy of the crate's tree (top-level llama.cpp project, as the crate builds it) whose tools/
# holds only llama-bench.
src=$out/src
if [[ ! -f "$src/.from" || "$(cat "$src/.from")" != "$tree" ]]; then
  step "copying the crate's llama.cpp tree to $src"
  rm -rf "$src"
  cp -a "$tree" "$src"
  echo "$tree" >"$src/.from"
fi
mkdir -p "$src/tools/llama-bench"
cat >"$src/tools/CMakeLists.txt.new" <<'CMAKE'
# Written by scripts/bench-vs-llama.sh: only llama-bench.
find_package(Threads REQUIRED)
llama_add_compile_flags()
add_subdirectory(llama-bench)
CMAKE
cmp -s "$src/tools/CMakeLists.txt.new" "$src/tools/CMakeLists.txt" \
  && rm "$src/tools/CMakeLists.txt.new" || mv "$src/tools/CMakeLists.txt.new" "$src/tools/CMakeLists.txt"
for f in "$bench_files"/*; do
  cmp -s "$f" "$src/tools/llama-bench/$(basename "$f")" || cp "$f" "$src/tools/llama-bench/"
done
if [[ ! -f "$bench_files/CMakeLists.txt" ]]; then
  cat >"$src/tools/llama-bench/CMakeLists.txt" <<'CMAKE'
add_executable(llama-bench llama-bench.cpp)
target_link_libraries(llama-bench PRIVATE llama-common llama ${CMAKE_THREAD_LIBS_INIT})
target_compile_features(llama-bench PRIVATE cxx_std_17)
CMAKE
fi

case "$flag_defines $extra_cflags" in
  *GGML_NATIVE=ON*) flavour=native ;;
  *-march=*) flavour=${extra_cflags#-march=} ;;
  *) flavour=default ;;
esac
build=$out/build-$(tr '[:upper:]' '[:lower:]' <<<"$build_type")-$flavour
# The flags cmake-rs passes for the crate (cc-rs defaults); -march=x86-64 only when
# target-cpu is not native, as there.
base_cflags="-ffunction-sections -fdata-sections -fPIC"
case "$host" in
  x86_64-*) base_cflags+=" -m64"; [[ "$flag_defines" == *GGML_NATIVE=ON* || -n "$extra_cflags" ]] || base_cflags+=" -march=x86-64" ;;
esac
base_cflags+=" ${extra_cflags} -w"
cmake_args=(-S "$src" -B "$build"
  -DCMAKE_BUILD_TYPE="$build_type"
  -DCMAKE_C_COMPILER="$(command -v "${CC:-cc}")"
  -DCMAKE_CXX_COMPILER="$(command -v "${CXX:-c++}")"
  -DCMAKE_C_FLAGS="$base_cflags" -DCMAKE_CXX_FLAGS="$base_cflags"
  -DBUILD_SHARED_LIBS=OFF
  -DLLAMA_CURL=OFF -DLLAMA_BUILD_TESTS=OFF -DLLAMA_BUILD_EXAMPLES=OFF -DLLAMA_BUILD_SERVER=OFF
  -DLLAMA_BUILD_APP=OFF -DLLAMA_BUILD_TOOLS=ON -DLLAMA_BUILD_COMMON=ON
  -DLLAMA_BUILD_NUMBER=0 -DLLAMA_BUILD_COMMIT="sys2-$sys_version")
while IFS='=' read -r key value; do
  [[ "$key" == CMAKE_* || "$key" == GGML_* ]] && cmake_args+=("-D$key=$value")
done < <(env)
for d in $flag_defines; do cmake_args+=("-D$d"); done
cmake_args+=(-DGGML_OPENMP=ON)

step "building llama-bench ($build_type, $flag_defines) in $build"
t0=$(date +%s)
# GIT_CEILING_DIRECTORIES: the copy sits inside ggchat's repository; keep llama.cpp's build-info
# from picking up ggchat's commit.
GIT_CEILING_DIRECTORIES=$out cmake "${cmake_args[@]}" >"$out/cmake-configure.log" 2>&1 \
  || { tail -30 "$out/cmake-configure.log" >&2; die "cmake configure failed (log: $out/cmake-configure.log)"; }
cmake --build "$build" --target llama-bench -j2 >"$out/cmake-build.log" 2>&1 \
  || { grep -m20 -B2 -A5 'error' "$out/cmake-build.log" >&2; die "llama-bench build failed (log: $out/cmake-build.log)"; }
llama_bench=$build/bin/llama-bench
[[ -x "$llama_bench" ]] || die "no $llama_bench after the build"
build_llama_s=$(($(date +%s) - t0))

# --- build ggchat -----------------------------------------------------------------------------
step "building ggchat (cargo build --release)"
t0=$(date +%s)
cargo build --release --locked --message-format=json-render-diagnostics >"$out/cargo-build.json" \
  || die "cargo build --release failed"
build_ggchat_s=$(($(date +%s) - t0))
read -r ggchat ggchat_cmake < <(python3 - "$out/cargo-build.json" <<'PY'
import json, sys
exe, out_dir = None, None
for line in open(sys.argv[1]):
    try:
        m = json.loads(line)
    except ValueError:
        continue
    if m.get("reason") == "compiler-artifact" and m.get("target", {}).get("name") == "ggchat" \
            and m.get("executable"):
        exe = m["executable"]
    if m.get("reason") == "build-script-executed" and "llama-cpp-sys-2" in m.get("package_id", ""):
        out_dir = m["out_dir"]
print(exe or "-", (out_dir + "/build/CMakeCache.txt") if out_dir else "-")
PY
)
[[ -x "$ggchat" ]] || die "could not find the ggchat binary in cargo's output"

# Same CPU flags? Compare the ggml CPU options and the instruction-set flags ggml-cpu compiled with.
cat >"$out/flag-check.py" <<'PY'
import pathlib, re, sys
keys = ["GGML_NATIVE", "GGML_SSE42", "GGML_AVX", "GGML_AVX2", "GGML_AVX_VNNI", "GGML_BMI2", "GGML_FMA",
        "GGML_F16C", "GGML_AVX512", "GGML_AVX512_VBMI", "GGML_AVX512_VNNI", "GGML_AVX512_BF16",
        "GGML_OPENMP", "GGML_LLAMAFILE", "GGML_CPU_REPACK", "CMAKE_BUILD_TYPE"]
def read(cache):
    p = pathlib.Path(cache)
    if not p.is_file():
        return None, None, None
    vals = {}
    for line in p.read_text().splitlines():
        m = re.match(r"([A-Z0-9_]+):[A-Z]+=(.*)", line)
        if m and m.group(1) in keys:
            vals[m.group(1)] = m.group(2)
    flags = p.parent / "ggml" / "src" / "CMakeFiles" / "ggml-cpu.dir" / "flags.make"
    isa, opt = [], []
    if flags.is_file():
        for line in flags.read_text().splitlines():
            if line.startswith("C_FLAGS"):
                isa = sorted({t for t in line.split() if re.match(r"-m(arch=|[a-z])", t) and t not in ("-m64", "-march=x86-64")})
                opt = [t for t in line.split() if re.match(r"-O\d|-g$", t)]
    return vals, isa, opt
name = sys.argv[3]
g_vals, g_isa, g_opt = read(sys.argv[1])
b_vals, b_isa, b_opt = read(sys.argv[2])
if g_vals is None:
    print(f"MISMATCH cannot read ggchat's llama.cpp CMakeCache ({sys.argv[1]}): CPU flags and "
          "build type cannot be compared")
    sys.exit()
if b_vals is None:
    print(f"MISMATCH cannot read {name}'s CMakeCache ({sys.argv[2]}): CPU flags and build type "
          "cannot be compared")
    sys.exit()
# The build type decides the optimisation level (-O3 Release, -O2 RelWithDebInfo): a contender
# built differently measures the compiler, not the program.
diff = [k for k in keys if g_vals.get(k) != b_vals.get(k)]
if diff or g_isa != b_isa:
    print("MISMATCH " + ", ".join(f"{k}: ggchat {g_vals.get(k)} vs {name} {b_vals.get(k)}" for k in diff)
          + f"; ggml-cpu ISA flags: ggchat {' '.join(g_isa)} vs {name} {' '.join(b_isa)}")
else:
    print(f"OK ggml-cpu compiled with {' '.join(g_isa)} in both; "
          f"build type: ggchat's llama.cpp {g_vals.get('CMAKE_BUILD_TYPE')} ({' '.join(g_opt)}), "
          f"{name} {b_vals.get('CMAKE_BUILD_TYPE')} ({' '.join(b_opt)})")
PY
flag_check=$(python3 "$out/flag-check.py" "$ggchat_cmake" "$build/CMakeCache.txt" llama-bench)
echo "CPU flag check: $flag_check" >&2
[[ "$flag_check" != MISMATCH* ]] \
  || die "ggchat and llama-bench were not built alike (CPU flags or CMake build type; --build-type must match ggchat's llama.cpp)"

# --- llama-server: the third contender ---------------------------------------------------------
# llama-server (scripts/build-llama-server.sh) generates with ggchat's default sampling settings,
# read from `ggchat bench --json`'s "sampling", in ggchat's chain order; its own
# `timings.prompt_per_second` / `predicted_per_second` are the figures. It comes from the llama.cpp
# tree of llama-cpp-python's source package (the one llama-bench's driver comes from), so its
# CMake cache must show the same CPU flags and build type as ggchat's, or the script stops.
server_contender=0
server_origin=""
if ((remote)); then
  [[ -x "$llama_server" ]] || die "llama-server not found at $llama_server: build it with scripts/build-llama-server.sh, pass --llama-server FILE, or skip the llama-server figures with --no-remote"
  server_dir=$(dirname "$(dirname "$(readlink -f "$llama_server")")")
  server_cache=""
  for c in "$server_dir/CMakeCache.txt" "$server_dir/build/CMakeCache.txt"; do
    [[ -f "$c" ]] && { server_cache=$c; break; }
  done
  [[ -n "$server_cache" ]] || die "no CMakeCache.txt beside $llama_server (looked in $server_dir and $server_dir/build): its build type and CPU flags cannot be checked"
  server_check=$(python3 "$out/flag-check.py" "$ggchat_cmake" "$server_cache" llama-server)
  echo "CPU flag check (llama-server): $server_check" >&2
  [[ "$server_check" != MISMATCH* ]] \
    || die "ggchat and llama-server were not built alike (CPU flags or CMake build type): rebuild it with scripts/build-llama-server.sh"
  server_contender=1
  server_origin=$( (head -c 200 "$server_dir/stamp" 2>/dev/null | cut -d' ' -f1,2) || true)
  [[ -n "$server_origin" ]] || server_origin="$llama_server"
fi

# --- benchmark ---------------------------------------------------------------------------------
home=$(mktemp -d "${TMPDIR:-/tmp}/ggchat-bench.XXXXXX")
trap 'rm -rf "$home"' EXIT
gg() {
  GGCHAT_DATA_DIR=$home GGCHAT_CONFIG_DIR=$home "$ggchat" bench --json --model "$model" -t "$threads" \
    --flash-attention "$flash_attention" "$@"
}

# What ggchat's flash-attention setting becomes for this model (its `auto` is its own rule), so
# that llama-bench runs the same attention path.
gg --turns 1 --pp 16 --tg 4 --reps 1 >"$runs/probe.json" 2>"$runs/probe.log" \
  || { tail -20 "$runs/probe.log" >&2; die "ggchat bench failed"; }
fa=$(python3 -c 'import json, sys; print(json.load(open(sys.argv[1]))["model"]["flash_attention"])' "$runs/probe.json")
echo "flash attention: ggchat --flash-attention $flash_attention -> $fa; llama-bench -fa $fa" >&2

server_pid=""
if ((server_contender)); then
  sport=$(python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')
  ctx=$(python3 -c 'import json, sys; print(json.load(open(sys.argv[1]))["model"]["ctx_size"])' "$runs/probe.json")
  "$llama_server" -m "$model" --host 127.0.0.1 --port "$sport" -c "$ctx" -t "$threads" -tb "$threads" \
    -b 512 -ub 512 -fa "$fa" -np 1 >"$runs/llama-server-contender.log" 2>&1 &
  server_pid=$!
  trap 'kill "$server_pid" 2>/dev/null || true; rm -rf "$home"' EXIT
  python3 "$root/scripts/llama-server-speed.py" wait "$sport" "$server_pid" \
    || { tail -20 "$runs/llama-server-contender.log" >&2; die "llama-server did not become healthy"; }
  # One unmeasured request first, as llama-bench and ggchat bench warm up.
  python3 "$root/scripts/llama-server-speed.py" run "$sport" "$runs/probe.json" 16 4 >/dev/null \
    || { tail -20 "$runs/llama-server-contender.log" >&2; die "the llama-server warm-up request failed"; }
fi

# Threads that wait at a barrier for a thread the OS has descheduled make figures swing tenfold
# when other work holds a core: say so.
busy=$(python3 -c 'import os; print(f"{os.getloadavg()[0]:.1f}")')
if python3 -c "import sys; sys.exit(0 if float('$busy') + $threads > $(nproc) + 0.5 else 1)"; then
  echo "bench-vs-llama: warning: load average $busy before starting, $threads thread(s) on $(nproc) CPUs:" \
    "other work competes for the cores and widens the spread (a thread waiting at a barrier for" \
    "a descheduled one stalls all; -t 1 suffers least)" >&2
fi

batch=512 # ggchat's n_batch = n_ubatch (ModelParams::default, engine/load.rs context_params)
step "pp$pp / tg$tg: $rounds interleaved rounds, $threads thread(s), $(basename "$model")"
t0=$(date +%s)
for ((i = 1; i <= rounds; i++)); do
  "$llama_bench" -m "$model" -p "$pp" -n "$tg" -r 1 -t "$threads" -b "$batch" -ub "$batch" -fa "$fa" -o json \
    >"$runs/llama-bench-$i.json" 2>"$runs/llama-bench-$i.log" \
    || { tail -20 "$runs/llama-bench-$i.log" >&2; die "llama-bench failed"; }
  gg --turns 1 --pp "$pp" --tg "$tg" --reps 1 >"$runs/ggchat-$i.json" 2>"$runs/ggchat-$i.log" \
    || { tail -20 "$runs/ggchat-$i.log" >&2; die "ggchat bench failed"; }
  if ((server_contender)); then
    python3 "$root/scripts/llama-server-speed.py" run "$sport" "$runs/probe.json" "$pp" "$tg" \
      >"$runs/llama-server-$i.json" \
      || { tail -20 "$runs/llama-server-contender.log" >&2; die "llama-server failed in round $i"; }
  fi
  python3 - "$runs" "$i" <<'PY' >&2
import json, sys
d, i = sys.argv[1], sys.argv[2]
lb = json.load(open(f"{d}/llama-bench-{i}.json"))
gg = json.load(open(f"{d}/ggchat-{i}.json"))
pp = next(t["avg_ts"] for t in lb if t["n_prompt"] > 0 and t["n_gen"] == 0)
tg = next(t["avg_ts"] for t in lb if t["n_gen"] > 0 and t["n_prompt"] == 0)
import pathlib
server = pathlib.Path(f"{d}/llama-server-{i}.json")
ls = f" | llama-server pp {json.load(open(server))['pp']:8.1f} tg {json.load(open(server))['tg']:6.1f}" if server.is_file() else ""
print(f"  round {i}: llama-bench pp {pp:8.1f} tg {tg:6.1f} | ggchat real path pp {gg['pp']['mean']:8.1f} "
      f"tg {gg['tg']['mean']:6.1f} | raw loop pp {gg['raw_pp']['mean']:8.1f} tg {gg['raw_tg']['mean']:6.1f}{ls} tok/s")
PY
done
if [[ -n "$server_pid" ]]; then
  kill "$server_pid" 2>/dev/null || true
  wait "$server_pid" 2>/dev/null || true
  trap 'rm -rf "$home"' EXIT
fi
bench_s=$(($(date +%s) - t0))

step "time to first token over a $turns-turn chat, with and without KV-cache reuse ($mt_runs runs)"
t0=$(date +%s)
for ((i = 1; i <= mt_runs; i++)); do
  gg --turns "$turns" --compare-no-reuse --reps 1 --pp 64 --tg 16 >"$runs/multiturn-$i.json" 2>"$runs/multiturn-$i.log" \
    || { tail -20 "$runs/multiturn-$i.log" >&2; die "ggchat bench --compare-no-reuse failed"; }
done
mt_s=$(($(date +%s) - t0))

ui_s=0
if ((ui)); then
  step "the full-screen UI's cost (cargo bench --bench ui)"
  t0=$(date +%s)
  GGCHAT_BENCH_MODEL=$model cargo bench --locked --bench ui -- --json "$runs/ui.json" >"$runs/ui.log" 2>&1 \
    || { tail -30 "$runs/ui.log" >&2; die "cargo bench --bench ui failed (log: $runs/ui.log)"; }
  grep -v '^ *\(Compiling\|Finished\|Running\)' "$runs/ui.log" | sed 's/^/  /' >&2 || true
  ui_s=$(($(date +%s) - t0))
fi

remote_s=0
if ((remote)); then
  step "a remote backend: ggchat bench --backend against llama-server ($turns turns, $rounds first-token pairs)"
  t0=$(date +%s)
  [[ -x "$llama_server" ]] || die "llama-server not found at $llama_server: build it with scripts/build-llama-server.sh, pass --llama-server FILE, or skip this part with --no-remote"
  port=$(python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')
  "$llama_server" -m "$model" --host 127.0.0.1 --port "$port" -c 4096 -t "$threads" -np 1 \
    >"$runs/llama-server.log" 2>&1 &
  server_pid=$!
  trap 'kill "$server_pid" 2>/dev/null || true; rm -rf "$home"' EXIT
  python3 - "$port" "$server_pid" <<'PY' || { tail -20 "$runs/llama-server.log" >&2; die "llama-server did not become healthy"; }
import os, sys, time, urllib.request
port, pid = sys.argv[1], int(sys.argv[2])
deadline = time.time() + 120
while time.time() < deadline:
    try:
        os.kill(pid, 0)
    except OSError:
        sys.exit("llama-server exited")
    try:
        if urllib.request.urlopen(f"http://127.0.0.1:{port}/health", timeout=2).status == 200:
            sys.exit(0)
    except Exception:
        pass
    time.sleep(0.25)
sys.exit("llama-server not healthy within 120 s")
PY
  GGCHAT_DATA_DIR=$home GGCHAT_CONFIG_DIR=$home "$ggchat" bench --json --backend "http://127.0.0.1:$port/v1" \
    --turns "$turns" --reps "$rounds" >"$runs/remote.json" 2>"$runs/remote.log" \
    || { tail -20 "$runs/remote.log" >&2; die "ggchat bench --backend failed"; }
  kill "$server_pid" 2>/dev/null || true
  wait "$server_pid" 2>/dev/null || true
  trap 'rm -rf "$home"' EXIT
  remote_s=$(($(date +%s) - t0))
fi

# --- report -----------------------------------------------------------------------------------
cpu_model=$( (lscpu 2>/dev/null | sed -n 's/^Model name: *//p' | head -1) || true)
[[ -n "$cpu_model" ]] || cpu_model=$(sysctl -n machdep.cpu.brand_string 2>/dev/null || uname -m)
cores=$( (lscpu -p=Core,Socket 2>/dev/null | grep -v '^#' | sort -u | wc -l) || nproc)
total_s=$(($(date +%s) - started))
REPORT_CPU="$cpu_model" REPORT_CORES="$cores" REPORT_DATE="$(date -u +%Y-%m-%d)" \
REPORT_MODEL="$(basename "$model")" REPORT_PP="$pp" REPORT_TG="$tg" REPORT_FA="$fa" \
REPORT_VERSION="$version_info" REPORT_ORIGIN="$bench_origin" REPORT_BUILD="$build_type" \
REPORT_FLAGS="$flags_what" REPORT_SERVER="$server_contender" REPORT_SERVER_ORIGIN="$server_origin" \
REPORT_FLAGS="$flags_what" python3 - "$runs" "$rounds" "$mt_runs" <<'PY' >"$out/report.md"
import json, os, pathlib, statistics, sys
d, rounds, mt_runs = sys.argv[1], int(sys.argv[2]), int(sys.argv[3])
env = os.environ.get
def sd(xs):
    return statistics.stdev(xs) if len(xs) > 1 else 0.0
def cell(xs, digits=1):
    return f"{statistics.mean(xs):.{digits}f} ± {sd(xs):.{digits}f}"
def median(xs):
    if not xs:
        sys.exit("bench-vs-llama: a figure has no samples (see the runs in target/llama-bench/runs)")
    return statistics.median(xs)

lb_pp, lb_tg, gg_pp, gg_tg, raw_pp, raw_tg, ls_pp, ls_tg = [], [], [], [], [], [], [], []
meta = {}
for i in range(1, rounds + 1):
    lb = json.load(open(f"{d}/llama-bench-{i}.json"))
    gg = json.load(open(f"{d}/ggchat-{i}.json"))
    for t in lb:
        (lb_pp if t["n_gen"] == 0 else lb_tg).append(statistics.mean(t["samples_ts"]))
        meta = t
    gg_pp.append(gg["pp"]["mean"])
    gg_tg.append(gg["tg"]["mean"])
    raw_pp.append(gg["raw_pp"]["mean"])
    raw_tg.append(gg["raw_tg"]["mean"])
    server = pathlib.Path(f"{d}/llama-server-{i}.json")
    if server.is_file():
        ls = json.load(open(server))
        ls_pp.append(ls["pp"])
        ls_tg.append(ls["tg"])
    gm = gg["model"]
    sampling = gg["sampling"]
for name, xs in (("llama-bench pp", lb_pp), ("llama-bench tg", lb_tg), ("ggchat pp", gg_pp),
                 ("ggchat tg", gg_tg), ("raw pp", raw_pp), ("raw tg", raw_tg)):
    if len(xs) != rounds or not all(x > 0 for x in xs):
        sys.exit(f"bench-vs-llama: {name}: a round measured nothing ({xs}); see target/llama-bench/runs")
runs = [json.load(open(f"{d}/multiturn-{i}.json")) for i in range(1, mt_runs + 1)]
ttft = lambda turn: turn["stats"]["time_to_first_token_ms"]

print(f"Machine: {env('REPORT_CPU')}, {env('REPORT_CORES')} cores; {env('REPORT_DATE')}. "
      f"Model: {env('REPORT_MODEL')} ({gm['architecture']}, {gm['quantization']}), "
      f"{meta['n_threads']} thread(s), batch/ubatch {meta['n_batch']}/{meta['n_ubatch']}, "
      f"flash attention {env('REPORT_FA')} in both. {rounds} interleaved rounds, mean ± sample sd; "
      f"the last column is the mean of each round's own ratio, which cancels load that drifts "
      f"between rounds.")
print()
pp_name, tg_name = f"pp{env('REPORT_PP')}", f"tg{env('REPORT_TG')}"
print(f"| contender | {pp_name} (tok/s) | {tg_name} (tok/s) | {pp_name} / llama-bench, per round "
      f"| {tg_name} / llama-bench, per round |")
print("| --- | ---: | ---: | ---: | ---: |")
def ratio(a, b):
    paired = [y / x for x, y in zip(a, b)]
    return f"{statistics.mean(paired):.2f} ± {sd(paired):.2f}"
contenders = [("llama-bench (decodes only, samples nothing)", lb_pp, lb_tg),
              ("**ggchat, real path** (default sampling, text, streamed events)", gg_pp, gg_tg),
              ("ggchat, raw decode loop (llama-bench's terms)", raw_pp, raw_tg)]
server = env("REPORT_SERVER") == "1"
if server:
    if len(ls_pp) != rounds or not all(x > 0 for x in ls_pp + ls_tg):
        sys.exit(f"bench-vs-llama: llama-server: a round measured nothing (pp {ls_pp}, tg {ls_tg})")
    contenders.append(("llama-server (same sampling, its own timings)", ls_pp, ls_tg))
for name, pp_xs, tg_xs in contenders:
    print(f"| {name} | {cell(pp_xs)} | {cell(tg_xs)} | {ratio(lb_pp, pp_xs)} | {ratio(lb_tg, tg_xs)} |")
print()
print(f"The real path is a `Generate` request as a chat reply makes it, with ggchat's default sampling "
      f"(temperature {sampling['temperature']:g}, top_k {sampling['top_k']}, top_p {sampling['top_p']:g}, "
      f"min_p {sampling['min_p']:g}, repeat_penalty {sampling['repeat_penalty']:g} over "
      f"{sampling['repeat_last_n']} tokens): {pp_name} is a fixed prompt from an empty cache, "
      f"{tg_name} exactly {env('REPORT_TG')} tokens sampled, detokenized and streamed (end-of-"
      f"generation tokens do not stop it).")
if server:
    print()
    print(f"llama-server (built by scripts/build-llama-server.sh from {env('REPORT_SERVER_ORIGIN')}) runs "
          f"on 127.0.0.1 beside them with the same model, threads, context, batch and attention, and the "
          f"same sampling in ggchat's order (penalties, top_k, top_p, min_p, temperature; a fixed seed); "
          f"its figures are its own `timings` of a `/completion` request: the same {pp_name} token prompt "
          f"without its prompt cache, and {tg_name} with `ignore_eos`. **ggchat real path / llama-server, "
          f"per round: {pp_name} {ratio(ls_pp, gg_pp)}, {tg_name} {ratio(ls_tg, gg_tg)}** (goal ≥ 1.00).")

turns = len(runs[0]["turns"])
last_first = [ttft(r["turns"][-1]) / ttft(r["turns"][0]) for r in runs]
last_second = [ttft(r["turns"][-1]) / ttft(r["turns"][1]) for r in runs] if turns > 1 else []
off_last_first = [ttft(r["turns_without_reuse"][-1]) / ttft(r["turns_without_reuse"][0]) for r in runs]
print()
print(f"Multi-turn chat ({turns} turns, {mt_runs} runs, mean time to first token in ms; "
      f"reply {runs[0]['turns'][0]['stats']['generated_tokens']} tokens or fewer per turn):")
print()
print("| turn | prompt tokens | evaluated, reuse on | TTFT ms, reuse on | evaluated, reuse off | TTFT ms, reuse off |")
print("| ---: | ---: | ---: | ---: | ---: | ---: |")
for k in range(turns):
    on = [r["turns"][k] for r in runs]
    off = [r["turns_without_reuse"][k] for r in runs]
    print(f"| {k + 1} | {on[0]['prompt_tokens']} | {on[0]['stats']['prompt_tokens_evaluated']} "
          f"| {statistics.mean(ttft(t) for t in on):.1f} | {off[0]['stats']['prompt_tokens_evaluated']} "
          f"| {statistics.mean(ttft(t) for t in off):.1f} |")
print()
print(f"Time to first token, turn {turns} / turn 1: **{cell(last_first, 2)}** with KV-cache reuse "
      f"(target ≤ 1.3), {cell(off_last_first, 2)} without."
      + (f" Turn {turns} / turn 2, where both evaluate the same number of new tokens: "
         f"{cell(last_second, 2)}." if last_second else ""))

remote_path = pathlib.Path(d) / "remote.json"
if remote_path.is_file():
    rj = json.load(open(remote_path))
    ratios = [t["stats"]["generation_tokens_per_second"] / t["stats"]["remote"]["server_generation_tokens_per_second"]
              for t in rj["turns"]
              if (t["stats"]["remote"] or {}).get("server_generation_tokens_per_second")]
    if not ratios:
        sys.exit("bench-vs-llama: llama-server reported no timings.predicted_per_second; no remote figures")
    ft = rj["first_token"]
    if not (ft["ggchat_ms"] > 0 and ft["raw_client_ms"] > 0):
        sys.exit(f"bench-vs-llama: a time to first token of the remote run is not positive: {ft}")
    print()
    print(f"A remote backend (`ggchat bench --backend`, llama-server on 127.0.0.1 with the same model "
          f"and threads): generation speed measured by ggchat / the server's own "
          f"`timings.predicted_per_second`: **{statistics.mean(ratios):.3f}** (mean of {len(ratios)} "
          f"turns; target ≥ 0.97). Time to first token, {ft['runs']} runs each, alternating, neither "
          f"side using the server's prompt cache: ggchat {ft['ggchat_ms']:.1f} ms, a bare HTTP client "
          f"{ft['raw_client_ms']:.1f} ms; ggchat adds **{ft['added_ms']:.1f} ms** "
          f"(ratio {ft['ratio']:.3f}).")

ui_path = pathlib.Path(d) / "ui.json"
if ui_path.is_file():
    ui = json.load(open(ui_path))
    print()
    print("The full-screen UI (`cargo bench --bench ui`: the real binary in a pseudo-terminal, "
          f"{len(ui['ui_tok_s'])} runs interleaved with `ggchat ask`, medians; ggchat's defaults):")
    print()
    print("| figure | measured | target |")
    print("| --- | ---: | --- |")
    print(f"| generation with the UI drawing / `ggchat ask`, same prompt and seed | "
          f"{ui['ui_over_ask']:.3f} ({median(ui['ui_tok_s']):.1f} / {median(ui['ask_tok_s']):.1f} tok/s); "
          f"per pair {median(ui['ui_over_ask_paired']):.3f} | ≥ 0.97 |")
    print(f"| first frame of a 2,000-message conversation (test backend, fresh process) | "
          f"{ui['frame_first_ms']:.1f} ms ({ui['frame_first_cpu_ms']:.1f} ms of CPU) | < 16 ms |")
    mo, mc = ui["monitor_open_tok_s"], ui["monitor_closed_tok_s"]
    if not mo or len(mo) != len(mc) or not all(x > 0 for x in mo + mc):
        sys.exit(f"bench-vs-llama: the monitor-pane runs measured nothing (open {mo}, closed {mc})")
    print(f"| generation with the monitor pane (F5) open / closed, {len(mo)} interleaved pairs | "
          f"{median(mo) / median(mc):.3f} ({median(mo):.1f} / {median(mc):.1f} tok/s); per pair "
          f"{median([o / c for o, c in zip(mo, mc)]):.3f} | no measurable loss |")
    oc, cc = ui["monitor_open_ui_cpu_ms"], ui["monitor_closed_ui_cpu_ms"]
    print(f"| the UI thread's CPU time per run, monitor open / closed (medians) | "
          f"{median(oc):.1f} / {median(cc):.1f} ms | reported |")
    print(f"| its first frame after a resize | {ui['frame_resized_ms']:.1f} ms | < 16 ms |")
    print(f"| its next frames | {ui['frame_ms']:.2f} ms | < 5 ms |")
    print(f"| key press to its echo while a reply streams | {median(ui['key_echo_ms']):.1f} ms | |")
    print(f"| start to first frame (the model loads after it) | {median(ui['first_frame_ms']):.1f} ms | |")
    print(f"| the model picker (F3) on 100 distinct model files, cold from the disk | "
          f"{ui['models_listed_ms']:.0f} ms | < 1 s |")
    print(f"| resident memory after a reply (`/proc/PID/status`) | {ui['resident_mib']:.0f} MiB: "
          f"{ui['resident_anon_mib']:.0f} MiB anonymous (heap, KV cache) + "
          f"{ui['resident_file_mib']:.0f} MiB file-backed (mapped model, binary) | reported |")
print()
print(f"llama.cpp: {env('REPORT_VERSION')}. llama-bench from {env('REPORT_ORIGIN')}, "
      f"{env('REPORT_BUILD')} build; CPU flags: {env('REPORT_FLAGS')}.")
PY
{
  echo "scripts/bench-vs-llama.sh, $(date -u '+%Y-%m-%d %H:%M UTC')"
  echo "machine: $cpu_model, $cores cores ($(nproc) online), load average: $(cut -d' ' -f1-3 /proc/loadavg 2>/dev/null || echo ?)"
  echo "model: $model"
  echo "llama.cpp: $version_info"
  echo "llama-bench source: $bench_origin"
  echo "llama-bench: $llama_bench ($build_type; ${flag_defines}; CFLAGS $base_cflags)"
  echo "$rustflags_line"
  echo "CPU flags: $flags_what"
  echo "CPU flag check: $flag_check"
  echo "ggchat: $ggchat"
  echo "time: llama-bench build ${build_llama_s}s, ggchat build ${build_ggchat_s}s, pp/tg rounds ${bench_s}s, multi-turn ${mt_s}s, UI ${ui_s}s, remote ${remote_s}s, total ${total_s}s"
  echo
  cat "$out/report.md"
  echo
  for f in "$runs"/*.json; do
    echo "---- $(basename "$f")"
    cat "$f"
  done
} >"$root/target/bench-results.txt"

echo >&2
cat "$out/report.md"
echo
echo "time: llama-bench build ${build_llama_s}s, ggchat build ${build_ggchat_s}s, pp/tg rounds ${bench_s}s, multi-turn ${mt_s}s, UI ${ui_s}s, remote ${remote_s}s, total ${total_s}s"
echo "raw output: target/bench-results.txt"

if ((update_readme)); then
  python3 - "$root/README.md" "$out/report.md" <<'PY'
import pathlib, sys
readme, report = pathlib.Path(sys.argv[1]), pathlib.Path(sys.argv[2]).read_text().strip()
text = readme.read_text()
start, end = "<!-- bench:start -->", "<!-- bench:end -->"
if start not in text or end not in text:
    sys.exit(f"bench-vs-llama: README.md has no {start} ... {end} markers; not updated")
head, rest = text.split(start, 1)
_, tail = rest.split(end, 1)
readme.write_text(f"{head}{start}\n{report}\n{end}{tail}")
print("README.md: results table updated")
PY
fi
