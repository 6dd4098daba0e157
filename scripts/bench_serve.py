"""Concurrent streams against two running OpenAI-compatible servers (run by scripts/bench-serve.sh).

Usage: bench_serve.py --server NAME=URL [--server NAME=URL ...] --levels 1,4,8 --rounds R
       --tokens 128 --json OUT

For each round, each level N and each server (the order alternates between rounds, so load from
other work on the machine falls on both alike), N streamed chat completions are sent at once,
each with its own prompt (unique per round, so no server answers from a prompt cache), asking for
exactly --tokens tokens with llama.cpp's `ignore_eos`. Per request it records the time to the
first content chunk and the completion tokens of the usage chunk; per round, the aggregate
generation rate: all completion tokens over the wall time from sending the requests to the end of
the last stream. Any request that fails, or returns another token count, stops the run with an
error: a failed run is never reported as a number.

Only the standard library and httpx (a dependency of the `openai` package in target/test-venv).
"""

import argparse
import asyncio
import json
import sys
import time

import httpx

TOPICS = [
    "the history of bridges",
    "how bees make honey",
    "the water cycle",
    "a trip to the mountains",
    "how a compass works",
    "the life of a lighthouse keeper",
    "why the sky is blue",
    "a day at a busy market",
]


class BenchError(Exception):
    pass


async def one_stream(client, url, model, prompt, tokens):
    body = {
        "model": model,
        "messages": [{"role": "user", "content": prompt}],
        "max_tokens": tokens,
        "temperature": 0,
        "ignore_eos": True,
        # llama-server: evaluate the whole prompt like ggchat does for an `ignore_eos` request.
        "cache_prompt": False,
        "stream": True,
        "stream_options": {"include_usage": True},
    }
    sent = time.perf_counter()
    first = None
    usage = None
    async with client.stream("POST", url + "/v1/chat/completions", json=body) as response:
        if response.status_code != 200:
            text = (await response.aread()).decode(errors="replace")
            raise BenchError(f"{url}: HTTP {response.status_code}: {text[:300]}")
        async for line in response.aiter_lines():
            if not line.startswith("data: "):
                continue
            data = line[len("data: "):]
            if data == "[DONE]":
                break
            chunk = json.loads(data)
            if "error" in chunk:
                raise BenchError(f"{url}: error event: {chunk['error']}")
            if chunk.get("usage"):
                usage = chunk["usage"]
            for choice in chunk.get("choices") or []:
                if first is None and (choice.get("delta") or {}).get("content"):
                    first = time.perf_counter()
    done = time.perf_counter()
    if first is None:
        raise BenchError(f"{url}: no content arrived")
    if usage is None:
        raise BenchError(f"{url}: no usage chunk (stream_options.include_usage)")
    if usage.get("completion_tokens") != tokens:
        raise BenchError(f"{url}: {usage.get('completion_tokens')} tokens instead of {tokens}")
    return {"ttft_ms": (first - sent) * 1000.0, "tokens": tokens, "end": done}


async def model_id(client, url):
    response = await client.get(url + "/v1/models")
    if response.status_code != 200:
        raise BenchError(f"{url}/v1/models: HTTP {response.status_code}")
    return response.json()["data"][0]["id"]


async def round_at(client, url, model, level, round_no, tokens):
    prompts = [
        f"Request {round_no}-{i}: write a long essay about {TOPICS[i % len(TOPICS)]}."
        for i in range(level)
    ]
    started = time.perf_counter()
    results = await asyncio.gather(
        *(one_stream(client, url, model, p, tokens) for p in prompts)
    )
    wall = max(r["end"] for r in results) - started
    return {
        "tok_s": sum(r["tokens"] for r in results) / wall,
        "ttft_ms": [r["ttft_ms"] for r in results],
        "wall_s": wall,
    }


async def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--server", action="append", required=True)
    parser.add_argument("--levels", default="1,4,8")
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--tokens", type=int, default=128)
    parser.add_argument("--json", required=True)
    args = parser.parse_args()
    servers = [s.split("=", 1) for s in args.server]
    levels = [int(n) for n in args.levels.split(",")]
    timeout = httpx.Timeout(600.0, connect=10.0)
    limits = httpx.Limits(max_connections=64, max_keepalive_connections=64)
    out = {name: {str(n): [] for n in levels} for name, _ in servers}
    async with httpx.AsyncClient(timeout=timeout, limits=limits) as client:
        models = {name: await model_id(client, url) for name, url in servers}
        # One warm-up request each: the first reply allocates buffers.
        for name, url in servers:
            await round_at(client, url, models[name], 1, 0, 8)
        for round_no in range(1, args.rounds + 1):
            order = servers if round_no % 2 else list(reversed(servers))
            for level in levels:
                for name, url in order:
                    result = await round_at(client, url, models[name], level, round_no, args.tokens)
                    out[name][str(level)].append(result)
                    print(
                        f"round {round_no}, {level} stream(s), {name}: "
                        f"{result['tok_s']:.1f} tok/s, wall {result['wall_s']:.2f} s",
                        file=sys.stderr,
                        flush=True,
                    )
    with open(args.json, "w") as f:
        json.dump(out, f, indent=1)


if __name__ == "__main__":
    try:
        asyncio.run(main())
    except (BenchError, httpx.HTTPError) as e:
        sys.exit(f"bench-serve: {e}")
