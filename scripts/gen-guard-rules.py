#!/usr/bin/env python3
"""Writes a guard rule file of N rules (default 1000) for measuring the guard's cost
(docs/performance.md, "The content-safety guard"): 10 categories, each with 90% literal terms
(English-like and Chinese) and 10% regular expressions. Deterministic (fixed seed).

    scripts/gen-guard-rules.py 1000 > /tmp/rules-1000.toml
    ggchat bench --guard /tmp/rules-1000.toml
"""
import random
import sys

n = int(sys.argv[1]) if len(sys.argv) > 1 else 1000
rng = random.Random(17)
letters = "abcdefghijklmnopqrstuvwxyz"
hanzi = [chr(c) for c in range(0x4E00, 0x4E00 + 3000)]
actions = ["warn", "redact", "block"]
per_category = max(1, n // 10)
written = 0
for c in range(10):
    count = min(per_category, n - written) if c < 9 else n - written
    if count <= 0:
        break
    regexes = max(1, count // 10)
    terms = count - regexes
    print("[[category]]")
    print(f'name = "bench-{c}"')
    print(f'action = "{actions[c % 3]}"')
    words = []
    for i in range(terms):
        if i % 3 == 2:
            words.append("".join(rng.choice(hanzi) for _ in range(rng.randint(2, 6))))
        else:
            words.append("zq" + "".join(rng.choice(letters) for _ in range(rng.randint(4, 12))))
    print("terms = [" + ", ".join(f'"{w}"' for w in words) + "]")
    for i in range(regexes):
        stem = "".join(rng.choice(letters) for _ in range(5))
        print("[[category.regex]]")
        print(f"pattern = 'xk{stem}[0-9]{{2,8}}'")
        print("max_len = 15")
    print()
    written += count
