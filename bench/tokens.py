"""Access-token verification per request: full JWT decode versus the per-token cache.

Run: uv run python bench/tokens.py [--requests 20000]
"""

from __future__ import annotations

import argparse
import secrets
import time

from backend.web import tokens


def main() -> None:
    """Print microseconds per verification, decoding every time and through the cache."""
    parser = argparse.ArgumentParser()
    parser.add_argument("--requests", type=int, default=20_000)
    count = parser.parse_args().requests
    secret = secrets.token_urlsafe(48)
    token = tokens.issue_access_token(
        secret, 900, 1, "bench", "village_head", "23353-01", "/62/23353/23353-01/", "d", issuer="62"
    )
    started = time.perf_counter()
    for _ in range(count):
        tokens._decode(secret, "62", token)
    decoded = time.perf_counter()
    for _ in range(count):
        tokens.verify_access_token(secret, "62", token)
    cached = time.perf_counter()
    print(f"decode every request: {(decoded - started) / count * 1e6:.1f} µs per token")
    print(f"cached per token:     {(cached - decoded) / count * 1e6:.2f} µs per token")


if __name__ == "__main__":
    main()
