"""Kept snapshots this process has decoded before, so a table of thousands decodes only changes."""

from __future__ import annotations

from collections import OrderedDict
from weakref import WeakKeyDictionary

from sqlalchemy import Engine
from sqlalchemy.ext.asyncio import AsyncConnection

from shared_schema.sync import Snapshot

# (origin, unit, year, revision, content hash): a kept row's body changes only with a higher
# revision or, at the same revision, another content hash, so a hit is the current body.
SnapshotKey = tuple[str, str, int, int, str]


class DecodedSnapshots:
    """A bounded least-recently-used map; its snapshots are shared, so callers only read them."""

    def __init__(self, size: int) -> None:
        self.size = size
        self.items: OrderedDict[SnapshotKey, Snapshot] = OrderedDict()

    def get(self, key: SnapshotKey) -> Snapshot | None:
        """The decoded snapshot, if this process decoded this revision before."""
        found = self.items.get(key)
        if found is not None:
            self.items.move_to_end(key)
        return found

    def put(self, key: SnapshotKey, snapshot: Snapshot) -> None:
        """Remember a decoded snapshot, forgetting the least recently read beyond the bound."""
        self.items[key] = snapshot
        self.items.move_to_end(key)
        while len(self.items) > self.size:
            self.items.popitem(last=False)


# A national table for two years fits (3,321 communes, 34 provinces, the nation: ~3,400 a year),
# at about 5 KB each once decoded.
SIZE = 8_000
_BY_DATABASE: WeakKeyDictionary[Engine, DecodedSnapshots] = WeakKeyDictionary()


def decoded_for(conn: AsyncConnection) -> DecodedSnapshots:
    """The map of this connection's database (one per engine: a process may hold several)."""
    engine = conn.engine.sync_engine
    found = _BY_DATABASE.get(engine)
    if found is None:
        found = _BY_DATABASE[engine] = DecodedSnapshots(SIZE)
    return found
