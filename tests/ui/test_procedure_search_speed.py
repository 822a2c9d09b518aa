"""The procedure search answers the last key at once while searches are fast, and shows a long list
without measuring every row first (issue 12: typing answers within 100 ms of the last key)."""

from __future__ import annotations

import sqlite3
from collections.abc import Iterator
from pathlib import Path

import pytest
from PySide6.QtCore import QRect
from PySide6.QtWidgets import QListView, QStyleOptionViewItem

from motcua.catalog.shipped import load_shipped
from motcua.store.db import open_store
from motcua.ui.intake.procedure_search import BATCH_ROWS, DEBOUNCE_MS, FAST_MS, ProcedureSearch
from tests.catalog.store_helper import FIXTURE_PROCEDURES


@pytest.fixture
def conn(tmp_path: Path) -> Iterator[sqlite3.Connection]:
    connection = open_store(tmp_path / "store.sqlite3")
    load_shipped(connection, FIXTURE_PROCEDURES)
    yield connection
    connection.close()


@pytest.fixture
def search(qtbot, conn: sqlite3.Connection) -> ProcedureSearch:
    widget = ProcedureSearch(lambda: conn)
    qtbot.addWidget(widget)
    widget.resize(700, 500)
    widget.show()
    return widget


def test_a_key_searches_on_the_next_turn_while_searches_are_fast(qtbot, search: ProcedureSearch) -> None:
    assert search.delay_ms() == 0                      # nothing typed yet: no reason to wait
    searched: list[str] = []
    search.model.modelReset.connect(lambda: searched.append(search.box.text()))
    qtbot.keyClicks(search.box, "khai sinh")
    assert search._timer.interval() == 0               # the fixture's searches take a few ms
    qtbot.waitUntil(lambda: searched[-1:] == ["khai sinh"], timeout=1000)
    assert not search._timer.isActive()


def test_after_slow_searches_a_key_waits_about_one_search_never_more_than_the_debounce(
        search: ProcedureSearch) -> None:
    search._costs_ms.extend([FAST_MS * 2, 5.0, FAST_MS * 2])   # the median: one fast one is no rule
    assert search.delay_ms() == FAST_MS * 2
    search._costs_ms.extend([10 * DEBOUNCE_MS] * 3)
    assert search.delay_ms() == DEBOUNCE_MS
    search._costs_ms.extend([1.0, 1.0])                      # fast again: back to searching at once
    assert search.delay_ms() == 0


def test_each_result_is_laid_out_once_for_its_size_and_its_painting(qtbot, search: ProcedureSearch) -> None:
    qtbot.keyClicks(search.box, "khai")
    search.flush()
    assert search.model.rowCount() > 0
    index = search.model.index(0, 0)
    option = QStyleOptionViewItem()
    option.rect = QRect(0, 0, 600, 40)
    first = search.delegate._document(option, index)
    assert search.delegate._document(option, index) is first
    search.run_search()                                      # new results: the old documents go
    assert search.delegate._document(option, index) is not first


def test_a_long_list_is_laid_out_in_batches(search: ProcedureSearch) -> None:
    assert search.results.layoutMode() == QListView.LayoutMode.Batched
    assert search.results.batchSize() == BATCH_ROWS
