"""A citizen's right of access: everything this desk holds about an ID number, across dossiers.

Dossiers whose applicant has the number, and dossiers where the number appears anywhere in an event (a changed
applicant, a paper's details); for each: the personal data held, the documents and scanned files, the timeline
(who did what, when), every print or export of it (services/disclosure.py), and whether it was sent to the
province's hub.
"""

from __future__ import annotations

import json
import re
import sqlite3
from dataclasses import dataclass, field
from typing import Any

from motcua.domain.clock import iso, now
from motcua.domain.states import ACTIONS, Status
from motcua.i18n import tr
from motcua.store.events import events_of, load_record
from motcua.store.settings import get_settings

_ID = re.compile(r"\d{9}|\d{12}")


class BadIdNumber(ValueError):
    """Not an ID number (9-digit CMND or 12-digit CCCD)."""


@dataclass(frozen=True)
class TimelineEntry:
    at: str
    actor: str
    action: str
    detail: str


@dataclass(frozen=True)
class HeldFile:
    name: str
    size: int
    added_at: str


@dataclass
class HeldDossier:
    id: str
    code: str
    procedure: str
    status: str
    received_at: str
    due_at: str
    applicant: dict[str, str]
    summary: str
    documents: list[str]
    files: list[HeldFile] = field(default_factory=list)
    timeline: list[TimelineEntry] = field(default_factory=list)
    disclosures: list[TimelineEntry] = field(default_factory=list)
    sent_to_hub: bool = False


@dataclass
class AccessReport:
    id_number: str
    commune: str
    generated_at: str
    dossiers: list[HeldDossier]

    def to_dict(self) -> dict[str, Any]:
        from dataclasses import asdict

        return asdict(self)


def normalise_id_number(text: str) -> str:
    value = re.sub(r"[\s.\-]", "", text or "")
    if not _ID.fullmatch(value):
        raise BadIdNumber(tr("«{v}» không phải số định danh (CCCD 12 chữ số hoặc CMND 9 chữ số).", v=text))
    return value


def _detail(payload: dict[str, Any]) -> str:
    for key in ("text", "reason", "note", "to", "name", "code"):
        value = payload.get(key)
        if isinstance(value, str) and value:
            return value
    return ""


def _documents(raw: str) -> list[str]:
    try:
        items = json.loads(raw or "[]")
    except ValueError:
        return []
    return [str(d.get("name", "")) for d in items if isinstance(d, dict) and d.get("name")]


def access_report(conn: sqlite3.Connection, id_number: str) -> AccessReport:
    number = normalise_id_number(id_number)
    ids = [r[0] for r in conn.execute("SELECT id FROM dossiers WHERE applicant_id_number = ? ORDER BY received_at",
                                      (number,))]
    for (dossier_id,) in conn.execute("SELECT DISTINCT dossier_id FROM events WHERE instr(payload, ?) > 0",
                                      (number,)):
        if dossier_id not in ids:
            ids.append(dossier_id)
    dossiers = [d for d in (_held(conn, dossier_id) for dossier_id in ids) if d is not None]
    settings = get_settings(conn)
    return AccessReport(number, settings.commune_name, iso(now()), dossiers)


def _held(conn: sqlite3.Connection, dossier_id: str) -> HeldDossier | None:
    record = load_record(conn, dossier_id)
    if record is None:
        return None
    try:
        status = Status(record.status).label
    except ValueError:
        status = str(record.status)
    held = HeldDossier(
        record.id, record.code or "", f"{record.procedure_code} — {record.procedure_name}".strip(" —"), status,
        record.received_at or "", record.rescheduled_due_at or record.due_at or "",
        {"name": record.applicant_name, "id_number": record.applicant_id_number, "phone": record.applicant_phone,
         "email": record.applicant_email, "address": record.applicant_address},
        record.summary, _documents(record.documents))
    for name, size, added_at in conn.execute(
            "SELECT da.name, a.size, da.added_at FROM dossier_attachments da JOIN attachments a USING (sha256) "
            "WHERE da.dossier_id = ? ORDER BY da.added_at", (dossier_id,)):
        held.files.append(HeldFile(name, int(size), added_at))
    for event in events_of(conn, dossier_id):
        action = ACTIONS.get(event.type)
        entry = TimelineEntry(iso(event.occurred_at), event.actor, tr(action.label) if action else event.type,
                              _detail(event.payload))
        held.timeline.append(entry)
        if isinstance(event.payload.get("disclosure"), dict):
            held.disclosures.append(entry)
    held.sent_to_hub = conn.execute(
        "SELECT 1 FROM events WHERE dossier_id = ? AND sync_state IN ('sent', 'remote') LIMIT 1",
        (dossier_id,)).fetchone() is not None
    return held
