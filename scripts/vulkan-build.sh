#!/usr/bin/env bash
# Build (and optionally test) ggchat with llama.cpp's Vulkan backend, so GPU offload is proven in CI
# without a GPU: Mesa's lavapipe is a Vulkan driver that runs on the CPU.
#
#   scripts/vulkan-build.sh                 build the Vulkan binary and tests/gpu_offload.rs
#   scripts/vulkan-build.sh test ARGS...    run `cargo test ARGS...` in the same environment
#
# Why the detour: Debian 12's Vulkan headers (1.3.239) are too old for the vendored ggml-vulkan
# (`vk::LayerSettingEXT` is missing). Debian 13's `libvulkan-dev` and `spirv-headers` are fetched
# once with apt from a private source list and state folder (the system's sources stay untouched),
# unpacked with `dpkg -x` into target/vulkan-sdk (never over /usr), and the build is pointed at
# them. The loader (libvulkan1) and the shader compiler (glslc) stay the system's. The build uses
# its own target dir, target/vulkan, so the CPU-only build in target/ is untouched.
set -euo pipefail
cd "$(dirname "$0")/.."
root=$PWD
sdk_dir="$root/target/vulkan-sdk"
sdk="$sdk_dir/root/usr"
arch_lib=/usr/lib/$(gcc -print-multiarch 2>/dev/null || echo x86_64-linux-gnu)

system_packages=(mesa-vulkan-drivers libvulkan1 glslc)
missing=()
for package in "${system_packages[@]}"; do
  dpkg-query -W -f='${Status}' "$package" 2>/dev/null | grep -q 'install ok installed' \
    || missing+=("$package")
done
if ((${#missing[@]} > 0)); then
  if [[ $(id -u) -ne 0 ]]; then
    echo "vulkan-build: missing ${missing[*]}; run: sudo apt-get install -y ${missing[*]}" >&2
    exit 1
  fi
  echo "vulkan-build: installing ${missing[*]} ..."
  export DEBIAN_FRONTEND=noninteractive
  apt-get update -qq
  apt-get install -y -qq "${missing[@]}" >/dev/null
fi

if [[ ! -f "$sdk_dir/ready" ]]; then
  echo "vulkan-build: fetching Debian 13 libvulkan-dev and spirv-headers into $sdk_dir ..."
  rm -rf "$sdk_dir"
  apt_dir="$sdk_dir/apt"
  mkdir -p "$apt_dir/sources.list.d" "$apt_dir/state/lists/partial" \
    "$apt_dir/cache/archives/partial" "$apt_dir/debs" "$sdk_dir/root"
  echo 'deb [signed-by=/usr/share/keyrings/debian-archive-keyring.gpg] http://deb.debian.org/debian trixie main' \
    > "$apt_dir/sources.list"
  apt_opts=(
    -o "Dir::Etc::sourcelist=$apt_dir/sources.list"
    -o "Dir::Etc::sourceparts=$apt_dir/sources.list.d"
    -o "Dir::State=$apt_dir/state"
    -o "Dir::State::status=/var/lib/dpkg/status"
    -o "Dir::Cache=$apt_dir/cache"
    -o "APT::Sandbox::User=root"
  )
  apt-get "${apt_opts[@]}" update -qq
  (cd "$apt_dir/debs" && apt-get "${apt_opts[@]}" download libvulkan-dev spirv-headers)
  for deb in "$apt_dir"/debs/*.deb; do
    dpkg -x "$deb" "$sdk_dir/root"
  done
  # FindVulkan looks for $VULKAN_SDK/lib/libvulkan.so and $VULKAN_SDK/bin/glslc: the system's.
  mkdir -p "$sdk/lib" "$sdk/bin"
  ln -sf "$arch_lib/libvulkan.so.1" "$sdk/lib/libvulkan.so"
  ln -sf "$(command -v glslc)" "$sdk/bin/glslc"
  test -f "$sdk/include/vulkan/vulkan.hpp" \
    || { echo "vulkan-build: no vulkan.hpp in the unpacked libvulkan-dev" >&2; exit 1; }
  grep -q LayerSettingEXT "$sdk/include/vulkan/vulkan_structs.hpp" \
    || { echo "vulkan-build: the unpacked Vulkan headers lack LayerSettingEXT" >&2; exit 1; }
  touch "$sdk_dir/ready"
fi

export VULKAN_SDK="$sdk"
export CMAKE_PREFIX_PATH="$sdk${CMAKE_PREFIX_PATH:+:$CMAKE_PREFIX_PATH}"
export CARGO_TARGET_DIR="$root/target/vulkan"

if (($# == 0)); then
  set -- test --no-run --locked --features vulkan --test gpu_offload
fi
start=$(date +%s)
cargo "$@"
echo "vulkan-build: cargo $1 took $(($(date +%s) - start)) s"
