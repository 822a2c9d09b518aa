"""The four steps of the intake wizard, each a plain widget the wizard reads and fills."""

from __future__ import annotations

import sqlite3
from collections.abc import Callable

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QKeyEvent
from PySide6.QtWidgets import (
    QComboBox,
    QFormLayout,
    QFrame,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPlainTextEdit,
    QPushButton,
    QSpinBox,
    QVBoxLayout,
    QWidget,
)

from motcua.domain.clock import parse_moment
from motcua.domain.identifiers import check_citizen_id, check_email, check_phone, check_tax_code
from motcua.i18n import tr
from motcua.services.intake import APPLICANT_KINDS
from motcua.ui._adapters import Procedure, escape
from motcua.ui.intake.fee_inputs import FeeInputs
from motcua.ui.intake.intake_checklist import ChecklistModel, ChecklistView
from motcua.ui.intake.intake_state import (
    DocumentChoice,
    DueDate,
    KnownApplicant,
    kind_label,
    missing_required,
    moment_text,
)
from motcua.ui.intake.intake_text import procedure_facts
from motcua.ui.intake.procedure_search import ProcedureSearch
from motcua.ui.qtcompat import emit

OK_STYLE = "color: #1b5e20;"
HINT_STYLE = "color: #555;"
ERROR_STYLE = "color: #b00020; font-weight: bold;"


def heading(text: str) -> QLabel:
    label = QLabel(text)
    label.setObjectName("stepHeading")
    label.setStyleSheet("font-size: 15pt; font-weight: bold; margin-bottom: 4px;")
    return label


def hint(text: str) -> QLabel:
    label = QLabel(text)
    label.setWordWrap(True)
    label.setStyleSheet(HINT_STYLE)
    return label


