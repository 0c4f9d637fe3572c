"""The decoded-snapshot map keeps the most recently read and forgets beyond its bound."""

from __future__ import annotations

from backend.db.decoded_snapshots import DecodedSnapshots
from shared_schema.sync import Snapshot


def _snap(unit: str, revision: int) -> Snapshot:
    return Snapshot(origin="62", unit=unit, year=2025, revision=revision)


def test_a_new_revision_is_a_miss_and_the_least_recently_read_goes_first():
    decoded = DecodedSnapshots(2)
    decoded.put(("62", "a", 2025, 1, "h"), _snap("a", 1))
    decoded.put(("62", "b", 2025, 1, "h"), _snap("b", 1))
    assert decoded.get(("62", "a", 2025, 2, "h")) is None  # the kept row moved on
    assert decoded.get(("62", "a", 2025, 1, "h")) is not None  # read: now the most recent
    decoded.put(("62", "c", 2025, 1, "h"), _snap("c", 1))
    assert decoded.get(("62", "b", 2025, 1, "h")) is None
    assert [key[1] for key in decoded.items] == ["a", "c"]
