"""Tally submission (exactly once), listing, history and review."""

from __future__ import annotations

from typing import Any

from litestar import Request, Response, Router, get, post

from backend.core.access import Principal
from backend.db.database import Database
from backend.services import tallies
from backend.web.deps import provide_principal, wake_rebuilder
from shared_schema.wire import Tally, TallyReceipt, TallyReview, TallySubmission


@post("/")
async def submit(request: Request[Any, Any, Any], data: TallySubmission) -> Response[TallyReceipt]:
    """201 with a receipt the first time; 200 with the same receipt for a retry.

    The hot path: the caller is read from the token here rather than injected, so Litestar
    resolves no dependency for it; database and framework come from app state."""
    principal = await provide_principal(request)
    state = request.app.state
    receipt, created = await tallies.submit_tally(state.db, state.framework, principal, data)
    if created:
        wake_rebuilder(request)
    return Response(receipt, status_code=201 if created else 200)


@get("/")
async def list_tallies(principal: Principal, db: Database, unit: str, year: int) -> list[Tally]:
    """Current tallies of the villages under a unit."""
    return await tallies.list_current(db, principal, unit, year)


@get("/history")
async def history(principal: Principal, db: Database, village: str, year: int) -> list[Tally]:
    """Every revision of one village's tally, newest first."""
    return await tallies.tally_history(db, principal, village, year)


@post("/{tally_id:int}/review", status_code=200)
async def review(
    request: Request[Any, Any, Any],
    data: TallyReview,
    principal: Principal,
    db: Database,
    tally_id: int,
) -> Tally:
    """Confirm the current revision, or return it with a reason."""
    reviewed = await tallies.review_tally(db, principal, tally_id, data)
    wake_rebuilder(request)
    return reviewed


router = Router("/api/tallies", route_handlers=[submit, list_tallies, history, review])
