"""The dossier row as a pure fold over its events.

``project(events)`` gives exactly what the store keeps in ``dossiers``; ``motcua check`` and the
tests rebuild every row this way and compare. Everything a row holds comes from event payloads
(including due dates computed at the time with the calendar then in force), never from the current
calendar or settings, so a rebuild is reproducible years later.
"""

from __future__ import annotations

import json
from collections.abc import Iterable
from dataclasses import asdict, dataclass, fields, replace
from typing import Any

from motcua.domain.calendar import classify
from motcua.domain.clock import iso, parse_moment
from motcua.domain.events import Event, canonical_json
from motcua.domain.states import Status, transition
from motcua.domain.text import fold


@dataclass(frozen=True)
class DossierRecord:
    id: str
    code: str | None = None
    status: int = 0
    channel: str = "desk"
    procedure_code: str = ""
    procedure_version: int | None = None
    procedure_name: str = ""
    field_name: str = ""
    processing_amount: float | None = None
    processing_unit: str = ""
    applicant_name: str = ""
    applicant_id_number: str = ""
    applicant_kind: int = 1
    applicant_phone: str = ""
    applicant_email: str = ""
    applicant_address: str = ""
    summary: str = ""
    documents: str = "[]"          # canonical JSON list of {name, kind, copies, received}
    sets: int = 1
    return_place: str = ""
    fee_total: int = 0
    receiving_officer: str = ""
    assigned_to: str = ""
    received_at: str | None = None
    due_at: str | None = None
    rescheduled_due_at: str | None = None
    paused_since: str | None = None
    paused_seconds: int = 0
    supplement_rounds: int = 0
    resolved_at: str | None = None
    decision: str = ""
    timeliness: str = ""
    returned_at: str | None = None
    closed_at: str | None = None
    closing_reason: str = ""
    attachment_count: int = 0
    created_at: str = ""
    updated_at: str = ""
    last_event_id: str = ""
    event_count: int = 0
    search_text: str = ""

    def as_row(self) -> dict[str, Any]:
        return asdict(self)

    @property
    def state(self) -> Status | None:
        return Status(self.status) if self.status else None

    def document_list(self) -> list[dict[str, Any]]:
        return json.loads(self.documents)


COLUMNS: tuple[str, ...] = tuple(f.name for f in fields(DossierRecord))


def _creation_fields(payload: dict[str, Any]) -> dict[str, Any]:
    procedure = payload.get("procedure") or {}
    applicant = payload.get("applicant") or {}
    return {
        "code": payload.get("code"),
        "channel": payload.get("channel", "desk"),
        "procedure_code": procedure.get("code", ""),
        "procedure_version": procedure.get("version"),
        "procedure_name": procedure.get("name", ""),
        "field_name": procedure.get("field", ""),
        "processing_amount": procedure.get("amount"),
        "processing_unit": procedure.get("unit", ""),
        "applicant_name": applicant.get("name", ""),
        "applicant_id_number": applicant.get("id_number", ""),
        "applicant_kind": int(applicant.get("kind", 1)),
        "applicant_phone": applicant.get("phone", ""),
        "applicant_email": applicant.get("email", ""),
        "applicant_address": applicant.get("address", ""),
        "summary": payload.get("summary", ""),
        "documents": canonical_json(payload.get("documents") or []),
        "sets": int(payload.get("sets", 1)),
        "return_place": payload.get("return_place", ""),
        "fee_total": int(payload.get("fee_total", 0)),
        "due_at": payload.get("due_at"),
    }


def apply(record: DossierRecord | None, event: Event) -> DossierRecord:
    """The record after ``event``; raises TransitionRefused when the event is not allowed."""
    current = record.state if record else None
    new_status = transition(current, event.type)
    at = iso(event.occurred_at)
    payload = dict(event.payload)
    if record is None:
        record = DossierRecord(id=event.dossier_id, created_at=at)
    changes: dict[str, Any] = {}
    kind = event.type
    if kind in ("registered", "received", "refused") and current is None:
        changes.update(_creation_fields(payload))
        changes["receiving_officer"] = event.actor
    if kind == "received":
        changes["received_at"] = at
        changes["receiving_officer"] = event.actor
        if current is not None and payload.get("due_at"):
            changes["due_at"] = payload["due_at"]
    elif kind in ("supplement_requested", "fee_requested"):
        changes["paused_since"] = at
        if kind == "supplement_requested":
            changes["supplement_rounds"] = record.supplement_rounds + 1
    elif kind in ("supplemented", "fee_paid"):
        changes["paused_since"] = None
        changes["paused_seconds"] = record.paused_seconds + int(payload.get("paused_seconds", 0))
        if payload.get("due_at"):
            changes["due_at"] = payload["due_at"]
        if "documents" in payload:
            changes["documents"] = canonical_json(payload["documents"])
    elif kind == "handed_over":
        changes["assigned_to"] = payload.get("to", "")
    elif kind == "resolved":
        changes["resolved_at"] = at
        changes["decision"] = payload.get("decision", "approved")
        if record.due_at:
            changes["timeliness"] = classify(event.occurred_at, parse_moment(record.due_at)).value
    elif kind == "returned":
        changes["returned_at"] = at
    elif kind in ("withdrawn", "stopped", "refused"):
        changes["closed_at"] = at
        changes["closing_reason"] = payload.get("reason", "")
        changes["paused_since"] = None
    elif kind == "rescheduled":
        changes["rescheduled_due_at"] = payload.get("new_due_at")
    elif kind == "documents_updated":
        changes["documents"] = canonical_json(payload.get("documents") or [])
    elif kind == "attachment_added":
        changes["attachment_count"] = record.attachment_count + 1
    updated = replace(
        record,
        **changes,
        status=int(new_status) if new_status is not None else 0,
        updated_at=at,
        last_event_id=event.id,
        event_count=record.event_count + 1,
    )
    return replace(updated, search_text=search_text_of(updated))


def search_text_of(record: DossierRecord) -> str:
    parts = (record.code or "", record.applicant_name, record.applicant_id_number, record.applicant_phone,
             record.procedure_code, record.procedure_name, record.summary)
    return fold(" ".join(p for p in parts if p))


def project(events: Iterable[Event]) -> DossierRecord | None:
    record: DossierRecord | None = None
    for event in events:
        record = apply(record, event)
    return record
