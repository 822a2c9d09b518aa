"""Đồng bộ: what this workstation still has to send, and the sync status when sync is installed.

A desk not yet enrolled says so plainly («Chưa kết nối với tỉnh»); an administrator connects it from here
(``enroll_dialog.EnrollDialog``), after which the background sync starts and the normal status shows.
"""

from __future__ import annotations

from typing import Any

from PySide6.QtGui import QKeySequence, QShortcut
from PySide6.QtWidgets import QFormLayout, QFrame, QLabel, QPushButton, QVBoxLayout, QWidget

from motcua.i18n import tr
from motcua.services.changes import Changes
from motcua.ui.auth import CONNECT_PROVINCE, PermissionDenied
from motcua.ui.context import AppContext

NOT_CONFIGURED = "chưa cấu hình"


def sync_overview(context: AppContext) -> Any | None:
    """The sync client's overview (``motcua.sync.status.overview``), or None when sync is not installed."""
    try:
        from motcua.sync.status import overview
    except ImportError as exc:
        if exc.name not in ("motcua.sync.status", "motcua.sync"):
            raise
        return None
    return overview(context.reader)


def _moment(text: str | None) -> str:
    if not text:
        return tr("chưa có")
    from motcua.domain.clock import parse_moment

    return parse_moment(text).strftime("%H:%M %d/%m/%Y")


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
        root.addWidget(self.sync_button)
        from motcua.ui.conflicts_panel import ConflictsPanel

        self.conflicts = ConflictsPanel(context) if sync_overview(context) is not None else None
        if self.conflicts is not None:
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
        if getattr(self, "conflicts", None) is not None:
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
        if info is None:
            self.state.setText(tr("Trạng thái đồng bộ: {s}.", s=tr(NOT_CONFIGURED)))
            self.sync_button.setEnabled(False)
            return
        self.state.setText(info.headline)
        self.sync_button.setEnabled(info.enrolled)
        self.sync_button.setVisible(info.enrolled)
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
            from motcua.ui.dialogs import show_error

            show_error(self, PermissionDenied(tr("Chỉ quản trị hệ thống được kết nối máy này với tỉnh.")))
            return None
        from motcua.ui.enroll_dialog import EnrollDialog

        dialog = EnrollDialog(self.context, self)
        dialog.enrolled.connect(self.on_enrolled)
        dialog.open()
        return dialog

    def on_enrolled(self, result: Any) -> None:
        """Enrolled: start the background sync as sign-in does on an enrolled desk, and show the status."""
        from motcua.ui.sync_service import SyncService

        SyncService.of(self.context).start()
        self.refresh()

    def sync_now(self) -> None:
        service = getattr(self.context, "sync_service", None)
        if service is not None and service.sync_now():
            self.state.setText(tr("Đang đồng bộ…"))
