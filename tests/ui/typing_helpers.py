"""Typing Vietnamese in tests: ``qtbot.keyClicks`` aborts on non-ASCII, so send key events with text."""

from __future__ import annotations

from PySide6.QtCore import QEvent, Qt
from PySide6.QtGui import QInputMethodEvent, QKeyEvent
from PySide6.QtTest import QTest
from PySide6.QtWidgets import QApplication, QWidget


def type_text(widget: QWidget, text: str) -> None:
    """One QKeyEvent (press and release) per character, carrying the character as its text."""
    for char in text:
        key = ord(char.upper()) if char.isascii() and char.isalnum() else (Qt.Key.Key_Space if char == " " else 0)
        for kind in (QEvent.Type.KeyPress, QEvent.Type.KeyRelease):
            QApplication.sendEvent(widget, QKeyEvent(kind, key, Qt.KeyboardModifier.NoModifier, char))


def commit_text(widget: QWidget, text: str) -> None:
    """What an input method (Unikey, the OS's Telex) does: commit the composed string at once."""
    event = QInputMethodEvent()
    event.setCommitString(text)
    QApplication.sendEvent(widget, event)


def press(widget: QWidget, key: Qt.Key, modifier: Qt.KeyboardModifier = Qt.KeyboardModifier.NoModifier) -> None:
    """A key as the user presses it (QTest goes through shortcut handling, unlike sendEvent)."""
    QTest.keyClick(widget, key, modifier)
