#!/usr/bin/env python3
"""llama-server as the third contender of scripts/bench-vs-llama.sh.

    llama-server-speed.py wait PORT PID        until /health answers (120 s at most)
    llama-server-speed.py run PORT PROBE PP TG  one pp and one tg measurement, as JSON on stdout

`run` sends two `/completion` requests with ggchat's sampling settings (the "sampling" object of
`ggchat bench --json`, file PROBE) in ggchat's chain order: a PP-token prompt spread over the
vocabulary (as ggchat's and llama-bench's prompts are) without the prompt cache, and a one-token
prompt that generates exactly TG tokens (`ignore_eos`). The figures are the server's own
`timings`. Any failure exits non-zero with the reason: a failed run is an error, never a zero.
"""
import json
import os
import sys
import time
import urllib.request

TIMEOUT_S = 300


def fail(why):
    sys.exit(f"llama-server-speed: {why}")


def request(port, path, body=None):
    data = None if body is None else json.dumps(body).encode()
    req = urllib.request.Request(
        f"http://127.0.0.1:{port}{path}", data=data, headers={"Content-Type": "application/json"}
    )
    with urllib.request.urlopen(req, timeout=TIMEOUT_S) as r:
        return json.load(r)


def wait(port, pid):
    deadline = time.time() + 120
    while time.time() < deadline:
        try:
            os.kill(pid, 0)
        except OSError:
            fail("llama-server exited before it was healthy")
        try:
            if request(port, "/health").get("status") == "ok":
                return
        except Exception:
            pass
        time.sleep(0.25)
    fail("llama-server not healthy within 120 s")


def completion(port, prompt, n_predict, sampling, seed):
    body = {
        "prompt": prompt,
        "n_predict": n_predict,
        "cache_prompt": False,
        "ignore_eos": True,
        "stream": False,
        "seed": seed,
        "temperature": sampling["temperature"],
        "top_k": sampling["top_k"],
        "top_p": sampling["top_p"],
        "min_p": sampling["min_p"],
        "repeat_penalty": sampling["repeat_penalty"],
        "repeat_last_n": sampling["repeat_last_n"],
        "frequency_penalty": sampling.get("frequency_penalty", 0.0),
        "presence_penalty": sampling.get("presence_penalty", 0.0),
        "samplers": ["penalties", "top_k", "top_p", "min_p", "temperature"],
    }
    t = request(port, "/completion", body).get("timings") or fail("a /completion reply without timings")
    return t


def run(port, probe, pp, tg):
    sampling = json.load(open(probe))["sampling"]
    models = request(port, "/v1/models")
    try:
        n_vocab = int(models["data"][0]["meta"]["n_vocab"])
    except (KeyError, IndexError, TypeError, ValueError):
        fail(f"/v1/models does not give the vocabulary size: {models}")
    # ggchat's benchmark prompt (src/engine/generate.rs, spread_token): i * 2654435761 mod n_vocab.
    prompt = [(i * 2_654_435_761) % n_vocab for i in range(pp)]
    p = completion(port, prompt, 1, sampling, 42)
    if p.get("prompt_n") != pp:
        fail(f"the pp request evaluated {p.get('prompt_n')} prompt tokens instead of {pp}")
    g = completion(port, prompt[:1], tg, sampling, 42)
    if g.get("predicted_n") != tg:
        fail(f"the tg request generated {g.get('predicted_n')} tokens instead of {tg}")
    pp_s, tg_s = p.get("prompt_per_second") or 0, g.get("predicted_per_second") or 0
    if not (pp_s > 0 and tg_s > 0):
        fail(f"llama-server reported no speed (prompt {pp_s}, generation {tg_s})")
    print(json.dumps({"pp": pp_s, "tg": tg_s, "prompt_n": p["prompt_n"], "predicted_n": g["predicted_n"]}))


def main():
    args = sys.argv[1:]
    try:
        if len(args) == 3 and args[0] == "wait":
            wait(int(args[1]), int(args[2]))
        elif len(args) == 5 and args[0] == "run":
            run(int(args[1]), args[2], int(args[3]), int(args[4]))
        else:
            fail("usage: wait PORT PID | run PORT PROBE_JSON PP TG")
    except OSError as e:
        fail(f"request to llama-server on port {args[1]} failed: {e}")


if __name__ == "__main__":
    main()
