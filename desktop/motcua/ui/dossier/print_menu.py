"""«In biểu mẫu»: the papers a dossier can print (``services.papers`` decides which), each opened in the
print preview first; the supplement request's items typed in a small dialog when its event has none; and
the tracking book (Sổ theo dõi hồ sơ) for a range of days, from the dossier list.
"""

from __future__ import annotations

import sqlite3
from datetime import date

from PySide6.QtCore import QDate
from PySide6.QtWidgets import (
    QDateEdit,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QLabel,
    QMenu,
    QPlainTextEdit,
    QVBoxLayout,
    QWidget,
)

from motcua.domain.clock import now
from motcua.domain.projection import DossierRecord
from motcua.forms.content import ContentError
from motcua.forms.formsets import FormNotInSet, UnknownFormSet
from motcua.i18n import tr
from motcua.services.changes import Changes
from motcua.services.disclosure import record_disclosure
from motcua.services.papers import Paper, book_file_name, paper_pdf, papers_for, tracking_book_pdf
from motcua.ui.context import AppContext
from motcua.ui.widgets import formatting
from motcua.ui.widgets.dialogs import show_error
from motcua.ui.widgets.print_preview import PrintPreview

PAPER_ERRORS = (ContentError, FormNotInSet, UnknownFormSet)


class SupplementItemsDialog(QDialog):
    """The papers the applicant must add, one per line, for a supplement request that lists none."""

    def __init__(self, code: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle(tr("Giấy tờ cần bổ sung — {code}", code=code))
        self.setObjectName("supplementItemsDialog")
        box = QVBoxLayout(self)
        caption = QLabel(tr("&Giấy tờ cần bổ sung, hoàn thiện (mỗi dòng một giấy tờ):"))
        self.items_edit = QPlainTextEdit()
        self.items_edit.setTabChangesFocus(True)
        caption.setBuddy(self.items_edit)
        self.error = QLabel()
        self.error.setObjectName("fieldError")
        self.error.hide()
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel)
        buttons.button(QDialogButtonBox.StandardButton.Ok).setText(tr("Xem trước"))
        buttons.button(QDialogButtonBox.StandardButton.Cancel).setText(tr("Hủy"))
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)
        for widget in (caption, self.items_edit, self.error, buttons):
            box.addWidget(widget)
        self.resize(520, 260)

    def items(self) -> list[str]:
        return [line.strip() for line in self.items_edit.toPlainText().splitlines() if line.strip()]

    def accept(self) -> None:
        if not self.items():
            self.error.setText(tr("Nhập ít nhất một giấy tờ cần bổ sung."))
            self.error.show()
            self.items_edit.setFocus()
            return
        super().accept()


class TrackingBookDialog(QDialog):
    """Sổ theo dõi hồ sơ: the first and last day of reception (this month so far by default)."""

    def __init__(self, context: AppContext, parent: QWidget | None = None, today: date | None = None) -> None:
        super().__init__(parent)
        self.context = context
        self.book_preview: PrintPreview | None = None
        self.setWindowTitle(tr("In sổ theo dõi hồ sơ"))
        self.setObjectName("trackingBookDialog")
        day = today or now().date()
        self.date_from = QDateEdit(QDate(day.year, day.month, 1))
        self.date_to = QDateEdit(QDate(day.year, day.month, day.day))
        for edit in (self.date_from, self.date_to):
            edit.setCalendarPopup(True)
            edit.setDisplayFormat("dd/MM/yyyy")
        form = QFormLayout()
        form.addRow(tr("&Từ ngày:"), self.date_from)
        form.addRow(tr("Đế&n ngày:"), self.date_to)
        self.error = QLabel()
        self.error.setObjectName("fieldError")
        self.error.hide()
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel)
        buttons.button(QDialogButtonBox.StandardButton.Ok).setText(tr("Xem trước"))
        buttons.button(QDialogButtonBox.StandardButton.Cancel).setText(tr("Hủy"))
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)
        box = QVBoxLayout(self)
        box.addWidget(QLabel(tr("Các hồ sơ tiếp nhận trong khoảng ngày:")))
        box.addLayout(form)
        box.addWidget(self.error)
        box.addWidget(buttons)
        self.accepted.connect(self.show_book)

    def period(self) -> tuple[date, date]:
        return self.date_from.date().toPython(), self.date_to.date().toPython()

    def accept(self) -> None:
        start, end = self.period()
        if end < start:
            self.error.setText(tr("Ngày kết thúc phải sau ngày bắt đầu."))
            self.error.show()
            self.date_to.setFocus()
            return
        super().accept()

    def show_book(self) -> None:
        start, end = self.period()
        owner = self.parentWidget() or self
        try:
            pdf = tracking_book_pdf(self.context.reader, start, end)
        except PAPER_ERRORS as error:
            show_error(owner, error)
            return
        title = tr("Sổ theo dõi hồ sơ {a} – {b}", a=f"{start:%d/%m/%Y}", b=f"{end:%d/%m/%Y}")
        self.book_preview = preview(pdf, title, book_file_name(start, end), owner)


