"""The keyboard: a page's list takes the keys, one search hit opens on Enter, F1 opens searchable help."""

from __future__ import annotations

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication
from typing_helpers import press
from ui_helpers import add_dossiers

from motcua.ui.guidance.help_pages import PAGES
from motcua.ui.main_window import MainWindow


@pytest.fixture
def win(qtbot, make_context, ui_store) -> MainWindow:
    add_dossiers(ui_store.conn, 300, days=40)
    window = MainWindow(make_context("lanhdao01"))
    qtbot.addWidget(window)
    window.resize(1366, 768)
    window.show()
    qtbot.waitActive(window)
    qtbot.waitUntil(lambda: window.pages["today"].widget is not None)
    return window


def test_ctrl_2_puts_the_keyboard_on_the_list(qtbot, win) -> None:
    press(win, Qt.Key.Key_2, Qt.KeyboardModifier.ControlModifier)
    page = win.page_widget("dossiers")
    qtbot.waitUntil(lambda: QApplication.focusWidget() is page.view)
    assert page.view.currentIndex().row() == 0


def test_alt_2_on_the_board_after_clicking_the_sidebar(qtbot, win) -> None:
    board = win.page_widget("today")
    qtbot.mouseClick(win.pages["today"].button, Qt.MouseButton.LeftButton)   # focus would stay on the button
    qtbot.waitUntil(lambda: board.isAncestorOf(QApplication.focusWidget()))
    target = next(key for key, count in board.counts.items() if count and key != board.current.key)
    number = 1 + list(board.cards).index(target)
    press(QApplication.focusWidget(), Qt.Key(Qt.Key.Key_0 + number), Qt.KeyboardModifier.AltModifier)
    assert board.current.key == target
    assert QApplication.focusWidget() is board.view


def test_enter_on_a_single_search_hit_opens_it(qtbot, win) -> None:
    page = win.show_page("dossiers")
    code = page.model.record_at(7).code
    dossier_id = page.model.id_at(7)
    page.focus_search()
    page.search.setText(code)
    press(page.search, Qt.Key.Key_Return)
    assert win.current_key() == "dossier" and win.dossier_page.dossier_id == dossier_id


def test_f1_opens_help_at_the_current_screen_and_searches(qtbot, win) -> None:
    win.show_page("dossiers")
    press(win, Qt.Key.Key_F1)
    help_window = win.help_window
    assert help_window is not None and help_window.isVisible()
    assert help_window.topics.currentItem().text() == "Trang Hồ sơ: tìm và lọc"
    text = help_window.page.toPlainText()
    for keys in ("Alt+R", "Alt+C", "Alt+T / Alt+N", "Alt+X hoặc Esc", "Ctrl+F"):
        assert keys in text, keys
    help_window.search.setText("bao cao xuat")               # without diacritics: the reports page
    assert "Báo cáo thống kê" in help_window.titles() and "Trang Hôm nay" not in help_window.titles()
    help_window.search.setText("qwxz")
    assert help_window.titles() == [] and "Không tìm thấy" in help_window.page.toPlainText()


def test_the_shortcut_list_names_every_page_key(win) -> None:
    shortcuts = PAGES[0]
    assert shortcuts.title == "Phím tắt"
    for page in win.pages.values():
        if page.shortcut:
            assert page.shortcut in shortcuts.body, page.shortcut
    assert "<table" in shortcuts.body   # aligned in columns, not tab-separated text


def test_step_3_fields_do_not_move_as_messages_appear(qtbot, make_context) -> None:
    from motcua.ui.intake.intake_steps import ApplicantStep

    step = ApplicantStep()
    qtbot.addWidget(step)
    step.resize(900, 600)
    step.show()
    qtbot.waitExposed(step)
    before = {edit: edit.geometry().top() for edit in (step.name, step.phone, step.email, step.address)}
    step.id_number.setText("12")
    step.check_id()
    step.phone.setText("09")
    step.check_phone()
    step.email.setText("a@")
    step.check_email()
    QApplication.processEvents()
    assert step.id_message.text() and step.phone_message.text() and step.email_message.text()
    assert {edit: edit.geometry().top() for edit in before} == before
