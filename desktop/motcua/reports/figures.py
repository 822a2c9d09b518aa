"""The report's arithmetic: how many dossiers were carried over, received, resolved, closed and pending.

Pure computation over the store (read only): every number is a count of timelines
(``reports.timeline``, derived from the events) matching one rule below, evaluated in SQL over the
timeline tables kept up to date by ``reports.cache``. The rules are stated for people in docs/reports.md; the SQL
predicates here are their one implementation, shared by the figures and by the drill-down to codes.

A period is [start, end) in Vietnam time. A dossier counts only once received (``received_at``):
refused (3) and merely registered (1) dossiers never are.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field, fields
from typing import Any

from motcua.reports.cache import SCHEMA_TOKEN, timeline_tables
from motcua.reports.period import Period

# The basic counts, in the order of the official table. Every dossier relevant to a period (received
# before its end and not finished before its start) falls in exactly one "stock in" category
# (carried_over, new_*) and exactly one "stock out" category (resolved_*, withdrawn, stopped, pending_*).
FLAGS: tuple[str, ...] = (
    "carried_over", "new_desk", "new_online", "new_post",
    "resolved_early", "resolved_on_time", "resolved_late", "withdrawn", "stopped",
    "pending_in_time", "pending_overdue",
)

_IN_PERIOD = "t.finished_at < :end"
_PENDING = "(t.finished_at IS NULL OR t.finished_at >= :end)"
# The clock at the period end: the last clock change before it. Overdue when the due moment had passed
# by the end, or — for a dossier paused at the end — already by the moment it was paused. The last
# change of all is kept on the timeline row; older ones are looked up only when the end precedes it.
_OVERDUE_AT_END = """(CASE WHEN t.clock_at < :end
    THEN COALESCE(CASE WHEN t.clock_paused IS NOT NULL THEN t.clock_due_at < t.clock_paused
                       ELSE t.clock_due_at < :end END, 0)
    ELSE COALESCE((
        SELECT CASE WHEN c.paused_since IS NOT NULL THEN c.due_at < c.paused_since ELSE c.due_at < :end END
        FROM REPORT_SCHEMA.report_clock c
        WHERE c.dossier_id = t.dossier_id AND c.at < :end
        ORDER BY c.seq DESC LIMIT 1), 0) END)"""

PREDICATES: dict[str, str] = {
    "carried_over": "t.received_at < :start",
    "new_desk": "t.received_at >= :start AND t.channel NOT IN ('online', 'post')",
    "new_online": "t.received_at >= :start AND t.channel = 'online'",
    "new_post": "t.received_at >= :start AND t.channel = 'post'",
    "resolved_early": f"{_IN_PERIOD} AND t.outcome = 'resolved' AND t.timeliness = 'early'",
    # Resolved without a due moment (a procedure with no time limit) cannot be late: on time.
    "resolved_on_time": f"{_IN_PERIOD} AND t.outcome = 'resolved' AND t.timeliness NOT IN ('early', 'late')",
    "resolved_late": f"{_IN_PERIOD} AND t.outcome = 'resolved' AND t.timeliness = 'late'",
    "withdrawn": f"{_IN_PERIOD} AND t.outcome = 'withdrawn'",
    "stopped": f"{_IN_PERIOD} AND t.outcome = 'stopped'",
    "pending_in_time": f"{_PENDING} AND NOT {_OVERDUE_AT_END}",
    "pending_overdue": f"{_PENDING} AND {_OVERDUE_AT_END}",
}

# Sums people read as one number; the drill-down accepts them too.
COMPOSITES: dict[str, tuple[str, ...]] = {
    "new": ("new_desk", "new_online", "new_post"),
    "received": ("carried_over", "new_desk", "new_online", "new_post"),
    "resolved": ("resolved_early", "resolved_on_time", "resolved_late"),
    "closed": ("withdrawn", "stopped"),
    "pending": ("pending_in_time", "pending_overdue"),
}


@dataclass(frozen=True)
class Figures:
    carried_over: int = 0
    new_desk: int = 0
    new_online: int = 0
    new_post: int = 0
    resolved_early: int = 0
    resolved_on_time: int = 0
    resolved_late: int = 0
    withdrawn: int = 0
    stopped: int = 0
    pending_in_time: int = 0
    pending_overdue: int = 0

    @property
    def new(self) -> int:
        return self.new_desk + self.new_online + self.new_post

    @property
    def received(self) -> int:
        """All dossiers handled in the period: carried over plus new."""
        return self.carried_over + self.new

    @property
    def resolved(self) -> int:
        return self.resolved_early + self.resolved_on_time + self.resolved_late

    @property
    def closed(self) -> int:
        """Withdrawn by the applicant or stopped."""
        return self.withdrawn + self.stopped

    @property
    def pending(self) -> int:
        return self.pending_in_time + self.pending_overdue

    @property
    def on_time_rate(self) -> float | None:
        """(early + on time) / resolved; None when nothing was resolved."""
        return (self.resolved_early + self.resolved_on_time) / self.resolved if self.resolved else None

    @property
    def online_rate(self) -> float | None:
        return self.new_online / self.new if self.new else None

    def reconciles(self) -> bool:
        return self.received == self.resolved + self.closed + self.pending

    def value(self, name: str) -> int:
        """A basic count or a composite by name."""
        if name in COMPOSITES:
            return sum(getattr(self, part) for part in COMPOSITES[name])
        return int(getattr(self, name))

    def counts(self) -> dict[str, int]:
        return {f.name: getattr(self, f.name) for f in fields(self)}

    def to_dict(self) -> dict[str, Any]:
        """The counts plus the derived totals and rates (JSON-serialisable)."""
        data: dict[str, Any] = self.counts()
        data.update({name: self.value(name) for name in COMPOSITES})
        data["on_time_rate"] = self.on_time_rate
        data["online_rate"] = self.online_rate
        return data

    @classmethod
    def from_dict(cls, data: Mapping[str, Any]) -> Figures:
        return cls(**{name: int(data.get(name, 0) or 0) for name in FLAGS})

    def __add__(self, other: Figures) -> Figures:
        return Figures(**{name: getattr(self, name) + getattr(other, name) for name in FLAGS})


def total(items: Iterable[Figures]) -> Figures:
    result = Figures()
    for item in items:
        result = result + item
    return result


@dataclass(frozen=True)
class FeeTotal:
    """The fees and charges collected in a period: the payments recorded (``fee_paid``) in it."""

    amount: int
    payments: int


def fees_collected(conn: sqlite3.Connection, period: Period, *, field_name: str | None = None,
                   procedure_code: str | None = None) -> FeeTotal:
    """The sum of the payments recorded in [start, end), by when each was recorded (not when the dossier
    was received); scoped like the figures by the dossier's field and procedure."""
    clauses = ["e.type = 'fee_paid'", "e.occurred_at >= :start", "e.occurred_at < :end"]
    params: dict[str, Any] = _bounds(period)
    if field_name is not None:
        clauses.append("d.field_name = :field")
        params["field"] = field_name
    if procedure_code is not None:
        clauses.append("d.procedure_code = :procedure")
        params["procedure"] = procedure_code
    row = conn.execute(
        "SELECT COALESCE(SUM(CAST(json_extract(e.payload, '$.amount') AS INTEGER)), 0), COUNT(*) "
        f"FROM events e JOIN dossiers d ON d.id = e.dossier_id WHERE {' AND '.join(clauses)}", params).fetchone()
    return FeeTotal(int(row[0]), int(row[1]))


