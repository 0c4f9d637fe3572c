"""Hand the memory that start-up freed (imports, YAML parsing, the API document) back to the OS."""

from __future__ import annotations

import ctypes
import gc
import sys
from collections.abc import Callable


def _malloc_trim() -> Callable[[int], int] | None:
    """glibc's malloc_trim, or None on other C libraries (musl, macOS, Windows)."""
    if not sys.platform.startswith("linux"):
        return None
    try:
        libc = ctypes.CDLL("libc.so.6")
    except OSError:
        return None
    trim = getattr(libc, "malloc_trim", None)
    return trim if callable(trim) else None


def release_freed_memory() -> None:
    """Collect start-up garbage, then let glibc return free heap pages: an idle node stays small."""
    gc.collect()
    trim = _malloc_trim()
    if trim is not None:
        trim(0)
