"""Processing steps as data: who holds a dossier at each step, and the order of the steps.

Under Nghị định 118/2025 a dossier goes from the desk to the specialist, to the leader who approves and
signs, and back to the desk to return the result. Staged procedures (the commune's part, then the
province's) are handed over to the province after the commune's leader has signed, with the stage
deadlines computed at intake. The step a dossier is at is folded from its events (``projection``):
``received`` → receive, ``handed_over`` → the step its payload names, ``resolved`` → return.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from motcua.i18n import tr


@dataclass(frozen=True)
class Step:
    key: str
    label: str
    roles: tuple[str, ...]   # roles that may hold the dossier at this step; () = an outside agency

    @property
    def outside(self) -> bool:
        return not self.roles

    @property
    def title(self) -> str:
        return tr(self.label)


RECEIVE, PROCESS, APPROVE, PROVINCE, RETURN = "receive", "process", "approve", "province", "return"

STEPS: dict[str, Step] = {s.key: s for s in (
    Step(RECEIVE, "Tiếp nhận", ("receiver",)),
    Step(PROCESS, "Xử lý", ("specialist",)),
    Step(APPROVE, "Phê duyệt, ký", ("leader",)),
    Step(PROVINCE, "Chuyển cấp tỉnh", ()),
    Step(RETURN, "Trả kết quả", ("receiver",)),
)}

DEFAULT_ROUTE: tuple[str, ...] = (RECEIVE, PROCESS, APPROVE, RETURN)
STAGED_ROUTE: tuple[str, ...] = (RECEIVE, PROCESS, APPROVE, PROVINCE, RETURN)


def route_for(staged: bool) -> tuple[str, ...]:
    return STAGED_ROUTE if staged else DEFAULT_ROUTE


def step_label(key: str) -> str:
    step = STEPS.get(key)
    return step.title if step is not None else ""


def handover_targets(route: Sequence[str], current: str) -> list[str]:
    """The steps a hand-over may send the dossier to from ``current``: the next step first, then the
    same step (to a colleague). Returning is not a hand-over: the leader's decision sends it back."""
    position = route.index(current) if current in route else 0
    targets = []
    if position + 1 < len(route) and route[position + 1] != RETURN:
        targets.append(route[position + 1])
    if current in route and current not in (RECEIVE, RETURN) and current not in targets:
        targets.append(current)
    return targets