@dataclass(frozen=True)
class Report:
    period: Period
    total: Figures
    by_field: list[tuple[str, Figures]] = field(default_factory=list)
    by_procedure: list[tuple[str, Figures]] = field(default_factory=list)
    months: list[tuple[Period, Figures]] = field(default_factory=list)
    field_name: str | None = None
    procedure_code: str | None = None
    procedure_names: dict[str, str] = field(default_factory=dict)
    fees: FeeTotal = field(default_factory=lambda: FeeTotal(0, 0))


# -- SQL ------------------------------------------------------------------------------------------
_GROUPS = {"": "''", "field": "t.field_name", "procedure": "t.procedure_code",
           "field_procedure": "t.field_name || char(31) || t.procedure_code"}


def _relevant(field_name: str | None, procedure_code: str | None) -> tuple[str, dict[str, Any]]:
    """Timelines that matter for a period: received before its end, not finished before its start."""
    clauses = ["t.received_at IS NOT NULL", "t.received_at < :end",
               "(t.finished_at IS NULL OR t.finished_at >= :start)"]
    params: dict[str, Any] = {}
    if field_name is not None:
        clauses.append("t.field_name = :field")
        params["field"] = field_name
    if procedure_code is not None:
        clauses.append("t.procedure_code = :procedure")
        params["procedure"] = procedure_code
    return " AND ".join(clauses), params


