"""Node-to-node routes: enrollment, key rotation, signed snapshot pushes, decision pulls."""

from __future__ import annotations

import logging
from typing import Any

from litestar import Request, Router, get, post
from litestar.status_codes import HTTP_200_OK, HTTP_201_CREATED

from backend.config import Settings
from backend.core.access import Principal
from backend.core.errors import DomainError
from backend.db.database import Database
from backend.services import decisions, intake, receiving, topology, units
from backend.web.decoding import text_body
from backend.web.deps import wake_rebuilder
from backend.web.openapi_doc import raw_body
from backend.web.sync_auth import bearer, check_public_key, verified
from shared_schema.framework import Framework
from shared_schema.sync import (
    ChildNode,
    DecisionPage,
    EnrollRequest,
    EnrollResponse,
    EnrollToken,
    EnrollTokenRequest,
    KeyRotation,
    MoveRequest,
    NodeClaims,
    NodeInfo,
    PushAck,
    UncheckedPush,
)

log = logging.getLogger("xhht.sync")
JWS_BODY = raw_body("application/jwt", "A compact JWS signed with the child node's key")


@get("/node")
async def node_info(db: Database, settings: Settings) -> NodeInfo:
    """This node's unit: children use it as the audience of their tokens."""
    if not settings.unit:
        return NodeInfo("")
    async with db.read() as conn:
        unit = await units.load_unit(conn, settings.unit)
    return NodeInfo(unit.code, unit.name, unit.level)


@post("/enroll-tokens", status_code=HTTP_201_CREATED)
async def enroll_token(
    data: EnrollTokenRequest, principal: Principal, db: Database, settings: Settings
) -> EnrollToken:
    """An admin gets a one-time token for the node of a unit below this one."""
    return await receiving.issue_token(db, principal, settings.unit, data.unit, data.valid_hours)


@post("/enroll", status_code=HTTP_201_CREATED)
async def enroll(
    data: EnrollRequest, db: Database, framework: Framework, settings: Settings
) -> EnrollResponse:
    """A child registers its public key with a one-time token."""
    check_public_key(data.public_key)
    return await receiving.enroll(db, framework, settings.unit, data)


@post("/rotate-key", status_code=HTTP_200_OK, operation_class=JWS_BODY)
async def rotate_key(
    request: Request[Any, Any, Any], db: Database, settings: Settings
) -> dict[str, str]:
    """A child replaces its key with a request signed by the old one."""
    claims = await verified(db, text_body(await request.body()), settings.unit, KeyRotation)
    check_public_key(claims.new_public_key)
    await receiving.rotate_key(db, claims.iss, claims.jti, claims.exp, claims.new_public_key)
    return {"status": "rotated"}


@post("/snapshots", status_code=HTTP_200_OK, operation_class=JWS_BODY)
async def receive(
    request: Request[Any, Any, Any], db: Database, framework: Framework, settings: Settings
) -> PushAck:
    """A signed push of snapshots, answered with a verdict per snapshot."""
    push = await verified(db, text_body(await request.body()), settings.unit, UncheckedPush)
    try:
        ack = await intake.receive_push(db, framework, settings.unit, push)
    except DomainError as exc:
        log.warning("sync push from %s refused: %s", push.iss, exc.code)
        raise
    if ack.refused:
        codes = sorted({v.code for v in ack.items if v.verdict == "refused"})
        log.warning("sync push from %s: %d snapshot(s) refused (%s)", push.iss, ack.refused, codes)
    wake_rebuilder(request)
    return ack


@get("/decisions")
async def decision_feed(
    request: Request[Any, Any, Any], db: Database, settings: Settings, since: int = 0
) -> DecisionPage:
    """Decisions after a cursor for the signed, enrolled child asking."""
    token = bearer(request.headers.get("authorization", ""))
    claims = await verified(db, token, settings.unit, NodeClaims)
    path = await receiving.check_pull(db, settings.unit, claims.iss, claims.jti, claims.exp)
    return await decisions.feed(db, path, since)


@get("/children")
async def list_children(principal: Principal, db: Database) -> list[ChildNode]:
    """Enrolled child nodes (admin)."""
    return await receiving.children(db, principal)


@post("/children/{unit:str}/revoke", status_code=HTTP_200_OK)
async def revoke_child(
    principal: Principal, db: Database, framework: Framework, settings: Settings, unit: str
) -> dict[str, int]:
    """Stop trusting a child's node (admin)."""
    return {"revoked": await receiving.revoke(db, framework, principal, settings.unit, unit)}


@post("/units/{code:str}/move", status_code=HTTP_200_OK)
async def move_unit(
    data: MoveRequest,
    principal: Principal,
    db: Database,
    framework: Framework,
    settings: Settings,
    code: str,
) -> dict[str, int]:
    """Re-parent a unit on this node (admin); figures move with it, nothing counts twice."""
    changed = await topology.move_unit(db, framework, principal, settings.unit, code, data.parent)
    return {"rebuilt": changed}


router = Router(
    "/api/sync",
    route_handlers=[
        node_info,
        enroll_token,
        enroll,
        rotate_key,
        receive,
        decision_feed,
        list_children,
        revoke_child,
        move_unit,
    ],
)
