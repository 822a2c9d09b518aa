"""Đồng bộ: what this workstation still has to send, and the sync status when sync is installed."""

from __future__ import annotations

import importlib
from collections.abc import Mapping
from typing import Any

from PySide6.QtWidgets import QFormLayout, QFrame, QLabel, QVBoxLayout, QWidget

from motcua.i18n import tr
from motcua.services.changes import Changes
from motcua.ui.context import AppContext

NOT_CONFIGURED = "chưa cấu hình"


def sync_status(context: AppContext) -> Mapping[str, Any] | str | None:
    """Ask ``motcua.sync.status`` (the sync engineer's module) if it is installed."""
    try:
        module = importlib.import_module("motcua.sync.status")
    except ImportError as exc:
        if exc.name not in ("motcua.sync.status", "motcua.sync"):
            raise
        return None
    for name in ("status", "sync_status", "current_status"):
        fn = getattr(module, name, None)
        if callable(fn):
            result = fn(context.reader)
            if hasattr(result, "__dataclass_fields__"):
                from dataclasses import asdict

                result = asdict(result)
            return result if isinstance(result, Mapping) else str(result)
    return None


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
        card = QFrame()
        card.setObjectName("card")
        card.setMaximumWidth(720)
        self.form = QFormLayout(card)
        self.form.setHorizontalSpacing(24)
        root.addWidget(card)
        note = QLabel(tr("Mọi thao tác được lưu ngay trên máy này, kể cả khi mất mạng. Khi có kết nối, "
                         "các thay đổi chưa gửi sẽ được gửi lên hệ thống của tỉnh theo đúng thứ tự."))
        note.setObjectName("muted")
        note.setWordWrap(True)
        root.addWidget(note)
        root.addStretch(1)
        context.bus.changed.connect(self.on_changes)
        self.refresh()

    def on_changes(self, changes: Changes) -> None:
        if changes.sync or changes.dossiers or changes.dossier_ids:
            self.refresh()

    def refresh(self) -> None:
        while self.form.rowCount():
            self.form.removeRow(0)
        counts = dict(self.context.reader.execute(
            "SELECT sync_state, count(*) FROM events GROUP BY sync_state").fetchall())
        self.form.addRow(tr("Thay đổi chưa gửi:"), _number(counts.get("pending", 0)))
        self.form.addRow(tr("Đã gửi lên tỉnh:"), _number(counts.get("sent", 0)))
        self.form.addRow(tr("Bị hệ thống tỉnh từ chối:"), _number(counts.get("quarantined", 0)))
        self.form.addRow(tr("Nhận từ nơi khác:"), _number(counts.get("remote", 0)))
        status = sync_status(self.context)
        if status is None:
            self.state.setText(tr("Trạng thái đồng bộ: {s}.", s=tr(NOT_CONFIGURED)))
        elif isinstance(status, str):
            self.state.setText(tr("Trạng thái đồng bộ: {s}", s=status))
        else:
            self.state.setText(tr("Trạng thái đồng bộ:"))
            for key, value in status.items():
                self.form.addRow(f"{key}:", QLabel(str(value)))
