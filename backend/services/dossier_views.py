"""Read a stored dossier back into its wire form (status, snapshot, decision, history)."""

from __future__ import annotations

from datetime import datetime

import msgspec
from sqlalchemy import Row
from sqlalchemy.ext.asyncio import AsyncConnection

from backend.core.times import utc
from backend.db.repositories import dossiers as repo
from backend.db.repositories import recognitions as recognition_repo
from shared_schema.assessment_wire import Recognition
from shared_schema.dossier_flow import load_dossier_flow
from shared_schema.dossier_wire import Dossier, DossierEvent, DossierSnapshot


def _when(moment: datetime | None) -> datetime | None:
    """UTC, whichever database it came from."""
    return utc(moment) if moment is not None else None


def _event(row: Row) -> DossierEvent:  # type: ignore[type-arg]
    """An audit row → a dossier event."""
    detail = dict(row.detail or {})
    return DossierEvent(
        utc(row.at),
        row.actor,
        row.action.removeprefix("dossier."),
        str(detail.get("from_status", "")),
        str(detail.get("to_status", "")),
        str(detail.get("reason", "")),
    )


async def _recognition(conn: AsyncConnection, recognition_id: int | None) -> Recognition | None:
    """The decision that closed the dossier, if any."""
    if recognition_id is None:
        return None
    row = await recognition_repo.by_id(conn, recognition_id)
    if row is None:
        return None
    return Recognition(
        row.id,
        row.unit_code,
        row.year,
        row.level,
        row.decision_no,
        row.decided_on,
        row.signer,
        row.recorded_by,
    )


async def dossier_view(
    conn: AsyncConnection, code: str, year: int, recogniser: str | None
) -> Dossier:
    """The stored dossier, or a draft when the unit has not submitted yet."""
    flow = load_dossier_flow()
    row = await repo.get(conn, code, year)
    if row is None:
        return Dossier(code, year, flow.initial, flow.states[flow.initial], recogniser)
    snapshot = (
        msgspec.convert(row.snapshot, DossierSnapshot, strict=False) if row.snapshot else None
    )
    return Dossier(
        code,
        year,
        row.status,
        flow.states[row.status],
        recogniser,
        claimed_level=row.claimed_level,
        level_reached=row.level_reached,
        first_submitted_at=_when(row.first_submitted_at),
        submitted_at=_when(row.submitted_at),
        submitted_by=row.submitted_by,
        return_reason=row.return_reason,
        recognition=await _recognition(conn, row.recognition_id),
        snapshot=snapshot,
        history=[_event(e) for e in await repo.events(conn, row.id)],
    )
