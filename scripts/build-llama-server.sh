#!/usr/bin/env bash
# Builds llama.cpp's own llama-server once, for the remote-backend tests (tests/remote_*.rs).
#
# ggchat's remote backend is tested against a real OpenAI-compatible server, and llama-server is
# the one that runs the same models. The crates.io package of llama-cpp-sys-2 leaves tools/ out of
# its llama.cpp tree, so the server's source is taken the way scripts/bench-vs-llama.sh takes
# llama-bench's: the llama.cpp tree vendored in llama-cpp-python's source package on PyPI (pinned
# below, sha256-checked; its llama.cpp 0.5.0 has tools/server). It is built separately from ggchat's
# own build (CMake Release, no curl, no OpenSSL, no web UI, only the llama-server target).
#
# Idempotent: when target/llama-server/bin/llama-server exists and its stamp (the source package's
# sha256 plus the build options) matches, nothing is done. Prints the binary's path on stdout.
#
#   scripts/build-llama-server.sh [-j N]     (default: 2 parallel jobs)
set -euo pipefail
cd "$(dirname "$0")/.."
root=$PWD

jobs=2
while (($#)); do
  case "$1" in
    -j | --jobs) jobs=$2; shift 2 ;;
    -h | --help) sed -n '2,/^set -euo/p' "$0" | sed '$d; s/^# \{0,1\}//'; exit 0 ;;
    *) echo "build-llama-server: unknown argument '$1' (see --help)" >&2; exit 2 ;;
  esac
done

die() { echo "build-llama-server: $*" >&2; exit 1; }
step() { printf '== build-llama-server: %s\n' "$*" >&2; }

# The same pinned source package as scripts/bench-vs-llama.sh.
lcp_version=0.3.36
lcp_sha256=832db0699007f1be95a7e41ef12e88926b02ba836461e36a36372db2760c1a2e

out=$root/target/llama-server
bin=$out/bin/llama-server
cmake_flags=(
  -DCMAKE_BUILD_TYPE=Release
  -DBUILD_SHARED_LIBS=OFF
  -DLLAMA_CURL=OFF
  -DLLAMA_OPENSSL=OFF
  -DLLAMA_BUILD_TESTS=OFF
  -DLLAMA_BUILD_EXAMPLES=OFF
  -DLLAMA_BUILD_APP=OFF
  -DLLAMA_BUILD_TOOLS=ON
  -DLLAMA_BUILD_SERVER=ON
  -DLLAMA_BUILD_UI=OFF
  -DLLAMA_USE_PREBUILT_UI=OFF
  # The CPU flags of ggchat's own llama.cpp (llama-cpp-sys-2 without target-cpu: ggml's defaults,
  # AVX2 and FMA, no AVX-512), so a speed comparison compares the same kernels.
  -DGGML_NATIVE=OFF
)
stamp="llama-cpp-python $lcp_version $lcp_sha256 ${cmake_flags[*]}"

if [[ -x "$bin" && -f "$out/stamp" && "$(cat "$out/stamp")" == "$stamp" ]]; then
  echo "$bin"
  exit 0
fi

missing=()
command -v cmake >/dev/null 2>&1 || missing+=("cmake")
command -v "${CC:-cc}" >/dev/null 2>&1 || missing+=("a C compiler (${CC:-cc})")
command -v "${CXX:-c++}" >/dev/null 2>&1 || missing+=("a C++ compiler (${CXX:-c++})")
command -v python3 >/dev/null 2>&1 || missing+=("python3 (fetches and unpacks the source)")
if ((${#missing[@]})); then
  printf 'build-llama-server: missing prerequisites:\n' >&2
  printf '  - %s\n' "${missing[@]}" >&2
  die "install them (scripts/install-prereqs.sh does it on Debian/Ubuntu) and run again"
fi

mkdir -p "$out/pip"
sdist=$out/pip/llama_cpp_python-$lcp_version.tar.gz
# Reuse the copy scripts/bench-vs-llama.sh may already have fetched.
bench_sdist=$root/target/llama-bench/pip/llama_cpp_python-$lcp_version.tar.gz
if [[ ! -f "$sdist" && -f "$bench_sdist" ]]; then
  cp "$bench_sdist" "$sdist"
fi
if [[ ! -f "$sdist" ]]; then
  step "fetching llama-cpp-python $lcp_version source package (pip)"
  python3 -m pip --version >/dev/null 2>&1 || die "pip is needed to fetch llama-server's source"
  python3 -m pip download --quiet --no-deps --no-binary :all: -d "$out/pip" \
    "llama-cpp-python==$lcp_version" >&2 \
    || die "could not fetch llama-cpp-python $lcp_version from PyPI"
fi
echo "$lcp_sha256  $sdist" | sha256sum -c --quiet - >&2 \
  || { rm -f "$sdist"; die "sha256 mismatch for $sdist (removed; run again to fetch it anew)"; }

src=$out/src
if [[ ! -f "$src/.from" || "$(cat "$src/.from")" != "$lcp_sha256" ]]; then
  step "unpacking the vendored llama.cpp tree to $src"
  rm -rf "$src"
  mkdir -p "$src"
  python3 - "$sdist" "$src" <<'PY'
import pathlib, sys, tarfile
sdist, dest = sys.argv[1], pathlib.Path(sys.argv[2])
prefix = ["vendor", "llama.cpp"]
with tarfile.open(sdist) as tar:
    for m in tar.getmembers():
        parts = m.name.split("/")
        if parts[1:3] != prefix or len(parts) <= 3:
            continue
        rel = pathlib.PurePosixPath(*parts[3:])
        if rel.is_absolute() or ".." in rel.parts:
            sys.exit(f"unsafe path in {sdist}: {m.name}")
        target = dest / rel
        if m.isdir():
            target.mkdir(parents=True, exist_ok=True)
        elif m.isfile():
            target.parent.mkdir(parents=True, exist_ok=True)
            target.write_bytes(tar.extractfile(m).read())
            target.chmod(m.mode & 0o755 | 0o600)
if not (dest / "tools" / "server" / "server.cpp").exists():
    sys.exit(f"tools/server/server.cpp not in {sdist}")
PY
  echo "$lcp_sha256" >"$src/.from"
fi

build=$out/build
step "configuring (CMake Release) in $build"
cmake -S "$src" -B "$build" "${cmake_flags[@]}" >"$out/configure.log" 2>&1 \
  || { tail -n 40 "$out/configure.log" >&2; die "cmake configure failed (log: $out/configure.log)"; }
step "building llama-server with -j$jobs (10-25 minutes on 2 cores; log: $out/build.log)"
started=$(date +%s)
cmake --build "$build" --config Release --target llama-server -j"$jobs" >"$out/build.log" 2>&1 \
  || { tail -n 40 "$out/build.log" >&2; die "build failed (log: $out/build.log)"; }
built=$(find "$build" -type f -name llama-server -perm -u+x | head -n 1)
[[ -n "$built" ]] || die "the build finished but no llama-server binary was found under $build"
mkdir -p "$out/bin"
cp "$built" "$bin.tmp" && mv "$bin.tmp" "$bin"
echo "$stamp" >"$out/stamp"
step "built $bin in $(($(date +%s) - started)) s"
echo "$bin"
