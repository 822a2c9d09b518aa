"""The Hồ sơ page's filters: procedure picker, received-day range with quick ranges, clearing, keyboard."""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from PySide6.QtCore import QDate, Qt
from PySide6.QtWidgets import QApplication
from typing_helpers import commit_text, press
from ui_helpers import REPO, intake_one

from motcua.domain.clock import now
from motcua.reports.period import QUICK_RANGES, quick_range
from motcua.ui.lists.dossier_list_page import DossierListPage

FIXTURE_CATALOG = "tests/catalog/fixtures/procedures"
BIRTH = {"code": "1.001193", "name": "Đăng ký khai sinh", "field": "Hộ tịch", "days": 3}
MARRIAGE = {"code": "1.000894", "name": "Đăng ký kết hôn", "field": "Hộ tịch", "days": 5}
COPY = {"code": "2.000815", "name": "Chứng thực bản sao từ bản chính", "field": "Chứng thực", "days": 1}
# (procedure, received at): two on the edges of February, one just before it, two in March.
DOSSIERS = (
    (BIRTH, "2026-02-02T09:00:00+07:00"),
    (BIRTH, "2026-02-27T16:30:00+07:00"),
    (COPY, "2026-01-30T10:00:00+07:00"),
    (MARRIAGE, "2026-03-02T08:00:00+07:00"),
    (MARRIAGE, "2026-03-03T14:15:00+07:00"),
)


def _intake(ui_store, procedure: dict, received_at: str) -> str:
    return intake_one(ui_store.conn, ui_store.data_dir, procedure_code=procedure["code"], procedure=procedure,
                      received_at=received_at)


@pytest.fixture
def page(qtbot, make_context, ui_store):
    from motcua.catalog.shipped import load_shipped

    load_shipped(ui_store.conn, REPO / FIXTURE_CATALOG)  # procedures without any dossier here
    for procedure, received_at in DOSSIERS:
        _intake(ui_store, procedure, received_at)
    widget = DossierListPage(make_context("tiepnhan01"))
    qtbot.addWidget(widget)
    widget.resize(1366 - 224, 768 - 40)  # the page's share of a 1366×768 window
    widget.show()
    qtbot.waitExposed(widget)
    return widget


def codes(page: DossierListPage) -> set[str]:
    return {page.model.record_at(row).procedure_code for row in range(page.model.rowCount())}


def received_days(page: DossierListPage) -> list[str]:
    return sorted(page.model.record_at(row).received_at[:10] for row in range(page.model.rowCount()))


def focus(qtbot, widget) -> None:
    widget.window().activateWindow()
    qtbot.waitUntil(widget.window().isActiveWindow)
    widget.setFocus()
    qtbot.waitUntil(lambda: QApplication.focusWidget() is not None
                    and (QApplication.focusWidget() is widget or widget.isAncestorOf(QApplication.focusWidget())))


def half_type(qtbot, picker, chosen: str, typed: str) -> None:
    """With ``chosen`` picked, type ``typed`` over it and close the matches without choosing one."""
    picker.setCurrentIndex(picker.findData(chosen))
    focus(qtbot, picker)
    picker.lineEdit().selectAll()
    commit_text(picker.lineEdit(), typed)
    picker.finder.popup().hide()


def set_range(page: DossierListPage, first: date | None, last: date | None) -> bool:
    page.received_from.set_value(first)
    page.received_to.set_value(last)
    return page.apply_filter()


# -- procedure picker -----------------------------------------------------------------------------
def test_picker_lists_only_the_procedures_that_have_dossiers(page, ui_store) -> None:
    in_catalog = {r[0] for r in ui_store.conn.execute("SELECT code FROM procedures")}
    assert {"1.003560", "2.000720"} <= in_catalog              # the catalog has more than the dossiers use
    # two each for birth and marriage (then by name: «kết hôn» before «khai sinh»), one copy
    assert page.procedure.codes() == ["1.000894", "1.001193", "2.000815"]
    assert page.procedure.itemText(0) == "Tất cả thủ tục"
    assert page.procedure.itemText(1) == "1.000894 — Đăng ký kết hôn"
    assert page.procedure.itemData(1, Qt.ItemDataRole.ToolTipRole) == "2 hồ sơ"


def test_choosing_a_procedure_filters_the_list_and_the_count(page) -> None:
    assert page.model.rowCount() == 5 and page.count_label.text() == "5 hồ sơ"
    page.procedure.setCurrentIndex(page.procedure.findData("1.001193"))
    assert codes(page) == {"1.001193"}
    assert page.count_label.text() == "2 hồ sơ"
    page.procedure.setCurrentIndex(0)
    assert page.model.rowCount() == 5


