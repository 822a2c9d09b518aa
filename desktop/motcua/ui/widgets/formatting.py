"""How values look on screen: dates, money, status colours. No widgets here."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import datetime

from motcua.domain.clock import now, parse_moment
from motcua.domain.events import Event, EventType
from motcua.domain.projection import DossierRecord
from motcua.domain.states import Status
from motcua.domain.steps import step_label
from motcua.i18n import tr

# Status → (text colour, background) for badges and list cells; calm colours, dark text.
STATUS_COLOURS: dict[int, tuple[str, str]] = {
    Status.REGISTERED: ("#1f3a5f", "#e3ecf7"),
    Status.RECEIVED: ("#1f3a5f", "#e3ecf7"),
    Status.NOT_RECEIVED: ("#5c5c5c", "#ececec"),
    Status.PROCESSING: ("#124a2b", "#e0f2e7"),
    Status.SUPPLEMENT_REQUESTED: ("#6b4500", "#fff1d6"),
    Status.FINANCIAL_OBLIGATION: ("#6b4500", "#fff1d6"),
    Status.WITHDRAWN: ("#5c5c5c", "#ececec"),
    Status.STOPPED: ("#5c5c5c", "#ececec"),
    Status.RESOLVED: ("#0b4f6c", "#dff3fb"),
    Status.RETURNED: ("#3d3d3d", "#f0f0f0"),
}
OVERDUE_COLOUR = "#b3261e"


def dossier_title(record: DossierRecord) -> str:
    """How a dossier is named on screen: its code, or (refused before a code was issued) the applicant's name."""
    if record.code:
        return record.code
    return tr("Hồ sơ chưa cấp mã — {name}", name=record.applicant_name) if record.applicant_name else \
        tr("Hồ sơ chưa cấp mã")


def moment(text: str | None, *, with_time: bool = True) -> str:
    if not text:
        return ""
    try:
        value = parse_moment(text)
    except ValueError:
        return text
    return value.strftime("%d/%m/%Y %H:%M" if with_time else "%d/%m/%Y")


def money(amount: int) -> str:
    return f"{amount:,}".replace(",", ".") + " đ"


@dataclass(frozen=True)
class StageDeadline:
    who: str
    due_at: str


_STAGE_NAMES = {"commune": "Cấp xã", "province": "Cấp tỉnh", "other": "Cơ quan khác"}


def stage_deadlines(events: Sequence[Event]) -> list[StageDeadline]:
    """The deadlines of a staged procedure (commune, then province) as computed at intake."""
    received = next((e for e in events if e.type == EventType.RECEIVED), None)
    stages = received.payload.get("stages") if received is not None else None
    if not isinstance(stages, list):
        return []
    return [StageDeadline(str(s.get("agency") or tr(_STAGE_NAMES.get(str(s.get("by")), ""))), str(s["due_at"]))
            for s in stages if isinstance(s, dict) and s.get("due_at")]


def effective_due(record: DossierRecord) -> str | None:
    return record.rescheduled_due_at or record.due_at


def is_overdue(record: DossierRecord, at: datetime | None = None) -> bool:
    due = record.due_at
    if not due or record.status not in (Status.RECEIVED, Status.PROCESSING):
        return False
    try:
        return parse_moment(due) < (at or now())
    except ValueError:
        return False


def step_is_overdue(record: DossierRecord, at: datetime | None = None) -> bool:
    """The current step's own deadline has passed while the clock runs (never while paused)."""
    if not record.step_due_at or record.status not in (Status.RECEIVED, Status.PROCESSING):
        return False
    return parse_moment(record.step_due_at) < (at or now())


def holder_name(record: DossierRecord, names: Mapping[str, str]) -> str:
    """Who holds the dossier now, by full name (an agency's name as written), or ''."""
    return names.get(record.assigned_to, record.assigned_to) if record.step else ""


def step_text(record: DossierRecord) -> str:
    """«Xử lý — hạn 05/03/2026 17:00»: the step it is at and that step's own deadline."""
    if not record.step:
        return ""
    label = step_label(record.step)
    return tr("{step} — hạn {due}", step=label, due=moment(record.step_due_at)) if record.step_due_at else label


def holder_text(record: DossierRecord, names: Mapping[str, str]) -> str:
    holder = holder_name(record, names)
    if not holder:
        return "—"
    return f"{holder} ({step_text(record)})"
