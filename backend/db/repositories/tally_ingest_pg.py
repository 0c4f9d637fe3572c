"""The tally submission on PostgreSQL: one prepared statement checks, flags and writes.

Checks, jump flags, head, revision, audit row and rebuild mark go to the server in one round
trip: a submission costs one statement instead of a read and a write. The statement stores
nothing unless `tally_ingest.accepts` holds for what it reads, and returns that context either
way so the caller can say what was wrong. The jump flags are computed in SQL with the framework's
rule as parameters; tests/integration/test_tally_ingest.py holds them equal to
`core.tally_flags.jump_flags`, which SQLite uses.
"""

from __future__ import annotations

from collections.abc import Sequence
from operator import itemgetter
from types import SimpleNamespace
from typing import Any

import msgspec
from sqlalchemy import (
    BigInteger,
    Float,
    Text,
    and_,
    bindparam,
    cast,
    false,
    func,
    insert,
    literal,
    literal_column,
    null,
    or_,
    select,
    true,
)
from sqlalchemy.dialects import postgresql
from sqlalchemy.dialects.postgresql import aggregate_order_by
from sqlalchemy.dialects.postgresql import asyncpg as pg_asyncpg
from sqlalchemy.exc import IntegrityError

from backend.db.paths import path_under
from backend.db.repositories import rebuild_queue
from backend.db.repositories import tallies as repo
from backend.db.repositories.tally_ingest import Attempt, Stored, SubmissionContext, context_of
from backend.db.tables import audit_log, tallies, tally_heads
from backend.db.tables import rebuild_queue as queue_table
from shared_schema.framework import JumpFlag

AUDIT_KEYS = [(c, f"audit_{c}") for c in repo.AUDIT_COLUMNS]
UNIQUE_VIOLATION = "23505"  # SQLSTATE: a second tally with the same client UUID lost the race
JSON_PARAMS = ("figures", "audit_detail")


class Prepared:
    """A Core statement compiled once for asyncpg: its SQL text and the order of its parameters."""

    def __init__(self, statement: Any) -> None:
        compiled = statement.compile(dialect=pg_asyncpg.dialect())  # type: ignore[no-untyped-call]
        self.sql: str = compiled.string
        self.names: tuple[str, ...] = tuple(compiled.positiontup or ())
        self.fixed: dict[str, Any] = dict(compiled.params)  # constants such as LIMIT 1
        self._pick = itemgetter(*self.names) if len(self.names) > 1 else None

    def args(self, params: dict[str, Any]) -> Sequence[Any]:
        """Positional arguments from named ones (JSON already encoded by the caller)."""
        given = {**self.fixed, **params}
        if self._pick is None:
            return [given[name] for name in self.names]
        picked: tuple[Any, ...] = self._pick(given)
        return picked


def _typed(column: str) -> Any:
    """A parameter with its tallies column's type, so every use of it casts alike."""
    return bindparam(column, type_=tallies.c[column].type)


def _accepted(village: Any) -> Any:
    """The village row only when a new revision may be stored (`tally_ingest.accepts`)."""
    return (
        select(village)
        .where(
            village.c.level == "village",
            village.c.retired.is_(false()),
            village.c.existing_id.is_(None),
            village.c.delegated_to.is_(None),
            path_under(village.c.path, bindparam("scope", type_=Text)),
        )
        .cte("accepted")
    )


def flags_of(accepted: Any) -> Any:
    """The jump flags of the submitted figures against last year's, in submission order."""
    current = (
        func.json_each_text(_typed("figures"))
        .table_valued("key", "value", with_ordinality="n")
        .render_derived(name="c")
    )
    previous = (
        func.json_each_text(accepted.c.previous)
        .table_valued("key", "value")
        .render_derived(name="p")
    )
    now, before = cast(current.c.value, BigInteger), cast(previous.c.value, BigInteger)
    high, low = func.greatest(before, now), func.least(before, now)
    jumped = and_(
        high >= bindparam("jump_minimum", type_=BigInteger),
        or_(low == 0, cast(high, Float) / cast(low, Float) >= bindparam("jump_ratio", type_=Float)),
    )
    flag = func.json_build_object(
        literal_column("'field'"),
        current.c.key,
        literal_column("'code'"),
        literal_column("'jump_from_previous_year'"),
        literal_column("'message_vi'"),
        bindparam("jump_vi", type_=Text),
        literal_column("'message_en'"),
        bindparam("jump_en", type_=Text),
        literal_column("'previous'"),
        before,
        literal_column("'current'"),
        now,
    )
    listed = func.coalesce(
        func.json_agg(aggregate_order_by(flag, current.c.n)), literal_column("'[]'::json")
    )
    return (
        select(listed.label("flags"))
        .select_from(accepted)
        .join(current, true())
        .join(previous, previous.c.key == current.c.key)
        .where(jumped)
        .cte("flags")
    )


