"""Raw `text/csv` request bodies: documented in the OpenAPI document and decoded as strict UTF-8."""

from __future__ import annotations

from dataclasses import dataclass

from litestar.openapi.spec import OpenAPIMediaType, OpenAPIType, Operation, RequestBody, Schema

from backend.core.errors import InvalidInput


@dataclass
class CsvUpload(Operation):
    """Documents a raw `text/csv` request body (Litestar hands such bodies over as bytes)."""

    def __post_init__(self) -> None:
        schema = Schema(type=OpenAPIType.STRING, description="UTF-8 CSV")
        self.request_body = RequestBody(
            required=True, content={"text/csv": OpenAPIMediaType(schema=schema)}
        )


def csv_text(raw: bytes) -> str:
    """A CSV body as text; anything but UTF-8 is refused."""
    try:
        return raw.decode("utf-8")
    except UnicodeDecodeError:
        raise InvalidInput(
            "csv_encoding", "Tệp CSV phải mã hóa UTF-8", "The CSV file must be UTF-8"
        ) from None
