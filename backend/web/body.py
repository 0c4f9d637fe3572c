"""Decode request bodies with msgspec so every malformed body gets a named problem."""

from __future__ import annotations

import re
from typing import Any, TypeVar

import msgspec
from litestar import Request

from backend.core.errors import FieldProblem, InvalidInput

T = TypeVar("T")
_PATH = re.compile(r" - at `\$\.?(.*)`$")
_DECODERS: dict[type, msgspec.json.Decoder[Any]] = {}


def _decoder(kind: type[T]) -> msgspec.json.Decoder[T]:
    """Decoders are built once per type."""
    if kind not in _DECODERS:
        _DECODERS[kind] = msgspec.json.Decoder(kind)
    return _DECODERS[kind]


def decode(raw: bytes, kind: type[T]) -> T:
    """Bytes → Struct, or a 422 (wrong shape) / 400-ish problem (not JSON at all)."""
    try:
        return _decoder(kind).decode(raw)
    except msgspec.ValidationError as exc:
        message = str(exc)
        match = _PATH.search(message)
        field = match.group(1) if match else ""
        reason = _PATH.sub("", message)
        raise InvalidInput(
            "body_invalid",
            "Dữ liệu gửi lên sai cấu trúc hoặc sai kiểu",
            f"The request body has the wrong shape: {reason}",
            errors=[
                FieldProblem(field or "$", "wrong_type", "Sai kiểu hoặc thiếu giá trị", reason)
            ],
        ) from exc
    except msgspec.DecodeError as exc:
        raise InvalidInput(
            "body_malformed",
            "Dữ liệu gửi lên không phải JSON hợp lệ",
            "The request body is not valid JSON",
        ) from exc


async def read_body(request: Request[Any, Any, Any], kind: type[T]) -> T:
    """Read (size-limited by the app) and decode the body."""
    return decode(await request.body(), kind)