def _source(field_name: str | None, procedure_code: str | None) -> tuple[str, dict[str, Any]]:
    where, params = _relevant(field_name, procedure_code)
    return f"REPORT_SCHEMA.report_timeline t NOT INDEXED WHERE {where}", params


def _bounds(period: Period) -> dict[str, str]:
    return {"start": period.start_text, "end": period.end_text}


# Each relevant dossier falls in one category of each side; a row of the grouped query is (group, the
# dossier's "in" category, its "out" category, how many), so each predicate is evaluated at most once
# per dossier and stops at the first that holds. -1 would mean a dossier in no category: an error.
IN_SIDE = ("carried_over", "new_desk", "new_online", "new_post")
OUT_SIDE = ("resolved_early", "resolved_on_time", "resolved_late", "withdrawn", "stopped",
            "pending_overdue", "pending_in_time")


def _side(names: tuple[str, ...], bounds: tuple[str, str] = (":start", ":end")) -> str:
    def bound(sql: str) -> str:
        return sql.replace(":start", bounds[0]).replace(":end", bounds[1])

    whens = " ".join(f"WHEN {bound(PREDICATES[name])} THEN {FLAGS.index(name)}" for name in names)
    return f"CASE {whens} ELSE -1 END"


def _tally(rows: Iterable[tuple[Any, ...]]) -> dict[Any, Figures]:
    counts: dict[Any, dict[str, int]] = {}
    for key, inside, outside, number, *_ in rows:
        if inside < 0 or outside < 0:
            raise RuntimeError(f"a dossier matched no report category (group {key!r}); the rules have a gap")
        found = counts.setdefault(key, dict.fromkeys(FLAGS, 0))
        found[FLAGS[inside]] += number
        found[FLAGS[outside]] += number
    return {key: Figures(**values) for key, values in counts.items()}


def figures_by(conn: sqlite3.Connection, period: Period, group: str = "", *, field_name: str | None = None,
               procedure_code: str | None = None) -> dict[str, Figures]:
    """Figures for the period, per group ('' = one total, 'field', 'procedure', 'field_procedure')."""
    return _grouped(conn, period, group, field_name, procedure_code)[0]


def _grouped(conn: sqlite3.Connection, period: Period, group: str, field_name: str | None,
             procedure_code: str | None) -> tuple[dict[str, Figures], dict[str, str]]:
    """Figures per group, and per procedure code a name recorded at intake."""
    source, params = _source(field_name, procedure_code)
    sql = (f"SELECT {_GROUPS[group]} AS grp, {_side(IN_SIDE)} AS inside, {_side(OUT_SIDE)} AS outside, "
           f"COUNT(*), t.procedure_code, MAX(t.procedure_name) FROM {source} GROUP BY grp, inside, outside")
    with timeline_tables(conn) as schema:
        rows = conn.execute(sql.replace(SCHEMA_TOKEN, schema), {**params, **_bounds(period)}).fetchall()
    names = {str(row[4]): str(row[5]) for row in rows if row[5]}
    return {str(key): figures for key, figures in sorted(_tally(rows).items())}, names


