"""Nhập danh mục thủ tục: a file picker, the preview of what would change, then apply (administrators only).

The same catalog importer as ``motcua catalog import`` (``plan_import`` then ``apply_plan``): the plan is read
on the GUI's read connection and shown; nothing is written until «Nhập vào danh mục», which runs in the writer
after checking the permission again (a plan the store has outrun since is refused there, nothing written).
"""

from __future__ import annotations

import sqlite3
from collections.abc import Callable
from pathlib import Path

from PySide6.QtGui import QFontDatabase
from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QFileDialog,
    QLabel,
    QPlainTextEdit,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from motcua.catalog.importer import ImportPlan, apply_plan, plan_import
from motcua.i18n import tr
from motcua.services import accounts as auth
from motcua.services.changes import Changes
from motcua.ui.context import AppContext
from motcua.ui.widgets.fitting import fit_size

PERMISSION = auth.EDIT_SETTINGS
FILTER = "Danh mục thủ tục (*.xlsx *.csv *.json *.json.gz);;Mọi tệp (*)"


def apply_job(user: auth.User, plan: ImportPlan) -> Callable[[sqlite3.Connection], Changes]:
    def job(conn: sqlite3.Connection) -> Changes:
        auth.acting_user(conn, user.username, PERMISSION)   # still an active administrator
        apply_plan(conn, plan)
        return Changes(catalog=True)

    return job


class CatalogImportDialog(QDialog):
    def __init__(self, context: AppContext, parent: QWidget | None = None):
        super().__init__(parent)
        self.context = context
        self.plan: ImportPlan | None = None
        self.setObjectName("catalogImportDialog")
        self.setWindowTitle(tr("Nhập danh mục thủ tục"))
        root = QVBoxLayout(self)
        intro = QLabel(tr("Chọn tệp danh mục (bảng tính của tỉnh hoặc bản sao bản ghi quốc gia). Phần mềm cho xem "
                          "trước những gì sẽ thay đổi; chỉ khi bấm «Nhập vào danh mục» mới ghi."))
        intro.setWordWrap(True)
        root.addWidget(intro)
        self.choose_button = QPushButton(tr("&Chọn tệp…"))
        self.choose_button.clicked.connect(self.choose)
        root.addWidget(self.choose_button)
        self.preview = QPlainTextEdit()
        self.preview.setObjectName("catalogPreview")
        self.preview.setReadOnly(True)
        self.preview.setFont(QFontDatabase.systemFont(QFontDatabase.SystemFont.FixedFont))
        root.addWidget(self.preview, 1)
        self.status = QLabel()
        self.status.setWordWrap(True)
        root.addWidget(self.status)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close)
        buttons.button(QDialogButtonBox.StandardButton.Close).setText(tr("Đóng"))
        self.apply_button = QPushButton(tr("&Nhập vào danh mục"))
        self.apply_button.setProperty("primary", True)
        self.apply_button.setEnabled(False)
        self.apply_button.clicked.connect(self.apply)
        buttons.addButton(self.apply_button, QDialogButtonBox.ButtonRole.ActionRole)
        buttons.rejected.connect(self.reject)
        root.addWidget(buttons)
        fit_size(self, 800, 600)

    def _say(self, text: str, *, error: bool = False) -> None:
        self.status.setObjectName("fieldError" if error else "")
        self.status.style().unpolish(self.status)
        self.status.style().polish(self.status)
        self.status.setText(text)

    def _allowed(self) -> auth.User | None:
        user = self.context.signed_in
        try:
            auth.require(user, PERMISSION)
        except auth.PermissionDenied as exc:
            self._say(str(exc), error=True)
            return None
        return user

    def choose(self) -> None:
        if self._allowed() is None:
            return
        name, _filter = QFileDialog.getOpenFileName(self, tr("Chọn tệp danh mục"), str(Path.home()), tr(FILTER))
        if name:
            self.show_plan(Path(name))

    def show_plan(self, path: Path) -> None:
        self.plan = plan_import(self.context.reader, path)   # reads only: nothing is written
        self.preview.setPlainText(self.plan.preview())
        self.apply_button.setEnabled(self.plan.ok and bool(self.plan.changes))
        if not self.plan.ok:
            self._say(tr("Tệp có lỗi: không nhập gì. Sửa tệp rồi chọn lại."), error=True)
        elif not self.plan.changes:
            self._say(tr("Danh mục đã có đủ những gì trong tệp: không có gì để nhập."))
        else:
            self._say(tr("Xem kỹ phần xem trước rồi bấm «Nhập vào danh mục»."))

    def apply(self) -> None:
        user, plan = self._allowed(), self.plan
        if user is None or plan is None or not plan.ok:
            return
        self.apply_button.setEnabled(False)
        self.context.write(apply_job(user, plan), label=tr("Nhập danh mục"),
                           on_done=lambda _c: self._say(tr("Đã nhập {n} thủ tục vào danh mục.",
                                                           n=len(plan.changes))),
                           on_error=lambda error: self._say(str(error), error=True))
