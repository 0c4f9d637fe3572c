"""The node's password policy: zxcvbn's maintained common-password list plus a Vietnamese one."""

from __future__ import annotations

from functools import lru_cache
from pathlib import Path

from backend.core.passwords import PasswordPolicy

VIETNAMESE_LIST = (
    Path(__file__).resolve().parents[2] / "shared_schema" / "passwords" / "common-vi.txt"
)


def _shipped_words() -> set[str]:
    """The shipped Vietnamese list (comments and blank lines skipped)."""
    lines = VIETNAMESE_LIST.read_text(encoding="utf-8").splitlines()
    return {line.strip().lower() for line in lines if line.strip() and not line.startswith("#")}


@lru_cache(maxsize=1)
def password_policy() -> PasswordPolicy:
    """One policy per process, built on first use (zxcvbn's lists hold ~10 MB: cold path)."""
    from zxcvbn.frequency_lists import FREQUENCY_LISTS

    common = {word.lower() for word in FREQUENCY_LISTS["passwords"]} | _shipped_words()
    return PasswordPolicy(frozenset(common))
