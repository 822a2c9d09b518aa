"""What the intake wizard holds, without Qt: the checklist, the applicant, the draft round trip,
the known-applicant lookup and the due date with its calendar reasoning."""

from __future__ import annotations

import sqlite3
from dataclasses import asdict, dataclass, field
from datetime import date, datetime, time, timedelta
from typing import Any

from motcua.catalog.model import KIND_LABELS
from motcua.domain.calendar import TimeUnit, WorkCalendar
from motcua.domain.clock import to_local
from motcua.domain.ids import uuid7
from motcua.i18n import tr

BASIC_KINDS = ("original", "certified_copy", "photocopy")
WEEKDAYS = ("Thứ Hai", "Thứ Ba", "Thứ Tư", "Thứ Năm", "Thứ Sáu", "Thứ Bảy", "Chủ nhật")


def kind_label(kind: str) -> str:
    return tr(KIND_LABELS[kind]) if kind in KIND_LABELS else kind


def received_kind(catalog_kind: str) -> str:
    """The kind a received paper is recorded as, before the official changes it."""
    if catalog_kind == "presented":
        return "presented"
    if catalog_kind == "original_or_certified_copy":
        return "original"
    if catalog_kind == "photocopy_with_original":
        return "photocopy"
    return catalog_kind if catalog_kind in BASIC_KINDS else "original"


@dataclass
class DocumentChoice:
    name: str
    catalog_kind: str = "original"
    kind: str = "original"
    copies: int = 1
    required: bool = False
    received: bool = False
    note: str = ""
    condition: str = ""  # the case it is needed in; "" for every case

    def cycle_kind(self, step: int) -> None:
        if self.catalog_kind == "presented":  # shown and handed back: there is no other kind to pick
            return
        index = BASIC_KINDS.index(self.kind) if self.kind in BASIC_KINDS else 0
        self.kind = BASIC_KINDS[(index + step) % len(BASIC_KINDS)]


@dataclass
class IntakeState:
    dossier_id: str = field(default_factory=uuid7)
    procedure_code: str = ""
    procedure_name: str = ""
    documents: list[DocumentChoice] = field(default_factory=list)
    applicant_kind: int = 1
    id_number: str = ""
    name: str = ""
    phone: str = ""
    email: str = ""
    address: str = ""
    summary: str = ""
    sets: int = 1
    step: int = 0
    fee_quantities: list[list[int]] = field(default_factory=list)  # [fee number, units, groups]

    def to_dict(self) -> dict[str, Any]:
        return asdict(self)

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> IntakeState:
        """Rebuild from a stored draft; a damaged value falls back to its default, never crashes."""
        state = cls()
        for name, default in asdict(cls(dossier_id="")).items():
            if name in ("documents", "dossier_id", "fee_quantities") or name not in data:
                continue
            state.__dict__[name] = _coerce(data[name], default)
        if isinstance(data.get("dossier_id"), str) and data["dossier_id"]:
            state.dossier_id = data["dossier_id"]
        raw_docs = data.get("documents")
        for raw in raw_docs if isinstance(raw_docs, list) else []:
            if isinstance(raw, dict) and raw.get("name"):
                defaults = asdict(DocumentChoice(""))
                doc = DocumentChoice(str(raw["name"]))
                for name, default in defaults.items():
                    if name != "name" and name in raw:
                        doc.__dict__[name] = _coerce(raw[name], default)
                state.documents.append(doc)
        state.fee_quantities = _quantities(data.get("fee_quantities"))
        state.sets = max(1, state.sets)
        state.step = min(max(state.step, 0), 3)
        return state

    @property
    def is_blank(self) -> bool:
        return not (self.procedure_code or self.id_number or self.name or self.phone or self.address)

    def missing_required(self) -> list[str]:
        return missing_required(self.documents)

    def conditional_unreceived(self) -> list[str]:
        """Papers needed in a stated case and not received: "name (khi: case)", to remind the official."""
        return [f"{d.name} ({d.condition})" for d in self.documents if d.required and d.condition and not d.received]

    def request_data(self) -> dict[str, Any]:
        """The mapping ``parse_intake`` validates (the dossier id rides along as ``id``)."""
        return {
            "id": self.dossier_id,
            "procedure_code": self.procedure_code,
            "applicant": {"kind": self.applicant_kind, "id_number": self.id_number, "name": self.name,
                          "phone": self.phone, "email": self.email, "address": self.address},
            "summary": self.summary,
            "sets": self.sets,
            "documents": [{"name": d.name, "kind": d.kind, "copies": d.copies, "received": True}
                          for d in self.documents if d.received],
            "fee_quantities": [{"fee": n, "units": u, "groups": g} for n, u, g in self.fee_quantities],
        }


def _quantities(raw: Any) -> list[list[int]]:
    """A draft's fee quantities, or none when the stored value is damaged."""
    try:
        out = [[int(n), int(u), int(g)] for n, u, g in raw]
    except (TypeError, ValueError):
        return []
    return [q for q in out if q[0] >= 1 and q[1] >= 0 and q[2] >= 1]


