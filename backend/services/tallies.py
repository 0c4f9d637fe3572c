"""Tally use cases: submit exactly once, list, review, history."""

from __future__ import annotations

import hashlib
from datetime import UTC, datetime
from typing import Any

import msgspec
from sqlalchemy import Row
from sqlalchemy.exc import IntegrityError

from backend.core.access import Principal, require, require_scope
from backend.core.border_checks import check_framework_version, check_year
from backend.core.errors import Conflict, FieldProblem, InvalidInput, NotFound
from backend.core.tally_validation import validate_tally_values
from backend.core.times import utc
from backend.db.database import Database
from backend.db.repositories import tallies as repo
from backend.db.repositories.audit import audit_row, record
from backend.db.repositories.tally_ingest import SubmissionContext, tally_store
from backend.services.snapshots import mark_changed
from backend.services.units import load_unit
from shared_schema.framework import Framework
from shared_schema.wire import Tally, TallyFlag, TallyReceipt, TallyReview, TallySubmission

MIN_YEAR = 2000


def content_hash(village: str, year: int, values: dict[str, int]) -> str:
    """A canonical hash of what a phone sent, to tell a retry from a different tally."""
    body = msgspec.json.encode({"village": village, "year": year, "values": values}, order="sorted")
    return hashlib.sha256(body).hexdigest()


def receipt_from_row(row: Row) -> TallyReceipt:  # type: ignore[type-arg]
    """The receipt a phone keeps, rebuilt identically from the stored row."""
    return TallyReceipt(
        id=row.id,
        client_uuid=row.client_uuid,
        village=row.village_code,
        year=row.year,
        revision=row.revision,
        status=row.status,
        content_hash=row.content_hash,
        received_at=utc(row.received_at),
        flags=msgspec.convert(row.flags, list[TallyFlag]),
    )


def tally_from_row(row: Row) -> Tally:  # type: ignore[type-arg]
    """A stored revision as officers read it."""
    return Tally(
        id=row.id,
        client_uuid=row.client_uuid,
        village=row.village_code,
        village_name=row.village_name,
        year=row.year,
        revision=row.revision,
        status=row.status,
        values=dict(row.figures),
        flags=msgspec.convert(row.flags, list[TallyFlag]),
        submitted_by=row.submitted_by,
        received_at=utc(row.received_at),
        review_reason=row.review_reason,
        reviewed_by=row.reviewed_by,
        reviewed_at=utc(row.reviewed_at) if row.reviewed_at else None,
    )


def _check_year(year: int) -> None:
    """Refuse years outside the programme's plausible range."""
    if not MIN_YEAR <= year <= datetime.now(UTC).year + 1:
        raise InvalidInput(
            "year_out_of_range", "Năm báo cáo không hợp lệ", "Reporting year is out of range"
        )


def _refuse(problems: list[FieldProblem]) -> None:
    """A 422 naming each bad field, when there is any."""
    if problems:
        raise InvalidInput(
            "tally_invalid",
            "Biểu tổng hợp có số liệu không hợp lệ",
            "The tally has invalid values",
            errors=problems,
        )


def _validated(framework: Framework, values: dict[str, Any]) -> dict[str, int]:
    """Clean values, or a 422 naming each bad field."""
    clean, problems = validate_tally_values(framework, values)
    _refuse(problems)
    return clean


def _existing(row: Row, digest: str) -> TallyReceipt:  # type: ignore[type-arg]
    """The stored receipt for a retry, or a conflict when the content differs."""
    if row.content_hash != digest:
        raise Conflict(
            "tally_uuid_conflict",
            "Mã biểu này đã được gửi với số liệu khác; hãy tạo biểu mới",
            "This tally ID was already sent with different figures; create a new tally",
        )
    return receipt_from_row(row)


async def submit_tally(
    db: Database,
    framework: Framework,
    actor: Principal,
    submission: TallySubmission,
) -> tuple[TallyReceipt, bool]:
    """Store a tally once; a retry with the same UUID and content gets the same receipt."""
    require(actor, "tally_submit")
    _check_year(submission.year)
    check_year(framework, submission.year)
    check_framework_version(framework, submission.framework_version)
    client_uuid = str(submission.client_uuid)
    try:
        return await _store(db, framework, actor, submission, client_uuid)
    except IntegrityError:
        async with db.read() as conn:  # a concurrent retry of the same UUID won the race
            row = await repo.by_client_uuid(conn, client_uuid)
        if row is None:
            raise
        values = _validated(framework, submission.values)
        return _existing(row, content_hash(submission.village, submission.year, values)), False


