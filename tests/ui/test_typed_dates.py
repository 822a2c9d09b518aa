"""Dates typed in the Hồ sơ page's «Nhận từ ngày» / «đến ngày» are taken as typed (dd/mm/yyyy)."""

from __future__ import annotations

from datetime import date

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication
from typing_helpers import press

from motcua.domain.clock import now
from motcua.ui.lists.filter_widgets import OptionalDateEdit, parse_day

pytest_plugins = ["tests.ui.test_dossier_list_filters"]  # the ``page`` fixture: five dossiers in Jan–Mar 2026


def _focus(qtbot, widget) -> None:
    widget.window().activateWindow()
    qtbot.waitUntil(widget.window().isActiveWindow)
    widget.setFocus()
    qtbot.waitUntil(lambda: QApplication.focusWidget() is widget)


def test_parse_day_reads_dd_mm_yyyy() -> None:
    assert parse_day("30/11/2026") == date(2026, 11, 30) == parse_day("30112026")
    assert parse_day("3/4/2026") == date(2026, 4, 3)
    assert parse_day("31/1/26") == date(2026, 1, 31)
    assert parse_day("15/3") == date(now().year, 3, 15)
    assert parse_day("15/3", complete_only=True) is None and parse_day("30/11/202", complete_only=True) is None
    assert parse_day("31/02/2026") is None and parse_day("2026") is None and parse_day("") is None


def test_a_typed_date_is_taken_as_typed(qtbot, page) -> None:
    edit = page.received_from
    _focus(qtbot, edit)
    qtbot.keyClicks(edit, "30/11/2025")      # the slash does not jump over the month, nor out of the field
    assert edit.value() == date(2025, 11, 30) and edit.text() == "30/11/2025"
    assert page.received_to.value() is None and page.period.currentData() == "custom"
    assert QApplication.focusWidget() is edit


def test_a_year_typed_does_not_choose_a_quick_range(qtbot, page) -> None:
    edit = page.received_to
    _focus(qtbot, edit)
    qtbot.keyClicks(edit, "31/01/2026")      # 31 in a month that may have 30 days today: still 31 January
    assert edit.value() == date(2026, 1, 31)
    assert page.period.currentData() == "custom"   # «2026» did not go to the quick-range box («12 tháng qua»)


def test_what_the_box_shows_is_what_is_applied(qtbot, page) -> None:
    edit = page.received_from
    _focus(qtbot, edit)
    qtbot.keyClicks(edit, "1/3")             # half typed: shown as typed, nothing applied yet
    assert edit.text() == "1/3" and edit.value() is None and page.model.filter.received_from is None
    qtbot.wait(400)
    assert page.model.rowCount() == 5
    qtbot.keyClicks(edit, "/2026")
    press(edit, Qt.Key.Key_Return)           # Enter applies at once
    assert page.model.filter.received_from == date(2026, 3, 1) == edit.value()
    assert page.model.rowCount() == 2


def test_enter_reads_a_short_date_and_refuses_a_wrong_one(qtbot, page) -> None:
    edit = page.received_to
    _focus(qtbot, edit)
    qtbot.keyClicks(edit, "28/2/26")
    press(edit, Qt.Key.Key_Return)
    assert edit.value() == date(2026, 2, 28) and page.model.filter.received_to == date(2026, 2, 28)
    qtbot.keyClicks(edit, "31/02/2026")      # no such day: the field keeps the one it had
    press(edit, Qt.Key.Key_Return)
    assert edit.value() == date(2026, 2, 28) and edit.text() == "28/02/2026"


def test_escape_and_backspace_while_typing(qtbot) -> None:
    edit = OptionalDateEdit("không giới hạn")
    qtbot.addWidget(edit)
    edit.show()
    _focus(qtbot, edit)
    qtbot.keyClicks(edit, "12/0")
    press(edit, Qt.Key.Key_Backspace)
    assert edit.typing() == "12/"
    press(edit, Qt.Key.Key_Escape)
    assert edit.typing() is None and edit.value() is None and edit.text() == "không giới hạn"
