"""The main window: every page reachable from the keyboard, added pages, click-through."""

from __future__ import annotations

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication, QDialog, QLabel
from typing_helpers import press
from ui_helpers import add_dossiers, intake_one

from motcua.ui.lists.today_board import TodayBoard
from motcua.ui.main_window import MainWindow


@pytest.fixture
def window(qtbot, make_context, ui_store):
    def make(username: str = "tiepnhan01") -> MainWindow:
        win = MainWindow(make_context(username))
        qtbot.addWidget(win)
        win.resize(1366, 768)
        win.show()
        win.activateWindow()   # a window left by an earlier test may hold the focus: shortcuts go to the active one
        qtbot.waitUntil(win.isActiveWindow)
        qtbot.waitUntil(lambda: QApplication.focusWidget() is not None)
        return win

    return make


def test_shortcuts_reach_every_page(qtbot, window) -> None:
    win = window()
    assert win.current_key() == "today"
    for number, key in enumerate(("today", "dossiers", "guidance", "reports", "sync", "settings"), start=1):
        press(win, Qt.Key(Qt.Key.Key_0 + number), Qt.KeyboardModifier.ControlModifier)
        assert win.current_key() == key, key
    press(win, Qt.Key.Key_F, Qt.KeyboardModifier.ControlModifier)
    assert win.current_key() == "dossiers"
    search = win.page_widget("dossiers").search
    qtbot.waitUntil(lambda: QApplication.focusWidget() is search, timeout=2000)


def test_pages_are_built_on_first_use(window) -> None:
    win = window()
    assert win.pages["today"].widget is not None
    assert win.pages["dossiers"].widget is None and win.pages["settings"].widget is None


def test_add_page_hook(window) -> None:
    win = window()
    label = QLabel("Trang thêm")
    key = win.add_page("Sổ theo dõi", label, "Ctrl+7")
    press(win, Qt.Key.Key_7, Qt.KeyboardModifier.ControlModifier)
    assert win.current_key() == key and win.stack.currentWidget().isAncestorOf(label)


def test_today_board_counts_and_click_through(qtbot, window, ui_store) -> None:
    add_dossiers(ui_store.conn, 400, days=40)
    win = window("lanhdao01")
    board = win.page_widget("today")
    assert isinstance(board, TodayBoard)
    board.refresh()
    expected = {
        "overdue": ui_store.conn.execute("SELECT count(*) FROM dossiers WHERE status IN (2, 4) AND due_at < ?",
                                         (__import__("motcua.domain.clock", fromlist=["iso"]).iso(
                                             __import__("motcua.domain.clock", fromlist=["now"]).now()),)
                                         ).fetchone()[0],
        "ready": ui_store.conn.execute("SELECT count(*) FROM dossiers WHERE status = 9").fetchone()[0],
        "supplement": ui_store.conn.execute("SELECT count(*) FROM dossiers WHERE status = 5").fetchone()[0],
    }
    for key, count in expected.items():
        assert board.counts[key] == count, key
    win.show_page("today")
    qtbot.waitUntil(lambda: board.isAncestorOf(QApplication.focusWidget()) or QApplication.focusWidget() is board)
    press(QApplication.focusWidget(), Qt.Key.Key_7, Qt.KeyboardModifier.AltModifier)  # "Chờ trả kết quả"
    assert board.current.key == "ready" and board.model.rowCount() == expected["ready"] > 0
    board.view.setFocus()
    board.view.selectRow(0)
    first = board.model.id_at(0)
    press(board.view, Qt.Key.Key_Return)                        # Enter opens the dossier
    assert win.current_key() == "dossier" and win.dossier_page.dossier_id == first
    assert "returned" in win.dossier_page.action_buttons       # ready to return: the return button is there
    press(win.dossier_page, Qt.Key.Key_Escape)
    assert win.current_key() == "today"


def test_changes_redraw_the_board(window, ui_store, make_context) -> None:
    win = window()
    board = win.page_widget("today")
    assert board.counts["ready"] == 0
    dossier_id = intake_one(ui_store.conn, ui_store.data_dir)
    context = win.context
    context.user = __import__("motcua.services.accounts", fromlist=["get_user"]).get_user(ui_store.conn, "lanhdao01")
    context.act(dossier_id, "resolved", {"doc_number": "1/QĐ-UBND", "signer": "Lê Văn Hùng"})
    assert board.counts["ready"] == 1


def test_new_intake_opens_the_wizard_page(window) -> None:
    from motcua.ui.intake.intake_wizard import IntakeWizard

    win = window()
    press(win, Qt.Key.Key_N, Qt.KeyboardModifier.ControlModifier)
    assert isinstance(win.intake_window, IntakeWizard) and win.intake_window.isVisible()
    assert win.current_key() == "intake" and win.intake_window.context is win.context


def test_specialist_has_no_intake_button(window) -> None:
    win = window("chuyenvien01")
    assert not win.intake_button.isVisibleTo(win)


def test_dossier_list_searches_in_sql(qtbot, window, ui_store) -> None:
    add_dossiers(ui_store.conn, 300, days=30)
    win = window()
    page = win.show_page("dossiers")
    assert page.model.rowCount() == 300
    code = page.model.record_at(5).code
    page.search.setText(code)
    page.apply_filter()
    found = [page.model.record_at(r).code for r in range(page.model.rowCount())]
    assert code in found and len(found) < 20      # the search ran in SQL: a handful, not all 300
    assert page.count_label.text() == f"{len(found)} hồ sơ"


def test_alt_digits_act_on_the_visible_page_only(qtbot, window, ui_store) -> None:
    dossier_id = intake_one(ui_store.conn, ui_store.data_dir)
    win = window("lanhdao01")
    board = win.page_widget("today")
    win.open_dossier(dossier_id)
    page = win.dossier_page
    first_action = next(iter(page.action_buttons))
    press(page, Qt.Key.Key_1, Qt.KeyboardModifier.AltModifier)
    assert page.open_dialog is not None and page.open_dialog.event_type == first_action
    assert board.current.key == "mine"  # the hidden board's Alt+1 did not fire
    page.open_dialog.reject()


def test_report_drill_down_opens_the_dossier(qtbot, window, ui_store) -> None:
    dossier_id = intake_one(ui_store.conn, ui_store.data_dir)
    code = ui_store.conn.execute("SELECT code FROM dossiers WHERE id = ?", (dossier_id,)).fetchone()[0]
    win = window("lanhdao01")
    press(win, Qt.Key.Key_4, Qt.KeyboardModifier.ControlModifier)
    reports = win.page_widget("reports")
    qtbot.waitUntil(lambda: reports.report is not None, timeout=10_000)  # computed off the GUI thread
    assert reports.report.total.new_desk == 1
    reports.drill_down.emit([code])  # what a double-click on a figure sends
    dialog = next(w for w in QApplication.topLevelWidgets() if isinstance(w, QDialog) and w.isVisible())
    from PySide6.QtWidgets import QListWidget

    listing = dialog.findChild(QListWidget)
    assert [listing.item(i).text() for i in range(listing.count())] == [code]
    listing.setCurrentRow(0)
    listing.itemActivated.emit(listing.item(0))
    qtbot.waitUntil(lambda: win.dossier_page.isVisible(), timeout=3000)
