"""The official `openai` client against `ggchat serve` (run by tests/serve/openai_client.rs).

Usage: openai_check.py BASE_URL API_KEY MODEL_ID. Prints one line per check; any failed
assertion or unexpected exception exits non-zero.
"""

import sys

import openai
from openai import OpenAI

base_url, key, model = sys.argv[1], sys.argv[2], sys.argv[3]
client = OpenAI(base_url=base_url + "/v1", api_key=key, max_retries=0, timeout=120)
question = [{"role": "user", "content": "What is the capital of France?"}]

# Non-streamed, greedy.
reply = client.chat.completions.create(
    model=model, messages=question, temperature=0, max_tokens=24
)
text = reply.choices[0].message.content
assert "Paris" in text, text
assert reply.choices[0].message.role == "assistant"
assert reply.usage.prompt_tokens > 0 and reply.usage.completion_tokens > 0, reply.usage
assert reply.usage.total_tokens == reply.usage.prompt_tokens + reply.usage.completion_tokens
print("non-streamed:", repr(text))

# Streamed, with the usage chunk.
chunks = list(
    client.chat.completions.create(
        model=model,
        messages=question,
        temperature=0,
        max_tokens=24,
        stream=True,
        stream_options={"include_usage": True},
    )
)
streamed = "".join(c.choices[0].delta.content or "" for c in chunks if c.choices)
assert streamed == text, (streamed, text)  # greedy: the same reply as unstreamed
finish = [c.choices[0].finish_reason for c in chunks if c.choices and c.choices[0].finish_reason]
assert finish in (["stop"], ["length"]), finish
assert chunks[-1].usage is not None and chunks[-1].usage.completion_tokens > 0, chunks[-1]
assert chunks[-1].choices == [], chunks[-1]
print("streamed:", repr(streamed), "usage:", chunks[-1].usage.total_tokens)

# Text completions: a raw prompt (SmolLM2's chat template spelled out), streamed and not.
prompt = (
    "<|im_start|>user\nWhat is the capital of France?<|im_end|>\n<|im_start|>assistant\n"
)
done = client.completions.create(model=model, prompt=prompt, temperature=0, max_tokens=24)
assert done.object == "text_completion", done
assert "Paris" in done.choices[0].text, done
assert done.choices[0].finish_reason in ("stop", "length"), done
assert done.usage.prompt_tokens > 0 and done.usage.completion_tokens > 0, done.usage
pieces = list(
    client.completions.create(
        model=model,
        prompt=[prompt],
        temperature=0,
        max_tokens=24,
        stream=True,
        stream_options={"include_usage": True},
    )
)
joined = "".join(p.choices[0].text for p in pieces if p.choices)
assert joined == done.choices[0].text, (joined, done.choices[0].text)
assert pieces[-1].usage is not None and pieces[-1].usage.total_tokens == done.usage.total_tokens
print("completions:", repr(joined))

# Models.
ids = [m.id for m in client.models.list()]
assert ids == [model], ids
print("models:", ids)

# Typed errors.
def expect(kind, status, call):
    try:
        call()
    except kind as e:
        assert e.status_code == status, (e.status_code, e)
        assert isinstance(e.body, dict) and e.body.get("message"), e.body
        print(kind.__name__, status, e.body.get("code"))
        return e
    raise AssertionError(f"expected {kind.__name__}")

bad_key = OpenAI(base_url=base_url + "/v1", api_key="not-the-key", max_retries=0)
expect(openai.AuthenticationError, 401, lambda: bad_key.models.list())
expect(
    openai.NotFoundError,
    404,
    lambda: client.chat.completions.create(model="gpt-4o", messages=question),
)
e = expect(
    openai.BadRequestError,
    400,
    lambda: client.chat.completions.create(model=model, messages=question, temperature=9),
)
assert e.body.get("param") == "temperature", e.body
e = expect(
    openai.BadRequestError,
    400,
    lambda: client.chat.completions.create(
        model=model,
        messages=[{"role": "user", "content": "apple banana cherry " * 600}],
        max_tokens=8,
    ),
)
assert e.body.get("code") == "context_length_exceeded", e.body
e = expect(
    openai.BadRequestError,
    400,
    lambda: client.completions.create(
        model=model, prompt="apple banana cherry " * 600, max_tokens=8
    ),
)
assert e.body.get("code") == "context_length_exceeded", e.body
assert e.body.get("param") == "prompt", e.body
print("ALL OK")
