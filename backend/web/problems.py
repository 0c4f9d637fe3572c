"""The one place that turns errors into RFC 9457 problem+json responses."""

from __future__ import annotations

import logging
from typing import Any

import msgspec
from litestar import Request, Response
from litestar.exceptions import HTTPException, SerializationException, ValidationException

from backend.core.errors import DomainError
from backend.web.decoding import body_malformed
from backend.web.metrics import note_database_error
from backend.web.request_context import current_request_id

log = logging.getLogger("xhht.web")

PROBLEM_MEDIA = "application/problem+json"
STATUS_BY_KIND = {
    "invalid": 422,
    "not_found": 404,
    "forbidden": 403,
    "unauthenticated": 401,
    "conflict": 409,
    "rate_limited": 429,
    "too_large": 413,
    "unsupported_type": 415,
}
HTTP_MESSAGES: dict[int, tuple[str, str, str]] = {
    400: ("request_invalid", "Yêu cầu không hợp lệ", "The request is not valid"),
    401: ("unauthenticated", "Cần đăng nhập", "Login required"),
    403: ("forbidden", "Không có quyền", "Not allowed"),
    404: ("not_found", "Không tìm thấy", "Not found"),
    405: ("method_not_allowed", "Phương thức không được hỗ trợ", "Method not allowed"),
    413: ("body_too_large", "Dữ liệu gửi lên quá lớn", "Request body is too large"),
    415: (
        "unsupported_media_type",
        "Định dạng dữ liệu không được hỗ trợ",
        "Unsupported media type",
    ),
    429: ("rate_limited", "Quá nhiều yêu cầu", "Too many requests"),
}


def problem(
    status: int,
    code: str,
    message_vi: str,
    message_en: str,
    errors: list[dict[str, str]] | None = None,
    instance: str | None = None,
    headers: dict[str, str] | None = None,
    members: dict[str, Any] | None = None,
) -> Response[bytes]:
    """A problem+json response (`members`: extension members such as the parent's time)."""
    body: dict[str, Any] = {
        **(members or {}),
        "type": f"https://xhht.vn/problems/{code}",
        "title": message_en,
        "status": status,
        "code": code,
        "detail": message_vi,
        "message_vi": message_vi,
        "message_en": message_en,
    }
    if errors:
        body["errors"] = errors
    if instance:
        body["instance"] = instance
    if request_id := current_request_id():
        body["request_id"] = request_id
    return Response(
        msgspec.json.encode(body), status_code=status, media_type=PROBLEM_MEDIA, headers=headers
    )


def domain_error_handler(request: Request[Any, Any, Any], exc: Exception) -> Response[bytes]:
    """Domain errors carry their own code and messages."""
    assert isinstance(exc, DomainError)
    status = STATUS_BY_KIND.get(exc.kind, 400)
    errors = [vars(e) for e in exc.errors]
    headers = {"Retry-After": str(exc.extra["retry_after"])} if "retry_after" in exc.extra else None
    members = exc.extra.get("members")
    return problem(
        status, exc.code, exc.message_vi, exc.message_en, errors, request.url.path, headers, members
    )


def validation_handler(request: Request[Any, Any, Any], exc: Exception) -> Response[bytes]:
    """Litestar's parameter/body validation: a bad body is 422 body_invalid, a bad query 400."""
    assert isinstance(exc, ValidationException)
    details = exc.extra if isinstance(exc.extra, list) else []
    errors = [
        {
            "field": str(e.get("key", "")),
            "code": "invalid",
            "message_vi": "Giá trị không hợp lệ",
            "message_en": str(e.get("message", "")),
        }
        for e in details
        if isinstance(e, dict)
    ]
    if any(isinstance(e, dict) and e.get("source") == "body" for e in details):
        return problem(
            422,
            "body_invalid",
            "Dữ liệu gửi lên sai cấu trúc hoặc sai kiểu",
            "The request body has the wrong shape",
            errors,
            request.url.path,
        )
    return problem(
        400,
        "request_invalid",
        "Yêu cầu không hợp lệ",
        f"The request is not valid: {exc.detail}",
        errors,
        request.url.path,
    )


def serialization_handler(request: Request[Any, Any, Any], exc: Exception) -> Response[bytes]:
    """A body Litestar itself could not decode: the same problem as our own decoder's."""
    return domain_error_handler(request, body_malformed())


def http_handler(request: Request[Any, Any, Any], exc: Exception) -> Response[bytes]:
    """Framework HTTP errors (404 route, 405, 413…) in the same problem shape."""
    assert isinstance(exc, HTTPException)
    code, vi, en = HTTP_MESSAGES.get(
        exc.status_code, ("http_error", "Lỗi yêu cầu", "Request error")
    )
    headers = {k: str(v) for k, v in (exc.headers or {}).items()}
    return problem(exc.status_code, code, vi, en, instance=request.url.path, headers=headers)


def internal_handler(request: Request[Any, Any, Any], exc: Exception) -> Response[bytes]:
    """Anything unexpected: logged with its trace, answered without internals."""
    log.exception("unhandled error on %s %s", request.method, request.url.path, exc_info=exc)
    note_database_error(exc)
    return problem(
        500,
        "internal_error",
        "Lỗi hệ thống, vui lòng thử lại sau",
        "Internal error; please try again later",
        instance=request.url.path,
    )


EXCEPTION_HANDLERS = {
    DomainError: domain_error_handler,
    ValidationException: validation_handler,
    SerializationException: serialization_handler,
    HTTPException: http_handler,
    Exception: internal_handler,
}
