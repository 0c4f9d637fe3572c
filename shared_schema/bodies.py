"""Who does what: bodies of a commune or district and the indicators each leads or supports.

Seed 004's appendix (xã Kiến Hưng, 2026) and seed 003's appendix 3 (Đắk Glei) assign every
indicator a lead body and supporting bodies, which gather its evidence for the dossier.
"""

from __future__ import annotations

import msgspec

from shared_schema.text import Text


class Body(msgspec.Struct, frozen=True, forbid_unknown_fields=True):
    """An agency, association or unit that contributes evidence (Phòng GD&ĐT, Hội Khuyến học…)."""

    code: str
    name: Text
    kind: str = "agency"  # agency | association | unit


class Assignment(msgspec.Struct, frozen=True, forbid_unknown_fields=True):
    """The lead and supporting bodies of one indicator."""

    indicator: str
    lead: str | None
    support: list[str] = []
    inferred: bool = False  # the seed leaves the cell blank (merged with the row above)


class Responsibilities(msgspec.Struct, frozen=True, forbid_unknown_fields=True):
    """The bodies of one unit level and their assignments, with the document they come from."""

    source: str
    bodies: list[Body]
    assignments: list[Assignment]

    def body(self, code: str) -> Body | None:
        """The body with this code, if declared."""
        return next((b for b in self.bodies if b.code == code), None)

    def of(self, indicator: str) -> Assignment | None:
        """The assignment of an indicator, if any."""
        return next((a for a in self.assignments if a.indicator == indicator), None)
