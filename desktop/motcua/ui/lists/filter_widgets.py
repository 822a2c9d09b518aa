"""Filter inputs for lists: a procedure picker that forgives missing diacritics, and an optional date."""

from __future__ import annotations

from datetime import date

from PySide6.QtCore import QDate, QEvent, QLocale, QModelIndex, QPoint, QPointF, QRect, Qt, Signal
from PySide6.QtGui import QFocusEvent, QKeyEvent, QMouseEvent
from PySide6.QtWidgets import (
    QAbstractSpinBox,
    QApplication,
    QComboBox,
    QCompleter,
    QDateEdit,
    QStyle,
    QStyleOptionComboBox,
    QWidget,
)

from motcua.domain.clock import now
from motcua.domain.text import fold
from motcua.i18n import tr
from motcua.store.queries import ProcedureUse
from motcua.ui.qtcompat import emit
from motcua.ui.widgets.fitting import cap_width
from motcua.ui.widgets.folding import FOLDED_ROLE, FoldingFilter

CODE_ROLE = Qt.ItemDataRole.UserRole  # what addItem(text, data) stores
SEPARATORS = frozenset("/-. ")  # what people type between day, month and year
VIETNAMESE = QLocale(QLocale.Language.Vietnamese, QLocale.Country.Vietnam)


class ProcedurePicker(QComboBox):
    """«Tất cả thủ tục» or one procedure; type part of its code or name, with or without diacritics.

    The list is filled by the page (``set_procedures``). Typing shows the matching procedures; Enter takes
    the first match, or «Tất cả thủ tục» when the box is empty; leaving the box without choosing puts
    back the procedure that was chosen.
    """

    def __init__(self, parent: QWidget | None = None):
        super().__init__(parent)
        self.setEditable(True)
        self.setInsertPolicy(QComboBox.InsertPolicy.NoInsert)
        self.setSizeAdjustPolicy(QComboBox.SizeAdjustPolicy.AdjustToMinimumContentsLengthWithIcon)
        self.setMinimumContentsLength(18)
        self.setMaxVisibleItems(16)
        cap_width(self.view(), 520)  # whole names in the list, even when the box itself is narrow
        self.setCompleter(None)  # Qt's own completer matches prefixes, diacritics included
        self.matches = FoldingFilter(self)
        self.matches.setSourceModel(self.model())
        self.finder = QCompleter(self.matches, self)
        self.finder.setCompletionMode(QCompleter.CompletionMode.UnfilteredPopupCompletion)
        self.finder.setMaxVisibleItems(12)
        self.finder.setWidget(self.lineEdit())
        cap_width(self.finder.popup(), 520)
        self.finder.activated[QModelIndex].connect(self._picked)
        self.lineEdit().textEdited.connect(self._typed)
        self.lineEdit().returnPressed.connect(self.take_typed)
        self.lineEdit().setPlaceholderText(tr("Gõ mã hoặc tên thủ tục, có dấu hoặc không"))
        self._add(tr("Tất cả thủ tục"), "", "")

    # -- what the page asks ----------------------------------------------------------------------
    def code(self) -> str:
        return str(self.currentData(CODE_ROLE) or "")

    def codes(self) -> list[str]:
        """The procedures listed, in order (without «Tất cả thủ tục»)."""
        return [str(self.itemData(i, CODE_ROLE)) for i in range(1, self.count())]

    def set_code(self, code: str) -> None:
        index = self.findData(code, CODE_ROLE) if code else 0
        if index < 0:  # a code with no dossiers here: listed all the same, so the box says what filters
            self._add(code, code, tr("Không có hồ sơ nào của thủ tục này"))
            index = self.count() - 1
        self.setCurrentIndex(index)
        self._show_current()

    def set_procedures(self, procedures: list[ProcedureUse]) -> None:
        """Refill the list, keeping the chosen procedure; no change signal unless that one disappeared."""
        chosen = self.code()
        self.blockSignals(True)
        try:
            while self.count() > 1:
                self.removeItem(self.count() - 1)
            for use in procedures:
                text = f"{use.code} — {use.name}" if use.name else use.code
                self._add(text, use.code, tr("{n} hồ sơ", n=f"{use.dossiers:,}".replace(",", ".")))
            if chosen and self.findData(chosen, CODE_ROLE) < 0:
                self._add(chosen, chosen, tr("Không có hồ sơ nào của thủ tục này"))
            self.setCurrentIndex(self.findData(chosen, CODE_ROLE) if chosen else 0)
        finally:
            self.blockSignals(False)
        self._show_current()

    def take_typed(self) -> None:
        """Enter: the first procedure matching what was typed; an empty box means every procedure."""
        self.finder.popup().hide()
        text = self.lineEdit().text()
        if not fold(text):
            self.setCurrentIndex(0)
        elif fold(text) != fold(self.itemText(self.currentIndex())):
            self.matches.set_needle(text)
            if self.matches.rowCount():
                self.setCurrentIndex(self.matches.mapToSource(self.matches.index(0, 0)).row())
        self._show_current()

    # -- internals -------------------------------------------------------------------------------
    def _add(self, text: str, code: str, tooltip: str) -> None:
        self.addItem(text, code)
        self.setItemData(self.count() - 1, fold(text), FOLDED_ROLE)
        if tooltip:
            self.setItemData(self.count() - 1, tooltip, Qt.ItemDataRole.ToolTipRole)

    def _typed(self, text: str) -> None:
        self.matches.set_needle(text)
        if fold(text):
            # Below the whole box, as its own list drops, not over its frame (the edit sits inside it).
            self.finder.complete(QRect(self.lineEdit().mapFrom(self, QPoint(0, 0)), self.size()))
        else:
            self.finder.popup().hide()

    def _picked(self, index: QModelIndex) -> None:
        found = self.findData(index.data(CODE_ROLE), CODE_ROLE)
        if found >= 0:
            self.setCurrentIndex(found)
        self._show_current()

    def _show_current(self) -> None:
        """The box shows the chosen item's text again (not half-typed text)."""
        # The matches stay as they are: the completer may still be about to report the row it showed.
        self.lineEdit().setText(self.itemText(self.currentIndex()))

    def event(self, event: QEvent) -> bool:
        # Esc first puts back what was typed; only an Esc with nothing typed goes on to the page (Xóa lọc).
        if (event.type() == QEvent.Type.ShortcutOverride and isinstance(event, QKeyEvent)
                and event.key() == Qt.Key.Key_Escape and self._typing()):
            event.accept()
            return True
        return super().event(event)

    def keyPressEvent(self, event: QKeyEvent) -> None:
        if event.key() == Qt.Key.Key_Escape and self._typing():
            self.finder.popup().hide()
            self._show_current()
            return
        super().keyPressEvent(event)

    def _typing(self) -> bool:
        return self.lineEdit().text() != self.itemText(self.currentIndex())

    def focusOutEvent(self, event: QFocusEvent) -> None:
        if event.reason() != Qt.FocusReason.PopupFocusReason and not self.finder.popup().isVisible():
            self._show_current()
        super().focusOutEvent(event)


