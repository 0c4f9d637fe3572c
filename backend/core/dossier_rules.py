"""Dossier rules: state transitions from the flow data, who recognises whom, decision payloads."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from backend.core.errors import Conflict, InvalidInput
from shared_schema.dossier_flow import DossierFlow
from shared_schema.framework import Framework


def next_state(flow: DossierFlow, action: str, current: str) -> str:
    """The state an action leads to from the current one, or a 409 naming both."""
    spec = flow.actions.get(action)
    if spec is None:
        raise InvalidInput(
            "dossier_action_unknown",
            f"Thao tác không hợp lệ: {action}",
            f"Unknown dossier action: {action}",
        )
    target = spec.from_.get(current)
    if target is None:
        label = flow.states[current]
        raise Conflict(
            "dossier_transition_invalid",
            f"Không thể thực hiện '{action}' khi hồ sơ ở trạng thái '{label.vi}'",
            f"Cannot '{action}' a dossier that is {label.en.lower()}",
            extra={"status": current, "action": action},
        )
    return target


def recogniser_level(framework: Framework, hierarchy: str, unit_level: str) -> str | None:
    """The level of the unit that recognises units of this level, per the hierarchy in force."""
    found = framework.hierarchy(hierarchy)
    return found.recognised_by.get(unit_level) if found else None


@dataclass(frozen=True)
class Ancestor:
    """A unit above the dossier's unit: code and level."""

    code: str
    level: str


def recogniser_of(ancestors: Sequence[Ancestor], level: str | None) -> str | None:
    """The nearest ancestor at the recogniser level (None when it lies outside this network)."""
    if level is None:
        return None
    return next((a.code for a in reversed(ancestors) if a.level == level), None)


def path_codes(path: str) -> list[str]:
    """'/62/610/23353/' → ['62', '610', '23353'] (top first)."""
    return [part for part in path.split("/") if part]