@pytest.mark.parametrize("typed", ["ket hon", "kết hôn", "KET", "0894"])
def test_typing_in_the_picker_matches_with_or_without_diacritics(qtbot, page, typed) -> None:
    picker = page.procedure
    focus(qtbot, picker)
    picker.lineEdit().selectAll()
    commit_text(picker.lineEdit(), typed)                     # what Unikey/Telex sends
    assert picker.finder.popup().isVisible()
    shown = [picker.finder.completionModel().index(r, 0).data() for r in
             range(picker.finder.completionModel().rowCount())]
    assert shown == ["1.000894 — Đăng ký kết hôn"]
    press(picker.lineEdit(), Qt.Key.Key_Return)
    assert picker.code() == "1.000894"
    assert codes(page) == {"1.000894"} and page.count_label.text() == "2 hồ sơ"


def test_picker_puts_back_the_choice_when_left_half_typed(qtbot, page) -> None:
    picker = page.procedure
    half_type(qtbot, picker, "2.000815", "khai")
    press(picker.lineEdit(), Qt.Key.Key_Tab)                  # away, without choosing
    assert picker.code() == "2.000815"
    assert picker.lineEdit().text().startswith("2.000815 — ")
    picker.setFocus()
    picker.lineEdit().selectAll()
    press(picker.lineEdit(), Qt.Key.Key_Delete)
    press(picker.lineEdit(), Qt.Key.Key_Return)               # an empty box: every procedure
    assert picker.code() == "" and page.model.rowCount() == 5


def test_a_new_procedures_first_dossier_joins_the_picker(page, ui_store) -> None:
    from motcua.services.desk import Desk
    from motcua.services.intake import parse_intake

    page.procedure.setCurrentIndex(page.procedure.findData("1.001193"))
    business = {"code": "2.000720", "name": "Đăng ký thành lập hộ kinh doanh", "field": "Kinh doanh", "days": 3}

    def job(conn):  # through the one writer, as the intake wizard does
        return Desk(conn, ui_store.data_dir).intake(parse_intake({
            "procedure_code": "2.000720", "procedure": business,
            "applicant": {"name": "Y Blô Niê", "id_number": "066190004321"},
            "documents": [{"name": "Giấy đề nghị", "kind": "original", "copies": 1}]}), "tiepnhan01")

    failures: list[BaseException] = []
    page.context.write(job, on_error=failures.append)
    assert not failures
    assert "2.000720" in page.procedure.codes()
    assert page.procedure.code() == "1.001193" and codes(page) == {"1.001193"}  # the choice stays


# -- received-day range ---------------------------------------------------------------------------
def test_range_includes_both_end_days(page) -> None:
    assert set_range(page, date(2026, 2, 2), date(2026, 2, 27))
    assert received_days(page) == ["2026-02-02", "2026-02-27"]    # 09:00 on the first, 16:30 on the last
    assert page.count_label.text() == "2 hồ sơ"
    assert set_range(page, date(2026, 2, 3), date(2026, 2, 26))
    assert page.model.rowCount() == 0
    assert set_range(page, date(2026, 3, 2), date(2026, 3, 2))     # one day
    assert received_days(page) == ["2026-03-02"]


def test_either_end_may_be_left_open(page) -> None:
    assert set_range(page, date(2026, 3, 1), None)
    assert received_days(page) == ["2026-03-02", "2026-03-03"]
    assert set_range(page, None, date(2026, 1, 31))
    assert received_days(page) == ["2026-01-30"]
    assert page.received_from.text() == "không giới hạn"


def test_range_combines_with_procedure_status_and_text(page) -> None:
    set_range(page, date(2026, 2, 1), date(2026, 3, 31))
    assert page.model.rowCount() == 4
    page.procedure.setCurrentIndex(page.procedure.findData("1.000894"))
    assert received_days(page) == ["2026-03-02", "2026-03-03"]
    page.status.setCurrentIndex(page.status.findText("Đang giải quyết"))
    assert page.model.rowCount() == 2
    page.status.setCurrentIndex(page.status.findText("Đã trả kết quả"))
    assert page.model.rowCount() == 0 and page.count_label.text() == "0 hồ sơ"
    page.status.setCurrentIndex(0)
    page.search.setText("nguyen thi hoa")
    page.apply_filter()
    assert page.model.rowCount() == 2
    page.search.setText("khong co ai ten nay")
    page.apply_filter()
    assert page.model.rowCount() == 0


