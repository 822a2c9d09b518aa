"""A small Vietnamese dialog per lifecycle action, built from the service's field list.

The dialog does not write: it emits ``submitted(values)``; the page sends the job to the writer and
either closes the dialog (success) or shows ``ValidationFailed.errors`` beside each field.
"""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import QDate, QDateTime, Qt, QTime, Signal
from PySide6.QtGui import QIntValidator
from PySide6.QtWidgets import (
    QComboBox,
    QDateEdit,
    QDateTimeEdit,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QLabel,
    QLineEdit,
    QPlainTextEdit,
    QVBoxLayout,
    QWidget,
)

from motcua.domain.clock import now, parse_moment
from motcua.domain.events import EventType
from motcua.domain.payments import PAYMENT_METHODS
from motcua.domain.states import ACTIONS
from motcua.i18n import tr
from motcua.services.desk import RETURN_CHANNELS, HandoverOption, action_fields
from motcua.ui.qtcompat import emit
from motcua.ui.widgets.dialogs import field_label

# Fields the dialog leaves out: a full document list is edited on the checklist, not typed here.
_OMITTED = {(EventType.SUPPLEMENTED, "documents")}
_LONG_TEXT = {"reason", "text", "items"}
# Labels the dialog words differently from the service's field list (which names the stored values).
_LABELS = {"decision": "kết quả giải quyết", "doc_number": "số văn bản kết quả", "doc_date": "ngày ký văn bản",
           "to_id_number": "số CCCD/CMND người nhận", "channel": "hình thức trả kết quả"}
DECISIONS = (("approved", "Giải quyết (cấp kết quả)"), ("denied", "Từ chối giải quyết"))
# Fields the dialog asks for that are not payload values: the moment the action happened (the service
# takes it as the event's time).
_EXTRA_FIELDS: dict[str, tuple[tuple[str, str, bool], ...]] = {
    EventType.RETURNED: (("at", "thời điểm trả kết quả", True),),
}
# A choice always made in the dialog.
_REQUIRED_HERE = {(EventType.RETURNED, "channel"), (EventType.RESOLVED, "doc_date")}
_PLACEHOLDERS: dict[tuple[str, str], str] = {
    (EventType.STOPPED, "requested_by"): "để trống nếu cơ quan giải quyết tự dừng",
    (EventType.RESOLVED, "doc_number"): "ví dụ 125/QĐ-UBND",
    (EventType.RESOLVED, "signer"): "họ tên, chức vụ người ký",
    (EventType.FEE_PAID, "receipt_number"): "số biên lai thu phí, lệ phí",
    (EventType.RETURNED, "to_id_number"): "bắt buộc khi người khác nhận thay",
}


def commune_now() -> QDateTime:
    """The commune's wall clock (Vietnam time), as the dialogs show and the service reads typed moments:
    not the machine's zone, which may be UTC (a typed moment would then be hours early and refused)."""
    moment = now()
    return QDateTime(QDate(moment.year, moment.month, moment.day), QTime(moment.hour, moment.minute))


def sentence(text: str) -> str:
    return text[:1].upper() + text[1:]


