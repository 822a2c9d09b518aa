"""The window locks when idle and on Ctrl+L: personal data hidden until the account's password is typed."""

from __future__ import annotations

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication, QLabel, QWidget
from typing_helpers import press

from conftest import PASSWORD
from motcua.ui.main_window import MainWindow
from motcua.ui.session.idle_lock import FREE_TRIES

NAME = "Vũ Văn Nam"


@pytest.fixture
def window(qtbot, make_context):
    win = MainWindow(make_context("tiepnhan01"))
    qtbot.addWidget(win)
    win.resize(1200, 760)
    win.show()
    qtbot.waitActive(win)
    qtbot.waitUntil(lambda: QApplication.focusWidget() is not None)
    return win


def _type(qtbot, win: MainWindow, text: str) -> None:
    panel = win.idle_lock.panel
    assert panel is not None
    panel.password.setText(text)
    qtbot.mouseClick(panel.unlock, Qt.MouseButton.LeftButton)


def test_idle_time_locks_and_only_the_right_password_unlocks(qtbot, window: MainWindow) -> None:
    lock = window.idle_lock
    secret = QLabel(NAME, window.centralWidget())           # personal data on screen
    secret.show()
    other = QWidget()                                       # another desk window (the intake window)
    other.show()
    qtbot.addWidget(other)
    lock.set_minutes(0.002)                                 # 120 ms instead of 5 minutes
    qtbot.waitUntil(lambda: lock.locked, timeout=3000)
    panel = lock.panel
    assert panel is not None and panel.isVisible() and panel.geometry() == window.rect()
    assert not other.isVisible() and not window.centralWidget().isEnabled()
    for x, y in ((5, 5), (600, 380), (1190, 750), (100, 700)):   # every point of the window is the panel's
        hit = window.childAt(x, y)
        assert hit is panel or panel.isAncestorOf(hit), (x, y, hit)
    assert NAME not in " ".join(w.text() for w in panel.findChildren(QLabel))
    # Keys meant for the desk do not get through while locked.
    press(window, Qt.Key.Key_2, Qt.KeyboardModifier.ControlModifier)
    assert window.current_key() == "today"

    _type(qtbot, window, "sai mật khẩu")
    assert lock.locked and "không đúng" in panel.message.text()
    _type(qtbot, window, PASSWORD)
    assert not lock.locked and other.isVisible() and window.centralWidget().isEnabled()
    other.close()
    window.activateWindow()
    qtbot.waitUntil(lambda: QApplication.activeWindow() is window)
    window.pages["today"].button.setFocus()
    press(window, Qt.Key.Key_2, Qt.KeyboardModifier.ControlModifier)   # unlocked, the same keys work again
    assert window.current_key() == "dossiers"


def test_ctrl_l_locks_and_wrong_tries_slow_down(qtbot, window: MainWindow) -> None:
    lock = window.idle_lock
    lock.set_minutes(0)                                     # idle locking off: only on demand
    press(window, Qt.Key.Key_L, Qt.KeyboardModifier.ControlModifier)
    assert lock.locked
    for _ in range(FREE_TRIES):
        _type(qtbot, window, "sai")
    panel = lock.panel
    assert panel is not None and not panel.password.isEnabled() and "Chờ 2 giây" in panel.message.text()
    _type(qtbot, window, PASSWORD)                          # refused while waiting, even the right one
    assert lock.locked
    qtbot.waitUntil(lambda: panel.password.isEnabled(), timeout=5000)
    _type(qtbot, window, PASSWORD)
    assert not lock.locked
    QApplication.processEvents()


def test_keys_and_clicks_on_the_window_restart_the_idle_time(qtbot, window: MainWindow) -> None:
    """Activity is seen where it arrives first, the window itself (no application-wide filter while unlocked)."""
    from PySide6.QtCore import QPoint
    from PySide6.QtTest import QTest

    lock = window.idle_lock
    lock.set_minutes(5)
    handle = window.windowHandle()
    assert handle is not None
    lock.timer.stop()
    QTest.keyClick(handle, Qt.Key.Key_Shift)
    assert lock.timer.isActive() and not lock.locked
    lock.timer.stop()
    QTest.mouseClick(handle, Qt.MouseButton.LeftButton, Qt.KeyboardModifier.NoModifier, QPoint(600, 300))
    assert lock.timer.isActive() and not lock.locked
