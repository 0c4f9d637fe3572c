"""A bare Litestar route that inserts one tally-like row through asyncpg: the HTTP stack's floor.

Run by bench/ingest.py as: python bench/bare_route.py PORT DSN (one uvicorn process, like the node).
"""

from __future__ import annotations

import sys
import uuid
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from datetime import UTC, datetime
from typing import Any

import asyncpg
import msgspec
import uvicorn
from litestar import Litestar, get, post

CREATE = """CREATE TABLE IF NOT EXISTS bench_bare (
    id bigserial PRIMARY KEY, client_uuid varchar(36) UNIQUE NOT NULL,
    village_code varchar(32) NOT NULL, year int NOT NULL, revision int NOT NULL,
    status varchar(16) NOT NULL, figures json NOT NULL, flags json NOT NULL,
    content_hash varchar(64) NOT NULL, framework_version varchar(32) NOT NULL,
    submitted_by varchar(80) NOT NULL, received_at timestamptz NOT NULL)"""
INSERT = (
    "INSERT INTO bench_bare (client_uuid, village_code, year, revision, status, figures,"
    " flags, content_hash, framework_version, submitted_by, received_at)"
    " VALUES ($1,$2,$3,1,'submitted',$4,'[]',$5,'2026.1','bench',$6) RETURNING id"
)


class Submission(msgspec.Struct, forbid_unknown_fields=True):
    """The same body the node's tally route takes."""

    client_uuid: uuid.UUID
    village: str
    year: int
    values: dict[str, Any]


class Receipt(msgspec.Struct):
    """A minimal answer."""

    id: int
    client_uuid: uuid.UUID


def build(dsn: str) -> Litestar:
    """One POST route over an asyncpg pool, nothing else."""
    pool: dict[str, asyncpg.Pool] = {}

    @asynccontextmanager
    async def lifespan(_app: Litestar) -> AsyncIterator[None]:
        pool["p"] = await asyncpg.create_pool(dsn, min_size=10, max_size=20)
        await pool["p"].execute(CREATE)
        yield
        await pool["p"].close()

    @post("/api/tallies")
    async def submit(data: Submission) -> Receipt:
        """Insert one row; 201 with its id."""
        figures = msgspec.json.encode(data.values).decode()
        row_id = await pool["p"].fetchval(
            INSERT,
            str(data.client_uuid),
            data.village,
            data.year,
            figures,
            "0" * 64,
            datetime.now(UTC),
        )
        return Receipt(row_id, data.client_uuid)

    @get("/health")
    async def health() -> str:
        """Ready."""
        return "ok"

    return Litestar([submit, health], lifespan=[lifespan], logging_config=None)


if __name__ == "__main__":
    port, dsn = int(sys.argv[1]), sys.argv[2]
    uvicorn.run(build(dsn), host="127.0.0.1", port=port, log_level="warning", access_log=False)