class ActionDialog(QDialog):
    submitted = Signal(dict)

    def __init__(self, event_type: str, dossier_code: str, parent: QWidget | None = None, *,
                 handover: list[HandoverOption] | None = None, default_due: QDateTime | None = None,
                 prefill: dict[str, str] | None = None):
        super().__init__(parent)
        self.event_type = event_type
        self.handover = list(handover or [])
        self.setObjectName(f"actionDialog_{event_type}")
        self.setWindowTitle(tr("{action} — hồ sơ {code}", action=sentence(tr(ACTIONS[event_type].label)),
                               code=dossier_code))
        self.setMinimumWidth(520)
        self.inputs: dict[str, QWidget] = {}
        self.error_labels: dict[str, QLabel] = {}
        self._required: dict[str, str] = {}

        layout = QVBoxLayout(self)
        heading = QLabel(sentence(tr(ACTIONS[event_type].label)))
        heading.setObjectName("dialogHeading")
        layout.addWidget(heading)
        form = QFormLayout()
        form.setFieldGrowthPolicy(QFormLayout.FieldGrowthPolicy.ExpandingFieldsGrow)
        fields = list(action_fields(event_type))
        note_at = next((n for n, (key, _, _) in enumerate(fields) if key == "note"), len(fields))
        fields[note_at:note_at] = _EXTRA_FIELDS.get(event_type, ())  # the note stays last
        for key, label, required in fields:
            if (event_type, key) in _OMITTED:
                continue
            widget = self._make_input(key, default_due)
            widget.setObjectName(f"field_{key}")
            required = required or (event_type, key) in _REQUIRED_HERE
            label = _LABELS.get(key, label)
            caption = sentence(tr(label)) + (" *" if required else "")
            if required:
                self._required[key] = tr(label)
            error = QLabel("")
            error.setObjectName("fieldError")
            error.setWordWrap(True)
            error.hide()
            box = QWidget()
            column = QVBoxLayout(box)
            column.setContentsMargins(0, 0, 0, 0)
            column.setSpacing(2)
            column.addWidget(widget)
            column.addWidget(error)
            title = QLabel(caption)
            title.setBuddy(widget)
            form.addRow(title, box)
            self.inputs[key] = widget
            self.error_labels[key] = error
        layout.addLayout(form)
        for key, value in (prefill or {}).items():
            if key in self.inputs:
                self.set_value(key, value)
        self.general_error = QLabel("")
        self.general_error.setObjectName("fieldError")
        self.general_error.setWordWrap(True)
        self.general_error.hide()
        layout.addWidget(self.general_error)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel)
        self.ok_button = buttons.button(QDialogButtonBox.StandardButton.Ok)
        self.ok_button.setText(tr("Xác nhận"))
        self.ok_button.setDefault(True)
        buttons.button(QDialogButtonBox.StandardButton.Cancel).setText(tr("Hủy"))
        buttons.accepted.connect(self._submit)
        buttons.rejected.connect(self.reject)
        layout.addWidget(buttons)
        if event_type == EventType.HANDED_OVER:
            self._wire_handover()
        elif self.inputs:
            next(iter(self.inputs.values())).setFocus()

    # -- hand-over: the step, then a person who may take it (never typed: picked among eligible accounts)
    def _wire_handover(self) -> None:
        step = self.inputs["step"]
        assert isinstance(step, QComboBox)
        for option in self.handover:
            step.addItem(option.title, option.step)
        step.currentIndexChanged.connect(self._fill_recipients)
        self.inputs["to"].setFocusPolicy(Qt.FocusPolicy.StrongFocus)
        self._fill_recipients()
        # One step to go to: the person is the first thing to pick; several: the step first.
        (self.inputs["to"] if len(self.handover) == 1 else step).setFocus()

    def handover_option(self) -> HandoverOption | None:
        step = self.inputs.get("step")
        index = step.currentIndex() if isinstance(step, QComboBox) else -1
        return self.handover[index] if 0 <= index < len(self.handover) else None

    def _fill_recipients(self) -> None:
        to = self.inputs["to"]
        assert isinstance(to, QComboBox)
        option = self.handover_option()
        to.clear()
        for user in option.recipients if option else ():
            to.addItem(f"{user.full_name} ({user.username}) — {user.role_label}", user.username)
        to.setEnabled(bool(to.count()))
        to.setCurrentIndex(0 if to.count() else -1)
        missing = option.missing if option else tr("Hồ sơ ở bước này không chuyển tiếp được.")
        if option is not None and option.outside:
            missing = ""
            to.addItem(tr("— cơ quan cấp tỉnh: ghi ở «đơn vị nhận» —"), None)
            to.setEnabled(False)
        self.error_labels["to"].setText(missing)
        self.error_labels["to"].setVisible(bool(missing))
        self.ok_button.setEnabled(not missing)
        if option is not None and option.default_due and "step_due_at" in self.inputs:
            due = self.inputs["step_due_at"]
            assert isinstance(due, QLineEdit)
            due.setText(f"{parse_moment(option.default_due):%d/%m/%Y %H:%M}")

    def _make_input(self, key: str, default_due: QDateTime | None) -> QWidget:
        if key == "decision":
            combo = QComboBox()
            for value, label in DECISIONS:
                combo.addItem(tr(label), value)
            return combo
        if key == "method":
            return self._choices(PAYMENT_METHODS)
        if key == "channel" and self.event_type == EventType.RETURNED:
            return self._choices(RETURN_CHANNELS)
        if key == "doc_date":
            day = QDateEdit(commune_now().date())
            day.setDisplayFormat("dd/MM/yyyy")
            day.setCalendarPopup(True)
            return day
        if key == "at":
            moment = QDateTimeEdit(commune_now())
            moment.setDisplayFormat("dd/MM/yyyy HH:mm")
            moment.setCalendarPopup(True)
            return moment
        if key == "new_due_at":
            edit = QDateTimeEdit(default_due or commune_now().addDays(3))
            edit.setDisplayFormat("dd/MM/yyyy HH:mm")
            edit.setCalendarPopup(True)
            return edit
        if key in ("to", "step") and self.event_type == EventType.HANDED_OVER:
            return QComboBox()   # filled by _wire_handover
        if key in _LONG_TEXT:
            text = QPlainTextEdit()
            text.setTabChangesFocus(True)
            text.setFixedHeight(72)
            if key == "items":
                text.setPlaceholderText(tr("mỗi giấy tờ một dòng"))
            return text
        line = QLineEdit()
        if key == "amount":
            line.setValidator(QIntValidator(0, 2_000_000_000))
            line.setPlaceholderText(tr("đồng"))
        if key == "step_due_at":
            line.setPlaceholderText(tr("dd/mm/yyyy hh:mm (không bắt buộc)"))
        if (self.event_type, key) in _PLACEHOLDERS:
            line.setPlaceholderText(tr(_PLACEHOLDERS[(self.event_type, key)]))
        return line

    @staticmethod
    def _choices(options: dict[str, str]) -> QComboBox:
        combo = QComboBox()
        for value, label in options.items():
            combo.addItem(sentence(tr(label)), value)
        return combo

    def values(self) -> dict[str, Any]:
        values: dict[str, Any] = {}
        for key, widget in self.inputs.items():
            value: Any
            if isinstance(widget, QComboBox):
                value = widget.currentData()
            elif isinstance(widget, QDateEdit):
                value = widget.date().toString("yyyy-MM-dd")
            elif isinstance(widget, QDateTimeEdit):
                value = widget.dateTime().toString("yyyy-MM-dd HH:mm")
            elif isinstance(widget, QPlainTextEdit):
                value = widget.toPlainText().strip()
                if key == "items":
                    value = [line.strip() for line in value.splitlines() if line.strip()]
            else:
                assert isinstance(widget, QLineEdit)
                value = widget.text().strip()
            if value not in ("", [], None):
                values[key] = value
        return values

    def set_value(self, key: str, value: str) -> None:
        """Fill a field programmatically (tests, defaults)."""
        widget = self.inputs[key]
        if isinstance(widget, QComboBox):
            widget.setCurrentIndex(max(widget.findData(value), 0))
        elif isinstance(widget, QPlainTextEdit):
            widget.setPlainText(value)
        elif isinstance(widget, QLineEdit):
            widget.setText(value)

    def show_errors(self, errors: dict[str, str]) -> None:
        other = []
        for label in self.error_labels.values():
            label.hide()
        for key, message in errors.items():
            label = self.error_labels.get(key)
            if label is None:
                other.append(f"{field_label(key)}: {message}")
                continue
            label.setText(message)
            label.show()
        self.general_error.setText("\n".join(other))
        self.general_error.setVisible(bool(other))
        self.ok_button.setEnabled(True)
        for key in errors:
            if key in self.inputs:
                self.inputs[key].setFocus()
                break

    def _submit(self) -> None:
        values = self.values()
        missing = {k: tr("Chưa nhập {label}.", label=label) for k, label in self._required.items() if k not in values}
        if missing:
            self.show_errors(missing)
            return
        self.ok_button.setEnabled(False)  # until the writer answers
        emit(self.submitted, values)

    def set_busy(self, busy: bool) -> None:
        self.ok_button.setEnabled(not busy)
        self.setCursor(Qt.CursorShape.BusyCursor if busy else Qt.CursorShape.ArrowCursor)