def parse_day(text: str, *, complete_only: bool = False) -> date | None:
    """«30/11/2026», «30112026», «3/4/2026»; unless ``complete_only``, also «30/11» (this year), «30/11/26».

    None when it is not a day of the calendar.
    """
    parts = text.split("/")
    if len(parts) == 1 and len(text) == 8 and text.isdigit():
        parts = [text[:2], text[2:4], text[4:]]
    if complete_only and (len(parts) != 3 or len(parts[2]) != 4):
        return None
    if len(parts) == 2 and not complete_only:
        parts.append(str(now().year))
    if len(parts) != 3 or not all(p.isdigit() for p in parts) or len(parts[2]) not in (2, 4):
        return None
    year = int(parts[2]) + (2000 if len(parts[2]) == 2 else 0)
    try:
        return date(year, int(parts[1]), int(parts[0]))
    except ValueError:
        return None


class OptionalDateEdit(QDateEdit):
    """A day, or none: the lowest date stands for «no bound» and shows as words, not as 01/01/2000.

    From «none», the arrow keys, typing and the calendar start at today; Delete goes back to «none». F4 or
    Alt+↓ opens the calendar. Tab leaves the field (Qt's date edit would walk its day, month and year first).
    """

    NONE = QDate(2000, 1, 1)
    committed = Signal()  # Enter, or leaving the field, after typing a date: apply it now

    def __init__(self, empty_text: str, parent: QWidget | None = None):
        super().__init__(parent)
        self.setLocale(VIETNAMESE)  # month and weekday names in the calendar popup
        self.setCalendarPopup(True)
        self.setDisplayFormat("dd/MM/yyyy")
        self.setDateRange(self.NONE, QDate(2100, 12, 31))
        self.setSpecialValueText(empty_text)
        self.calendarWidget().setFirstDayOfWeek(Qt.DayOfWeek.Monday)
        self.calendarWidget().setLocale(VIETNAMESE)
        self.setDate(self.NONE)
        self._typed: str | None = None

    def value(self) -> date | None:
        return None if self.is_empty() else self.date().toPython()

    def set_value(self, day: date | None) -> None:
        self._typed = None
        self.setDate(self.NONE if day is None else QDate(day.year, day.month, day.day))

    def is_empty(self) -> bool:
        return self.date() == self.NONE

    def stepEnabled(self) -> QAbstractSpinBox.StepEnabledFlag:
        if self.is_empty():
            return QAbstractSpinBox.StepEnabledFlag.StepUpEnabled | QAbstractSpinBox.StepEnabledFlag.StepDownEnabled
        return super().stepEnabled()

    def stepBy(self, steps: int) -> None:
        self._commit_typed()
        if self.is_empty():
            self.set_value(now().date())
            return
        super().stepBy(steps)

    def keyPressEvent(self, event: QKeyEvent) -> None:
        if event.key() == Qt.Key.Key_Delete and event.modifiers() == Qt.KeyboardModifier.NoModifier:
            self.set_value(None)
            return
        if event.key() == Qt.Key.Key_F4 or (event.key() == Qt.Key.Key_Down
                                             and event.modifiers() & Qt.KeyboardModifier.AltModifier):
            self.open_calendar()
            return
        if self._take_typing(event):
            return
        super().keyPressEvent(event)

    # -- typing a whole date -------------------------------------------------------------------------
    # Qt's date edit types section by section and jumps to the next one on its own, so «30/11/2026» became
    # 30/12/2026 (the slash skipped the month) and the rest went to the next field. Here what is typed is
    # kept as typed and read as a whole, dd/mm/yyyy, once it is complete, on Enter or on leaving the field.
    def _take_typing(self, event: QKeyEvent) -> bool:
        text = event.text()
        plain = not event.modifiers() & ~(Qt.KeyboardModifier.KeypadModifier | Qt.KeyboardModifier.ShiftModifier)
        typing = self._typed is not None
        if plain and text and (text.isdigit() or (typing and text in SEPARATORS)):
            self._show_typed((self._typed or "") + ("/" if text in SEPARATORS else text))
            day = parse_day(self._typed or "", complete_only=True)
            if day is not None:
                self._commit_typed()
            return True
        if event.key() in (Qt.Key.Key_Return, Qt.Key.Key_Enter):
            self._commit_typed()
            emit(self.committed)
            return False  # the dialog or page may act on Enter too
        if not typing:
            return False
        if event.key() == Qt.Key.Key_Backspace:
            self._show_typed((self._typed or "")[:-1])
            return True
        if event.key() == Qt.Key.Key_Escape:
            self._cancel_typed()
            return True
        self._commit_typed()
        return False

    def typing(self) -> str | None:
        """What is being typed and not yet taken (None when nothing is)."""
        return self._typed

    def _show_typed(self, text: str) -> None:
        self._typed = text
        edit = self.lineEdit()
        edit.blockSignals(True)  # the date stays as it was until the typed one is complete
        edit.setText(text)
        edit.setCursorPosition(len(text))
        edit.blockSignals(False)

    def _cancel_typed(self) -> None:
        self._typed = None
        edit = self.lineEdit()
        edit.blockSignals(True)
        edit.setText(self.textFromDateTime(self.dateTime()) if not self.is_empty() else self.specialValueText())
        edit.blockSignals(False)

    def _commit_typed(self) -> None:
        typed = self._typed
        if typed is None:
            return
        day = parse_day(typed)
        self._cancel_typed()
        if day is None:
            if typed.strip("/"):
                QApplication.beep()  # not a day: the field keeps the date it had
            return
        self.set_value(day)

    def focusOutEvent(self, event: QFocusEvent) -> None:
        if self._typed is not None and event.reason() != Qt.FocusReason.PopupFocusReason:
            self._commit_typed()
            emit(self.committed)
        super().focusOutEvent(event)

    def open_calendar(self) -> None:
        """F4 or Alt+↓, as on a combo box: Qt's date edit opens its calendar only for a click on the arrow."""
        option = QStyleOptionComboBox()
        option.initFrom(self)
        option.editable = True
        option.subControls = QStyle.SubControl.SC_All
        arrow = self.style().subControlRect(QStyle.ComplexControl.CC_ComboBox, option,
                                            QStyle.SubControl.SC_ComboBoxArrow, self)
        at = QPointF(arrow.center())
        QApplication.sendEvent(self, QMouseEvent(QEvent.Type.MouseButtonPress, at, self.mapToGlobal(at),
                                                 Qt.MouseButton.LeftButton, Qt.MouseButton.LeftButton,
                                                 Qt.KeyboardModifier.NoModifier))

    def focusNextPrevChild(self, forward: bool) -> bool:
        # One Tab a field in a filter bar: typing moves through day, month and year by itself.
        return QWidget.focusNextPrevChild(self, forward)

    def mousePressEvent(self, event: QMouseEvent) -> None:
        super().mousePressEvent(event)
        self._calendar_at_today()

    def _calendar_at_today(self) -> None:
        if self.is_empty():  # not January 2000: today is highlighted, and chosen only by Enter or a click
            today = now().date()
            calendar = self.calendarWidget()
            calendar.blockSignals(True)  # its selection would otherwise become this field's date at once
            calendar.setSelectedDate(QDate(today.year, today.month, today.day))
            calendar.blockSignals(False)
