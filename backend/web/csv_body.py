"""Raw `text/csv` request bodies: documented in the OpenAPI document and decoded as strict UTF-8."""

from __future__ import annotations

from litestar.openapi.spec import Operation

from backend.core.errors import InvalidInput
from backend.web.openapi_doc import raw_body


def csv_upload(columns: str) -> type[Operation]:
    """Documents a raw `text/csv` request body with its columns."""
    return raw_body("text/csv", f"{columns} in UTF-8")


def csv_text(raw: bytes) -> str:
    """A CSV body as text; anything but UTF-8 is refused."""
    try:
        return raw.decode("utf-8")
    except UnicodeDecodeError:
        raise InvalidInput(
            "csv_encoding", "Tệp CSV phải mã hóa UTF-8", "The CSV file must be UTF-8"
        ) from None
