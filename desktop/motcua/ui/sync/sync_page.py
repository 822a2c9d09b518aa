"""Đồng bộ: what this workstation still has to send, and the sync status.

A desk not yet enrolled says so plainly («Chưa kết nối với tỉnh»); an administrator connects it from here
(``enroll_dialog.EnrollDialog``), after which the background sync starts and the normal status shows.
An administrator also disconnects an enrolled desk from here («Ngắt kết nối với tỉnh…»): after a
confirmation that says what is kept, the background sync stops and ``motcua.sync.disconnect`` runs as a
writer job (the role checked again inside it); the page then shows its «Chưa kết nối» state.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from PySide6.QtGui import QKeySequence, QShortcut
from PySide6.QtWidgets import (
    QFormLayout,
    QFrame,
    QHBoxLayout,
    QLabel,
    QMessageBox,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from motcua.i18n import tr
from motcua.services import accounts as auth
from motcua.services.accounts import CONNECT_PROVINCE, PermissionDenied
from motcua.services.changes import Changes
from motcua.sync.status import Overview, overview
from motcua.ui.context import AppContext
from motcua.ui.sync.bundle_actions import BundleActions


def sync_overview(context: AppContext) -> Overview:
    """The sync client's overview of this desk (enrolled or not, what is pending, the last round)."""
    return overview(context.reader)


def _moment(text: str | None) -> str:
    if not text:
        return tr("chưa có")
    from motcua.domain.clock import moment_label

    return moment_label(text)


@dataclass(frozen=True)
class DisconnectDone:
    """What the writer job returns: the service's report, and the Changes the views redraw for."""

    result: Any                    # motcua.sync.disconnect.Disconnected
    changes: Changes


def disconnect_job(user: auth.User) -> Callable[[sqlite3.Connection], DisconnectDone]:
    """The writer job: the role again, then the one disconnection service (the scheduler is already stopped)."""

    def job(conn: sqlite3.Connection) -> DisconnectDone:
        from motcua.sync.disconnect import disconnect

        auth.require(user, CONNECT_PROVINCE)
        result = disconnect(conn)
        # Every dossier's sync badge may change (acknowledgements of the old hub are pending again).
        return DisconnectDone(result, Changes(dossiers=True, sync=True))

    return job


def disconnect_message(hub_url: str, unsent: int, resend: int) -> tuple[str, str]:
    """(question, details) of the confirmation, in plain Vietnamese: what is kept and what is not."""
    question = tr("Ngắt kết nối máy này với hệ thống của tỉnh ({url})?", url=hub_url)
    kept = tr("Được giữ lại: toàn bộ hồ sơ, thao tác, bản nháp và tệp đính kèm trên máy này. "
              "{n} thay đổi chưa gửi sẽ được giữ lại và gửi khi kết nối lại.", n=f"{unsent:,}".replace(",", "."))
    if resend:
        kept += " " + tr("{n} thay đổi đã gửi cũng sẽ được gửi lại khi kết nối; hệ thống của tỉnh tự nhận ra những "
                         "gì đã có nên không bị trùng.", n=f"{resend:,}".replace(",", "."))
    gone = tr("Không còn: địa chỉ máy chủ và khóa truy cập của máy này. Máy ngừng đồng bộ cho đến khi quản trị kết "
              "nối lại bằng mã đăng ký mới do tỉnh cấp. Hãy báo tỉnh thu hồi máy cũ.")
    return question, kept + "\n\n" + gone


def _number(value: int) -> QLabel:
    label = QLabel(f"{value:,}".replace(",", "."))
    label.setObjectName("sectionTitle")
    return label