def test_a_backwards_range_is_refused_and_the_list_kept(page) -> None:
    assert set_range(page, date(2026, 2, 1), date(2026, 2, 28))
    before = [page.model.id_at(r) for r in range(page.model.rowCount())]
    assert not page.range_error.isVisible()
    assert not set_range(page, date(2026, 3, 15), date(2026, 3, 1))
    assert page.range_error.isVisible()
    assert page.range_error.text() == ("«Nhận từ ngày» (15/03/2026) sau «đến ngày» (01/03/2026) nên danh sách "
                                       "chưa lọc theo khoảng ngày này. Hãy sửa lại một trong hai ngày.")
    assert [page.model.id_at(r) for r in range(page.model.rowCount())] == before
    assert page.count_label.text() == "2 hồ sơ"
    # other filters still apply, on the last good range
    page.procedure.setCurrentIndex(page.procedure.findData("1.000894"))
    assert page.model.rowCount() == 0 and page.range_error.isVisible()
    page.received_to.set_value(date(2026, 3, 31))               # fixed: the new range applies
    assert page.apply_filter()
    assert not page.range_error.isVisible()
    assert received_days(page) == []  # 15/03 … 31/03: no marriage then
    assert set_range(page, date(2026, 3, 1), date(2026, 3, 31)) and page.model.rowCount() == 2


def test_typing_a_date_filters_once_it_settles(qtbot, page) -> None:
    edit = page.received_from
    focus(qtbot, edit)
    qtbot.keyClicks(edit, "01032026")                            # over «không giới hạn»: day, month, year
    assert edit.value() == date(2026, 3, 1)
    assert page.period.currentData() == "custom"
    qtbot.waitUntil(lambda: page.model.rowCount() == 2, timeout=2000)
    assert received_days(page) == ["2026-03-02", "2026-03-03"]
    press(edit, Qt.Key.Key_Delete)                               # back to no bound
    assert edit.value() is None and page.period.currentData() == "all"
    qtbot.waitUntil(lambda: page.model.rowCount() == 5, timeout=2000)


def test_a_pending_date_applies_when_the_page_is_left(page) -> None:
    page.received_from.set_value(date(2026, 3, 1))              # waits for the typing pause…
    assert page.model.rowCount() == 5
    page.hide()                                                  # …unless the official moves on first
    assert received_days(page) == ["2026-03-02", "2026-03-03"]


def test_quick_ranges_fill_both_days_from_today(page) -> None:
    today = now().date()
    for key, label in QUICK_RANGES:
        page.period.setCurrentIndex(page.period.findData(key))
        assert page.period.currentText() == label
        expected = quick_range(key, today)
        assert (page.received_from.value(), page.received_to.value()) == (expected.first, expected.last), key
        assert page.model.filter.received_from == expected.first and page.model.filter.received_to == expected.last
    page.period.setCurrentIndex(page.period.findData("all"))
    assert page.received_from.value() is None and page.received_to.value() is None
    assert page.model.rowCount() == 5


def test_calendars_start_weeks_on_monday_and_show_dd_mm_yyyy(page) -> None:
    for edit in (page.received_from, page.received_to):
        assert edit.calendarPopup() and edit.displayFormat() == "dd/MM/yyyy"
        assert edit.calendarWidget().firstDayOfWeek() == Qt.DayOfWeek.Monday
    page.received_from.setDate(QDate(2026, 3, 1))
    assert page.received_from.text() == "01/03/2026"


def test_the_calendar_opens_from_the_keyboard_at_today(qtbot, page) -> None:
    edit = page.received_to
    focus(qtbot, edit)
    press(edit, Qt.Key.Key_F4)                                   # as on a combo box; Alt+↓ too
    calendar = edit.calendarWidget()
    qtbot.waitUntil(calendar.isVisible)
    today = now().date()
    assert calendar.selectedDate().toPython() == today           # not January 2000
    assert edit.value() is None                                  # nothing chosen yet
    press(QApplication.focusWidget(), Qt.Key.Key_Left)
    press(QApplication.focusWidget(), Qt.Key.Key_Return)
    qtbot.waitUntil(lambda: not calendar.isVisible())
    assert edit.value() == today - timedelta(days=1)
    assert page.period.currentData() == "custom"


