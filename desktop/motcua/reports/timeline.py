"""Each dossier's timeline, derived from its events: the facts every report counts.

A timeline holds when the dossier was received, when and how it finished (resolved, withdrawn,
stopped), how a resolution was classed against the due moment then in force, and every change of its
clock (the due moment and whether it is paused), so the state at any period boundary can be read off.

``DERIVE`` is the SQL that computes the timelines from the event log into tables (``reports.cache``
runs it), with the same rules as the core projection (``domain.projection``) for these few facts;
``timeline_by_projection`` replays a dossier's events through the projection itself and is how the
tests and ``motcua report --verify`` prove the two agree.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import NamedTuple

from motcua.domain.calendar import classify
from motcua.domain.clock import iso, parse_moment
from motcua.domain.events import Event
from motcua.domain.projection import DossierRecord, apply

CREATION = frozenset({"registered", "received", "refused"})
PAUSES = frozenset({"supplement_requested", "fee_requested"})
RESUMES = frozenset({"supplemented", "fee_paid"})
FINISHES = frozenset({"resolved", "withdrawn", "stopped"})
CLOCK = frozenset({"registered", "received"}) | PAUSES | RESUMES
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
    received_at: str | None = None     # None: never received (refused, even right after intake, or only
                                       # registered online)
    finished_at: str | None = None
    outcome: str = ""                  # resolved | withdrawn | stopped
    timeliness: str = ""               # early | on_time | late ('' when resolved without a due moment)
    clock: list[ClockChange] = field(default_factory=list)
    procedure_name: str = ""


def classify_text(resolved_at: str, due_at: str) -> str:
    """``domain.calendar.classify`` on stored moments (registered as an SQL function for the rare
    moments the SQL cannot compare as text)."""
    return classify(parse_moment(resolved_at), parse_moment(due_at)).value


def _in(types: frozenset[str]) -> str:
    return "(" + ", ".join(f"'{t}'" for t in sorted(types)) + ")"


# The derivation, in three statements over the schema {s}; {only} may restrict it to some dossiers.
# 1. The relevant events, a few columns each; JSON read once per payload where the facts live: a
#    creation's [due_at, code, channel, procedure code, field], a resumption's new due moment.
# 2. One row per dossier. "Last by seq" is taken as MAX over a zero-padded seq prefix. The due moment
#    in force at the resolution is the last one set (nothing sets a due moment after a dossier
#    finished). The clock's last change carries a P(aused)/R(unning) flag. A finish stamped before
#    the receipt (two devices' clocks disagreeing) counts at the receipt. Timeliness is the core's
#    classify: a text comparison when both moments carry the same offset (everything written through
#    ``clock.iso`` does), the Python function otherwise.
# 3. Every clock change of the dossiers whose clock changed more than once (for the rest the row's
#    last change is the whole story); the due moment in force is the last one set so far.
DERIVE_EVENTS = f"""
CREATE TEMP TABLE report_events AS
SELECT seq, dossier_id, type, occurred_at,
       CASE WHEN type IN {_in(CREATION)} THEN json_extract(payload, '$.due_at', '$.code', '$.channel',
                                      '$.procedure.code', '$.procedure.field', '$.procedure.name') END AS facts,
       CASE WHEN type IN {_in(RESUMES)} THEN json_extract(payload, '$.due_at') END AS resumed_due
FROM events
WHERE type IN {_in(RELEVANT)}{{only}}
"""

DERIVE_TIMELINES = f"""
INSERT INTO {{s}}.report_timeline
SELECT dossier_id,
       COALESCE(json_extract(creation, '$[1]'), ''),
       COALESCE(json_extract(creation, '$[2]'), 'desk'),
       COALESCE(json_extract(creation, '$[3]'), ''),
       COALESCE(json_extract(creation, '$[4]'), ''),
       received_at,
       CASE WHEN finished_at < received_at THEN received_at ELSE finished_at END,
       COALESCE(outcome, ''),
       CASE WHEN outcome = 'resolved' AND due IS NOT NULL THEN
            CASE WHEN length(finished_at) = 25 AND length(due) = 25 AND substr(finished_at, 20) = substr(due, 20)
                 THEN CASE WHEN finished_at > due THEN 'late'
                           WHEN substr(finished_at, 1, 10) = substr(due, 1, 10) THEN 'on_time'
                           ELSE 'early' END
                 ELSE motcua_report_classify(finished_at, due) END
            ELSE '' END,
       CAST(substr(last_clock, 1, 12) AS INTEGER),
       substr(last_clock, 14),
       due,
       CASE WHEN substr(last_clock, 13, 1) = 'P' THEN substr(last_clock, 14) END,
       clock_changes,
       COALESCE(json_extract(creation, '$[5]'), '')
