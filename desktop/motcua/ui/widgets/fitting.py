"""Fitting every window on the commune's screen: 1024×768 or 1366×768, at 100, 125 or 150 %.

At 150 % a 1024×768 screen is 682×512 device-independent pixels. Nothing may ask for more: a page sits
in a ``PageHolder`` (it scrolls instead of widening the window), combo boxes take the width they are
given and elide (their lists still open wide enough to read), and a dialog opens no larger than the screen.
"""

from __future__ import annotations

from PySide6.QtCore import QRect, QSize, Qt
from PySide6.QtGui import QGuiApplication
from PySide6.QtWidgets import (
    QBoxLayout,
    QComboBox,
    QFrame,
    QLabel,
    QLayout,
    QLayoutItem,
    QScrollArea,
    QSizePolicy,
    QSpacerItem,
    QWidget,
)

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


class FlowRow(QLayout):
    """A row of filters that wraps onto a second line when the page is narrow (a label stays with its field).

    Items keep their preferred width; what is left on a line goes to the items added with a stretch, in
    proportion (a search box 3, a picker 1), or else to those that expand.
    """

    def __init__(self, parent: QWidget | None = None, spacing: int = 8):
        super().__init__(parent)
        self._items: list[QLayoutItem] = []
        self._stretch: dict[int, int] = {}   # id(widget) → stretch given to addWidget
        self._spacing = spacing
        self.setContentsMargins(0, 0, 0, 0)

    # -- QLayout ---------------------------------------------------------------------------------
    def addItem(self, item: QLayoutItem) -> None:
        self._items.append(item)

    def addWidget(self, widget: QWidget, stretch: int = 0) -> None:
        self._stretch[id(widget)] = stretch
        super().addWidget(widget)

    def addStretch(self, _stretch: int = 0) -> None:
        """Nothing: what is left on a line goes to the items that expand."""

    def addSpacing(self, size: int) -> None:
        self.addItem(QSpacerItem(size, 0, QSizePolicy.Policy.Fixed, QSizePolicy.Policy.Minimum))

    def count(self) -> int:
        return len(self._items)

    def itemAt(self, index: int) -> QLayoutItem | None:
        return self._items[index] if 0 <= index < len(self._items) else None

    def takeAt(self, index: int) -> QLayoutItem | None:
        return self._items.pop(index) if 0 <= index < len(self._items) else None

    def expandingDirections(self) -> Qt.Orientation:
        return Qt.Orientation(0)

    def hasHeightForWidth(self) -> bool:
        return True

    def heightForWidth(self, width: int) -> int:
        return self._arrange(QRect(0, 0, width, 0), apply=False)

    def setGeometry(self, rect: QRect) -> None:
        super().setGeometry(rect)
        self._arrange(rect, apply=True)

    def sizeHint(self) -> QSize:
        units = self._units()
        width = sum(w for _, w, _ in units) + self._spacing * max(0, len(units) - 1)
        return QSize(width, max((h for _, _, h in units), default=0))

    def minimumSize(self) -> QSize:
        units = self._units()
        margins = self.contentsMargins()
        return QSize(max((w for _, w, _ in units), default=0) + margins.left() + margins.right(),
                     max((h for _, _, h in units), default=0))

    # -- layout ----------------------------------------------------------------------------------
    def _units(self) -> list[tuple[list[QLayoutItem], int, int]]:
        """Items that wrap together (a label and the field it names), with their width and height."""
        units: list[tuple[list[QLayoutItem], int, int]] = []
        visible = [item for item in self._items if not _hidden(item)]
        index = 0
        while index < len(visible):
            group = [visible[index]]
            widget = visible[index].widget()
            if (isinstance(widget, QLabel) and widget.buddy() is not None and index + 1 < len(visible)
                    and visible[index + 1].widget() is widget.buddy()):
                group.append(visible[index + 1])
            index += len(group)
            hints = [item.sizeHint() for item in group]
            width = sum(h.width() for h in hints) + self._spacing // 2 * (len(group) - 1)
            units.append((group, width, max(h.height() for h in hints)))
        return units

    def _weight(self, item: QLayoutItem) -> int:
        widget = item.widget()
        return self._stretch.get(id(widget), 0) if widget is not None else 0

    def _arrange(self, rect: QRect, *, apply: bool) -> int:
        units = self._units()
        lines: list[list[tuple[list[QLayoutItem], int, int]]] = [[]]
        used = 0
        for unit in units:
            extra = self._spacing if lines[-1] else 0
            if lines[-1] and used + extra + unit[1] > rect.width():
                lines.append([])
                used, extra = 0, 0
            lines[-1].append(unit)
            used += extra + unit[1]
        y = rect.y()
        for line in lines:
            if not line:
                continue
            height = max(h for _, _, h in line)
            if apply:
                self._place(line, rect.x(), y, rect.width(), height)
            y += height + self._spacing
        return y - rect.y() - self._spacing if units else 0

    def _place(self, line: list[tuple[list[QLayoutItem], int, int]], x: int, y: int, width: int,
               height: int) -> None:
        used = sum(w for _, w, _ in line) + self._spacing * (len(line) - 1)
        weights = {id(item): self._weight(item) for group, _, _ in line for item in group}
        if not any(weights.values()):
            weights = {key: int(bool(item.expandingDirections() & Qt.Orientation.Horizontal))
                       for key, item in ((id(item), item) for group, _, _ in line for item in group)}
        total = sum(weights.values())
        spare = max(0, width - used)
        for group, _, _ in line:
            for position, item in enumerate(group):
                hint = item.sizeHint()
                grow = spare * weights[id(item)] // total if total else 0
                item.setGeometry(QRect(x, y + (height - hint.height()) // 2, hint.width() + grow, hint.height()))
                x += hint.width() + grow + (self._spacing // 2 if position + 1 < len(group) else 0)
            x += self._spacing


def _hidden(item: QLayoutItem) -> bool:
    widget = item.widget()
    return widget is not None and widget.isHidden()


class Columns(QBoxLayout):
    """Cards side by side when the page has room for them, one under the other when it has not."""

    def __init__(self, parent: QWidget | None = None):
        super().__init__(QBoxLayout.Direction.LeftToRight, parent)

    def _side_by_side(self) -> int:
        """The width the cards need side by side: their preferred widths (squeezed, a table shows nothing)."""
        items = [self.itemAt(i) for i in range(self.count())]
        widths = [max(item.minimumSize().width(), item.sizeHint().width())
                  for item in items if item is not None and not item.isEmpty()]
        margins = self.contentsMargins()
        return sum(widths) + self.spacing() * max(0, len(widths) - 1) + margins.left() + margins.right()

    def minimumSize(self) -> QSize:
        size = super().minimumSize()
        items = [self.itemAt(i) for i in range(self.count())]
        widest = max((item.minimumSize().width() for item in items if item is not None and not item.isEmpty()),
                     default=0)
        margins = self.contentsMargins()
        return QSize(widest + margins.left() + margins.right(), size.height())

    def setGeometry(self, rect: QRect) -> None:
        wanted = (QBoxLayout.Direction.LeftToRight if rect.width() >= self._side_by_side()
                  else QBoxLayout.Direction.TopToBottom)
        if wanted != self.direction():
            self.setDirection(wanted)
        super().setGeometry(rect)
