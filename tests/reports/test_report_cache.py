"""The timeline cache: a file beside the store, reused by later connections, refolded when the log
grows, rebuilt when the store is replaced; TEMP when no file can be used."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from motcua.paths import store_file
from motcua.reports import cache
from motcua.reports.figures import compute_figures
from motcua.reports.period import month
from motcua.store.db import connect
from tests.reports.report_support import SAMPLE, Built, Story, add_story, moment, store_in


def test_a_new_connection_reuses_the_cache_file(sample_store: Built, monkeypatch: pytest.MonkeyPatch) -> None:
    february = compute_figures(sample_store.conn, month(2026, 2))
    path = cache.cache_path(sample_store.conn)
    assert path is not None and path.exists() and path.name == "motcua.reports-cache.sqlite3"
    calls: list[object] = []
    original = cache.derive
    monkeypatch.setattr(cache, "derive", lambda *a: calls.append(a) or original(*a))
    reader = connect(store_file(path.parent), readonly=True)
    try:
        assert compute_figures(reader, month(2026, 2)) == february
        assert calls == []  # nothing refolded: the file was up to date
        add_story(sample_store.desk, Story(moment("2026-02-20 09:00"), "online"))
        after = compute_figures(reader, month(2026, 2))
        assert after.new_online == february.new_online + 1
        assert len(calls) == 1 and "report_touched" in calls[0][2]  # only the touched dossier
    finally:
        reader.close()


def test_a_replaced_store_is_rebuilt(tmp_path: Path) -> None:
    with store_in(tmp_path / "a", SAMPLE) as a:
        big = compute_figures(a.conn, month(2026, 2))
    with store_in(tmp_path / "b", SAMPLE[:4]) as b:
        small = compute_figures(b.conn, month(2026, 2))
    assert big != small
    # Restore b's store over a's, keeping a's (now stale) cache file.
    target = store_file(tmp_path / "a")
    for suffix in ("", "-wal", "-shm"):
        Path(str(target) + suffix).unlink(missing_ok=True)
    shutil.copy(store_file(tmp_path / "b"), target)
    conn = connect(target, readonly=True)
    try:
        assert compute_figures(conn, month(2026, 2)) == small
    finally:
        conn.close()


def test_in_memory_or_in_a_transaction_uses_temp(sample_store: Built) -> None:
    conn = sample_store.conn
    conn.execute("BEGIN")
    try:
        other = connect(store_file(sample_store.desk.data_dir), readonly=True)
        other.execute("BEGIN")
        assert cache.ensure_timelines(other) == "temp"
        other.execute("COMMIT")
        other.close()
    finally:
        conn.execute("COMMIT")


def test_forget_makes_the_next_report_rebuild(sample_store: Built, monkeypatch: pytest.MonkeyPatch) -> None:
    before = compute_figures(sample_store.conn, month(2026, 2))
    cache.forget(sample_store.conn)
    calls: list[object] = []
    original = cache.derive
    monkeypatch.setattr(cache, "derive", lambda *a: calls.append(a) or original(*a))
    assert compute_figures(sample_store.conn, month(2026, 2)) == before
    assert len(calls) == 1 and len(calls[0]) == 2  # everything, no restriction


def test_the_cache_file_is_not_left_attached(sample_store: Built) -> None:
    """A writing connection must not keep the cache attached (its BEGIN IMMEDIATE would lock it)."""
    conn = sample_store.conn
    compute_figures(conn, month(2026, 2))
    assert all(row[1] != cache.CACHE_ALIAS for row in conn.execute("PRAGMA database_list"))
    add_story(sample_store.desk, Story(moment("2026-02-21 09:00")))  # intakes still work
    assert compute_figures(conn, month(2026, 2)).new_desk == 4
