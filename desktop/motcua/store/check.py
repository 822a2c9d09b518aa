"""``motcua check``: is the store sound? SQLite integrity, projections against events, files against hashes."""

from __future__ import annotations

import sqlite3
from dataclasses import dataclass, field
from itertools import groupby
from pathlib import Path

from motcua.domain.events import EventType
from motcua.domain.projection import COLUMNS, DossierRecord, fold_events
from motcua.domain.states import TransitionRefused
from motcua.store.attachments import verify_all
from motcua.store.events import load_record, save_record
from motcua.store.fold import all_ordered_events


@dataclass
class CheckReport:
    problems: list[str] = field(default_factory=list)
    dossiers: int = 0
    events: int = 0
    attachments: int = 0

    @property
    def ok(self) -> bool:
        return not self.problems


def rebuilt_records(conn: sqlite3.Connection) -> dict[str, DossierRecord | Exception]:
    """Every dossier folded afresh from its events, in the hub's order (store.fold). A local event the hub's
    order overtook is left out, as the row leaves it out; one the hub holds that does not replay is a fault."""
    result: dict[str, DossierRecord | Exception] = {}
    for dossier_id, group in groupby(all_ordered_events(conn), key=lambda pair: pair[0].dossier_id):
        ordered = list(group)
        record, refused = fold_events(event for event, _ in ordered)
        held = {event.id for event, hub_seq in ordered if hub_seq is not None}
        faults = [event for event in refused if event.id in held]
        if faults or record is None:
            result[dossier_id] = TransitionRefused(", ".join(f"{e.type} {e.id}" for e in faults or refused))
            continue
        result[dossier_id] = record
    return result


def check_store(conn: sqlite3.Connection, data_dir: Path) -> CheckReport:
    report = CheckReport()
    integrity = [r[0] for r in conn.execute("PRAGMA integrity_check")]
    if integrity != ["ok"]:
        report.problems.extend(f"sqlite integrity: {line}" for line in integrity)
    for row in conn.execute("PRAGMA foreign_key_check"):
        report.problems.append(f"foreign key broken in {row[0]} row {row[1]} → {row[2]}")
    report.events = conn.execute("SELECT count(*) FROM events").fetchone()[0]
    report.dossiers = conn.execute("SELECT count(*) FROM dossiers").fetchone()[0]
    report.attachments = conn.execute("SELECT count(*) FROM attachments").fetchone()[0]

    rebuilt = rebuilt_records(conn)
    stored_ids = {r[0] for r in conn.execute("SELECT id FROM dossiers")}
    for dossier_id, record in rebuilt.items():
        if isinstance(record, Exception):
            report.problems.append(f"dossier {dossier_id}: its events do not replay: {record}")
            continue
        stored = load_record(conn, dossier_id)
        if stored is None:
            report.problems.append(f"dossier {dossier_id} has events but no row")
            continue
        for column in COLUMNS:
            if getattr(stored, column) != getattr(record, column):
                report.problems.append(
                    f"dossier {record.code or dossier_id}: {column} is {getattr(stored, column)!r} "
                    f"but its events give {getattr(record, column)!r}"
                )
    for orphan in sorted(stored_ids - rebuilt.keys()):
        report.problems.append(f"dossier {orphan} has a row but no events")

    for row in conn.execute(
        "SELECT e.id FROM events e LEFT JOIN dossier_attachments a ON a.event_id = e.id"
        " WHERE e.type = ? AND a.event_id IS NULL", (EventType.ATTACHMENT_ADDED,)
    ):
        report.problems.append(f"attachment event {row[0]} has no attachment row")
    report.problems.extend(verify_all(conn, data_dir))
    return report


def rebuild_projections(conn: sqlite3.Connection) -> int:
    """Rewrite every dossier row from its events (caller holds the transaction); returns the count."""
    count = 0
    for record in rebuilt_records(conn).values():
        if isinstance(record, DossierRecord):
            save_record(conn, record)
            count += 1
    return count