def _submit_statement() -> Any:
    """Read the context; when accepted, bump the head, insert the flagged revision, append the
    audit row and mark the village-year; answer the context and what was stored."""
    village = repo.CONTEXT_QUERY.cte("village")
    accepted = _accepted(village)
    flags = flags_of(accepted)
    head = repo.bump_head(
        postgresql.insert(tally_heads).from_select(
            ["village_code", "year", "revision"],
            select(_typed("village_code"), _typed("year"), literal(1)).select_from(accepted),
        )
    ).cte("head")
    columns = [c for c in repo.TALLY_COLUMNS if c != "flags"]
    stored = (
        insert(tallies)
        .from_select(
            [*columns, "revision", "flags"],
            select(
                *(_typed(c) for c in columns),
                head.c.revision,
                flags.c.flags,
            ).select_from(head.join(flags, true())),
        )
        .returning(tallies.c.id, tallies.c.revision, tallies.c.flags)
        .cte("stored")
    )
    audit = (
        insert(audit_log)
        .from_select(
            repo.AUDIT_COLUMNS,
            select(
                *(bindparam(f"audit_{c}", type_=audit_log.c[c].type) for c in repo.AUDIT_COLUMNS)
            ).select_from(head),
        )
        .cte("audit")
    )
    mark = rebuild_queue.upsert_mark(
        postgresql.insert(queue_table).from_select(
            ["unit_code", "year", "queued_at", "attempts"],
            select(
                _typed("village_code"), _typed("year"), _typed("received_at"), literal(0)
            ).select_from(head),
        )
    ).cte("mark")
    return (
        select(
            village.c.path,
            village.c.level,
            village.c.retired,
            village.c.existing_id,
            null().label("previous"),
            village.c.delegated_to,
            stored.c.id,
            stored.c.revision,
            stored.c.flags,
        )
        .select_from(village.outerjoin(stored, true()))
        .add_cte(audit, mark)
    )


CONTEXT = Prepared(repo.CONTEXT_QUERY)
SUBMIT = Prepared(_submit_statement())
EXISTING = Prepared(select(tallies).where(tallies.c.client_uuid == bindparam("uuid")))
JSON = msgspec.json.Encoder()


class PostgresTallyStore:
    """On the driver's connection: each statement prepared once per connection, atomic alone."""

    def __init__(self, driver: Any) -> None:
        self.driver = driver

    async def context(self, village: str, year: int, client_uuid: str) -> SubmissionContext | None:
        """The context alone (a submission whose figures are refused still reports its village
        first)."""
        params = {"village": village, "previous_year": year - 1, "client_uuid": client_uuid}
        return context_of(await self.driver.fetchrow(CONTEXT.sql, *CONTEXT.args(params)))

    async def existing(self, client_uuid: str) -> Any:
        """The earlier tally, its columns as attributes like a SQLAlchemy row."""
        record = await self.driver.fetchrow(EXISTING.sql, *EXISTING.args({"uuid": client_uuid}))
        assert record is not None  # the context just found its id
        return SimpleNamespace(**dict(record))

    async def submit(
        self, row: dict[str, Any], audit: dict[str, Any], scope: str, rule: JumpFlag
    ) -> Attempt:
        """One statement, so one transaction; a lost UUID race is SQLAlchemy's IntegrityError."""
        params = {
            **row,
            **{key: audit[column] for column, key in AUDIT_KEYS},
            "village": row["village_code"],
            "previous_year": row["year"] - 1,
            "scope": scope,
            "jump_minimum": rule.minimum_previous,
            "jump_ratio": rule.ratio,
            "jump_vi": rule.message.vi,
            "jump_en": rule.message.en,
        }
        for name in JSON_PARAMS:
            params[name] = JSON.encode(params[name]).decode()
        try:
            found = await self.driver.fetchrow(SUBMIT.sql, *SUBMIT.args(params))
        except Exception as exc:
            if getattr(exc, "sqlstate", None) == UNIQUE_VIOLATION:
                raise IntegrityError(SUBMIT.sql, None, exc) from exc
            raise
        if found is None or found["id"] is None:
            return Attempt(context_of(found), None)
        stored = Stored(int(found["id"]), int(found["revision"]), list(found["flags"]))
        return Attempt(context_of(found), stored)
