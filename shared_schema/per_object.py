"""A value derived once per object, for frozen structs that cannot be hashed (they hold lists)."""

from __future__ import annotations

from collections.abc import Callable
from typing import Generic, TypeVar

Source = TypeVar("Source")
Derived = TypeVar("Derived")


class PerObject(Generic[Source, Derived]):
    """Remembers `build(obj)` by the object's identity; the object is kept so its id stays its
    own. Bounded: the objects are few (a framework, a role book), tests build many."""

    def __init__(self, build: Callable[[Source], Derived], bound: int = 16) -> None:
        self.build, self.bound = build, bound
        self.entries: dict[int, tuple[Source, Derived]] = {}

    def __call__(self, obj: Source) -> Derived:
        """The derived value, built on the first call for this object."""
        entry = self.entries.get(id(obj))
        if entry is None or entry[0] is not obj:
            if len(self.entries) >= self.bound:
                self.entries.clear()
            entry = self.entries[id(obj)] = (obj, self.build(obj))
        return entry[1]