def _check_village(actor: Principal, context: SubmissionContext | None, code: str) -> None:
    """The village exists, is active and lies in the caller's scope."""
    if context is None:
        raise NotFound("unit_not_found", f"Không tìm thấy đơn vị {code}", f"Unit {code} not found")
    require_scope(actor, context.path)
    if context.level != "village" or context.retired:
        raise InvalidInput(
            "not_a_village",
            "Chỉ nhập biểu cho thôn đang hoạt động",
            "Tallies are entered for active villages only",
        )
    if context.delegated_to is not None:
        raise Conflict(
            "unit_delegated",
            f"Thôn này báo cáo qua nút riêng của đơn vị {context.delegated_to}; hãy gửi về nút đó",
            f"This village reports through the node of unit {context.delegated_to}; send it there",
        )


async def _store(
    db: Database,
    framework: Framework,
    actor: Principal,
    submission: TallySubmission,
    client_uuid: str,
) -> tuple[TallyReceipt, bool]:
    """Check, then write the revision, its audit row and the rebuild mark in one unit of work."""
    village, year = submission.village, submission.year
    values, problems = validate_tally_values(framework, submission.values)
    digest = content_hash(village, year, values)
    now = datetime.now(UTC)
    row = {
        "client_uuid": client_uuid,
        "village_code": village,
        "year": year,
        "status": "submitted",
        "figures": values,
        "content_hash": digest,
        "framework_version": submission.framework_version or framework.version,
        "submitted_by": actor.username,
        "received_at": now,
    }
    audit = audit_row(
        actor, "tally.submit", "tally", client_uuid, village, {"year": year, "content_hash": digest}
    )
    async with tally_store(db) as store:
        if problems:  # the village is judged first, as a reader of the answer expects
            _check_village(actor, await store.context(village, year, client_uuid), village)
            _refuse(problems)
        attempt = await store.submit(row, audit, actor.unit_path, framework.tally.jump_flag)
        if attempt.stored is None:
            _check_village(actor, attempt.context, village)
            return _existing(await store.existing(client_uuid), digest), False
    stored = attempt.stored
    receipt = TallyReceipt(
        id=stored.id,
        client_uuid=submission.client_uuid,
        village=village,
        year=year,
        revision=stored.revision,
        status="submitted",
        content_hash=digest,
        received_at=now,
        flags=msgspec.convert(stored.flags, list[TallyFlag]),
    )
    return receipt, True


async def list_current(db: Database, actor: Principal, unit_code: str, year: int) -> list[Tally]:
    """Current tallies of the villages under a unit."""
    require(actor, "read")
    async with db.read() as conn:
        unit = await load_unit(conn, unit_code)
        require_scope(actor, unit.path)
        rows = await repo.current_in_subtree(conn, unit.path, year)
    return [tally_from_row(r) for r in rows]


async def tally_history(db: Database, actor: Principal, village: str, year: int) -> list[Tally]:
    """Every revision of one village's tally for a year, newest first."""
    require(actor, "read")
    async with db.read() as conn:
        unit = await load_unit(conn, village)
        require_scope(actor, unit.path)
        rows = await repo.history(conn, village, year)
    return [tally_from_row(r) for r in rows]


async def review_tally(
    db: Database,
    actor: Principal,
    tally_id: int,
    review: TallyReview,
) -> Tally:
    """A commune officer confirms the current revision or returns it with a reason."""
    require(actor, "tally_review")
    if review.action not in ("confirm", "return"):
        raise InvalidInput(
            "review_action_invalid",
            "Thao tác phải là xác nhận hoặc trả lại",
            "Action must be confirm or return",
        )
    if review.action == "return" and not review.reason.strip():
        raise InvalidInput(
            "review_reason_required",
            "Cần ghi lý do trả lại",
            "A reason is required to return a tally",
        )
    async with db.write() as conn:
        row = await repo.by_id(conn, tally_id)
        if row is None or not actor.covers(row.path):
            raise NotFound("tally_not_found", "Không tìm thấy biểu", "Tally not found")
        if row.current_revision != row.revision:
            raise Conflict(
                "tally_not_current",
                "Biểu này đã có bản sửa mới hơn",
                "A newer revision of this tally exists",
            )
        status = "confirmed" if review.action == "confirm" else "returned"
        await repo.set_review(
            conn,
            tally_id,
            status=status,
            review_reason=review.reason or None,
            reviewed_by=actor.username,
            reviewed_at=datetime.now(UTC),
        )
        await record(
            conn,
            actor,
            f"tally.{review.action}",
            "tally",
            tally_id,
            row.village_code,
            reason=review.reason,
        )
        await mark_changed(conn, row.village_code, row.year)
        updated = await repo.by_id(conn, tally_id)
    assert updated is not None
    return tally_from_row(updated)
