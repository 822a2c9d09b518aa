"""Each dossier's timeline, derived from its events: the facts every report counts.

A timeline holds when the dossier was received, when and how it finished (resolved, withdrawn,
stopped), how a resolution was classed against the due moment then in force, and every change of its
clock (the due moment and whether it is paused), so the state at any period boundary can be read off.

``fold_rows`` walks the event log once (a few columns per event, ordered by ``seq``) and applies the
same rules as the core projection (``domain.projection.apply``) for these few facts;
``timeline_by_projection`` replays a dossier's events through the projection itself and is how the
tests (and ``motcua report --verify``) prove the two agree.
"""

from __future__ import annotations

import json
import sqlite3
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from typing import Any, NamedTuple

from motcua.domain.calendar import classify
from motcua.domain.clock import iso, parse_moment
from motcua.domain.events import Event
from motcua.domain.projection import DossierRecord, apply

CREATION = frozenset({"registered", "received", "refused"})
PAUSES = frozenset({"supplement_requested", "fee_requested"})
RESUMES = frozenset({"supplemented", "fee_paid"})
FINISHES = frozenset({"resolved", "withdrawn", "stopped"})
RELEVANT = CREATION | PAUSES | RESUMES | FINISHES


class ClockChange(NamedTuple):
    """The dossier's clock after one event: the due moment in force and since when it is paused."""

    seq: int
    at: str
    due_at: str | None
    paused_since: str | None


@dataclass(slots=True)
class Timeline:
    dossier_id: str
    code: str = ""
    channel: str = "desk"
    procedure_code: str = ""
    field_name: str = ""
    received_at: str | None = None     # None: never received (refused, or only registered online)
    finished_at: str | None = None
    outcome: str = ""                  # resolved | withdrawn | stopped
    timeliness: str = ""               # early | on_time | late ('' when resolved without a due moment)
    clock: list[ClockChange] = field(default_factory=list)

    def as_row(self) -> tuple[object, ...]:
        """The row of the ``report_timeline`` table, ending with the clock's last state (most period ends
        fall after it, and then it is the state at the end without looking further)."""
        last = self.clock[-1] if self.clock else ClockChange(0, "", None, None)
        return (self.dossier_id, self.code, self.channel, self.procedure_code, self.field_name,
                self.received_at, self.finished_at, self.outcome, self.timeliness,
                last.at or None, last.due_at, last.paused_since)


# One row per relevant event: (seq, dossier_id, type, occurred_at, facts). JSON is read only where the
# facts live, once per payload: a creation's [due_at, code, channel, procedure code, field] as a JSON
# array, a resumption's new due_at as text.
_EVENT_ROWS = """
SELECT seq, dossier_id, type, occurred_at,
       CASE WHEN type IN ('registered', 'received', 'refused')
            THEN json_extract(payload, '$.due_at', '$.code', '$.channel', '$.procedure.code', '$.procedure.field')
            WHEN type IN ('supplemented', 'fee_paid') THEN json_extract(payload, '$.due_at') END
FROM events
WHERE type IN ({types}){extra}
ORDER BY seq
"""


def event_rows_sql(extra: str = "") -> str:
    types = ", ".join(f"'{t}'" for t in sorted(RELEVANT))
    return _EVENT_ROWS.format(types=types, extra=extra)


def classify_text(resolved_at: str, due_at: str) -> str:
    """``domain.calendar.classify`` on stored moments; a string comparison when both carry the same
    offset (as everything written through ``clock.iso`` does), which is the same order."""
    if len(resolved_at) == len(due_at) == 25 and resolved_at[19:] == due_at[19:]:
        if resolved_at > due_at:
            return "late"
        return "on_time" if resolved_at[:10] == due_at[:10] else "early"
    return classify(parse_moment(resolved_at), parse_moment(due_at)).value