def missing_required(documents: list[DocumentChoice]) -> list[str]:
    """Required papers not received; a paper needed only in some case is the official's call."""
    return [d.name for d in documents if d.required and not d.condition and not d.received]


def _coerce(value: Any, default: Any) -> Any:
    try:
        if isinstance(default, bool):
            return bool(value)
        if isinstance(default, int):
            return int(value)
        if isinstance(default, str):
            return "" if value is None else str(value)
    except (TypeError, ValueError):
        return default
    return value


def checklist(components: tuple[Any, ...]) -> list[DocumentChoice]:
    """The catalog's dossier components as a checklist, nothing ticked yet."""
    return [DocumentChoice(c.name, c.kind, received_kind(c.kind), max(1, int(c.copies)), bool(c.required),
                           False, c.note, c.condition) for c in components]


@dataclass(frozen=True)
class KnownApplicant:
    name: str
    phone: str
    email: str
    address: str
    received_at: str
    procedure_name: str


def known_applicant(conn: sqlite3.Connection, id_number: str) -> KnownApplicant | None:
    """The applicant as given on the latest dossier with this ID number."""
    row = conn.execute(
        "SELECT applicant_name, applicant_phone, applicant_email, applicant_address, received_at, procedure_name"
        " FROM dossiers WHERE applicant_id_number = ? ORDER BY received_at DESC, rowid DESC LIMIT 1", (id_number,)
    ).fetchone()
    return KnownApplicant(*tuple(row)) if row else None


# -- due date ------------------------------------------------------------------------------------
def _amount(value: float) -> str:
    return f"{int(value):02d}" if float(value).is_integer() else f"{value:g}".replace(".", ",")


def duration_text(amount: float, unit: str) -> str:
    unit = TimeUnit(unit)
    if unit is TimeUnit.WORKING_HOURS:
        return tr("{n} giờ làm việc", n=_amount(amount))
    if unit is TimeUnit.CALENDAR_DAYS:
        return tr("{n} ngày", n=_amount(amount))
    if unit is TimeUnit.SAME_DAY:
        return tr("trả trong ngày")
    return tr("{n} ngày làm việc", n=_amount(amount))


def moment_text(moment: datetime) -> str:
    moment = to_local(moment)
    return tr("{weekday}, {d} lúc {hm}", hm=f"{moment:%H:%M}", weekday=tr(WEEKDAYS[moment.weekday()]),
              d=f"{moment:%d/%m/%Y}")


def _span(first: date, last: date) -> str:
    if first == last:
        return f"{first:%d/%m}"
    if first.month == last.month:
        return f"{first:%d}–{last:%d/%m}"
    return f"{first:%d/%m}–{last:%d/%m}"


def _run_name(names: list[str]) -> str:
    shortest = min(names, key=len)
    if all(shortest in n for n in names):
        return shortest
    return ", ".join(dict.fromkeys(names))


@dataclass(frozen=True)
class DueDate:
    received: datetime
    start: datetime
    due: datetime
    explanation: str


def compute_due(calendar: WorkCalendar, received: datetime, amount: float, unit: str,
                cutoff: time | None = None) -> DueDate:
    """The legal due moment and why: the duration, a late start, and every day not counted."""
    received = to_local(received)
    due = calendar.due(received, amount, unit, cutoff)
    start = calendar.start_of_work(received) if TimeUnit(unit) is not TimeUnit.CALENDAR_DAYS else received
    parts = [duration_text(amount, unit)]
    if start > received:
        parts.append(tr("nhận ngoài giờ làm việc nên tính từ {hm} ngày {d}", hm=f"{start:%H:%M}",
                        d=f"{start:%d/%m}"))
    if cutoff is not None and TimeUnit(unit) is TimeUnit.SAME_DAY and due.date() > start.date():
        parts.append(tr("nhận từ {hm} trở đi nên trả vào ngày làm việc tiếp theo", hm=f"{cutoff:%H:%M}"))
    weekends = 0
    runs: list[tuple[date, date, list[str]]] = []
    day = received.date()
    while day <= due.date():
        working, why = calendar.day_info(day)
        if not working:
            if day.weekday() >= 5 and why in (tr("Thứ Bảy"), tr("Chủ nhật")):
                weekends += 1
            elif runs and runs[-1][1] == day - timedelta(days=1):
                runs[-1] = (runs[-1][0], day, [*runs[-1][2], why])
            else:
                runs.append((day, day, [why]))
        day += timedelta(days=1)
    skipped = [f"{_run_name(names)} {_span(first, last)}" for first, last, names in runs]
    if weekends:
        skipped.append(tr("{n} ngày nghỉ cuối tuần", n=weekends))
    if skipped:
        parts.append(tr("không tính {days}", days=", ".join(skipped)))
    return DueDate(received, start, due, ", ".join(parts))
