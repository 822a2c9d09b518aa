"""Reading dossiers: one dossier, and filtered, sorted, paged lists (sorting and filtering in SQL)."""

from __future__ import annotations

import re
import sqlite3
from dataclasses import dataclass
from datetime import date, datetime, timedelta

from motcua.domain.clock import iso, to_local
from motcua.domain.projection import COLUMNS, DossierRecord
from motcua.domain.states import Status
from motcua.domain.text import fold

# A dossier whose clock runs: received or being processed. Waiting for the citizen (a supplement, a
# fee) stops the clock, so such a dossier is never due today nor overdue.
RUNNING = (int(Status.RECEIVED), int(Status.PROCESSING))
# A dossier someone at the office holds: open (paused ones included) or resolved and waiting to be returned.
HELD = (int(Status.RECEIVED), int(Status.PROCESSING), int(Status.SUPPLEMENT_REQUESTED),
        int(Status.FINANCIAL_OBLIGATION), int(Status.RESOLVED))

SORTABLE = frozenset({"code", "received_at", "due_at", "applicant_name", "status", "procedure_code",
                      "updated_at", "resolved_at", "returned_at", "assigned_to", "step_due_at"})


@dataclass(frozen=True)
class DossierFilter:
    statuses: tuple[int, ...] = ()
    procedure_code: str = ""
    text: str = ""
    due_on: date | None = None          # due on this day (dossiers whose clock runs)
    overdue_at: datetime | None = None  # running dossiers whose due moment has passed at this moment
    received_from: date | None = None
    received_to: date | None = None
    holder: str = ""                    # held now by this account (or agency): «Người xử lý»
    step: str = ""                      # at this processing step (domain.steps)
    step_due_on: date | None = None     # running dossiers whose current step is due on this day
    step_overdue_at: datetime | None = None  # running dossiers whose current step's deadline has passed

    def where(self) -> tuple[str, list[object]]:
        clauses: list[str] = []
        params: list[object] = []
        if self.statuses:
            clauses.append(f"status IN ({', '.join('?' for _ in self.statuses)})")
            params.extend(self.statuses)
        if self.procedure_code:
            clauses.append("procedure_code = ?")
            params.append(self.procedure_code)
        if self.text:
            words = [w for w in re.split(r"[^0-9a-z]+", fold(self.text)) if w]
            if words:
                # Word prefixes through the dossier full-text index (migration 0002): a LIKE scan of
                # 100,000 rows costs ~100 ms per keystroke.
                clauses.append("rowid IN (SELECT rowid FROM dossiers_fts WHERE dossiers_fts MATCH ?)")
                if " " in self.text.strip():
                    params.append(" ".join(f'"{w}"*' for w in words))  # every word, in any order
                else:
                    # One chunk such as a dossier code "000.17.22.H56-260212-0001": its parts in order.
                    params.append('"' + " ".join(words) + '"*')
        running = f"status IN ({', '.join('?' for _ in RUNNING)})"
        if self.due_on is not None:
            clauses.append(f"{running} AND due_at >= ? AND due_at < ?")
            params.extend(RUNNING)
            params.extend([self.due_on.isoformat(), (self.due_on + timedelta(days=1)).isoformat()])
        if self.overdue_at is not None:
            clauses.append(f"{running} AND due_at < ?")
            params.extend([*RUNNING, iso(to_local(self.overdue_at))])
        if self.holder:
            clauses.append(f"assigned_to = ? AND status IN ({', '.join('?' for _ in HELD)})")
            params.extend([self.holder, *HELD])
        if self.step:
            clauses.append("step = ?")
            params.append(self.step)
        if self.step_due_on is not None:
            clauses.append(f"{running} AND step_due_at >= ? AND step_due_at < ?")
            params.extend([*RUNNING, self.step_due_on.isoformat(), (self.step_due_on + timedelta(days=1)).isoformat()])
        if self.step_overdue_at is not None:
            clauses.append(f"{running} AND step_due_at < ?")
            params.extend([*RUNNING, iso(to_local(self.step_overdue_at))])
        if self.received_from is not None:
            clauses.append("received_at >= ?")
            params.append(self.received_from.isoformat())
        if self.received_to is not None:
            clauses.append("received_at < ?")
            params.append((self.received_to + timedelta(days=1)).isoformat())
        return (" WHERE " + " AND ".join(clauses)) if clauses else "", params


def find_dossier(conn: sqlite3.Connection, ref: str) -> DossierRecord | None:
    """By id or code (exactly as printed on the receipt)."""
    row = conn.execute(
        f"SELECT {', '.join(COLUMNS)} FROM dossiers WHERE id = ? OR code = ?", (ref.strip(), ref.strip())
    ).fetchone()
    return DossierRecord(**dict(row)) if row else None


def count_dossiers(conn: sqlite3.Connection, flt: DossierFilter) -> int:
    where, params = flt.where()
    return int(conn.execute(f"SELECT count(*) FROM dossiers{where}", params).fetchone()[0])


def dossier_ids(conn: sqlite3.Connection, flt: DossierFilter, *, sort: str = "received_at",
                descending: bool = True, limit: int = 100, offset: int = 0) -> list[str]:
    """Ids only, in order: what a list model holds; rows are fetched lazily by ``dossiers_by_ids``."""
    if sort not in SORTABLE:
        raise ValueError(f"cannot sort by {sort!r}; choose one of {sorted(SORTABLE)}")
    where, params = flt.where()
    direction = "DESC" if descending else "ASC"
    sql = f"SELECT id FROM dossiers{where} ORDER BY {sort} {direction}, id {direction} LIMIT ? OFFSET ?"
    return [r[0] for r in conn.execute(sql, [*params, limit, offset])]


def dossiers_by_ids(conn: sqlite3.Connection, ids: list[str]) -> dict[str, DossierRecord]:
    if not ids:
        return {}
    rows = conn.execute(
        f"SELECT {', '.join(COLUMNS)} FROM dossiers WHERE id IN ({', '.join('?' for _ in ids)})", ids
    )
    return {r["id"]: DossierRecord(**dict(r)) for r in rows}


@dataclass(frozen=True)
class ProcedureUse:
    code: str
    name: str    # as written on its most recent dossier
    dossiers: int


def procedures_in_use(conn: sqlite3.Connection) -> list[ProcedureUse]:
    """The procedures that have dossiers in this store, most dossiers first, then by name.

    Counted on the (procedure_code, received_at) index; each name is read from the code's most recent
    dossier through the same index, so the cost grows with the number of procedures, not of dossiers.
    """
    counts = conn.execute(
        "SELECT procedure_code, count(*) FROM dossiers WHERE procedure_code != '' GROUP BY procedure_code"
    ).fetchall()
    found = []
    for code, number in counts:
        row = conn.execute("SELECT procedure_name FROM dossiers WHERE procedure_code = ?"
                           " ORDER BY received_at DESC LIMIT 1", (code,)).fetchone()
        found.append(ProcedureUse(code, row[0] if row else "", int(number)))
    return sorted(found, key=lambda p: (-p.dossiers, fold(p.name), p.code))


def list_dossiers(conn: sqlite3.Connection, flt: DossierFilter, **page: object) -> list[DossierRecord]:
    ids = dossier_ids(conn, flt, **page)  # type: ignore[arg-type]
    found = dossiers_by_ids(conn, ids)
    return [found[i] for i in ids]