def preview(pdf: bytes, title: str, file_name: str, parent: QWidget) -> PrintPreview:
    shown = PrintPreview(pdf, title, file_name, parent)
    shown.show()
    return shown


class PrintMenu(QMenu):
    """The dossier page's «In biểu mẫu» menu, rebuilt whenever the dossier is redrawn."""

    def __init__(self, context: AppContext, parent: QWidget) -> None:
        super().__init__(parent)
        self.setObjectName("printMenu")
        self.context = context
        self.owner = parent
        self.record: DossierRecord | None = None
        self.papers: list[Paper] = []
        self.items_dialog: SupplementItemsDialog | None = None
        self.last_preview: PrintPreview | None = None

    def show_papers(self, record: DossierRecord) -> None:
        self.clear()
        self.record = record
        self.papers = papers_for(self.context.reader, record)
        for number, paper in enumerate(self.papers, start=1):
            label = paper.label + ("…" if paper.asks_items else "")
            action = self.addAction(f"&{number}. {label}" if number < 10 else label)
            action.triggered.connect(lambda _=False, p=paper: self.open_paper(p))
        if not self.papers:
            self.addAction(tr("Hồ sơ này chưa có giấy tờ nào để in.")).setEnabled(False)

    def paper(self, kind: str, *, filled: bool = False) -> Paper:
        """The first paper of ``kind`` in the menu (tests and shortcuts)."""
        return next(p for p in self.papers if p.kind == kind and (kind != "procedure-form" or p.filled == filled))

    def open_paper(self, paper: Paper) -> None:
        if self.record is None:
            return
        if paper.asks_items:
            dialog = SupplementItemsDialog(formatting.dossier_title(self.record), self.owner)
            dialog.accepted.connect(lambda: self.preview_paper(paper, dialog.items()))
            dialog.finished.connect(lambda _r: setattr(self, "items_dialog", None))
            self.items_dialog = dialog
            dialog.open()
            return
        self.preview_paper(paper)

    def preview_paper(self, paper: Paper, items: list[str] | None = None) -> PrintPreview | None:
        record = self.record
        if record is None:
            return None
        try:
            pdf = paper_pdf(self.context.reader, record, paper, items)
        except PAPER_ERRORS as error:
            show_error(self.owner, error)
            return None
        title = tr("{paper} — {code}", paper=paper.label, code=formatting.dossier_title(record))
        self.last_preview = preview(pdf, title, paper.file_name, self.owner)
        self.last_preview.delivered.connect(lambda channel: self.record_delivery(record.id, paper.label, channel))
        return self.last_preview

    def record_delivery(self, dossier_id: str, what: str, channel: str) -> None:
        """A dossier's paper was printed or saved: record who, what and when on the dossier (writer thread)."""
        actor = self.context.signed_in.username

        def job(conn: sqlite3.Connection) -> Changes:
            record_disclosure(conn, dossier_id, actor, what, channel=channel)
            return Changes(dossier_ids=frozenset({dossier_id}))

        self.context.runner.submit(job, on_error=lambda error: show_error(self.owner, error),
                                   label=tr("Ghi nhận việc in giấy tờ"))


def open_tracking_book(context: AppContext, parent: QWidget) -> TrackingBookDialog:
    """The list page's «In sổ theo dõi…»: ask the days, then preview the book."""
    dialog = TrackingBookDialog(context, parent)
    dialog.open()
    return dialog
