"""A citizen asks what the desk holds about them: type the ID number, see every dossier, export the sheet as PDF.

Reads with the GUI's read connection; the PDF and the disclosure events (one per dossier) are written by the
writer thread.
"""

from __future__ import annotations

import sqlite3
from html import escape
from pathlib import Path
from typing import Any

from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QFileDialog,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QTextBrowser,
    QVBoxLayout,
    QWidget,
)

from motcua.i18n import tr
from motcua.privacy.access import AccessReport, BadIdNumber, access_report
from motcua.privacy.access_pdf import render_access_pdf
from motcua.services.disclosure import record_disclosure
from motcua.ui.context import AppContext


def report_html(report: AccessReport) -> str:
    if not report.dossiers:
        return f"<p>{escape(tr('Không có hồ sơ nào chứa số định danh {n}.', n=report.id_number))}</p>"
    parts = [f"<p><b>{escape(tr('Số định danh {n}: {c} hồ sơ.', n=report.id_number, c=len(report.dossiers)))}"
             "</b></p>"]
    for held in report.dossiers:
        a = held.applicant
        facts = ", ".join(escape(v) for v in (a.get("name"), a.get("phone"), a.get("address")) if v)
        parts.append(f"<p><b>{escape(held.code or held.id)}</b> — {escape(held.procedure)} — {escape(held.status)}"
                     f"<br/>{facts}<br/>"
                     + escape(tr("{t} thao tác, {f} tệp, {d} lần in/xuất", t=len(held.timeline),
                                 f=len(held.files), d=len(held.disclosures)))
                     + (escape(tr("; đã gửi lên tỉnh")) if held.sent_to_hub else "") + "</p>")
    return "".join(parts)


class AccessReportDialog(QDialog):
    def __init__(self, context: AppContext, parent: QWidget | None = None):
        super().__init__(parent)
        self.context = context
        self.report: AccessReport | None = None
        self.setWindowTitle(tr("Thông tin cá nhân đang lưu giữ"))
        self.resize(640, 480)
        box = QVBoxLayout(self)
        box.addWidget(QLabel(tr("Khi người dân yêu cầu biết thông tin của mình đang được lưu giữ: nhập số định "
                                "danh, xem mọi hồ sơ có số này và in ra để trao cho họ.")))
        row = QHBoxLayout()
        self.id_number = QLineEdit()
        self.id_number.setPlaceholderText(tr("Số CCCD (12 chữ số) hoặc CMND (9 chữ số)"))
        self.search = QPushButton(tr("Tìm"))
        row.addWidget(self.id_number, 1)
        row.addWidget(self.search)
        box.addLayout(row)
        self.result = QTextBrowser()
        box.addWidget(self.result, 1)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close)
        self.export = buttons.addButton(tr("Xuất PDF để in…"), QDialogButtonBox.ButtonRole.ActionRole)
        self.export.setEnabled(False)
        buttons.rejected.connect(self.reject)
        box.addWidget(buttons)
        self.search.clicked.connect(self.find)
        self.id_number.returnPressed.connect(self.find)
        self.export.clicked.connect(self.export_pdf)

    def find(self) -> None:
        try:
            self.report = access_report(self.context.reader, self.id_number.text())
        except BadIdNumber as exc:
            self.report = None
            self.result.setPlainText(str(exc))
        else:
            self.result.setHtml(report_html(self.report))
        self.export.setEnabled(bool(self.report and self.report.dossiers))

    def export_pdf(self, target: str | None = None) -> None:
        report = self.report
        if report is None or not report.dossiers:
            return
        path = target or QFileDialog.getSaveFileName(self, tr("Xuất PDF"), f"thong-tin-{report.id_number}.pdf",
                                                     "PDF (*.pdf)")[0]
        if not path:
            return
        actor = self.context.signed_in.username

        def job(conn: sqlite3.Connection) -> Any:
            Path(path).write_bytes(render_access_pdf(conn, report))
            for held in report.dossiers:
                record_disclosure(conn, held.id, actor, tr("báo cáo thông tin cá nhân đang lưu giữ"),
                                  channel="pdf", recipient=tr("người có số định danh"))
            return path

        self.context.runner.submit(job, on_done=lambda _: self.result.append(
            escape(tr("Đã ghi {path}.", path=path))), label=tr("Xuất thông tin cá nhân"))


def open_access_report(context: AppContext, parent: QWidget | None = None) -> None:
    AccessReportDialog(context, parent).exec()
