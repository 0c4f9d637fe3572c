"""The API document says what the node really does: raw bodies, problem responses, content types."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from litestar import Litestar
from litestar.openapi.spec import (
    Components,
    OpenAPI,
    OpenAPIMediaType,
    OpenAPIResponse,
    Operation,
    Reference,
    RequestBody,
    Schema,
)
from litestar.openapi.spec.enums import OpenAPIFormat, OpenAPIType

from backend.web.problems import PROBLEM_MEDIA
from shared_schema.framework import Framework
from shared_schema.values import YearWindow

METHODS = ("get", "put", "post", "patch", "delete")
PROBLEM_STATUSES = {
    "400": "The request (a parameter) is not valid",
    "401": "Login or a valid token is required",
    "403": "The caller's role or unit does not allow this",
    "404": "Not found, or not visible to the caller",
    "405": "Method not allowed (the Allow header lists the allowed ones)",
    "409": "Conflicts with what is stored",
    "413": "The body is too large",
    "415": "The body's type is not accepted",
    "422": "The body or a value breaks a rule; nothing was stored",
    "429": "Too many attempts; see Retry-After",
    "500": "Internal error; nothing was half-stored",
}
PROBLEM_SCHEMA = Schema(
    type=OpenAPIType.OBJECT,
    required=["type", "title", "status", "code"],
    properties={
        "type": Schema(type=OpenAPIType.STRING),
        "title": Schema(type=OpenAPIType.STRING),
        "status": Schema(type=OpenAPIType.INTEGER),
        "code": Schema(type=OpenAPIType.STRING, description="Stable code, see docs/errors.md"),
        "detail": Schema(type=OpenAPIType.STRING),
        "message_vi": Schema(type=OpenAPIType.STRING),
        "message_en": Schema(type=OpenAPIType.STRING),
        "instance": Schema(type=OpenAPIType.STRING),
        "errors": Schema(
            type=OpenAPIType.ARRAY,
            items=Schema(
                type=OpenAPIType.OBJECT,
                properties={
                    k: Schema(type=OpenAPIType.STRING)
                    for k in ("field", "code", "message_vi", "message_en")
                },
            ),
        ),
    },
)


def raw_body(media_type: str, description: str, binary: bool = False) -> type[Operation]:
    """An operation class declaring a body the handler reads raw (a file, CSV or a JWS)."""
    schema = Schema(type=OpenAPIType.STRING, format=OpenAPIFormat.BINARY if binary else None)

    @dataclass
    class RawBodyOperation(Operation):
        def __post_init__(self) -> None:
            self.request_body = RequestBody(
                content={media_type: OpenAPIMediaType(schema=schema)},
                description=description,
                required=True,
            )

    return RawBodyOperation


def _problem_response(description: str) -> OpenAPIResponse:
    """One documented problem+json answer."""
    reference = Reference(ref="#/components/schemas/Problem")
    return OpenAPIResponse(
        description=description, content={PROBLEM_MEDIA: OpenAPIMediaType(schema=reference)}
    )


def add_problem_responses(openapi: OpenAPI) -> OpenAPI:
    """Every operation may answer with the problem statuses, as application/problem+json."""
    components = openapi.components if isinstance(openapi.components, Components) else Components()
    components.schemas = {**(components.schemas or {}), "Problem": PROBLEM_SCHEMA}
    openapi.components = components
    for path_item in (openapi.paths or {}).values():
        for method in METHODS:
            operation: Operation | None = getattr(path_item, method, None)
            if operation is None:
                continue
            responses = dict(operation.responses or {})
            for status, description in PROBLEM_STATUSES.items():
                responses[status] = _problem_response(description)
            operation.responses = responses
    return openapi


def _merge_number_unions(node: Any) -> None:
    """`oneOf: [number, integer]` rejects every whole number (it matches both): say `number`."""
    if isinstance(node, Schema):
        options = node.one_of or []
        types = {o.type for o in options if isinstance(o, Schema)}
        if (
            len(options) == len(types)
            and OpenAPIType.NUMBER in types
            and OpenAPIType.INTEGER in types
        ):
            kept = [OpenAPIType.NUMBER] + [OpenAPIType.NULL] * (OpenAPIType.NULL in types)
            node.one_of = None
            node.type = kept[0] if len(kept) == 1 else kept
        for value in vars(node).values():
            _merge_number_unions(value)
    elif isinstance(node, dict):
        for value in node.values():
            _merge_number_unions(value)
    elif isinstance(node, list | tuple):
        for value in node:
            _merge_number_unions(value)


def _bound_years(openapi: OpenAPI, window: YearWindow) -> None:
    """Every `year` parameter says which years the framework accepts."""
    for path_item in (openapi.paths or {}).values():
        operations = [
            getattr(path_item, m, None) for m in ("get", "put", "post", "patch", "delete")
        ]
        for operation in filter(None, operations):
            for parameter in operation.parameters or []:
                schema = getattr(parameter, "schema", None)
                if getattr(parameter, "name", "") == "year" and isinstance(schema, Schema):
                    schema.minimum, schema.maximum = window.first, window.last


def _document_downloads(app: Litestar, openapi: OpenAPI) -> None:
    """Handlers with opt["downloads"] answer 200 with those media types (files, CSV, XLSX)."""
    binary = OpenAPIMediaType(schema=Schema(type=OpenAPIType.STRING, format=OpenAPIFormat.BINARY))
    for route in app.routes:
        for handler in getattr(route, "route_handlers", []):
            types = handler.opt.get("downloads")
            path_item = (openapi.paths or {}).get(route.path_format or "/")
            if not types or path_item is None:
                continue
            for method in handler.http_methods:
                operation = getattr(path_item, method.lower(), None)
                answer = (operation.responses or {}).get("200") if operation else None
                if isinstance(answer, OpenAPIResponse):
                    kept = {k: v for k, v in (answer.content or {}).items() if k in types}
                    answer.content = {**{t: binary for t in types}, **kept}


def complete_document(app: Litestar, framework: Framework) -> None:
    """Build the app's document once and add what Litestar leaves out (it is cached as built)."""
    openapi = app.openapi_schema
    add_problem_responses(openapi)
    if openapi.components and isinstance(openapi.components, Components):
        _merge_number_unions(openapi.components.schemas)
    _bound_years(openapi, framework.reporting_years)
    _document_downloads(app, openapi)
