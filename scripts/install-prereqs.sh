#!/usr/bin/env bash
# Make sure the build prerequisites of llama.cpp (cmake, clang, libclang) and pip are present.
# As root with apt-get they are installed; otherwise the exact command to run is printed.
set -euo pipefail

missing=()
command -v cmake >/dev/null 2>&1 || missing+=(cmake)
command -v clang >/dev/null 2>&1 || missing+=(clang)
if ! ls /usr/lib/llvm-*/lib/libclang*.so* /usr/lib/*/libclang*.so* >/dev/null 2>&1 \
  && ! ldconfig -p 2>/dev/null | grep -q 'libclang[-.0-9]*\.so'; then
  missing+=(libclang-dev)
fi
python3 -m pip --version >/dev/null 2>&1 || missing+=(python3-pip)
command -v cargo >/dev/null 2>&1 || {
  echo "install-prereqs: Rust is needed: see https://rustup.rs" >&2
  exit 1
}

if ((${#missing[@]} == 0)); then
  exit 0
fi

if [[ "$(uname -s)" == Darwin ]]; then
  echo "install-prereqs: missing ${missing[*]}; run: brew install cmake llvm python" >&2
  exit 1
fi
if [[ $(id -u) -eq 0 ]] && command -v apt-get >/dev/null 2>&1; then
  echo "installing ${missing[*]} ..."
  export DEBIAN_FRONTEND=noninteractive
  apt-get update -qq
  apt-get install -y -qq "${missing[@]}" >/dev/null
  exit 0
fi
echo "install-prereqs: missing ${missing[*]}; run:" >&2
echo "  sudo apt-get install -y ${missing[*]}" >&2
exit 1
