"""Roles and their permissions, loaded from roles.yaml so they stay data."""

from __future__ import annotations

from functools import lru_cache
from pathlib import Path

import msgspec
import yaml

from shared_schema.framework import Text
from shared_schema.per_object import PerObject


class Role(msgspec.Struct, frozen=True, forbid_unknown_fields=True):
    """What users of one role may do inside their unit's subtree."""

    code: str
    label: Text
    permissions: frozenset[str]
    manage_levels: frozenset[str]
    grant_roles: frozenset[str] = frozenset()


class RoleBook(msgspec.Struct, frozen=True, forbid_unknown_fields=True):
    """All roles of a node."""

    roles: list[Role]

    def get(self, code: str) -> Role | None:
        """The role with this code, if any (asked on every request: indexed once per book)."""
        return _by_code(self).get(code)


# The first role of a code wins, as a scan of the list would find it.
_by_code: PerObject[RoleBook, dict[str, Role]] = PerObject(
    lambda book: {r.code: r for r in reversed(book.roles)}
)


@lru_cache(maxsize=1)
def load_roles() -> RoleBook:
    """The packaged role book."""
    data = yaml.safe_load((Path(__file__).parent / "roles.yaml").read_text(encoding="utf-8"))
    return msgspec.convert(data, RoleBook)
