"""Strict request bodies: UTF-8, bounded nesting, decoded by msgspec into the handler's type."""

from __future__ import annotations

import re
from typing import Any

import msgspec
from litestar import Request
from litestar.types import Empty

from backend.core.errors import FieldProblem, InvalidInput

_PATH = re.compile(r" - at `\$\.?(.*)`$")
_DECODERS: dict[Any, msgspec.json.Decoder[Any]] = {}


def _decoder(kind: Any) -> msgspec.json.Decoder[Any]:
    """Decoders are built once per type."""
    if kind not in _DECODERS:
        _DECODERS[kind] = msgspec.json.Decoder(kind)
    return _DECODERS[kind]


def body_malformed() -> InvalidInput:
    """The body is not JSON (or not UTF-8) at all."""
    return InvalidInput(
        "body_malformed",
        "Dữ liệu gửi lên không phải JSON hợp lệ (UTF-8)",
        "The request body is not valid JSON in UTF-8",
    )


def body_invalid(reason: str, field: str = "") -> InvalidInput:
    """The body is JSON but has the wrong shape or types."""
    return InvalidInput(
        "body_invalid",
        "Dữ liệu gửi lên sai cấu trúc hoặc sai kiểu",
        f"The request body has the wrong shape: {reason}",
        errors=[FieldProblem(field or "$", "wrong_type", "Sai kiểu hoặc thiếu giá trị", reason)],
    )


def body_too_deep() -> InvalidInput:
    """Nesting beyond what any of our documents needs."""
    return InvalidInput(
        "body_too_deep",
        "Dữ liệu gửi lên lồng nhau quá sâu",
        "The request body is nested too deeply",
    )


def decode(raw: bytes, kind: Any) -> Any:
    """Bytes → the declared type, or a named problem; never an unhandled error."""
    try:
        return _decoder(kind).decode(raw)
    except msgspec.ValidationError as exc:
        message = str(exc)
        match = _PATH.search(message)
        raise body_invalid(_PATH.sub("", message), match.group(1) if match else "") from exc
    except (msgspec.DecodeError, UnicodeDecodeError) as exc:
        raise body_malformed() from exc
    except RecursionError as exc:
        raise body_too_deep() from exc


def text_body(raw: bytes) -> str:
    """A plain-text body (a compact JWS) that must be UTF-8."""
    try:
        return raw.decode("utf-8")
    except UnicodeDecodeError as exc:
        raise body_malformed() from exc


class StrictRequest(Request[Any, Any, Any]):
    """Decodes `data` straight into the handler's declared type, strictly (no str→int coercion)."""

    async def json(self) -> Any:
        """The handler's typed body; an empty body is JSON null (an optional body's default)."""
        if self._json is Empty:
            field = self.route_handler.parsed_data_field
            kind = field.annotation if field is not None else Any
            self._json = decode((await self.body()) or b"null", kind)
        return self._json
