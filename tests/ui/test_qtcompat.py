"""PySide6 6.12.0 work-arounds: a long session's void calls never use up ``None``."""

from __future__ import annotations

import gc
import sys

from PySide6.QtGui import QTextDocument
from PySide6.QtWidgets import QLabel

from motcua.ui.qtcompat import NONE_RESERVE, void_call_steals_none


def test_many_void_calls_keep_python_alive(qtbot) -> None:
    """Each void call may take a reference to None away: 100,000 of them (an afternoon at the desk) are
    more than None had; the process must still be alive and None's count far from zero."""
    label = QLabel()
    qtbot.addWidget(label)
    document = QTextDocument()
    for number in range(50_000):
        label.setText(str(number % 7))
        document.setTextWidth(100)
    gc.collect()
    if void_call_steals_none():
        assert sys.getrefcount(None) > NONE_RESERVE // 2
    assert label.text() == str(49_999 % 7)