class SyncPage(QWidget):
    def __init__(self, context: AppContext, parent: QWidget | None = None):
        super().__init__(parent)
        self.context = context
        self.setObjectName("syncPage")
        root = QVBoxLayout(self)
        root.setContentsMargins(20, 16, 20, 16)
        root.setSpacing(12)
        title = QLabel(tr("Đồng bộ với hệ thống của tỉnh"))
        title.setObjectName("pageTitle")
        root.addWidget(title)
        self.state = QLabel()
        self.state.setObjectName("syncState")
        self.state.setWordWrap(True)
        root.addWidget(self.state)
        self.not_connected = self._not_connected_panel()
        root.addWidget(self.not_connected)
        card = QFrame()
        card.setObjectName("card")
        card.setMaximumWidth(720)
        self.form = QFormLayout(card)
        self.form.setHorizontalSpacing(24)
        root.addWidget(card)
        self.sync_button = QPushButton(tr("Đồng bộ ngay (F9)"))
        self.sync_button.setMaximumWidth(240)
        self.sync_button.clicked.connect(self.sync_now)
        QShortcut(QKeySequence("F9"), self, activated=self.sync_now)
        self.disconnect_button = QPushButton(tr("Ngắt kết nối với tỉnh…"))
        self.disconnect_button.setObjectName("disconnectProvince")
        self.disconnect_button.clicked.connect(self.disconnect_from_province)
        self.confirm_box: QMessageBox | None = None
        buttons = QHBoxLayout()
        buttons.addWidget(self.sync_button)
        buttons.addStretch(1)
        buttons.addWidget(self.disconnect_button)
        row = QWidget()
        row.setMaximumWidth(720)
        row.setLayout(buttons)
        buttons.setContentsMargins(0, 0, 0, 0)
        root.addWidget(row)
        self.bundles = BundleActions(context)
        self.bundles.setMaximumWidth(720)
        root.addWidget(self.bundles)
        from motcua.ui.sync.conflicts_panel import ConflictsPanel

        self.conflicts = ConflictsPanel(context)
        root.addWidget(self.conflicts, 1)
        note = QLabel(tr("Mọi thao tác được lưu ngay trên máy này, kể cả khi mất mạng. Khi có kết nối, "
                         "các thay đổi chưa gửi sẽ được gửi lên hệ thống của tỉnh theo đúng thứ tự."))
        note.setObjectName("muted")
        note.setWordWrap(True)
        root.addWidget(note)
        root.addStretch(1)
        context.bus.changed.connect(self.on_changes)
        self.refresh()

    def _not_connected_panel(self) -> QFrame:
        panel = QFrame()
        panel.setObjectName("notConnected")
        panel.setMaximumWidth(720)
        box = QVBoxLayout(panel)
        box.setContentsMargins(16, 14, 16, 14)
        box.setSpacing(8)
        self.not_connected_title = QLabel(tr("Chưa kết nối với tỉnh"))
        self.not_connected_title.setObjectName("sectionTitle")
        box.addWidget(self.not_connected_title)
        text = QLabel(tr("Máy này chưa được đăng ký với hệ thống của tỉnh: hồ sơ và thao tác hiện chỉ lưu trên "
                         "máy này, tỉnh chưa nhận được gì."))
        text.setWordWrap(True)
        box.addWidget(text)
        may_connect = self.context.user is not None and self.context.user.may(CONNECT_PROVINCE)
        self.connect_button = QPushButton(tr("Kết nối với hệ thống của tỉnh…"))
        self.connect_button.setObjectName("connectProvince")
        self.connect_button.setProperty("primary", True)
        self.connect_button.setMaximumWidth(320)
        self.connect_button.clicked.connect(self.connect_to_province)
        self.connect_button.setVisible(may_connect)
        self.connect_button.setEnabled(may_connect)
        how = QLabel(tr("Cần có địa chỉ máy chủ và mã đăng ký do tỉnh cấp (dạng K7QM-4XPA-93HT)." if may_connect else
                        "Chỉ tài khoản quản trị hệ thống được kết nối máy này với tỉnh; hãy báo quản trị "
                        "hoặc cán bộ hỗ trợ kỹ thuật."))
        how.setObjectName("muted")
        how.setWordWrap(True)
        box.addWidget(how)
        box.addWidget(self.connect_button)
        panel.hide()
        return panel

    def on_changes(self, changes: Changes) -> None:
        if changes.sync or changes.dossiers or changes.dossier_ids:
            self.refresh()

    def refresh(self) -> None:
        self.conflicts.refresh()
        while self.form.rowCount():
            self.form.removeRow(0)
        counts = dict(self.context.reader.execute(
            "SELECT sync_state, count(*) FROM events GROUP BY sync_state").fetchall())
        self.form.addRow(tr("Thay đổi chưa gửi:"), _number(counts.get("pending", 0)))
        self.form.addRow(tr("Đã gửi lên tỉnh:"), _number(counts.get("sent", 0)))
        self.form.addRow(tr("Bị hệ thống tỉnh từ chối:"), _number(counts.get("quarantined", 0)))
        self.form.addRow(tr("Nhận từ nơi khác:"), _number(counts.get("remote", 0)))
        info = sync_overview(self.context)
        self.state.setText(info.headline)
        self.sync_button.setEnabled(info.enrolled)
        self.sync_button.setVisible(info.enrolled)
        may_disconnect = info.enrolled and self.context.user is not None and self.context.user.may(CONNECT_PROVINCE)
        self.disconnect_button.setVisible(may_disconnect)
        self.disconnect_button.setEnabled(may_disconnect)
        self.bundles.setVisible(may_disconnect)   # USB bundles: an enrolled desk's administrator
        self.state.setVisible(info.enrolled)
        self.not_connected.setVisible(not info.enrolled)
        if not info.enrolled:
            return
        self.form.addRow(tr("Máy chủ của tỉnh:"), QLabel(info.hub_url or ""))
        self.form.addRow(tr("Đồng bộ thành công lần cuối:"), QLabel(_moment(info.last_success)))
        self.form.addRow(tr("Lần thử gần nhất:"), QLabel(_moment(info.last_attempt)))
        if info.last_error:
            error = QLabel(info.last_error)
            error.setObjectName("errorText")
            error.setWordWrap(True)
            self.form.addRow(tr("Lỗi gần nhất:"), error)
        self.form.addRow(tr("Xung đột cần xử lý:"), _number(info.open_conflicts))
        self.form.addRow(tr("Tệp đính kèm chờ gửi:"), _number(info.files_waiting))
        for warning in info.warnings:
            label = QLabel(warning)
            label.setObjectName("errorText")
            label.setWordWrap(True)
            self.form.addRow(tr("Lưu ý:"), label)

    def connect_to_province(self) -> QWidget | None:
        """Open «Kết nối với hệ thống của tỉnh» (administrators); the page redraws once the desk is enrolled."""
        user = self.context.signed_in
        if not user.may(CONNECT_PROVINCE):
            from motcua.ui.widgets.dialogs import show_error

            show_error(self, PermissionDenied(tr("Chỉ quản trị hệ thống được kết nối máy này với tỉnh.")))
            return None
        from motcua.ui.sync.enroll_dialog import EnrollDialog

        dialog = EnrollDialog(self.context, self)
        dialog.enrolled.connect(self.on_enrolled)
        dialog.open()
        return dialog

    def on_enrolled(self, result: Any) -> None:
        """Enrolled: start the background sync as sign-in does on an enrolled desk, and show the status."""
        from motcua.ui.sync.sync_service import SyncService

        SyncService.of(self.context).start()
        self.refresh()

    def disconnect_from_province(self) -> QMessageBox | None:
        """Ask (administrators); on «Ngắt kết nối» stop the background sync and run the service as a writer job."""
        user = self.context.signed_in
        if not user.may(CONNECT_PROVINCE):
            from motcua.ui.widgets.dialogs import show_error

            show_error(self, PermissionDenied(tr("Chỉ quản trị hệ thống được ngắt kết nối máy này với tỉnh.")))
            return None
        info = sync_overview(self.context)
        if not info.enrolled:
            self.refresh()
            return None
        question, details = disconnect_message(info.hub_url or "", info.pending, info.sent)
        box = QMessageBox(QMessageBox.Icon.Warning, tr("Ngắt kết nối với tỉnh"), question,
                          QMessageBox.StandardButton.Yes | QMessageBox.StandardButton.Cancel, self)
        box.setObjectName("disconnectConfirm")
        box.setInformativeText(details)
        box.button(QMessageBox.StandardButton.Yes).setText(tr("Ngắt kết nối"))
        box.button(QMessageBox.StandardButton.Cancel).setText(tr("Hủy"))
        box.setDefaultButton(QMessageBox.StandardButton.Cancel)
        box.finished.connect(lambda _answer: self._on_confirm(box))
        self.confirm_box = box
        box.open()
        return box

    def _on_confirm(self, box: QMessageBox) -> None:
        self.confirm_box = None
        confirmed = box.clickedButton() is box.button(QMessageBox.StandardButton.Yes)
        box.deleteLater()
        if not confirmed:
            return
        service = self.context.sync_service
        if service is not None:
            service.stop()  # as at sign-out: no round may run while the enrolment goes away
        self.disconnect_button.setEnabled(False)
        self.context.runner.submit(disconnect_job(self.context.signed_in), on_done=self._disconnected,
                                   on_error=self._disconnect_failed, label=tr("Ngắt kết nối với tỉnh"))

    def _disconnected(self, done: DisconnectDone) -> None:
        self.refresh()

    def _disconnect_failed(self, error: BaseException) -> None:
        from motcua.sync.errors import SyncError
        from motcua.ui.sync.sync_service import SyncService
        from motcua.ui.widgets.dialogs import show_error

        self.refresh()
        if SyncService.enrolled(self.context):
            SyncService.of(self.context).start()  # still enrolled (e.g. refused): the background sync goes on
        if isinstance(error, SyncError):  # e.g. the keyring would not let go: said plainly, with what to do
            QMessageBox.warning(self, tr("Chưa ngắt kết nối xong"), str(error))
            return
        show_error(self, error)

    def sync_now(self) -> None:
        service = self.context.sync_service
        if service is not None and service.sync_now():
            self.state.setText(tr("Đang đồng bộ…"))
