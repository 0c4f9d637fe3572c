"""Gzip for large dynamic answers (JSON, CSV); responses already encoded pass untouched."""

from __future__ import annotations

from litestar.config.compression import CompressionConfig
from litestar.enums import CompressionEncoding
from litestar.middleware.compression import CompressionMiddleware
from litestar.types import Message, Scope, Send

# Below this size the gzip header costs more than it saves on a phone's first packet.
MINIMUM_BYTES = 1024


class KeepEncodedCompression(CompressionMiddleware):
    """Litestar's compression, except for responses that already carry a Content-Encoding."""

    def create_compression_send_wrapper(
        self,
        send: Send,
        compression_encoding: CompressionEncoding | str,
        scope: Scope,
    ) -> Send:
        """Decide per response: pass precompressed files through, compress the rest."""
        compressing = super().create_compression_send_wrapper(send, compression_encoding, scope)
        passthrough = False

        async def wrapper(message: Message) -> None:
            nonlocal passthrough
            if message["type"] == "http.response.start":
                headers = message.get("headers", [])
                passthrough = any(name.lower() == b"content-encoding" for name, _ in headers)
            await (send if passthrough else compressing)(message)

        return wrapper


COMPRESSION = CompressionConfig(
    backend="gzip",
    minimum_size=MINIMUM_BYTES,
    gzip_compress_level=6,
    middleware_class=KeepEncodedCompression,
)
