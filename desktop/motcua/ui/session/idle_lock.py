"""The window locks after an idle time (setting ``idle_lock_minutes``, default 5; 0 turns it off) and on Ctrl+L.

Locked, an opaque panel covers the whole main window and the desk's other windows (the intake window) are
hidden, so a citizen at the counter sees nothing personal; only the signed-in account's password brings them
back. After three wrong passwords each further try waits longer (2, 4, 8 … up to 60 seconds).

Installed by the main window with one line: ``install_idle_lock(self, context)``.

Activity is watched on the desk's windows themselves (each ``QWindow`` as it gets the focus), where every key and
click arrives first, not by an application-wide filter: that one would run Python for every event of every object
(paints, layouts, timers) and, at start-up, make PySide wrap objects of every Qt class it meets. The
application-wide filter is installed only while locked, where it must stop everything.
"""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import QEvent, QObject, Qt, QTimer
from PySide6.QtGui import QGuiApplication, QKeySequence, QShortcut, QWindow
from PySide6.QtWidgets import (
    QApplication,
    QDialog,
    QFrame,
    QLabel,
    QLineEdit,
    QMainWindow,
    QPushButton,
    QVBoxLayout,
    QWidget,
)
from shiboken6 import isValid

from motcua.i18n import tr
from motcua.services.accounts import authenticate
from motcua.store.settings import get_value
from motcua.ui.context import AppContext

DEFAULT_MINUTES = 5
FREE_TRIES = 3
MAX_WAIT_S = 60
_ACTIVITY = {QEvent.Type.KeyPress, QEvent.Type.MouseButtonPress, QEvent.Type.MouseMove, QEvent.Type.Wheel,
             QEvent.Type.TouchBegin}


class LockPanel(QFrame):
    """What a locked window shows: who it is locked for, a password field, and why a try must wait."""

    def __init__(self, parent: QWidget, who: str):
        super().__init__(parent)
        self.setObjectName("lockPanel")
        self.setAutoFillBackground(True)
        self.setStyleSheet("#lockPanel { background: #f4f5f7; }")
        box = QVBoxLayout(self)
        box.setAlignment(Qt.AlignmentFlag.AlignCenter)
        title = QLabel(tr("Màn hình đã khóa"))
        title.setObjectName("lockTitle")
        title.setStyleSheet("font-size: 20px; font-weight: bold;")
        box.addWidget(title, alignment=Qt.AlignmentFlag.AlignHCenter)
        box.addWidget(QLabel(tr("Nhập mật khẩu của {who} để tiếp tục.", who=who)),
                      alignment=Qt.AlignmentFlag.AlignHCenter)
        self.password = QLineEdit()
        self.password.setEchoMode(QLineEdit.EchoMode.Password)
        self.password.setPlaceholderText(tr("Mật khẩu"))
        self.password.setFixedWidth(280)
        box.addWidget(self.password, alignment=Qt.AlignmentFlag.AlignHCenter)
        self.unlock = QPushButton(tr("Mở khóa"))
        self.unlock.setDefault(True)
        box.addWidget(self.unlock, alignment=Qt.AlignmentFlag.AlignHCenter)
        self.message = QLabel("")
        self.message.setObjectName("lockMessage")
        box.addWidget(self.message, alignment=Qt.AlignmentFlag.AlignHCenter)


