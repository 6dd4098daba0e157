"""Write real LoRA adapters for a model, for the tests: small random A/B matrices on the attention
weights, in the layout llama.cpp's convert_lora_to_gguf.py writes (general.type = adapter,
adapter.type = lora, adapter.lora.alpha; `blk.N.attn_q.weight.lora_a` of ggml shape
[n_in, rank] and `.lora_b` of [rank, n_out]).

    python make-test-lora.py MODEL.gguf OUT_DIR

writes OUT_DIR/test-lora.gguf (applies cleanly and changes greedy output) and
OUT_DIR/test-lora-wrong-shape.gguf (A and B swapped: llama.cpp refuses it). Needs the `gguf`
package from PyPI (scripts/make-test-lora.sh installs it into target/). The seed is fixed, so the
files are the same on every run.
"""

import os
import sys

import gguf
import numpy as np

RANK = 8
ALPHA = 8.0
SCALE = 0.05
TARGETS = ("attn_q", "attn_k", "attn_v")


def attention_shapes(model_path):
    reader = gguf.GGUFReader(model_path)
    arch = bytes(reader.fields["general.architecture"].parts[-1]).decode()
    shapes = {}
    for tensor in reader.tensors:
        parts = tensor.name.split(".")
        if len(parts) == 4 and parts[0] == "blk" and parts[2] in TARGETS and parts[3] == "weight":
            # GGUFReader gives ggml's order: ne0 = inputs, ne1 = outputs.
            shapes[tensor.name] = (int(tensor.shape[0]), int(tensor.shape[1]))
    if not shapes:
        sys.exit(f"make-test-lora: no attention weights found in {model_path}")
    return arch, shapes


def write_adapter(path, arch, shapes, swap):
    rng = np.random.default_rng(20260312)
    writer = gguf.GGUFWriter(path + ".partial", arch)
    writer.add_type("adapter")
    writer.add_string("adapter.type", "lora")
    writer.add_float32("adapter.lora.alpha", ALPHA)
    writer.add_name("ggchat test LoRA")
    for name, (n_in, n_out) in sorted(shapes.items()):
        # numpy's order is ggml's reversed: lora_a is [rank, n_in], lora_b is [n_out, rank].
        a = (rng.standard_normal((RANK, n_in)) * SCALE).astype(np.float32)
        b = (rng.standard_normal((n_out, RANK)) * SCALE).astype(np.float32)
        if swap:
            a, b = b, a
        writer.add_tensor(name + ".lora_a", a)
        writer.add_tensor(name + ".lora_b", b)
    writer.write_header_to_file()
    writer.write_kv_data_to_file()
    writer.write_tensors_to_file()
    writer.close()
    os.replace(path + ".partial", path)


def main():
    if len(sys.argv) != 3:
        sys.exit("usage: make-test-lora.py MODEL.gguf OUT_DIR")
    model, out_dir = sys.argv[1:]
    arch, shapes = attention_shapes(model)
    os.makedirs(out_dir, exist_ok=True)
    write_adapter(os.path.join(out_dir, "test-lora.gguf"), arch, shapes, swap=False)
    write_adapter(os.path.join(out_dir, "test-lora-wrong-shape.gguf"), arch, shapes, swap=True)
    print(f"LoRA adapters ready in {out_dir} ({len(shapes)} weights, rank {RANK})")


if __name__ == "__main__":
    main()