class ProcedureStep(QWidget):
    def __init__(self, conn: Callable[[], sqlite3.Connection], parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.search = ProcedureSearch(conn, self)
        label = QLabel(tr("&Mã hoặc tên thủ tục:"))
        label.setBuddy(self.search.box)
        self.chosen = QLabel()
        self.chosen.setWordWrap(True)
        self.chosen.setTextFormat(Qt.TextFormat.RichText)
        self.chosen.setFrameShape(QFrame.Shape.StyledPanel)
        self.chosen.setMinimumHeight(64)
        self.chosen.setContentsMargins(8, 6, 8, 6)
        layout = QVBoxLayout(self)
        layout.addWidget(heading(tr("Bước 1. Chọn thủ tục")))
        layout.addWidget(label)
        layout.addWidget(self.search, 1)
        layout.addWidget(self.chosen)
        self.setFocusProxy(self.search.box)

    def show_procedure(self, procedure: Procedure | None) -> None:
        self.chosen.setText(procedure_facts(procedure) if procedure else tr("Chưa chọn thủ tục."))


class AddLine(QLineEdit):
    """Enter adds what was typed (``add(text)``); on an empty line Enter goes on to the next step."""

    add = Signal(str)

    def keyPressEvent(self, event: QKeyEvent) -> None:
        if event.key() in (Qt.Key.Key_Return, Qt.Key.Key_Enter) and self.text().strip():
            emit(self.add, self.text().strip())
            self.clear()
            event.accept()
            return
        super().keyPressEvent(event)


class DocumentsStep(QWidget):
    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.model = ChecklistModel(self)
        self.view = ChecklistView(self.model, self)
        self.title = QLabel()
        self.title.setWordWrap(True)
        label = QLabel(tr("&Giấy tờ đã nhận:"))
        label.setBuddy(self.view)
        self.view.setStyleSheet("QTableView::item { padding: 5px 6px; }")
        self.note = QLabel()
        self.note.setWordWrap(True)
        self.note.setTextFormat(Qt.TextFormat.RichText)
        self.note.setMinimumHeight(40)
        self.missing = QLabel()
        self.missing.setWordWrap(True)
        self.missing.setStyleSheet(ERROR_STYLE)
        self.sets = QSpinBox()
        self.sets.setRange(1, 20)
        self.sets.setSuffix(tr(" bộ"))
        sets_label = QLabel(tr("Số &bộ hồ sơ:"))
        sets_label.setBuddy(self.sets)
        self.extra = AddLine()
        self.extra.setPlaceholderText(tr("Tên giấy tờ không có trong danh mục — Enter để thêm"))
        self.extra.add.connect(self.add_extra)
        extra_label = QLabel(tr("Giấy tờ &khác:"))
        extra_label.setBuddy(self.extra)
        sets_row = QHBoxLayout()
        sets_row.addWidget(sets_label)
        sets_row.addWidget(self.sets)
        sets_row.addSpacing(24)
        sets_row.addWidget(extra_label)
        sets_row.addWidget(self.extra, 1)
        layout = QVBoxLayout(self)
        layout.addWidget(heading(tr("Bước 2. Kiểm tra giấy tờ")))
        layout.addWidget(self.title)
        layout.addWidget(label)
        layout.addWidget(self.view, 1)
        layout.addWidget(self.note)
        layout.addWidget(hint(tr("Phím cách: đánh dấu đã nhận · ←/→: đổi loại bản (chính / sao chứng thực / "
                                 "photo) · 1–9 hoặc +/−: số bản · Alt+K: giấy tờ khác · Enter: sang bước tiếp")))
        layout.addWidget(self.missing)
        layout.addLayout(sets_row)
        self.setFocusProxy(self.view)
        self.model.changed.connect(self.refresh_missing)
        self.model.modelReset.connect(self.show_note)
        self.view.selectionModel().currentRowChanged.connect(self.show_note)

    def add_extra(self, name: str) -> None:
        row = self.model.append(DocumentChoice(name, "original", "original", 1, False, True,
                                               tr("Giấy tờ nộp thêm, ngoài danh mục của thủ tục.")))
        self.view.setCurrentIndex(self.model.index(row, 1))

    def show_note(self) -> None:
        row = self.view.currentIndex().row()
        if not 0 <= row < len(self.model.rows):
            self.note.setText("")
            return
        doc = self.model.rows[row]
        if doc.condition:
            requirement = tr(", bắt buộc ({case})", case=doc.condition)
        else:
            requirement = tr(", bắt buộc") if doc.required else tr(", nộp khi có")
        text = tr("<b>{name}</b> — danh mục ghi: {kind}, {n} bản{req}.", name=escape(doc.name),
                  kind=escape(kind_label(doc.catalog_kind)), n=doc.copies, req=escape(requirement))
        self.note.setText(text + (f"<br/><i>{escape(doc.note)}</i>" if doc.note else ""))

    def refresh_missing(self) -> None:
        missing = missing_required(self.model.rows)
        self.missing.setText(tr("Chưa nhận giấy tờ bắt buộc: {names}.", names="; ".join(missing)) if missing else "")


class SummaryEdit(QPlainTextEdit):
    """Enter goes on to the next step like everywhere in the wizard; Shift+Enter starts a new line."""

    def keyPressEvent(self, event: QKeyEvent) -> None:
        if event.key() in (Qt.Key.Key_Return, Qt.Key.Key_Enter) and not (
                event.modifiers() & Qt.KeyboardModifier.ShiftModifier):
            event.ignore()  # propagates to the wizard
            return
        super().keyPressEvent(event)


class ApplicantStep(QWidget):
    """Applicant fields with checks as you type, and the offer to reuse a known applicant."""

    reuse_requested = Signal()

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.kind = QComboBox()
        for value, label in APPLICANT_KINDS.items():
            self.kind.addItem(tr(label), value)
        self.id_number = QLineEdit()
        self.id_number.setMaxLength(20)
        self.id_message = QLabel()
        self.id_message.setWordWrap(False)
        self.name = QLineEdit()
        self.phone = QLineEdit()
        self.phone.setMaxLength(16)
        self.phone_message = QLabel()
        self.phone_message.setWordWrap(False)
        self.email = QLineEdit()
        self.email_message = QLabel()
        self.address = QLineEdit()
        self.summary = SummaryEdit()
        self.summary.setPlaceholderText(tr("Nội dung yêu cầu, ví dụ: Đăng ký khai sinh cho con Nguyễn Văn An"))
        self.summary.setTabChangesFocus(True)
        self.summary.setFixedHeight(64)
        self.known = QFrame()
        self.known.setFrameShape(QFrame.Shape.StyledPanel)
        self.known.setStyleSheet("QFrame { background: #fff8e1; }")
        self.known_text = QLabel()
        self.known_text.setWordWrap(True)
        self.reuse = QPushButton(tr("&Dùng thông tin này"))
        self.reuse.clicked.connect(self.reuse_requested)
        known_box = QVBoxLayout(self.known)
        known_box.addWidget(self.known_text)
        known_box.addWidget(self.reuse, 0, Qt.AlignmentFlag.AlignRight)

        self.form = form = QFormLayout()
        form.setFieldGrowthPolicy(QFormLayout.FieldGrowthPolicy.AllNonFixedFieldsGrow)
        form.setLabelAlignment(Qt.AlignmentFlag.AlignRight)
        rows: list[tuple[str, QWidget]] = [
            (tr("L&oại đối tượng:"), self.kind),
            (tr("Số &CCCD / mã số thuế:"), self.id_number),
            ("", self.id_message),
            (tr("&Họ và tên:"), self.name),
            (tr("Đ&iện thoại:"), self.phone),
            ("", self.phone_message),
            (tr("&Email:"), self.email),
            ("", self.email_message),
            (tr("Đị&a chỉ:"), self.address),
            (tr("Trích &yếu hồ sơ:"), self.summary),
        ]
        for text, widget in rows:
            if text:
                label = QLabel(text)
                label.setBuddy(widget)
                form.addRow(label, widget)
            else:
                form.addRow("", widget)
        for message in (self.id_message, self.phone_message, self.email_message):
            # Each message keeps its line, empty or not: the fields below never move as one appears.
            message.setFixedHeight(message.fontMetrics().height() + 2)
        self.known.hide()
        self.side = QLabel()
        self.side.setWordWrap(True)
        self.side.setTextFormat(Qt.TextFormat.RichText)
        self.side.setAlignment(Qt.AlignmentFlag.AlignTop | Qt.AlignmentFlag.AlignLeft)
        self.side.setFrameShape(QFrame.Shape.StyledPanel)
        self.side.setContentsMargins(10, 8, 10, 8)
        self.side.setMinimumWidth(220)
        self.side.setMaximumWidth(340)
        side = QVBoxLayout()  # a known applicant is offered beside the form, which then does not move
        side.addWidget(self.side)
        side.addWidget(self.known)
        side.addStretch(1)
        columns = QHBoxLayout()
        columns.addLayout(form, 1)
        columns.addSpacing(12)
        columns.addLayout(side)
        self.known.setMaximumWidth(340)
        layout = QVBoxLayout(self)
        layout.addWidget(heading(tr("Bước 3. Người nộp hồ sơ")))
        layout.addLayout(columns)
        layout.addStretch(1)
        self.setFocusProxy(self.id_number)
        self.id_number.textChanged.connect(self.check_id)
        self.kind.currentIndexChanged.connect(self.check_id)
        self.phone.textChanged.connect(self.check_phone)
        self.email.textChanged.connect(self.check_email)

    def applicant_kind(self) -> int:
        return int(self.kind.currentData() or 1)

    # -- checks as you type ------------------------------------------------------------------------
    def check_id(self) -> bool:
        raw = self.id_number.text().strip()
        if not raw:
            self.id_message.setText(tr("Người nộp là công dân thì bắt buộc nhập số CCCD.")
                                    if self.applicant_kind() == 1 else "")
            self.id_message.setStyleSheet(HINT_STYLE)
            return self.applicant_kind() != 1
        checker = check_tax_code if self.applicant_kind() == 2 else check_citizen_id
        try:
            checker(raw)
        except ValueError as exc:
            digits = raw.replace(" ", "")
            typing = digits.isdigit() and len(digits) < 12 and self.id_number.hasFocus()
            self.id_message.setText(str(exc))
            self.id_message.setStyleSheet(HINT_STYLE if typing else ERROR_STYLE)
            return False
        self.id_message.setText(tr("✓ Số hợp lệ."))
        self.id_message.setStyleSheet(OK_STYLE)
        return True

    def check_phone(self) -> bool:
        return _check(self.phone, self.phone_message, check_phone, 10)

    def check_email(self) -> bool:
        return _check(self.email, self.email_message, check_email, 0)

    def offer_known(self, known: KnownApplicant | None) -> None:
        if known is None:
            self.known.hide()
            return
        when = f"{parse_moment(known.received_at):%d/%m/%Y}" if known.received_at else "—"
        self.known_text.setText(tr(
            "Số này đã nộp hồ sơ «{proc}» ngày {when}: <b>{name}</b>, ĐT {phone}, {address}. "
            "Nhấn Alt+D để điền lại các thông tin này.",
            proc=escape(known.procedure_name), when=when, name=escape(known.name),
            phone=escape(known.phone or "—"), address=escape(known.address or "—")))
        self.known.show()


def _check(edit: QLineEdit, message: QLabel, checker: Callable[[str], str], typing_length: int) -> bool:
    raw = edit.text().strip()
    if not raw:
        message.setText("")
        return True
    try:
        checker(raw)
    except ValueError as exc:
        typing = edit.hasFocus() and len(raw) < typing_length
        message.setText(str(exc))
        message.setStyleSheet(HINT_STYLE if typing else ERROR_STYLE)
        return False
    message.setText(tr("✓ Hợp lệ."))
    message.setStyleSheet(OK_STYLE)
    return True


class DueStep(QWidget):
    """The computed legal due date, with the calendar's reasoning, and a summary to check before saving."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.summary = QLabel()
        self.summary.setWordWrap(True)
        self.summary.setTextFormat(Qt.TextFormat.RichText)
        self.due = QLabel()
        self.due.setObjectName("dueDate")
        self.due.setStyleSheet("font-size: 20pt; font-weight: bold; color: #0d47a1;")
        self.reason = QLabel()
        self.reason.setObjectName("dueReason")
        self.reason.setWordWrap(True)
        self.reason.setStyleSheet("font-size: 11pt;")
        self.problems = QLabel()
        self.problems.setWordWrap(True)
        self.problems.setStyleSheet(ERROR_STYLE)
        self.fees = FeeInputs()
        box = QFrame()
        box.setFrameShape(QFrame.Shape.StyledPanel)
        box_layout = QVBoxLayout(box)
        box_layout.addWidget(QLabel(tr("Ngày hẹn trả kết quả (theo thời hạn luật định):")))
        box_layout.addWidget(self.due)
        box_layout.addWidget(self.reason)
        layout = QVBoxLayout(self)
        layout.addWidget(heading(tr("Bước 4. Hẹn trả kết quả và lưu")))
        layout.addWidget(box)
        layout.addWidget(self.fees)
        layout.addWidget(self.summary)
        layout.addWidget(self.problems)
        layout.addStretch(1)
        layout.addWidget(hint(tr("Ctrl+Enter hoặc Enter: lưu hồ sơ và in giấy tiếp nhận · Alt+Q: quay lại sửa")))

    def show_due(self, due: DueDate | None, error: str = "") -> None:
        if due is None:
            self.due.setText("—")
            self.reason.setText(error)
            return
        self.due.setText(moment_text(due.due))
        self.reason.setText(tr("Tiếp nhận: {received}. Thời hạn {why}.", received=moment_text(due.received),
                               why=due.explanation))
