"""USB bundles from the Đồng bộ page: «Xuất gói gửi tỉnh…» and «Nhập gói trả lời…» (administrators only).

The same service as ``motcua sync export`` / ``motcua sync import`` (``motcua.sync.bundle``), run as writer
jobs that check the permission again; the result or the refusal is said in plain Vietnamese on the page.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from PySide6.QtWidgets import QFileDialog, QHBoxLayout, QLabel, QPushButton, QVBoxLayout, QWidget

from motcua.domain.clock import now
from motcua.i18n import tr
from motcua.services import accounts as auth
from motcua.services.accounts import CONNECT_PROVINCE
from motcua.services.changes import Changes
from motcua.sync.bundle import ExportResult, ImportResult, export_bundle, import_reply
from motcua.ui.context import AppContext

ZIP_FILTER = "Gói đồng bộ (*.zip);;Mọi tệp (*)"


def export_job(user: auth.User, data_dir: Path, target: Path) -> Callable[[sqlite3.Connection], ExportResult]:
    def job(conn: sqlite3.Connection) -> ExportResult:
        auth.acting_user(conn, user.username, CONNECT_PROVINCE)   # still an active administrator
        return export_bundle(conn, data_dir, target)

    return job


@dataclass(frozen=True)
class ImportDone:
    result: ImportResult
    changes: Changes   # the writer publishes it: pages redraw the dossiers and the sync counts


def import_job(user: auth.User, source: Path) -> Callable[[sqlite3.Connection], ImportDone]:
    def job(conn: sqlite3.Connection) -> ImportDone:
        auth.acting_user(conn, user.username, CONNECT_PROVINCE)
        return ImportDone(import_reply(conn, source), Changes(dossiers=True, sync=True))

    return job


class BundleActions(QWidget):
    """Two buttons and the last result."""

    def __init__(self, context: AppContext, parent: QWidget | None = None):
        super().__init__(parent)
        self.context = context
        self.setObjectName("bundleActions")
        box = QVBoxLayout(self)
        box.setContentsMargins(0, 0, 0, 0)
        row = QHBoxLayout()
        self.export_button = QPushButton(tr("Xuất gói gửi tỉnh…"))
        self.export_button.setObjectName("exportBundle")
        self.export_button.clicked.connect(self.export)
        self.import_button = QPushButton(tr("Nhập gói trả lời…"))
        self.import_button.setObjectName("importReply")
        self.import_button.clicked.connect(self.import_reply)
        row.addWidget(self.export_button)
        row.addWidget(self.import_button)
        row.addStretch(1)
        box.addLayout(row)
        self.result = QLabel(tr("Không có mạng: xuất gói ra USB, mang tới máy chủ tỉnh, rồi nhập gói trả lời."))
        self.result.setObjectName("muted")
        self.result.setWordWrap(True)
        box.addWidget(self.result)

    def _say(self, text: str, *, error: bool = False) -> None:
        self.result.setObjectName("errorText" if error else "muted")
        self.result.style().unpolish(self.result)
        self.result.style().polish(self.result)
        self.result.setText(text)

    def _allowed(self) -> auth.User | None:
        user = self.context.signed_in
        try:
            auth.require(user, CONNECT_PROVINCE)
        except auth.PermissionDenied as exc:
            self._say(str(exc), error=True)
            return None
        return user

    def export(self) -> None:
        user = self._allowed()
        if user is None:
            return
        suggested = Path.home() / f"motcua-goi-{now():%Y%m%d-%H%M}.zip"
        name, _filter = QFileDialog.getSaveFileName(self, tr("Lưu gói gửi tỉnh"), str(suggested), tr(ZIP_FILTER))
        if not name:
            return
        self.context.write(export_job(user, self.context.data_dir, Path(name)), label=tr("Xuất gói gửi tỉnh"),
                           on_done=lambda result: self._say(" ".join(result.summary())),
                           on_error=lambda error: self._say(str(error), error=True))

    def import_reply(self) -> None:
        user = self._allowed()
        if user is None:
            return
        name, _filter = QFileDialog.getOpenFileName(self, tr("Chọn gói trả lời của tỉnh"), str(Path.home()),
                                                    tr(ZIP_FILTER))
        if not name:
            return
        self.context.write(import_job(user, Path(name)), label=tr("Nhập gói trả lời"),
                           on_done=self._imported, on_error=lambda error: self._say(str(error), error=True))

    def _imported(self, done: ImportDone) -> None:
        self._say(done.result.summary())
