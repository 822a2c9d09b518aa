"""Fitting every window on the commune's screen: 1024×768 or 1366×768, at 100, 125 or 150 %.

At 150 % a 1024×768 screen is 682×512 device-independent pixels. Nothing may ask for more: a page sits
in a ``PageHolder`` (it scrolls instead of widening the window), combo boxes take the width they are
given and elide (their lists still open wide enough to read), and a dialog opens no larger than the screen.
"""

from __future__ import annotations

from PySide6.QtCore import QSize, Qt
from PySide6.QtGui import QGuiApplication
from PySide6.QtWidgets import QComboBox, QFrame, QScrollArea, QWidget

COMBO_CHARACTERS = 12   # what a combo box needs at least; longer entries elide in the box, not in its list
SCREEN_SHARE = 0.96     # a dialog leaves a little of the screen around it (title bar, taskbar)


class PageHolder(QScrollArea):
    """Holds one page: it fills the window, and scrolls only when the screen is smaller than the page."""

    def __init__(self, parent: QWidget | None = None):
        super().__init__(parent)
        self.setWidgetResizable(True)
        self.setFrameShape(QFrame.Shape.NoFrame)
        self.setFocusPolicy(Qt.FocusPolicy.NoFocus)  # no invisible Tab stop between the sidebar and the page
        self.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAsNeeded)

    def minimumSizeHint(self) -> QSize:
        return QSize(120, 120)


def compact_combos(root: QWidget) -> None:
    """Combo boxes under ``root`` stop asking for their longest entry's width; their lists still show it."""
    for combo in root.findChildren(QComboBox):
        compact_combo(combo)


def compact_combo(combo: QComboBox) -> None:
    if combo.sizeAdjustPolicy() != QComboBox.SizeAdjustPolicy.AdjustToContentsOnFirstShow:
        return  # its author chose already
    combo.setSizeAdjustPolicy(QComboBox.SizeAdjustPolicy.AdjustToMinimumContentsLengthWithIcon)
    combo.setMinimumContentsLength(COMBO_CHARACTERS)
    view = combo.view()
    wanted = view.sizeHintForColumn(0) + 2 * view.frameWidth() + 24
    view.setMinimumWidth(min(max(wanted, view.minimumWidth()), int(available(combo).width() * SCREEN_SHARE)))


def available(widget: QWidget | None = None) -> QSize:
    """The available size of the screen ``widget`` is on (the primary screen before it is shown)."""
    screen = widget.screen() if widget is not None else None
    screen = screen or QGuiApplication.primaryScreen()
    return screen.availableGeometry().size()


def fit_size(widget: QWidget, width: int, height: int) -> None:
    """``resize(width, height)``, but never larger than the available screen."""
    room = available(widget)
    widget.resize(min(width, int(room.width() * SCREEN_SHARE)), min(height, int(room.height() * SCREEN_SHARE)))


def cap_width(widget: QWidget, width: int) -> None:
    """``setMinimumWidth(width)``, but never more than the available screen."""
    widget.setMinimumWidth(min(width, int(available(widget).width() * SCREEN_SHARE)))
