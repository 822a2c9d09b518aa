"""The desk as its staff use it, for the journey tests: the real application session (writer thread,
sign-in dialog, main window on a real xcb screen), driven by keyboard and mouse.

Every step is done by the account whose role does it: ``Desk.switch_to`` presses «Đăng xuất»
(Ctrl+Shift+L) and answers the real sign-in dialog, as the next person at the desk does.
"""

from __future__ import annotations

import os
import re
import sqlite3
import sys
import time
from collections.abc import Callable
from pathlib import Path

from PySide6.QtCore import QCoreApplication, Qt, QTimer
from PySide6.QtTest import QTest
from PySide6.QtWidgets import QAbstractScrollArea, QApplication, QPushButton, QWidget

REPO = Path(__file__).resolve().parents[2]
for folder in (REPO / "tests" / "ui",):
    if str(folder) not in sys.path:
        sys.path.insert(0, str(folder))

from intake_support import prepare_store  # noqa: E402
from typing_helpers import commit_text  # noqa: E402
from ui_helpers import PASSWORD, USERS  # noqa: E402

from motcua.services import accounts  # noqa: E402
from motcua.store.db import transaction  # noqa: E402
from motcua.ui.app import Session  # noqa: E402
from motcua.ui.dossier.action_dialog import ActionDialog  # noqa: E402
from motcua.ui.dossier.dossier_page import DossierPage  # noqa: E402
from motcua.ui.main_window import MainWindow  # noqa: E402
from motcua.ui.session.signin import SignInDialog  # noqa: E402
from motcua.ui.widgets.print_preview import PrintPreview  # noqa: E402
from tests.forms.forms_pdfcheck import flat, text  # noqa: E402

# Set by ``docs/screenshots/make_screenshots.py --journeys``: a folder for a screenshot of every step.
SHOTS = os.environ.get("MOTCUA_JOURNEY_SHOTS", "")
CTRL = Qt.KeyboardModifier.ControlModifier
ALT = Qt.KeyboardModifier.AltModifier
SHIFT = Qt.KeyboardModifier.ShiftModifier


def wait_for(condition: Callable[[], object], timeout: float = 10.0, what: str = "") -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        QCoreApplication.processEvents()
        if condition():
            return
        time.sleep(0.01)
    raise AssertionError(f"not in time: {what or condition}")


def focused() -> QWidget:
    widget = QApplication.focusWidget()
    assert widget is not None, "no widget has the keyboard focus"
    return widget


def key(k: Qt.Key, modifiers: Qt.KeyboardModifier = Qt.KeyboardModifier.NoModifier,
        widget: QWidget | None = None) -> None:
    """A key pressed on the keyboard: to the focused widget (through the shortcut map)."""
    QTest.keyClick(widget or focused(), k, modifiers)


def type_into(widget: QWidget, value: str, *, replace: bool = True) -> None:
    """Click into ``widget`` and type ``value`` (Vietnamese through the input method, as Unikey does)."""
    target = widget.viewport() if isinstance(widget, QAbstractScrollArea) else widget
    # A person waits for the dialog to come up before clicking into it.
    wait_for(lambda: widget.window().isActiveWindow(), what=f"{widget.objectName()}'s window has the keyboard")
    QTest.mouseClick(target, Qt.MouseButton.LeftButton)
    assert focused() is widget, (widget.objectName(), focused().objectName())
    if replace:
        QTest.keyClick(widget, Qt.Key.Key_A, CTRL)
        QTest.keyClick(widget, Qt.Key.Key_Backspace)
    if value.isascii():
        QTest.keyClicks(widget, value)
    else:
        commit_text(widget, value)


def click(widget: QWidget) -> None:
    QTest.mouseClick(widget, Qt.MouseButton.LeftButton)


def prepare(data_dir: Path) -> Path:
    """A store with the shipped catalog, the commune's settings and its four staff accounts."""
    path = prepare_store(data_dir)
    from motcua.store.db import open_store

    conn = open_store(path)
    with transaction(conn):
        for username, name, role in USERS:
            conn.execute(
                "INSERT INTO users (username, full_name, role, password_hash, active, created_at)"
                " VALUES (?, ?, ?, ?, 1, '2026-01-01T00:00:00+07:00')",
                (username, name, role,
                 accounts.hash_password(PASSWORD, salt=username.encode().ljust(16, b"_")[:16])),
            )
    conn.close()
    return path


def pdf_text(preview: PrintPreview) -> str:
    """The paper on screen, as its PDF reads back through pdftotext (spaces flattened)."""
    wait_for(lambda: preview.ready, what="the preview's PDF")
    return flat(text(preview.pdf))


