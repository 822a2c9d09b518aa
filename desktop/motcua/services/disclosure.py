"""Every print or export that carries a citizen's personal data is recorded: who, what, when, on the dossier.

A disclosure is a ``note`` event on the dossier — allowed in every state, shown in the dossier's timeline, synced
like any other event — whose payload carries ``disclosure: {what, channel, recipient}`` besides the readable
``text``. ``disclosure_log`` lists them for the administrator.

The print code calls ``record_disclosure`` after the paper or file is produced (the CLI's ``motcua print`` and
``motcua access-report`` do; the desk's print menu calls it the same way).
"""

from __future__ import annotations

import json
import sqlite3
from dataclasses import dataclass
from datetime import datetime

from motcua.domain.clock import iso, now, parse_moment, to_local
from motcua.domain.events import Event, EventType
from motcua.i18n import tr
from motcua.store.db import transaction
from motcua.store.events import commit_event
from motcua.store.queries import find_dossier
from motcua.store.settings import get_settings

CHANNELS = {"print": "in ra giấy", "pdf": "xuất tệp PDF", "export": "xuất dữ liệu", "screen": "trình bày"}


class DisclosureRefused(ValueError):
    """The dossier is unknown or the disclosure's description is empty."""


@dataclass(frozen=True)
class Disclosure:
    dossier_id: str
    dossier_code: str
    actor: str
    at: str
    what: str
    channel: str
    recipient: str


def disclosure_text(what: str, channel: str, recipient: str = "") -> str:
    text = tr("Đã {channel}: {what}", channel=tr(CHANNELS.get(channel, channel)), what=what)
    return text + (tr(" (cho {recipient})", recipient=recipient) if recipient else "")


def record_disclosure(conn: sqlite3.Connection, dossier_ref: str, actor: str, what: str, *, channel: str = "print",
                      recipient: str = "", at: datetime | None = None) -> Event:
    """Record that ``actor`` printed/exported ``what`` of dossier ``dossier_ref`` (id or code); opens its own
    transaction (call it from the writer thread)."""
    what, recipient = what.strip(), recipient.strip()
    if not what or channel not in CHANNELS:
        raise DisclosureRefused(tr("Cần nói rõ đã in hoặc xuất gì, và bằng cách nào ({names}).",
                                   names=", ".join(CHANNELS)))
    with transaction(conn):
        record = find_dossier(conn, dossier_ref)
        if record is None:
            raise DisclosureRefused(tr("Không tìm thấy hồ sơ «{ref}».", ref=dossier_ref))
        moment = to_local(at or now())
        if record.updated_at and moment < parse_moment(record.updated_at):
            moment = parse_moment(record.updated_at)   # a clock set back never reorders the timeline
        payload = {"text": disclosure_text(what, channel, recipient),
                   "disclosure": {"what": what, "channel": channel, "recipient": recipient}}
        event = Event(Event.new(record.id, EventType.NOTE, actor).id, record.id, EventType.NOTE, actor, moment,
                      payload, get_settings(conn).device_id)
        commit_event(conn, event, record=record)
    return event


def disclosure_log(conn: sqlite3.Connection, *, since: datetime | None = None,
                   dossier_ref: str | None = None, limit: int = 1000) -> list[Disclosure]:
    """The most recent disclosures first: the administrator's log."""
    sql = ("SELECT e.dossier_id, coalesce(d.code, ''), e.actor, e.occurred_at, e.payload FROM events e "
           "LEFT JOIN dossiers d ON d.id = e.dossier_id "
           "WHERE e.type = ? AND json_extract(e.payload, '$.disclosure') IS NOT NULL")
    params: list[object] = [EventType.NOTE]
    if since is not None:
        sql += " AND e.occurred_at >= ?"
        params.append(iso(since))
    if dossier_ref:
        sql += " AND (d.id = ? OR d.code = ?)"
        params += [dossier_ref, dossier_ref]
    sql += " ORDER BY e.occurred_at DESC, e.seq DESC LIMIT ?"
    params.append(limit)
    rows = []
    for dossier_id, code, actor, at, payload in conn.execute(sql, params):
        d = json.loads(payload).get("disclosure") or {}
        rows.append(Disclosure(dossier_id, code, actor, at, str(d.get("what", "")), str(d.get("channel", "")),
                               str(d.get("recipient", ""))))
    return rows
