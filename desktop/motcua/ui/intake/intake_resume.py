"""The bar offering to resume an unfinished intake (after closing the app or a crash)."""

from __future__ import annotations

from PySide6.QtCore import Signal
from PySide6.QtWidgets import QFrame, QHBoxLayout, QLabel, QPushButton, QWidget

from motcua.i18n import tr
from motcua.services.drafts import Draft
from motcua.ui._adapters import escape
from motcua.ui.intake.intake_state import IntakeState
from motcua.ui.qtcompat import emit


class ResumeBar(QFrame):
    """Shows the newest offered draft; emits ``resume(draft)`` (Alt+P) or ``discard(draft)`` (Alt+X)."""

    resume = Signal(object)
    discard = Signal(object)

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setFrameShape(QFrame.Shape.StyledPanel)
        self.setStyleSheet("QFrame { background: #e3f2fd; }")
        self.offered: Draft | None = None
        self.text = QLabel()
        self.text.setWordWrap(True)
        self.resume_button = QPushButton(tr("Tiế&p tục nhập"))
        self.discard_button = QPushButton(tr("&Xóa bản nháp"))
        self.resume_button.clicked.connect(lambda: self._emit(self.resume))
        self.discard_button.clicked.connect(lambda: self._emit(self.discard))
        row = QHBoxLayout(self)
        row.addWidget(self.text, 1)
        row.addWidget(self.resume_button)
        row.addWidget(self.discard_button)
        self.hide()

    def offer(self, drafts: list[Draft]) -> None:
        """Offer the first of ``drafts`` (newest first) and say how many more there are."""
        found = [d for d in drafts if not IntakeState.from_dict(d.data).is_blank]
        self.offered = found[0] if found else None
        if self.offered is None:
            self.hide()
            return
        state = IntakeState.from_dict(self.offered.data)
        who = state.name or state.id_number or tr("chưa có tên người nộp")
        what = state.procedure_name or tr("chưa chọn thủ tục")
        more = tr(" (còn {n} bản nháp khác)", n=len(found) - 1) if len(found) > 1 else ""
        self.text.setText(tr("Có hồ sơ đang nhập dở: <b>{who}</b> — {what}, lưu lúc {when}.{more}",
                             who=escape(who), what=escape(what), when=self.offered.updated_at[11:16], more=more))
        self.show()  # the focus stays where the official is typing; Alt+P / Alt+X act on the offer

    def _emit(self, signal: Signal) -> None:  # type: ignore[type-arg]
        draft, self.offered = self.offered, None
        if draft is not None:
            self.hide()
            emit(signal, draft)
