"""Lịch làm việc chính thức: a year's days off and worked weekend days, and setting a day (administrators only).

The same service as ``motcua calendar``; each change goes through the writer and re-checks the permission.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Callable
from datetime import date
from typing import Any

from PySide6.QtCore import QAbstractTableModel, QDate, QModelIndex, QPersistentModelIndex, Qt
from PySide6.QtWidgets import (
    QAbstractItemView,
    QComboBox,
    QDateEdit,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QPushButton,
    QSpinBox,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from motcua.domain.clock import now
from motcua.i18n import tr
from motcua.services import accounts as auth
from motcua.services import official_calendar
from motcua.services.changes import Changes
from motcua.services.official_calendar import CalendarDay
from motcua.services.validation import ValidationFailed
from motcua.ui.context import AppContext
from motcua.ui.widgets.fitting import fit_size

PERMISSION = auth.EDIT_SETTINGS
WEEKDAYS = ("Thứ Hai", "Thứ Ba", "Thứ Tư", "Thứ Năm", "Thứ Sáu", "Thứ Bảy", "Chủ nhật")
HEADERS = ("Ngày", "Thứ", "Làm việc / nghỉ", "Lý do", "Căn cứ")


class CalendarModel(QAbstractTableModel):
    def __init__(self, parent: QWidget | None = None):
        super().__init__(parent)
        self.days: list[CalendarDay] = []

    def load(self, conn: sqlite3.Connection, year: int) -> None:
        self.beginResetModel()
        self.days = official_calendar.year_days(conn, year)
        self.endResetModel()

    def rowCount(self, parent: QModelIndex | QPersistentModelIndex = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self.days)

    def columnCount(self, parent: QModelIndex | QPersistentModelIndex = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(HEADERS)

    def headerData(self, section: int, orientation: Qt.Orientation, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if orientation == Qt.Orientation.Horizontal and role == Qt.ItemDataRole.DisplayRole:
            return tr(HEADERS[section])
        return None

    def data(self, index: QModelIndex | QPersistentModelIndex, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if role != Qt.ItemDataRole.DisplayRole or not index.isValid():
            return None
        row = self.days[index.row()]
        return (f"{row.day:%d/%m/%Y}", tr(WEEKDAYS[row.day.weekday()]),
                tr("làm việc") if row.working else tr("nghỉ"), row.name,
                row.source if row.set_by_hand else tr("lịch nhà nước"))[index.column()]


def _set_job(me: auth.User, day: date, working: bool, name: str,
             source: str) -> Callable[[sqlite3.Connection], Changes]:
    def job(conn: sqlite3.Connection) -> Changes:
        auth.acting_user(conn, me.username, PERMISSION)   # still an active administrator
        official_calendar.set_day(conn, day, working, name, source)
        return Changes(calendar=True)

    return job


def _unset_job(me: auth.User, day: date) -> Callable[[sqlite3.Connection], Changes]:
    def job(conn: sqlite3.Connection) -> Changes:
        auth.acting_user(conn, me.username, PERMISSION)
        official_calendar.unset_day(conn, day)
        return Changes(calendar=True)

    return job


class CalendarDialog(QDialog):
    def __init__(self, context: AppContext, parent: QWidget | None = None):
        super().__init__(parent)
        self.context = context
        self.setObjectName("calendarDialog")
        self.setWindowTitle(tr("Lịch làm việc chính thức"))
        root = QVBoxLayout(self)
        top = QHBoxLayout()
        self.year = QSpinBox()
        self.year.setRange(2000, 2100)
        self.year.setValue(now().year)
        year_label = QLabel(tr("&Năm"))
        year_label.setBuddy(self.year)
        top.addWidget(year_label)
        top.addWidget(self.year)
        hint = QLabel(tr("Ngày nghỉ trong tuần, ngày làm bù cuối tuần và các ngày đã đặt riêng. "
                         "Giờ làm việc đặt ở trang Cài đặt."))
        hint.setObjectName("muted")
        hint.setWordWrap(True)
        top.addWidget(hint, 1)
        root.addLayout(top)
        self.model = CalendarModel(self)
        self.table = QTableView()
        self.table.setObjectName("calendarTable")
        self.table.setModel(self.model)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.table.verticalHeader().hide()
        header = self.table.horizontalHeader()
        for column in range(len(HEADERS)):
            header.setSectionResizeMode(column, QHeaderView.ResizeMode.Stretch if column == 3
                                        else QHeaderView.ResizeMode.ResizeToContents)
        root.addWidget(self.table, 1)

        form = QFormLayout()
        self.day = QDateEdit()
        self.day.setObjectName("calendarDay")
        self.day.setDisplayFormat("dd/MM/yyyy")
        self.day.setCalendarPopup(True)
        self.day.setDate(QDate.currentDate())
        self.kind = QComboBox()
        self.kind.addItem(tr("Ngày nghỉ"), False)
        self.kind.addItem(tr("Ngày làm việc (làm bù)"), True)
        self.name = QLineEdit()
        self.name.setPlaceholderText(tr("ví dụ: Nghỉ bù Tết"))
        self.source = QLineEdit()
        self.source.setPlaceholderText(tr("văn bản căn cứ, ví dụ: Thông báo số …/TB-BNV"))
        for caption, widget in ((tr("&Ngày"), self.day), (tr("&Loại"), self.kind), (tr("&Lý do"), self.name),
                                (tr("&Căn cứ"), self.source)):
            form.addRow(caption, widget)
        root.addLayout(form)
        self.error = QLabel()
        self.error.setObjectName("fieldError")
        self.error.setWordWrap(True)
        self.error.hide()
        root.addWidget(self.error)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close)
        buttons.button(QDialogButtonBox.StandardButton.Close).setText(tr("Đóng"))
        self.save_button = QPushButton(tr("&Lưu ngày"))
        self.save_button.setProperty("primary", True)
        self.remove_button = QPushButton(tr("&Bỏ khỏi lịch"))
        buttons.addButton(self.save_button, QDialogButtonBox.ButtonRole.ActionRole)
        buttons.addButton(self.remove_button, QDialogButtonBox.ButtonRole.ActionRole)
        self.save_button.clicked.connect(self.save_day)
        self.remove_button.clicked.connect(self.remove_day)
        buttons.rejected.connect(self.reject)
        root.addWidget(buttons)
        editable = context.signed_in.may(PERMISSION)
        for button in (self.save_button, self.remove_button):
            button.setVisible(editable)
        self.year.valueChanged.connect(lambda _y: self.reload())
        self.table.selectionModel().currentRowChanged.connect(lambda current, _prev: self._pick(current.row()))
        self.reload()
        fit_size(self, 820, 600)

    def reload(self) -> None:
        self.model.load(self.context.reader, self.year.value())

    def _pick(self, row: int) -> None:
        if not 0 <= row < len(self.model.days):
            return
        chosen = self.model.days[row]
        self.day.setDate(QDate(chosen.day.year, chosen.day.month, chosen.day.day))
        self.kind.setCurrentIndex(self.kind.findData(chosen.working))
        self.name.setText(chosen.name)
        self.source.setText(chosen.source if chosen.set_by_hand else "")

    def _chosen_day(self) -> date:
        picked = self.day.date()
        return date(picked.year(), picked.month(), picked.day())

    def _failed(self, error: BaseException) -> None:
        if isinstance(error, ValidationFailed):
            self.error.setText("\n".join(error.errors.values()))
        else:
            self.error.setText(str(error))
        self.error.show()

    def _done(self, _changes: Changes) -> None:
        self.error.hide()
        self.reload()

    def _run(self, job: Callable[[sqlite3.Connection], Changes], label: str) -> None:
        try:
            auth.require(self.context.signed_in, PERMISSION)
        except auth.PermissionDenied as exc:
            self._failed(exc)
            return
        self.context.write(job, label=label, on_done=self._done, on_error=self._failed)

    def save_day(self) -> None:
        me = self.context.signed_in   # an empty reason is refused by the service, nothing written
        self._run(_set_job(me, self._chosen_day(), bool(self.kind.currentData()), self.name.text(),
                           self.source.text()), tr("Lưu ngày"))

    def remove_day(self) -> None:
        self._run(_unset_job(self.context.signed_in, self._chosen_day()), tr("Bỏ khỏi lịch"))