class IdleLock(QObject):
    def __init__(self, window: QMainWindow, who: str, check: Callable[[str], bool], minutes: float):
        super().__init__(window)
        self.window = window
        self.who = who
        self.check = check
        self.failures = 0
        self.panel: LockPanel | None = None
        self._hidden: list[QWidget] = []
        self._focus: QWidget | None = None
        self._active: QWidget | None = None
        self._watched: list[QWindow] = []
        self.timer = QTimer(self)
        self.timer.setSingleShot(True)
        self.timer.timeout.connect(self.lock)
        self.retry_timer = QTimer(self)
        self.retry_timer.setSingleShot(True)
        self.retry_timer.timeout.connect(self._allow_retry)
        self.set_minutes(minutes)
        self.shortcut = QShortcut(QKeySequence("Ctrl+L"), window)
        self.shortcut.setContext(Qt.ShortcutContext.ApplicationShortcut)
        self.shortcut.activated.connect(self.lock)
        window.installEventFilter(_Resize(self))
        app = QApplication.instance()
        if isinstance(app, QGuiApplication):
            app.focusWindowChanged.connect(self._watch)
            self._watch(app.focusWindow())

    def _watch(self, handle: QWindow | None) -> None:
        """Watch this window for keys and clicks (once; a closed window's handle goes with it)."""
        self._watched = [w for w in self._watched if isValid(w)]
        if handle is not None and all(w is not handle for w in self._watched):
            handle.installEventFilter(self)
            self._watched.append(handle)

    @property
    def locked(self) -> bool:
        return self.panel is not None

    def set_minutes(self, minutes: float) -> None:
        self.timer.stop()
        self.interval_ms = int(minutes * 60_000)
        if self.interval_ms > 0 and not self.locked:
            self.timer.start(self.interval_ms)

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        kind = event.type()
        if self.panel is None:
            if kind in _ACTIVITY and self.interval_ms > 0:
                self.timer.start(self.interval_ms)
            return False
        # Locked: no shortcut and no key or click reaches anything but the lock panel.
        if kind == QEvent.Type.Shortcut:
            return True
        if kind in _ACTIVITY and isinstance(watched, QWidget):
            return not (watched is self.panel or self.panel.isAncestorOf(watched))
        return False

    def lock(self) -> None:
        if self.locked:
            return
        self.timer.stop()
        self._focus = QApplication.focusWidget()
        self._active = QApplication.activeWindow()
        self._hidden = [w for w in QApplication.topLevelWidgets()
                        if w is not self.window and w.isVisible() and not isinstance(w, QDialog)]
        for widget in self._hidden:
            widget.hide()
        central = self.window.centralWidget()
        if central is not None:
            central.setEnabled(False)
        panel = LockPanel(self.window, self.who)
        panel.setGeometry(self.window.rect())
        panel.show()
        panel.raise_()
        panel.unlock.clicked.connect(self._try)
        panel.password.returnPressed.connect(self._try)
        panel.password.setFocus()
        self.panel = panel
        app = QApplication.instance()
        if app is not None:
            app.installEventFilter(self)  # locked: every shortcut, key and click, whichever window it is for

    def _try(self) -> None:
        panel = self.panel
        if panel is None or not panel.password.isEnabled():
            return
        password = panel.password.text()
        panel.password.clear()
        if self.check(password):
            self.unlock()
            return
        self.failures += 1
        if self.failures >= FREE_TRIES:
            wait = min(MAX_WAIT_S, 2 ** (self.failures - FREE_TRIES + 1))
            panel.password.setEnabled(False)
            panel.unlock.setEnabled(False)
            panel.message.setText(tr("Mật khẩu không đúng. Chờ {s} giây rồi thử lại.", s=wait))
            self.retry_timer.start(wait * 1000)
        else:
            panel.message.setText(tr("Mật khẩu không đúng."))

    def _allow_retry(self) -> None:
        if self.panel is not None:
            self.panel.password.setEnabled(True)
            self.panel.unlock.setEnabled(True)
            self.panel.password.setFocus()

    def unlock(self) -> None:
        if self.panel is None:
            return
        self.panel.hide()
        self.panel.deleteLater()
        self.panel = None
        app = QApplication.instance()
        if app is not None:
            app.removeEventFilter(self)
        central = self.window.centralWidget()
        if central is not None:
            central.setEnabled(True)
        self.failures = 0
        for widget in self._hidden:
            widget.show()
        self._hidden = []
        focus, active, self._focus, self._active = self._focus, self._active, None, None
        (active if active is not None and isValid(active) else self.window).activateWindow()
        (focus if focus is not None and isValid(focus) else self.window).setFocus()
        if self.interval_ms > 0:
            self.timer.start(self.interval_ms)


class _Resize(QObject):
    """Keeps the panel over the whole window when it is resized while locked."""

    def __init__(self, lock: IdleLock):
        super().__init__(lock)
        self.lock = lock

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if event.type() == QEvent.Type.Resize and self.lock.panel is not None:
            self.lock.panel.setGeometry(self.lock.window.rect())
        return False


def install_idle_lock(window: QMainWindow, context: AppContext) -> IdleLock:
    user = context.signed_in
    minutes = get_value(context.reader, "idle_lock_minutes", DEFAULT_MINUTES)
    minutes = minutes if isinstance(minutes, (int, float)) and minutes >= 0 else DEFAULT_MINUTES
    reader = context.reader

    def check(password: str) -> bool:
        return authenticate(reader, user.username, password) is not None

    lock = IdleLock(window, user.full_name or user.username, check, minutes)
    window.idle_lock = lock  # type: ignore[attr-defined]
    return lock
