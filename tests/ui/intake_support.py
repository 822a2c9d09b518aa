"""Shared by the intake, print and guidance UI tests: a real store with the catalog loaded, typing
Vietnamese with the keyboard, and (run as a script) a wizard in a child process for the crash test.

Typing: qtbot.keyClicks cannot send non-ASCII text, so every character goes as a QKeyEvent carrying
its text, to whatever widget has the keyboard focus — a test that types into the wrong field fails.
"""

from __future__ import annotations

import sys
import time
from pathlib import Path

REPO = Path(__file__).resolve().parents[2]
FIXTURE_PROCEDURES = REPO / "tests" / "catalog" / "fixtures" / "procedures"
SHIPPED_PROCEDURES = REPO / "db" / "catalog" / "procedures"


def prepare_store(data_dir: Path) -> Path:
    """An initialised store holding the catalog (shipped files when present, else the test fixtures)."""
    from motcua.catalog.shipped import load_shipped
    from motcua.paths import store_file
    from tests.conftest import open_desk_store

    path = store_file(data_dir)
    conn = open_desk_store(data_dir, accounts=None)
    source = SHIPPED_PROCEDURES if any(SHIPPED_PROCEDURES.glob("*.json")) else FIXTURE_PROCEDURES
    report = load_shipped(conn, source)
    assert report.added or report.unchanged, report
    conn.close()
    return path


def officer_context(tmp_path: Path):  # type: ignore[no-untyped-def]
    """A signed-in receiving officer's context on a fresh store (use as ``yield from`` in a fixture)."""
    from motcua.ui._adapters import close_context, open_context

    prepare_store(tmp_path / "data")
    ctx = open_context(tmp_path / "data", officer())
    yield ctx
    close_context(ctx)


def show_active(qtbot, widget, width: int, height: int):  # type: ignore[no-untyped-def]
    """Show ``widget`` at a desk-screen size and wait until it has the keyboard."""
    qtbot.addWidget(widget)
    widget.resize(width, height)
    widget.show()
    widget.activateWindow()
    qtbot.waitUntil(widget.isActiveWindow)
    return widget


def officer():  # type: ignore[no-untyped-def]
    from motcua.services.accounts import User

    return User("tiepnhan01", "Trần Văn Bình", "receiver")


def focused():  # type: ignore[no-untyped-def]
    from PySide6.QtWidgets import QApplication

    widget = QApplication.focusWidget()
    assert widget is not None, "no widget has the keyboard focus"
    return widget


def type_text(text: str) -> None:
    """Type ``text`` into the focused widget, one key event per character (Vietnamese included)."""
    from PySide6.QtCore import QEvent, Qt
    from PySide6.QtGui import QKeyEvent
    from PySide6.QtWidgets import QApplication

    for ch in text:
        target = focused()
        key = Qt.Key.Key_Space if ch == " " else (ord(ch.upper()) if ch.isascii() and ch.isalnum() else 0)
        for kind in (QEvent.Type.KeyPress, QEvent.Type.KeyRelease):
            QApplication.sendEvent(target, QKeyEvent(kind, key, Qt.KeyboardModifier.NoModifier, ch))


def press(key, modifiers=None) -> None:  # type: ignore[no-untyped-def]
    """A key (Enter, Tab, Space, arrows, Alt+letter…) sent the way a keyboard sends it: through the
    shortcut map first, then to the focused widget."""
    from PySide6.QtCore import Qt
    from PySide6.QtTest import QTest

    QTest.keyClick(focused(), key, modifiers or Qt.KeyboardModifier.NoModifier)


def wait_for(condition, timeout: float = 5.0) -> None:  # type: ignore[no-untyped-def]
    from PySide6.QtCore import QCoreApplication

    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        QCoreApplication.processEvents()
        if condition():
            return
        time.sleep(0.01)
    raise AssertionError("condition not met in time")


# -- the child process of the crash test ---------------------------------------------------------
def child_main(data_dir: str) -> None:
    """Open the wizard, type an intake half-way with the keyboard, report, then idle until killed."""
    from PySide6.QtCore import Qt
    from PySide6.QtWidgets import QApplication

    from motcua.ui._adapters import open_context
    from motcua.ui.intake.intake_wizard import IntakeWizard

    app = QApplication([])
    context = open_context(Path(data_dir), officer())
    wizard = IntakeWizard(context)
    wizard.resize(1100, 700)
    wizard.show()
    wizard.activateWindow()
    wait_for(lambda: QApplication.focusWidget() is not None)
    type_text("dang ky khai sinh")
    press(Qt.Key.Key_Return)
    wait_for(lambda: wizard.step == 1)
    press(Qt.Key.Key_Space)
    press(Qt.Key.Key_Down)
    press(Qt.Key.Key_Space)
    press(Qt.Key.Key_Return)
    type_text("066190001234")
    press(Qt.Key.Key_H, Qt.KeyboardModifier.AltModifier)
    type_text("Nguyễn Thị Hoa")
    press(Qt.Key.Key_A, Qt.KeyboardModifier.AltModifier)
    type_text("Thôn 2, xã Ea Kao")
    from motcua.services.drafts import load_draft

    def saved_everything() -> bool:
        draft = load_draft(context.reader, wizard.state.dossier_id)
        return draft is not None and draft.data.get("address") == "Thôn 2, xã Ea Kao"

    wait_for(saved_everything, timeout=10)  # the debounced draft reached the store
    print("TYPED", wizard.state.dossier_id, flush=True)
    app.exec()


if __name__ == "__main__":
    sys.path.insert(0, str(REPO / "desktop"))
    child_main(sys.argv[1])
