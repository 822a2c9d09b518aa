"""The whole commune's backlog over a bad rural line (slow; needs root and network namespaces)."""

from __future__ import annotations

import sqlite3
from pathlib import Path

import pytest
from bench.bench_sync_netns import bench, netns_available

from motcua.store.db import connect
from tests.sync import verify


@pytest.mark.slow
@pytest.mark.timeout(900)
def test_backlog_syncs_over_256_kbit_300_ms_3_percent_loss(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    reason = netns_available()
    if reason:
        pytest.skip(f"network test skipped: {reason}")
    lines: list[str] = []
    # A quarter of the bench's reference backlog (bench/bench_sync_netns.py runs the whole one): the same link,
    # the same loss, a run of about a minute instead of four.
    figures = bench(tmp_path, dossiers=250, attachments=50, attachment_size=200_000, deadline_seconds=300,
                    log=lines.append)
    with capsys.disabled():
        print("\n" + "\n".join(lines + figures.lines()))
    assert figures.events == 1250 and figures.attachments == 50
    desk: sqlite3.Connection = connect(tmp_path / "desk" / "motcua.sqlite3")
    try:
        verify.assert_exactly_once(desk, tmp_path / "desk", tmp_path / "hub")
    finally:
        desk.close()
    assert figures.ratio_to_ideal < 2.0, "\n".join(figures.lines())