def figures_for_periods(conn: sqlite3.Connection, periods: list[Period], *, field_name: str | None = None,
                        procedure_code: str | None = None) -> list[Figures]:
    """Totals for several periods in one pass (the monthly trend): the same predicates, with each
    period's bounds taken from a VALUES table instead of parameters."""
    if not periods:
        return []
    where, params = _relevant(field_name, procedure_code)
    bounds = ("p.period_start", "p.period_end")
    values = ", ".join(f"({i}, :s{i}, :e{i})" for i in range(len(periods)))
    for i, period in enumerate(periods):
        params[f"s{i}"], params[f"e{i}"] = period.start_text, period.end_text
    relevant = where.replace(":start", bounds[0]).replace(":end", bounds[1])
    sql = (f"WITH p(number, period_start, period_end) AS (VALUES {values}) "
           f"SELECT p.number, {_side(IN_SIDE, bounds)} AS inside, {_side(OUT_SIDE, bounds)} AS outside, COUNT(*) "
           f"FROM REPORT_SCHEMA.report_timeline t NOT INDEXED CROSS JOIN p ON {relevant} "  # one pass over t
           f"GROUP BY p.number, inside, outside")
    with timeline_tables(conn) as schema:
        found = _tally(tuple(row) for row in conn.execute(sql.replace(SCHEMA_TOKEN, schema), params))
    return [found.get(i, Figures()) for i in range(len(periods))]


def compute_figures(conn: sqlite3.Connection, period: Period, *, field_name: str | None = None,
                    procedure_code: str | None = None) -> Figures:
    found = figures_by(conn, period, field_name=field_name, procedure_code=procedure_code)
    return found.get("", Figures())


def compute_report(conn: sqlite3.Connection, period: Period, *, field_name: str | None = None,
                   procedure_code: str | None = None, with_months: bool = False) -> Report:
    """The report for a period: totals, per field, per procedure and (optionally) per month."""
    pairs, names = _grouped(conn, period, "field_procedure", field_name, procedure_code)
    by_field: dict[str, Figures] = {}
    by_procedure: dict[str, Figures] = {}
    for key, figures in pairs.items():
        field_key, procedure_key = key.split("\x1f", 1)
        by_field[field_key] = by_field.get(field_key, Figures()) + figures
        by_procedure[procedure_key] = by_procedure.get(procedure_key, Figures()) + figures
    months: list[tuple[Period, Figures]] = []
    if with_months:
        parts = period.months()
        months = list(zip(parts, figures_for_periods(conn, parts, field_name=field_name,
                                                     procedure_code=procedure_code), strict=True))
    fees = fees_collected(conn, period, field_name=field_name, procedure_code=procedure_code)
    return Report(period, total(by_field.values()), sorted(by_field.items()), sorted(by_procedure.items()),
                  months, field_name, procedure_code, names, fees)


def dossier_codes(conn: sqlite3.Connection, period: Period, category: str, *, field_name: str | None = None,
                  procedure_code: str | None = None) -> list[str]:
    """The codes behind one number of the report (a basic count or a composite), sorted."""
    parts = COMPOSITES.get(category, (category,))
    if any(p not in PREDICATES for p in parts):
        raise ValueError(f"unknown report category {category!r}; choose from {[*FLAGS, *COMPOSITES]}")
    source, params = _source(field_name, procedure_code)
    condition = " OR ".join(f"({PREDICATES[p]})" for p in parts)
    sql = f"SELECT t.code FROM {source} AND ({condition}) ORDER BY t.code"
    with timeline_tables(conn) as schema:
        return [str(row[0]) for row in conn.execute(sql.replace(SCHEMA_TOKEN, schema),
                                                    {**params, **_bounds(period)})]


def _distinct(conn: sqlite3.Connection, column: str) -> list[str]:
    with timeline_tables(conn) as schema:
        sql = f"SELECT DISTINCT {column} FROM {schema}.report_timeline WHERE received_at IS NOT NULL ORDER BY 1"
        return [str(r[0]) for r in conn.execute(sql)]


def known_fields(conn: sqlite3.Connection) -> list[str]:
    return _distinct(conn, "field_name")


def known_procedures(conn: sqlite3.Connection) -> list[str]:
    return _distinct(conn, "procedure_code")