def fold_rows(rows: Iterable[Sequence[Any]]) -> dict[str, Timeline]:
    """Timelines from event rows in ``seq`` order (see ``_EVENT_ROWS``); the projection's rules."""
    timelines: dict[str, Timeline] = {}
    due: dict[str, str | None] = {}
    loads = json.loads
    for seq, key, kind, moment, facts in rows:
        tl = timelines.get(key)
        if kind in CREATION:
            due_at, code, channel, procedure, field_name = loads(facts)
            if tl is None:
                tl = Timeline(key, code or "", channel or "desk", procedure or "", field_name or "")
                timelines[key] = tl
                due[key] = due_at or None
                if kind == "received":
                    tl.received_at = moment
                if kind != "refused":
                    tl.clock.append(ClockChange(seq, moment, due_at or None, None))
                continue
            if kind == "received":
                tl.received_at = moment
                if due_at:
                    due[key] = due_at
                tl.clock.append(ClockChange(seq, moment, due[key], None))
        elif tl is None:
            continue  # not a valid history (the projection would refuse it)
        elif kind in PAUSES:
            tl.clock.append(ClockChange(seq, moment, due[key], moment))
        elif kind in RESUMES:
            if facts:
                due[key] = facts
            tl.clock.append(ClockChange(seq, moment, due[key], None))
        elif kind in FINISHES:
            tl.finished_at = moment
            tl.outcome = kind
            current_due = due[key]
            if kind == "resolved" and current_due:
                tl.timeliness = classify_text(moment, current_due)
    for tl in timelines.values():
        _clamp(tl)
    return timelines


def _clamp(tl: Timeline) -> None:
    """A finish stamped before the receipt (clocks of two devices disagreeing) counts at the receipt."""
    if tl.finished_at and tl.received_at and tl.finished_at < tl.received_at:
        tl.finished_at = tl.received_at


def read_timelines(conn: sqlite3.Connection, dossier_ids: Sequence[str] | None = None) -> dict[str, Timeline]:
    """Timelines of every dossier (or of ``dossier_ids``) straight from the event log."""
    if dossier_ids is None:
        return fold_rows(conn.execute(event_rows_sql()))
    result: dict[str, Timeline] = {}
    for start in range(0, len(dossier_ids), 500):
        chunk = list(dossier_ids[start:start + 500])
        marks = ", ".join("?" for _ in chunk)
        result.update(fold_rows(conn.execute(event_rows_sql(f" AND dossier_id IN ({marks})"), chunk)))
    return result


def timeline_by_projection(events: Sequence[Event], seqs: Sequence[int] | None = None) -> Timeline | None:
    """The same timeline, read off the core projection's record after each event (the reference)."""
    record: DossierRecord | None = None
    tl: Timeline | None = None
    for index, event in enumerate(events):
        previous = record
        record = apply(record, event)
        seq = seqs[index] if seqs is not None else index
        if tl is None:
            tl = Timeline(record.id, record.code or "", record.channel, record.procedure_code, record.field_name)
        at = iso(event.occurred_at)
        if event.type in CREATION and not (previous is None and event.type == "refused"):
            tl.clock.append(ClockChange(seq, at, record.due_at, None))
        elif event.type in PAUSES | RESUMES:
            tl.clock.append(ClockChange(seq, at, record.due_at, record.paused_since))
    if record is None or tl is None:
        return None
    tl.received_at = record.received_at
    if record.resolved_at:
        tl.finished_at, tl.outcome, tl.timeliness = record.resolved_at, "resolved", record.timeliness
    elif record.closed_at and record.state is not None and record.state.name in ("WITHDRAWN", "STOPPED"):
        tl.finished_at, tl.outcome = record.closed_at, record.state.name.lower()
    _clamp(tl)
    return tl


def verify_timelines(conn: sqlite3.Connection, limit: int | None = None) -> list[str]:
    """Dossiers (ids) whose folded timeline differs from a replay through the core projection."""
    from motcua.store.events import row_to_event

    folded = read_timelines(conn)
    ids = [str(r[0]) for r in conn.execute("SELECT DISTINCT dossier_id FROM events ORDER BY dossier_id")]
    differing = []
    for dossier_id in ids[:limit] if limit else ids:
        rows = conn.execute("SELECT * FROM events WHERE dossier_id = ? ORDER BY seq", (dossier_id,)).fetchall()
        events = [row_to_event(r) for r in rows]
        if timeline_by_projection(events, [int(r["seq"]) for r in rows]) != folded.get(dossier_id):
            differing.append(dossier_id)
    return differing