FROM (
    SELECT dossier_id,
           substr(MIN(CASE WHEN type IN {_in(CREATION)} THEN printf('%012d', seq) || facts END), 13) AS creation,
           CASE WHEN MAX(type = 'refused') = 0 THEN MAX(CASE WHEN type = 'received' THEN occurred_at END)
                END AS received_at,
           MAX(CASE WHEN type IN {_in(FINISHES)} THEN occurred_at END) AS finished_at,
           MAX(CASE WHEN type IN {_in(FINISHES)} THEN type END) AS outcome,
           substr(MAX(CASE WHEN COALESCE(resumed_due, json_extract(facts, '$[0]')) IS NOT NULL
                           AND type IN {_in(CLOCK)}
                      THEN printf('%012d', seq) || COALESCE(resumed_due, json_extract(facts, '$[0]')) END), 13) AS due,
           MAX(CASE WHEN type IN {_in(CLOCK)} THEN printf('%012d', seq)
                    || CASE WHEN type IN {_in(PAUSES)} THEN 'P' ELSE 'R' END || occurred_at END) AS last_clock,
           SUM(type IN {_in(CLOCK)}) AS clock_changes
    FROM temp.report_events
    GROUP BY dossier_id
)
"""

DERIVE_CLOCK = f"""
INSERT INTO {{s}}.report_clock
SELECT dossier_id, seq, occurred_at,
       substr(MAX(CASE WHEN due IS NOT NULL THEN printf('%012d', seq) || due END) OVER (
           PARTITION BY dossier_id ORDER BY seq ROWS UNBOUNDED PRECEDING), 13),
       CASE WHEN type IN {_in(PAUSES)} THEN occurred_at END
FROM (SELECT e.dossier_id, e.seq, e.type, e.occurred_at,
             COALESCE(e.resumed_due, json_extract(e.facts, '$[0]')) AS due
      FROM temp.report_events e
      WHERE e.type IN {_in(CLOCK)}
        AND e.dossier_id IN (SELECT dossier_id FROM {{s}}.report_timeline WHERE clock_changes > 1))
"""


def derive(conn: sqlite3.Connection, schema: str, only: str = "") -> None:
    """Run the derivation into ``schema``'s (empty or cleared) tables; ``only``: an extra WHERE
    clause on the events, e.g. " AND dossier_id IN (SELECT dossier_id FROM temp.report_touched)"."""
    conn.create_function("motcua_report_classify", 2, classify_text, deterministic=True)
    conn.execute("DROP TABLE IF EXISTS temp.report_events")
    conn.execute(DERIVE_EVENTS.format(only=only))
    conn.execute(DERIVE_TIMELINES.format(s=schema))
    conn.execute(DERIVE_CLOCK.format(s=schema))
    conn.execute("DROP TABLE temp.report_events")


def read_back(conn: sqlite3.Connection, schema: str, dossier_ids: Sequence[str] | None = None) -> dict[str, Timeline]:
    """The derived timelines as objects (for checks and tests; reports query the tables)."""
    where, params = "", list(dossier_ids or [])
    if dossier_ids is not None:
        where = f" WHERE dossier_id IN ({', '.join('?' for _ in params)})"
    found: dict[str, Timeline] = {}
    for row in conn.execute(f"SELECT * FROM {schema}.report_timeline{where}", params):
        tl = Timeline(row["dossier_id"], row["code"], row["channel"], row["procedure_code"], row["field_name"],
                      row["received_at"], row["finished_at"], row["outcome"], row["timeliness"],
                      procedure_name=row["procedure_name"])
        if row["clock_changes"] == 1:
            tl.clock.append(ClockChange(row["clock_seq"], row["clock_at"], row["clock_due_at"], row["clock_paused"]))
        found[tl.dossier_id] = tl
    for row in conn.execute(f"SELECT * FROM {schema}.report_clock{where} ORDER BY dossier_id, seq", params):
        if row["dossier_id"] in found:
            found[row["dossier_id"]].clock.append(ClockChange(row["seq"], row["at"], row["due_at"],
                                                              row["paused_since"]))
    return found


def _clamp(tl: Timeline) -> None:
    """A finish stamped before the receipt (clocks of two devices disagreeing) counts at the receipt."""
    if tl.finished_at and tl.received_at and tl.finished_at < tl.received_at:
        tl.finished_at = tl.received_at


def timeline_by_projection(events: Sequence[Event], seqs: Sequence[int] | None = None) -> Timeline | None:
    """The same timeline, read off the core projection's record after each event (the reference)."""
    record: DossierRecord | None = None
    tl: Timeline | None = None
    for index, event in enumerate(events):
        record = apply(record, event)
        seq = seqs[index] if seqs is not None else index
        if tl is None:
            tl = Timeline(record.id, record.code or "", record.channel, record.procedure_code, record.field_name,
                          procedure_name=record.procedure_name)
        at = iso(event.occurred_at)
        if event.type in ("registered", "received"):
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
