"""The dossier lifecycle (draft → submitted → under_review → recognised | returned → …) as data."""

from __future__ import annotations

from functools import lru_cache
from pathlib import Path
from typing import Literal

import msgspec
import yaml

from shared_schema.text import Text


class FlowAction(msgspec.Struct, frozen=True, forbid_unknown_fields=True, rename={"from_": "from"}):
    """One action: who may take it and which state it moves each allowed state to."""

    by: Literal["unit", "recogniser"]
    from_: dict[str, str]


class DossierFlow(msgspec.Struct, frozen=True, forbid_unknown_fields=True):
    """Every state (with its label) and every action of the lifecycle."""

    initial: str
    states: dict[str, Text]
    actions: dict[str, FlowAction]

    def check(self) -> list[str]:
        """Actions only name known states."""
        return [
            f"$.actions.{name}.from — unknown state {state!r}"
            for name, action in self.actions.items()
            for pair in action.from_.items()
            for state in pair
            if state not in self.states
        ]


@lru_cache(maxsize=1)
def load_dossier_flow() -> DossierFlow:
    """The packaged lifecycle."""
    text = (Path(__file__).parent / "dossier_flow.yaml").read_text(encoding="utf-8")
    flow = msgspec.convert(yaml.safe_load(text), DossierFlow)
    problems = flow.check()
    if problems:
        raise ValueError("dossier_flow.yaml: " + "; ".join(problems))
    return flow
