"""Bulk onboarding of village heads from a CSV: every row judged, then all created or none."""

from __future__ import annotations

from datetime import UTC, datetime

from sqlalchemy.ext.asyncio import AsyncConnection

from backend.config import Settings
from backend.core.access import Principal, require
from backend.core.errors import FieldProblem, InvalidInput
from backend.core.user_csv import ImportLine, free_username, parse_user_csv, username_stem
from backend.core.user_fields import clean_name, clean_phone, username_problem
from backend.core.user_rules import require_grant
from backend.db.database import Database
from backend.db.repositories import audit
from backend.db.repositories import units as unit_repo
from backend.db.repositories import user_admin as repo
from backend.services.activation import issue_code
from shared_schema.user_wire import ImportReport, ImportRow
from shared_schema.wire import FieldError

ROLE = "village_head"


def _error(line: int, column: str, code: str, vi: str, en: str) -> FieldError:
    """A problem of one cell, located as `row N.column`."""
    return FieldError(f"row {line}.{column}", code, f"Dòng {line}: {vi}", f"Row {line}: {en}")


def _from(line: int, problem: FieldProblem | None) -> list[FieldError]:
    """A field check's problem as a row error."""
    if problem is None:
        return []
    return [_error(line, problem.field, problem.code, problem.message_vi, problem.message_en)]


async def _village_errors(
    conn: AsyncConnection, actor: Principal, line: ImportLine, seen: set[str], headed: set[str]
) -> tuple[str, list[FieldError]]:
    """The village's name and what is wrong with the row's village."""
    unit = await unit_repo.get(conn, line.village)
    n = line.line
    if unit is None:
        return "", [
            _error(
                n,
                "village",
                "village_unknown",
                f"không có thôn {line.village}",
                f"no village {line.village}",
            )
        ]
    problems = []
    if unit.level != "village" or unit.retired:
        problems.append(
            _error(
                n,
                "village",
                "unit_not_village",
                f"{unit.name} không phải thôn đang hoạt động",
                f"{unit.name} is not an active village",
            )
        )
    elif not unit.path.startswith(actor.unit_path):
        problems.append(
            _error(
                n,
                "village",
                "village_out_of_scope",
                f"{unit.name} ngoài phạm vi của bạn",
                f"{unit.name} is outside your area",
            )
        )
    elif line.village in seen:
        problems.append(
            _error(
                n,
                "village",
                "duplicate_row",
                f"{unit.name} có hai dòng",
                f"{unit.name} appears twice",
            )
        )
    elif line.village in headed:
        problems.append(
            _error(
                n,
                "village",
                "village_has_head",
                f"{unit.name} đã có trưởng thôn đang hoạt động (hãy cấp lại mã cho người đó)",
                f"{unit.name} already has an active village head (reset that account instead)",
            )
        )
    return unit.name, problems


async def _judge(
    conn: AsyncConnection, actor: Principal, lines: list[ImportLine]
) -> list[ImportRow]:
    """Every row with its village name, generated username and problems."""
    headed = await repo.active_heads(conn, [line.village for line in lines])
    seen: set[str] = set()
    taken: set[str] = set()
    rows = []
    for line in lines:
        name, errors = await _village_errors(conn, actor, line, seen, headed)
        seen.add(line.village)
        full_name, name_problem = clean_name(line.full_name)
        phone, phone_problem = clean_phone(line.phone)
        errors += _from(line.line, name_problem) + _from(line.line, phone_problem)
        username = line.username or free_username(
            username_stem(line.village),
            taken | await repo.usernames_like(conn, username_stem(line.village)),
        )
        errors += _from(line.line, username_problem(username))
        if username in taken or (line.username and await repo.user_by_name(conn, username)):
            errors.append(
                _error(
                    line.line,
                    "username",
                    "username_taken",
                    f"tên đăng nhập {username} đã có",
                    f"username {username} is taken",
                )
            )
        taken.add(username)
        rows.append(ImportRow(line.line, line.village, name, full_name, phone, username, errors))
    return rows


async def _create(
    conn: AsyncConnection, settings: Settings, actor: Principal, row: ImportRow
) -> ImportRow:
    """One account with its activation code."""
    user_id = await repo.insert_user(
        conn,
        username=row.username,
        password_hash=repo.UNUSABLE_HASH,
        role=ROLE,
        unit_code=row.village,
        full_name=row.full_name,
        phone=row.phone,
        active=True,
        created_at=datetime.now(UTC),
    )
    issued = await issue_code(conn, settings, user_id, actor.username)
    detail = {"role": ROLE, "unit": row.village, "full_name": row.full_name, "phone": row.phone}
    await audit.record(conn, actor, "user.import", "user", row.username, row.village, **detail)
    return ImportRow(
        row.line,
        row.village,
        row.village_name,
        row.full_name,
        row.phone,
        row.username,
        [],
        issued.code,
        issued.expires_at,
    )


async def import_users(
    db: Database,
    settings: Settings,
    actor: Principal,
    text: str,
    *,
    dry_run: bool,
    valid_only: bool,
) -> ImportReport:
    """Judge every row; create all (or, when asked, the valid ones) unless this is a preview."""
    require(actor, "user_manage")
    require_grant(actor, ROLE)
    lines = parse_user_csv(text)
    async with db.write() as conn:
        rows = await _judge(conn, actor, lines)
        valid = [r for r in rows if not r.errors]
        invalid = len(rows) - len(valid)
        if dry_run or not valid or (invalid and not valid_only):
            if invalid and not dry_run and not valid_only:
                raise InvalidInput(
                    "users_import_invalid",
                    f"{invalid} dòng có lỗi; chưa tạo tài khoản nào",
                    f"{invalid} rows have errors; no account was created",
                    [
                        FieldProblem(e.field, e.code, e.message_vi, e.message_en)
                        for r in rows
                        for e in r.errors
                    ],
                )
            return ImportReport(rows, len(valid), invalid, 0, False)
        created = {r.line: await _create(conn, settings, actor, r) for r in valid}
    final = [created.get(r.line, r) for r in rows]
    return ImportReport(final, len(valid), invalid, len(created), True)
