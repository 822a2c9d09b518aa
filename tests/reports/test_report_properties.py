"""Property tests: on generated histories the report reconciles, months add up to the quarter, and
every figure agrees with a plain recount from the raw events written here, independently."""

from __future__ import annotations

import itertools
import json
import sqlite3
import tempfile
from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from pathlib import Path

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from motcua.domain.clock import VN_TZ
from motcua.hub.province.reports_aggregate import roll_up
from motcua.reports.cache import ensure_timelines
from motcua.reports.figures import COMPOSITES, FLAGS, compute_figures, compute_report, dossier_codes
from motcua.reports.period import Period, custom, month, quarter
from motcua.reports.timeline import read_back, timeline_by_projection
from motcua.store.events import row_to_event
from tests.reports.report_support import OUTLINES, PROCEDURES, Story, add_story, new_desk, store_in

BASE = datetime(2025, 12, 20, 7, 0, tzinfo=VN_TZ)
PERIODS = [month(2026, 1), month(2026, 2), month(2026, 3), quarter(2026, 1)]


@st.composite
def stories(draw: st.DrawFn) -> Story:
    offset = draw(st.integers(0, 100 * 24 * 60))  # minutes after 20/12/2025
    outline = draw(st.sampled_from(OUTLINES))
    delays = draw(st.lists(st.integers(0, 30 * 24 * 60), min_size=len(outline), max_size=len(outline)))
    return Story(
        received_at=BASE + timedelta(minutes=offset),
        channel=draw(st.sampled_from(["desk", "online", "post"])),
        procedure=draw(st.sampled_from(sorted(PROCEDURES))),
        steps=tuple((action, timedelta(minutes=d)) for action, d in zip(outline, delays, strict=True)),
        refused=draw(st.integers(0, 12)) == 0,
    )


histories = st.lists(stories(), min_size=0, max_size=10)
custom_periods = st.tuples(st.integers(0, 100), st.integers(0, 60)).map(
    lambda p: custom(date(2025, 12, 15) + timedelta(days=p[0]), date(2025, 12, 15) + timedelta(days=p[0] + p[1])))


# -- the independent recount ----------------------------------------------------------------------
@dataclass
class Plain:
    code: str = ""
    channel: str = "desk"
    received: datetime | None = None
    finished: datetime | None = None
    outcome: str = ""
    due_at_finish: datetime | None = None
    clock: list[tuple[datetime, datetime | None, datetime | None]] = field(default_factory=list)  # at, due, paused


def recount_dossiers(conn: sqlite3.Connection) -> dict[str, Plain]:
    """Walk the raw events in order, knowing only the domain rules (not the reports package)."""
    found: dict[str, Plain] = {}
    due: dict[str, datetime | None] = {}
    for dossier_id, kind, occurred, payload_text in conn.execute(
            "SELECT dossier_id, type, occurred_at, payload FROM events ORDER BY seq"):
        payload = json.loads(payload_text)
        at = datetime.fromisoformat(occurred)
        new_due = datetime.fromisoformat(payload["due_at"]) if payload.get("due_at") else None
        if dossier_id not in found:
            found[dossier_id] = Plain(payload.get("code", ""), payload.get("channel", "desk"))
            due[dossier_id] = new_due
        plain = found[dossier_id]
        if kind == "received":
            plain.received = at
            due[dossier_id] = new_due or due[dossier_id]
            plain.clock.append((at, due[dossier_id], None))
        elif kind in ("supplement_requested", "fee_requested"):
            plain.clock.append((at, due[dossier_id], at))
        elif kind in ("supplemented", "fee_paid"):
            due[dossier_id] = new_due or due[dossier_id]
            plain.clock.append((at, due[dossier_id], None))
        elif kind in ("resolved", "withdrawn", "stopped"):
            plain.finished, plain.outcome, plain.due_at_finish = at, kind, due[dossier_id]
    return {k: v for k, v in found.items() if v.received is not None}


def recount(plains: dict[str, Plain], period: Period) -> dict[str, list[str]]:
    start, end = period.start, period.end
    result: dict[str, list[str]] = defaultdict(list)
    for plain in plains.values():
        received = plain.received
        assert received is not None
        if received >= end or (plain.finished is not None and plain.finished < start):
            continue
        result["carried_over" if received < start else f"new_{plain.channel}"].append(plain.code)
        if plain.finished is not None and plain.finished < end:
            if plain.outcome == "resolved":
                due = plain.due_at_finish
                if due is not None and plain.finished > due:
                    result["resolved_late"].append(plain.code)
                elif due is None or plain.finished.date() == due.date():
                    result["resolved_on_time"].append(plain.code)
                else:
                    result["resolved_early"].append(plain.code)
            else:
                result[plain.outcome].append(plain.code)
            continue
        at_end = [c for c in plain.clock if c[0] < end][-1]
        _, due, paused = at_end
        clock_reads = paused if paused is not None else end
        overdue = due is not None and due < clock_reads
        result["pending_overdue" if overdue else "pending_in_time"].append(plain.code)
    return result


