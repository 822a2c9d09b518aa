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
TIME_UNITS = ("working_days", "working_hours", "calendar_days")
FEE_KINDS = ("phi", "le_phi")
COMPONENT_KINDS = (
    "original",
    "certified_copy",
    "photocopy",
    "original_or_certified_copy",
    "photocopy_with_original",
)


@dataclass(frozen=True)
class ProcessingTime:
    amount: int
    unit: str  # one of TIME_UNITS
    text: str  # as published, e.g. "05 ngày làm việc"


@dataclass(frozen=True)
class Fee:
    kind: str  # "phi" | "le_phi"
    name: str
    amount_vnd: int | None  # None: not fixed or not known yet
    note: str = ""
    needs_confirmation: bool = False


@dataclass(frozen=True)
class Component:
    name: str
    kind: str  # one of COMPONENT_KINDS
    copies: int
    required: bool
    form: str | None = None  # id of a Form of the same procedure
    note: str = ""


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

    def form(self, form_id: str) -> Form | None:
        return next((f for f in self.forms if f.id == form_id), None)

    def is_free(self) -> bool:
        return not self.fees

    def in_force_on(self, day: dt.date) -> bool:
        return self.effective_from <= day and (self.effective_until is None or day < self.effective_until)


def _date(value: str | None) -> dt.date | None:
    return dt.date.fromisoformat(value) if value else None


def procedure_from_dict(data: Mapping[str, Any]) -> Procedure:
    """Build a Procedure from a document that already passed validation."""
    pt = data["processing_time"]
    prov = data["provenance"]
    return Procedure(
        code=data["code"],
        version=data["version"],
        name=data["name"],
        sector=data["sector"],
        field=data["field"],
        level=data["level"],
        processing_time=ProcessingTime(pt["amount"], pt["unit"], pt["text"]),
        fees=tuple(
            Fee(f["kind"], f["name"], f["amount_vnd"], f.get("note", ""), f.get("needs_confirmation", False))
            for f in data["fees"]
        ),
        components=tuple(
            Component(c["name"], c["kind"], c["copies"], c["required"], c.get("form"), c.get("note", ""))
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
    )


def canonical_json(data: Mapping[str, Any]) -> str:
    """One spelling per document: key order and white space never count as a change."""
    return json.dumps(data, ensure_ascii=False, sort_keys=True, separators=(",", ":"))


def content_hash(data: Mapping[str, Any]) -> str:
    return hashlib.sha256(canonical_json(data).encode("utf-8")).hexdigest()