# -- clearing and the keyboard --------------------------------------------------------------------
def test_clearing_restores_every_dossier(qtbot, page) -> None:
    page.procedure.setCurrentIndex(page.procedure.findData("1.001193"))
    page.status.setCurrentIndex(page.status.findText("Đang giải quyết"))
    page.search.setText("hoa")
    set_range(page, date(2026, 3, 15), date(2026, 3, 1))         # refused, with its message
    assert page.range_error.isVisible()
    qtbot.mouseClick(page.clear_button, Qt.MouseButton.LeftButton)
    assert page.model.rowCount() == 5 and page.count_label.text() == "5 hồ sơ"
    assert page.procedure.code() == "" and page.procedure.lineEdit().text() == "Tất cả thủ tục"
    assert page.status.currentIndex() == 0 and page.search.text() == ""
    assert page.received_from.value() is None and page.received_to.value() is None
    assert page.period.currentData() == "all" and not page.range_error.isVisible()


def test_escape_clears_and_alt_letters_reach_the_filters(qtbot, page) -> None:
    focus(qtbot, page.search)
    for keys, widget in ((Qt.Key.Key_C, page.procedure), (Qt.Key.Key_T, page.received_from),
                         (Qt.Key.Key_N, page.received_to), (Qt.Key.Key_R, page.status)):
        press(page, keys, Qt.KeyboardModifier.AltModifier)
        focused = QApplication.focusWidget()
        assert focused is widget or widget.isAncestorOf(focused), keys
    page.period.setCurrentIndex(page.period.findData("this_year"))
    page.procedure.setCurrentIndex(page.procedure.findData("1.001193"))
    press(QApplication.focusWidget(), Qt.Key.Key_Escape)
    assert page.model.rowCount() == 5 and page.period.currentData() == "all" and page.procedure.code() == ""
    press(page, Qt.Key.Key_X, Qt.KeyboardModifier.AltModifier)  # «Xóa lọc» by its letter as well
    assert page.model.rowCount() == 5


def test_escape_in_the_picker_first_undoes_the_typing(qtbot, page) -> None:
    picker = page.procedure
    half_type(qtbot, picker, "1.001193", "chung")
    press(QApplication.focusWidget(), Qt.Key.Key_Escape)         # undo the typing, keep the choice
    assert picker.lineEdit().text() == "1.001193 — Đăng ký khai sinh" and page.model.rowCount() == 2
    press(QApplication.focusWidget(), Qt.Key.Key_Escape)         # then clear the filters
    assert picker.code() == "" and page.model.rowCount() == 5


def test_tab_walks_the_filters_in_reading_order(qtbot, page) -> None:
    focus(qtbot, page.search)
    order = []
    for _ in range(8):
        press(QApplication.focusWidget(), Qt.Key.Key_Tab)
        focused = QApplication.focusWidget()
        owner = next(w for w in (page.status, page.holder, page.procedure, page.received_from, page.received_to,
                                 page.period, page.clear_button, page.view) if w is focused or w.isAncestorOf(focused))
        order.append(owner.objectName())
    assert order == ["statusFilter", "holderFilter", "procedureFilter", "receivedFrom", "receivedTo", "periodFilter",
                     "clearFilters", "dossierList"]


def test_filters_fit_a_1366_wide_window(page) -> None:
    page.resize(1366 - 224, 768 - 40)
    QApplication.processEvents()
    for widget in (page.search, page.status, page.holder, page.count_label, page.procedure, page.received_from,
                   page.received_to, page.period, page.clear_button):
        assert widget.isVisible()
        right = widget.mapTo(page, widget.rect().topRight()).x()
        assert right <= page.width(), widget.objectName()
        assert widget.width() >= widget.minimumSizeHint().width(), widget.objectName()
    assert page.procedure.width() >= 250  # room for a code and the start of its name
    # the stacked pages take the widest minimum: past 1,140 px the window outgrows a 1366×768 screen
    assert page.minimumSizeHint().width() <= 1140


def test_the_return_column_shows_only_for_returned_dossiers(page) -> None:
    from motcua.ui.models.dossier_table import COLUMNS

    returned = [c.sort_key for c in COLUMNS].index("returned_at")
    procedure = [c.sort_key for c in COLUMNS].index("procedure_code")
    assert page.view.isColumnHidden(returned) and not page.view.isColumnHidden(procedure)
    page.status.setCurrentIndex(page.status.findText("Đã trả kết quả"))
    assert not page.view.isColumnHidden(returned)
    page.status.setCurrentIndex(page.status.findText("Đang giải quyết"))
    assert page.view.isColumnHidden(returned)