def check_against_recount(conn: sqlite3.Connection, period: Period) -> None:
    figures = compute_figures(conn, period)
    expected = recount(recount_dossiers(conn), period)
    assert figures.counts() == {flag: len(expected.get(flag, [])) for flag in FLAGS}, period.key
    assert figures.reconciles()


# -- properties -----------------------------------------------------------------------------------
@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(histories, custom_periods)
def test_figures_reconcile_add_up_and_match_a_recount(stories_: list[Story], extra: Period) -> None:
    with tempfile.TemporaryDirectory() as scratch, store_in(Path(scratch), stories_) as built:
        conn = built.conn
        by_period = {p.key: compute_figures(conn, p) for p in [*PERIODS, extra]}
        for figures in by_period.values():
            assert figures.reconciles()
            assert figures.pending == figures.pending_in_time + figures.pending_overdue
        months = [by_period[m.key] for m in quarter(2026, 1).months()]
        whole = by_period["2026-Q1"]
        for flow in ("new_desk", "new_online", "new_post", "resolved_early", "resolved_on_time",
                     "resolved_late", "withdrawn", "stopped"):
            assert sum(getattr(m, flow) for m in months) == getattr(whole, flow), flow
        assert months[0].carried_over == whole.carried_over
        assert months[-1].pending == whole.pending
        assert months[-1].pending_overdue == whole.pending_overdue
        assert roll_up(months) == whole  # what the hub does with monthly payloads
        trend = compute_report(conn, quarter(2026, 1), with_months=True).months
        assert [f for _, f in trend] == months  # the one-pass trend query agrees
        for before, after in itertools.pairwise(months):
            assert after.carried_over == before.pending
        for period in [*PERIODS, extra]:
            check_against_recount(conn, period)


@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(histories)
def test_drill_down_lists_exactly_the_dossiers_counted(stories_: list[Story]) -> None:
    with tempfile.TemporaryDirectory() as scratch, store_in(Path(scratch), stories_) as built:
        conn = built.conn
        period = month(2026, 2)
        expected = recount(recount_dossiers(conn), period)
        for flag in FLAGS:
            assert dossier_codes(conn, period, flag) == sorted(expected.get(flag, [])), flag
        for name, parts in COMPOSITES.items():
            codes = dossier_codes(conn, period, name)
            assert codes == sorted(c for p in parts for c in expected.get(p, [])), name
            assert len(codes) == compute_figures(conn, period).value(name)


@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(histories)
def test_timelines_agree_with_a_replay_through_the_core_projection(stories_: list[Story]) -> None:
    with tempfile.TemporaryDirectory() as scratch, store_in(Path(scratch), stories_) as built:
        conn = built.conn
        folded = read_back(conn, ensure_timelines(conn))
        ids = [r[0] for r in conn.execute("SELECT DISTINCT dossier_id FROM events")]
        assert set(folded) == set(ids)
        for dossier_id in ids:
            rows = conn.execute("SELECT * FROM events WHERE dossier_id = ? ORDER BY seq", (dossier_id,)).fetchall()
            replayed = timeline_by_projection([row_to_event(r) for r in rows], [r["seq"] for r in rows])
            assert replayed == folded[dossier_id]


@settings(max_examples=15, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(histories, histories)
def test_cached_timelines_follow_new_events(first: list[Story], then: list[Story]) -> None:
    with tempfile.TemporaryDirectory() as scratch:
        desk = new_desk(Path(scratch))
        try:
            for story in first:
                add_story(desk, story)
            period = quarter(2026, 1)
            compute_report(desk.conn, period)  # fills the cache
            for story in then:
                add_story(desk, story)
            fresh = _fresh(Path(scratch))
            ensure_timelines(fresh, persistent=False)  # built from scratch, in TEMP
            try:
                assert compute_report(desk.conn, period) == compute_report(fresh, period)
            finally:
                fresh.close()
            check_against_recount(desk.conn, period)
        finally:
            desk.conn.close()


def _fresh(directory: Path) -> sqlite3.Connection:
    from motcua.paths import store_file
    from motcua.store.db import connect

    return connect(store_file(directory), readonly=True)