class Desk:
    """The running application on this desk: one store, one writer thread, whoever is signed in."""

    def __init__(self, data_dir: Path, write_conn: sqlite3.Connection, journey: str = "journey"):
        self.session = Session(data_dir, write_conn)
        self.journey = journey
        self.shots = 0
        self.sign_in_failure: BaseException | None = None

    def shot(self, step: str) -> None:
        """The whole screen as the person sees it now (only when screenshots were asked for)."""
        if not SHOTS:
            return
        end = time.monotonic() + 0.2
        while time.monotonic() < end:
            QCoreApplication.processEvents()
            time.sleep(0.01)
        self.shots += 1
        folder = Path(SHOTS)
        folder.mkdir(parents=True, exist_ok=True)
        name = re.sub(r"[^a-z0-9]+", "-", f"{self.journey}-{self.shots:02d}-{step}".lower()).strip("-")
        screen = QApplication.primaryScreen()
        screen.grabWindow(0).save(str(folder / f"{name}.png"))

    # -- who is at the desk ------------------------------------------------------------------------
    @property
    def window(self) -> MainWindow:
        window = self.session.window
        assert isinstance(window, MainWindow)
        return window

    @property
    def user(self) -> str:
        return self.session.context.signed_in.username

    def _answer_sign_in(self, username: str) -> None:
        """When the sign-in dialog is up: type the name, Tab, the password, Enter."""
        def answer() -> None:
            dialog = QApplication.activeModalWidget()
            if not isinstance(dialog, SignInDialog) or not dialog.isActiveWindow():
                QTimer.singleShot(20, answer)
                return
            try:
                fill(dialog)
            except BaseException as failure:
                # An assertion inside a timer would leave the dialog open and the test hanging in exec().
                self.sign_in_failure = failure
                dialog.reject()

        def fill(dialog: SignInDialog) -> None:
            if focused() is dialog.password:
                # The desk remembers who signed in last: back to the name, as the next person does.
                key(Qt.Key.Key_Backtab, SHIFT)
            assert focused() is dialog.username
            key(Qt.Key.Key_A, CTRL)
            QTest.keyClicks(dialog.username, username)
            key(Qt.Key.Key_Tab)
            assert focused() is dialog.password
            QTest.keyClicks(dialog.password, PASSWORD)
            self.shot(f"dang-nhap-{username}")
            key(Qt.Key.Key_Return)

        QTimer.singleShot(0, answer)

    def _raise_sign_in_failure(self) -> None:
        failure, self.sign_in_failure = self.sign_in_failure, None
        if failure is not None:
            raise failure

    def sign_in(self, username: str) -> MainWindow:
        self._answer_sign_in(username)
        user = self.session.sign_in()
        self._raise_sign_in_failure()
        assert user is not None and user.username == username
        self.session.open_window(user)
        return self._settle()

    def switch_to(self, username: str) -> MainWindow:
        """A click on «Đăng xuất», then the next person signs in on the same desk."""
        old = self.window
        button = old.findChild(QPushButton, "navSignOut")
        assert isinstance(button, QPushButton) and button.isVisible()
        self._answer_sign_in(username)
        click(button)
        self._raise_sign_in_failure()
        assert self.session.window is not old and self.user == username
        return self._settle()

    def _settle(self) -> MainWindow:
        window = self.window
        window.activateWindow()
        wait_for(window.isActiveWindow, what="the main window has the keyboard")
        return window

    def close(self) -> None:
        self.session.close()

    # -- finding and opening a dossier -----------------------------------------------------------
    def open_by_code(self, code: str) -> DossierPage:
        """Ctrl+F, type the code, Enter searches, Enter opens the first row."""
        window = self.window
        key(Qt.Key.Key_F, CTRL, window)
        search = focused()
        QTest.keyClicks(search, code)
        key(Qt.Key.Key_Return)
        page = window.dossier_page
        wait_for(lambda: focused() is not search, what="the search found the dossier")
        key(Qt.Key.Key_Return)
        wait_for(lambda: window.current_key() == "dossier", what="the dossier page opened")
        return page

    # -- actions and papers on the dossier page ----------------------------------------------------
    def action(self, page: DossierPage, event_type: str) -> ActionDialog:
        """Press the action's Alt+number, as its tooltip says."""
        assert event_type in page.action_buttons, (event_type, list(page.action_buttons))
        number = list(page.action_buttons).index(event_type) + 1
        page.window().activateWindow()
        wait_for(page.window().isActiveWindow)
        key(getattr(Qt.Key, f"Key_{number}"), ALT, page)
        dialog = page.open_dialog
        assert dialog is not None and dialog.event_type == event_type
        wait_for(dialog.isActiveWindow, what="the action dialog has the keyboard")
        return dialog

    def confirm(self, dialog: ActionDialog) -> None:
        """Click «Xác nhận» and wait for the writer to record it (the dialog then closes)."""
        self.shot(dialog.event_type)
        click(dialog.ok_button)
        try:
            wait_for(lambda: not dialog.isVisible())
        except AssertionError:
            shown = [label.text() for label in dialog.error_labels.values() if label.isVisible()]
            raise AssertionError(f"{dialog.event_type} was not recorded: {shown}") from None
        wait_for(lambda: not self.session.runner.is_busy, what="the writer is idle")
        QCoreApplication.processEvents()

    def print_paper(self, page: DossierPage, kind: str, items: str = "") -> str:
        """Ctrl+P opens «In biểu mẫu»; the paper's number chooses it; the preview's PDF is read back."""
        menu = page.print_menu
        kinds = [p.kind for p in menu.papers]
        assert kind in kinds, (kind, kinds)
        number = kinds.index(kind) + 1
        chosen: list[int] = []
        menu.last_preview = None

        def pick() -> None:  # the menu runs its own event loop: type the number once it is on screen
            if not menu.isVisible():
                QTimer.singleShot(20, pick)
                return
            chosen.append(number)
            QTest.keyClick(menu, Qt.Key(Qt.Key.Key_0 + number))

        page.window().activateWindow()
        wait_for(page.window().isActiveWindow)
        page.setFocus()
        QTimer.singleShot(0, pick)
        key(Qt.Key.Key_P, CTRL, page)
        wait_for(lambda: chosen == [number] and not menu.isVisible(), what="the menu chose the paper")
        if items:  # the supplement request: its papers are typed in a small dialog first
            dialog = menu.items_dialog
            assert dialog is not None
            wait_for(dialog.isVisible)
            type_into(dialog.items_edit, items, replace=False)
            dialog.accept()
        wait_for(lambda: menu.last_preview is not None and menu.last_preview.isVisible(), what=f"preview of {kind}")
        preview = menu.last_preview
        assert preview is not None
        read = pdf_text(preview)
        self.shot(f"in-{kind}")
        preview.close()
        return read
