"""Roles and their permissions, loaded from roles.yaml so they stay data."""

from __future__ import annotations

from functools import lru_cache
from pathlib import Path

import msgspec
import yaml

from shared_schema.framework import Text


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
        entry = _INDEXES.get(id(self))
        if entry is None or entry[0] is not self:
            if len(_INDEXES) > 16:
                _INDEXES.clear()
            entry = _INDEXES[id(self)] = (self, {r.code: r for r in reversed(self.roles)})
        return entry[1].get(code)


# Keyed by id (a book holds a list, so it is not hashable); the book is kept to pin its id.
_INDEXES: dict[int, tuple[RoleBook, dict[str, Role]]] = {}


@lru_cache(maxsize=1)
def load_roles() -> RoleBook:
    """The packaged role book."""
    data = yaml.safe_load((Path(__file__).parent / "roles.yaml").read_text(encoding="utf-8"))
    return msgspec.convert(data, RoleBook)
