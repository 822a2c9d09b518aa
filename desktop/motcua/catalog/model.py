"""The catalog entry as frozen dataclasses (the README's fields), and the JSON round trip.

The intake service and the forms read procedures through these types, never through raw dicts,
so a field rename breaks loudly in one place.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

LEVELS = ("commune", "province", "commune_receives_province_decides")
TIME_UNITS = ("working_days", "working_hours", "calendar_days", "same_day")
STAGE_UNITS = ("working_days", "working_hours", "calendar_days")
STAGE_BY = ("commune", "province", "other")
UNIT_WORDS = {"working_days": "ngày làm việc", "working_hours": "giờ làm việc", "calendar_days": "ngày",
              "same_day": "trong ngày"}
KIND_LABELS = {
    "original": "Bản chính",
    "certified_copy": "Bản sao chứng thực",
    "photocopy": "Bản photo",
    "original_or_certified_copy": "Bản chính hoặc bản sao chứng thực",
    "photocopy_with_original": "Bản photo kèm bản chính để đối chiếu",
    "presented": "Xuất trình để đối chiếu, không nộp",
}


def duration_words(amount: float, unit: str) -> str:
    """5, working_days → "05 ngày làm việc"; same_day → "trong ngày"."""
    if unit == "same_day":
        return UNIT_WORDS[unit]
    shown = f"{int(amount):02d}" if float(amount).is_integer() else f"{amount:g}".replace(".", ",")
    return f"{shown} {UNIT_WORDS.get(unit, unit)}"
FEE_KINDS = ("phi", "le_phi")
COMPONENT_KINDS = (
    "original",
    "certified_copy",
    "photocopy",
    "original_or_certified_copy",
    "photocopy_with_original",
    "presented",  # shown for checking and handed back, not kept in the dossier
)


@dataclass(frozen=True)
class Stage:
    """The part of the processing time one level spends (liên thông: commune, then province)."""

    by: str  # one of STAGE_BY
    amount: int
    unit: str  # one of STAGE_UNITS
    agency: str = ""
    text: str = ""


@dataclass(frozen=True)
class ProcessingTime:
    amount: int
    unit: str  # one of TIME_UNITS
    text: str  # as published, e.g. "05 ngày làm việc"
    cutoff: dt.time | None = None  # same_day: received at or after it → the next working day
    stages: tuple[Stage, ...] = ()  # the text says them to people; the dossier page counts them


@dataclass(frozen=True)
class Fee:
    kind: str  # "phi" | "le_phi"
    name: str
    amount_vnd: int | None  # None: not fixed or not known yet
    note: str = ""
    needs_confirmation: bool = False
    unit: str = ""  # what is counted (trang, bản…); "" for one amount per dossier
    tiers: tuple[tuple[int, int], ...] = ()  # (from the N-th unit, amount per unit)
    cap_vnd: int | None = None  # the most charged for one group
    per: str = ""  # the group units are counted and capped in (bản); "" for the whole dossier
    percent: float | None = None  # a share of a declared value (base), bounded by floor_vnd and cap_vnd
    base: str = ""  # what the percentage is taken of (giá trị hợp đồng…)
    floor_vnd: int | None = None

    @property
    def counted(self) -> bool:
        return bool(self.unit)

    @property
    def proportional(self) -> bool:
        return self.percent is not None


@dataclass(frozen=True)
class Component:
    name: str
    kind: str  # one of COMPONENT_KINDS
    copies: int
    required: bool
    form: str | None = None  # id of a Form of the same procedure
    note: str = ""
    condition: str = ""  # the case in which it is needed; "" for every case

    @property
    def presented_only(self) -> bool:
        return self.kind == "presented"

    @property
    def always_required(self) -> bool:
        return self.required and not self.condition


@dataclass(frozen=True)
class FormField:
    id: str
    label: str
    type: str
    required: bool = False
    source: str | None = None  # e.g. "applicant.name"; None when written by hand
    options: tuple[str, ...] = ()


@dataclass(frozen=True)
class Form:
    id: str
    title: str
    fields: tuple[FormField, ...]
    basis: str = ""
    addressee: str = ""


@dataclass(frozen=True)
class Provenance:
    sources: tuple[str, ...]
    needs_confirmation: tuple[str, ...] = ()
    note: str = ""


@dataclass(frozen=True)
class Procedure:
    code: str
    version: int
    name: str
    sector: str
    field: str
    level: str
    processing_time: ProcessingTime
    fees: tuple[Fee, ...]
    components: tuple[Component, ...]
    sets: int
    channels: tuple[str, ...]
    steps: tuple[str, ...]
    result: str
    legal_basis: tuple[str, ...]
    publishing_decision: str
    effective_from: dt.date
    effective_until: dt.date | None
    guidance: str
    forms: tuple[Form, ...]
    provenance: Provenance
    former_codes: tuple[str, ...] = ()

    @property
    def time_unset(self) -> bool:
        """The processing time is not known yet (an import's "to confirm" row, a national record
        without one): written 0 working days and flagged; it cannot be received until it is set."""
        time = self.processing_time
        return (time.amount == 0 and time.unit == "working_days"
                and "processing_time" in self.provenance.needs_confirmation)

    def form(self, form_id: str) -> Form | None:
        return next((f for f in self.forms if f.id == form_id), None)

    def is_free(self) -> bool:
        return not self.fees

    def in_force_on(self, day: dt.date) -> bool:
        return self.effective_from <= day and (self.effective_until is None or day < self.effective_until)


def _date(value: str | None) -> dt.date | None:
    return dt.date.fromisoformat(value) if value else None


def processing_time_from_dict(pt: Mapping[str, Any]) -> ProcessingTime:
    cutoff = pt.get("cutoff")
    return ProcessingTime(
        pt["amount"], pt["unit"], pt["text"],
        cutoff=dt.time.fromisoformat(cutoff) if cutoff else None,
        stages=tuple(Stage(s["by"], s["amount"], s["unit"], s.get("agency", ""), s.get("text", ""))
                     for s in pt.get("stages", ())),
    )


def fee_from_dict(f: Mapping[str, Any]) -> Fee:
    return Fee(
        f["kind"], f["name"], f["amount_vnd"], f.get("note", ""), f.get("needs_confirmation", False),
        unit=f.get("unit", ""), tiers=tuple((t["from"], t["amount_vnd"]) for t in f.get("tiers", ())),
        cap_vnd=f.get("cap_vnd"), per=f.get("per", ""), percent=f.get("percent"), base=f.get("base", ""),
        floor_vnd=f.get("floor_vnd"),
    )


def procedure_from_dict(data: Mapping[str, Any]) -> Procedure:
    """Build a Procedure from a document that already passed validation."""
    prov = data["provenance"]
    return Procedure(
        code=data["code"],
        version=data["version"],
        name=data["name"],
        sector=data["sector"],
        field=data["field"],
        level=data["level"],
        processing_time=processing_time_from_dict(data["processing_time"]),
        fees=tuple(fee_from_dict(f) for f in data["fees"]),
        components=tuple(
            Component(c["name"], c["kind"], c["copies"], c["required"], c.get("form"), c.get("note", ""),
                      c.get("condition", ""))
            for c in data["components"]
        ),
        sets=data["sets"],
        channels=tuple(data["channels"]),
        steps=tuple(data["steps"]),
        result=data["result"],
        legal_basis=tuple(data["legal_basis"]),
        publishing_decision=data["publishing_decision"],
        effective_from=dt.date.fromisoformat(data["effective_from"]),
        effective_until=_date(data["effective_until"]),
        guidance=data["guidance"],
        forms=tuple(
            Form(
                id=f["id"],
                title=f["title"],
                basis=f.get("basis", ""),
                addressee=f.get("addressee", ""),
                fields=tuple(
                    FormField(
                        id=x["id"],
                        label=x["label"],
                        type=x["type"],
                        required=x.get("required", False),
                        source=x.get("source"),
                        options=tuple(x.get("options", ())),
                    )
                    for x in f["fields"]
                ),
            )
            for f in data["forms"]
        ),
        provenance=Provenance(
            sources=tuple(prov["sources"]),
            needs_confirmation=tuple(prov.get("needs_confirmation", ())),
            note=prov.get("note", ""),
        ),
        former_codes=tuple(data.get("former_codes", ())),
    )


def canonical_json(data: Mapping[str, Any]) -> str:
    """One spelling per document: key order and white space never count as a change."""
    return json.dumps(data, ensure_ascii=False, sort_keys=True, separators=(",", ":"))


def content_hash(data: Mapping[str, Any]) -> str:
    return hashlib.sha256(canonical_json(data).encode("utf-8")).hexdigest()
