"""The intake wizard: procedure → documents → applicant → due date, save, print the receipt.

Keyboard alone: Enter goes to the next step (on the last one it saves), Ctrl+Enter saves from any
step, Alt+Q goes back, Alt+letter reaches every field. What is typed is saved as a draft (debounced,
and on close) whose id is the dossier id, so a crash loses nothing and a retried save never makes a
second dossier. Writes go through the writer thread; reads use the context's reader connection.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from datetime import datetime
from typing import Any

from PySide6.QtCore import QEvent, QObject, Qt, QTimer, Signal
from PySide6.QtGui import QCloseEvent, QKeyEvent, QKeySequence, QShortcut, QShowEvent
from PySide6.QtWidgets import (
    QHBoxLayout,
    QLabel,
    QMessageBox,
    QPushButton,
    QStackedWidget,
    QVBoxLayout,
    QWidget,
)

from motcua.domain.clock import now, parse_moment
from motcua.domain.events import EventType
from motcua.domain.identifiers import check_citizen_id, check_tax_code
from motcua.i18n import tr
from motcua.services import drafts
from motcua.services.accounts import require
from motcua.services.desk import Desk, Outcome
from motcua.services.intake import IntakeRequest, parse_intake
from motcua.services.validation import ValidationFailed
from motcua.store.calendar_days import load_calendar
from motcua.ui._adapters import (
    AppContext,
    Procedure,
    actor,
    check_may_intake,
    escape,
    load_procedure,
    receipt_pdf,
    submit,
    wait_idle,
)
from motcua.ui.dossier.action_dialog import ActionDialog
from motcua.ui.intake.intake_resume import ResumeBar
from motcua.ui.intake.intake_state import (
    DueDate,
    IntakeState,
    KnownApplicant,
    checklist,
    compute_due,
    known_applicant,
    moment_text,
)
from motcua.ui.intake.intake_steps import ApplicantStep, DocumentsStep, DueStep, ProcedureStep
from motcua.ui.intake.intake_text import intake_summary
from motcua.ui.qtcompat import emit
from motcua.ui.widgets.print_preview import PrintPreview

DRAFT_DEBOUNCE_MS = 500
DRAFT_MAX_WAIT_S = 3.0
PROCEDURE, DOCUMENTS, APPLICANT, DUE = range(4)
STEP_TITLES = ("1. Thủ tục", "2. Giấy tờ", "3. Người nộp", "4. Hẹn trả và lưu")
# Which step holds the field a validation error names.
FIELD_STEPS = {"procedure_code": PROCEDURE, "documents": DOCUMENTS, "sets": DOCUMENTS}


class IntakeWizard(QWidget):
    saved = Signal(str, str)  # dossier id, dossier code
    dossier_created = Signal(str)  # dossier id (the main window may open it)
    draft_saved = Signal(str)  # draft id

    def __init__(self, context: AppContext, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.context = context
        self.state = IntakeState()
        self.procedure: Procedure | None = None
        self.last_preview: PrintPreview | None = None
        self._loading = False
        self._saving = False
        self._draft_pending = False
        self._watched_window: QWidget | None = None
        self._known: KnownApplicant | None = None
        self._dirty_since: float | None = None  # when the first change not yet in a draft was made
        self.clock: Callable[[], datetime] = now  # the due-date preview's "now" (screenshots pin it)
        self.setWindowTitle(tr("Tiếp nhận hồ sơ"))

        self.resume_bar = ResumeBar()
        self.resume_bar.resume.connect(self.resume_draft)
        self.resume_bar.discard.connect(self.discard_draft)
        self.steps_bar = QLabel()
        self.steps_bar.setTextFormat(Qt.TextFormat.RichText)
        self.steps_bar.setStyleSheet("font-size: 12pt; padding: 4px;")
        self.procedure_step = ProcedureStep(lambda: self.context.reader)
        self.documents_step = DocumentsStep()
        self.applicant_step = ApplicantStep()
        self.due_step = DueStep()
        self.stack = QStackedWidget()
        for step in (self.procedure_step, self.documents_step, self.applicant_step, self.due_step):
            self.stack.addWidget(step)
        self.message = QLabel()
        self.message.setWordWrap(True)
        self.message.setObjectName("wizardMessage")
        self.draft_label = QLabel()
        self.draft_label.setStyleSheet("color: #555;")
        self.back_button = QPushButton(tr("&Quay lại"))
        self.next_button = QPushButton(tr("&Tiếp (Enter)"))
        self.save_button = QPushButton(tr("&Lưu và in giấy tiếp nhận (Ctrl+Enter)"))
        self.save_button.setStyleSheet("font-weight: bold;")
        # Instead of receiving: refuse at the desk, in writing (Mẫu 03), on the last step.
        self.refuse_button = QPushButton(tr("Từ chối tiếp nhận…"))
        self.refuse_button.setObjectName("refuseIntake")
        self.refusal_dialog: ActionDialog | None = None
        for button in (self.back_button, self.next_button, self.save_button, self.refuse_button):
            button.setAutoDefault(False)
        self.refuse_button.clicked.connect(self.refuse)
        self.back_button.clicked.connect(self.back)
        self.next_button.clicked.connect(self.next)
        self.save_button.clicked.connect(self.save)
        buttons = QHBoxLayout()
        buttons.addWidget(self.draft_label, 1)
        buttons.addWidget(self.back_button)
        buttons.addWidget(self.next_button)
        buttons.addWidget(self.refuse_button)
        buttons.addWidget(self.save_button)
        layout = QVBoxLayout(self)
        layout.addWidget(self.resume_bar)
        layout.addWidget(self.steps_bar)
        layout.addWidget(self.stack, 1)
        layout.addWidget(self.message)
        layout.addLayout(buttons)
        for keys in ("Ctrl+Return", "Ctrl+Enter"):
            shortcut = QShortcut(QKeySequence(keys), self, self.save)
            shortcut.setContext(Qt.ShortcutContext.WidgetWithChildrenShortcut)

        self._draft_timer = QTimer(self)
        self._draft_timer.setSingleShot(True)
        self._draft_timer.setInterval(DRAFT_DEBOUNCE_MS)
        self._draft_timer.timeout.connect(self.save_draft)
        self._due_timer = QTimer(self)  # the due date shown follows the clock while the step is open
        self._due_timer.setInterval(30_000)
        self._due_timer.timeout.connect(lambda: self.step == DUE and self.refresh_due())
        self._due_timer.start()
        self._connect_changes()
        self._preview_procedure(self.procedure_step.search.current_code())
        self.go_to(PROCEDURE)
        self.offer_resume()

    # -- layout pieces ---------------------------------------------------------------------------
    def _connect_changes(self) -> None:
        step = self.applicant_step
        for edit in (step.id_number, step.name, step.phone, step.email, step.address):
            edit.textChanged.connect(self.changed)
        step.summary.textChanged.connect(self.changed)
        step.kind.currentIndexChanged.connect(self.changed)
        step.id_number.textChanged.connect(self._lookup_known)
        step.reuse_requested.connect(self.reuse_known)
        self.documents_step.model.changed.connect(self.changed)
        self.documents_step.sets.valueChanged.connect(self.changed)
        self.due_step.fees.changed.connect(self._fees_changed)
        self.procedure_step.search.activated.connect(self._procedure_activated)
        self.procedure_step.search.current_changed.connect(self._preview_procedure)

    def _fees_changed(self) -> None:
        if self._loading:
            return
        self.state.fee_quantities = self.due_step.fees.quantities()
        self.due_step.summary.setText(self._summary_html(with_applicant=True))
        self.changed()

    def _preview_procedure(self, code: str) -> None:
        self.procedure_step.show_procedure(load_procedure(self.context.reader, code) if code else None)

    # -- navigation --------------------------------------------------------------------------------
    @property
    def step(self) -> int:
        return self.stack.currentIndex()

    def go_to(self, step: int) -> None:
        step = min(max(step, PROCEDURE), DUE)
        if step > PROCEDURE and self.procedure is None:
            step = PROCEDURE
        if step == DUE:
            self.refresh_due()
        if step == APPLICANT:
            self.applicant_step.side.setText(self._summary_html(with_applicant=False))
        self.stack.setCurrentIndex(step)
        self.setFocusProxy(self.stack.currentWidget())  # the shell's setFocus() lands on the step's field
        self.state.step = step
        self.back_button.setEnabled(step > PROCEDURE)
        self.next_button.setEnabled(step < DUE)
        user = self.context.user
        self.refuse_button.setVisible(step == DUE and user is not None and user.may(EventType.REFUSED))
        parts = [f"<b><u>{escape(tr(t))}</u></b>" if i == step else f"<span style='color:#777'>{escape(tr(t))}</span>"
                 for i, t in enumerate(STEP_TITLES)]
        self.steps_bar.setText(" &nbsp;›&nbsp; ".join(parts))
        self.stack.currentWidget().setFocus(Qt.FocusReason.OtherFocusReason)

    def next(self) -> None:
        if self.step == PROCEDURE:
            code = self.procedure_step.search.current_code() or self.state.procedure_code
            if not code:
                self.show_message(tr("Gõ tên hoặc mã thủ tục rồi chọn một thủ tục trong danh sách."), error=True)
                return
            if code != self.state.procedure_code:
                self.choose_procedure(code)
            if self.procedure is None:
                return
        elif self.step == APPLICANT:
            errors = self._applicant_errors()
            if errors:
                self.show_message(" ".join(errors.values()), error=True)
                self._focus_field(next(iter(errors)))
                return
        self.show_message("")
        self.go_to(self.step + 1)

    def back(self) -> None:
        self.go_to(self.step - 1)

    def keyPressEvent(self, event: QKeyEvent) -> None:
        if event.key() in (Qt.Key.Key_Return, Qt.Key.Key_Enter):
            focus = self.focusWidget()
            if isinstance(focus, QPushButton) and not event.modifiers() & Qt.KeyboardModifier.ControlModifier:
                focus.click()  # Enter on a button presses it (a plain widget's buttons ignore Enter)
                event.accept()
                return
            if event.modifiers() & Qt.KeyboardModifier.ControlModifier or self.step == DUE:
                self.save()
            else:
                self.next()
            event.accept()
            return
        super().keyPressEvent(event)

    # -- the procedure and its checklist -------------------------------------------------------------
    def _procedure_activated(self, code: str) -> None:
        if code:
            if code != self.state.procedure_code:
                self.choose_procedure(code)
            if self.procedure is not None:
                self.go_to(DOCUMENTS)

    def choose_procedure(self, code: str) -> None:
        procedure = load_procedure(self.context.reader, code)
        if procedure is None:
            self.show_message(tr("Không đọc được thủ tục {code} trong danh mục.", code=code), error=True)
            return
        if procedure.time_unset:  # looked up, not received: the province has not set its time yet
            self.procedure, self.state.procedure_code = None, ""
            self.procedure_step.show_procedure(procedure)
            self.show_message(tr("Thủ tục {code} chưa có thời hạn giải quyết trong danh mục (cần tỉnh xác nhận): "
                                 "chưa tiếp nhận được.", code=code), error=True)
            return
        self.procedure = procedure
        self.state.procedure_code, self.state.procedure_name = procedure.code, procedure.name
        self.state.documents = checklist(procedure.components)
        self.state.sets = max(1, procedure.sets)
        self._loading = True
        self.documents_step.model.set_rows(self.state.documents)
        self.documents_step.sets.setValue(self.state.sets)
        self.due_step.fees.set_fees(procedure.fees)
        self.state.fee_quantities = self.due_step.fees.quantities()
        self._loading = False
        self.documents_step.title.setText(tr("Thủ tục: <b>{name}</b> ({code})", name=escape(procedure.name),
                                             code=escape(procedure.code)))
        self.documents_step.refresh_missing()
        self.procedure_step.show_procedure(procedure)
        self.changed()

    def start_with_procedure(self, code: str) -> None:
        """Open a new intake for ``code`` (from the guidance page) at the documents step."""
        if not self.state.is_blank:
            self.flush_draft()
            self.reset()
        self.choose_procedure(code)
        if self.procedure is not None:
            self.go_to(DOCUMENTS)

    # -- applicant ------------------------------------------------------------------------------------
    def _lookup_known(self) -> None:
        raw = self.applicant_step.id_number.text()
        checker = check_tax_code if self.applicant_step.applicant_kind() == 2 else check_citizen_id
        try:
            id_number = checker(raw)
        except ValueError:
            self._known = None
            self.applicant_step.offer_known(None)
            return
        known = known_applicant(self.context.reader, id_number)
        if known is not None and known.name == self.applicant_step.name.text().strip():
            known = None  # already filled in
        self.applicant_step.offer_known(known)
        self._known = known

    def reuse_known(self) -> None:
        known = self._known
        if known is None:
            return
        step = self.applicant_step
        step.name.setText(known.name)
        step.phone.setText(known.phone)
        step.email.setText(known.email)
        step.address.setText(known.address)
        step.offer_known(None)
        step.name.setFocus()

    def _applicant_errors(self) -> dict[str, str]:
        self.collect()
        try:
            parse_intake(self.state.request_data())
        except ValidationFailed as failed:
            return {k: v for k, v in failed.errors.items() if k.startswith("applicant") or k == "summary"}
        return {}

    def _focus_field(self, key: str) -> None:
        step = self.applicant_step
        widgets = {"applicant.id_number": step.id_number, "applicant.name": step.name, "applicant.phone": step.phone,
                   "applicant.email": step.email, "applicant.kind": step.kind, "summary": step.summary}
        if key in widgets:
            self.go_to(APPLICANT)
            step.check_id()
            step.check_phone()
            step.check_email()
            widgets[key].setFocus()
        else:
            self.go_to(FIELD_STEPS.get(key.split("[")[0].split(".")[0], PROCEDURE))

    # -- state ↔ widgets ---------------------------------------------------------------------------------
    def collect(self) -> IntakeState:
        step = self.applicant_step
        self.state.applicant_kind = step.applicant_kind()
        self.state.id_number = step.id_number.text()
        self.state.name = step.name.text()
        self.state.phone = step.phone.text()
        self.state.email = step.email.text()
        self.state.address = step.address.text()
        self.state.summary = step.summary.toPlainText()
        self.state.sets = self.documents_step.sets.value()
        self.state.documents = self.documents_step.model.rows
        self.state.fee_quantities = self.due_step.fees.quantities()
        return self.state

    def load_state(self, state: IntakeState) -> None:
        self._loading = True
        try:
            self.state = state
            self.procedure = load_procedure(self.context.reader, state.procedure_code) if state.procedure_code else None
            self.procedure_step.show_procedure(self.procedure)
            if self.procedure is not None:
                self.procedure_step.search.box.setText(self.procedure.code)  # an exact match comes first
                self.documents_step.title.setText(tr("Thủ tục: <b>{name}</b> ({code})",
                                                     name=escape(self.procedure.name),
                                                     code=escape(self.procedure.code)))
            self.documents_step.model.set_rows(state.documents)
            self.documents_step.sets.setValue(state.sets)
            self.documents_step.refresh_missing()
            self.due_step.fees.set_fees(self.procedure.fees if self.procedure is not None else ())
            self.due_step.fees.set_quantities(state.fee_quantities)
            step = self.applicant_step
            step.kind.setCurrentIndex(max(0, step.kind.findData(state.applicant_kind)))
            step.id_number.setText(state.id_number)
            step.name.setText(state.name)
            step.phone.setText(state.phone)
            step.email.setText(state.email)
            step.address.setText(state.address)
            step.summary.setPlainText(state.summary)
        finally:
            self._loading = False
        self.go_to(state.step)

    def reset(self) -> None:
        self._draft_timer.stop()
        self.load_state(IntakeState())
        self.procedure_step.search.box.clear()
        self.procedure_step.search.run_search()
        self.applicant_step.offer_known(None)
        self.draft_label.setText("")
        self.go_to(PROCEDURE)

    def changed(self) -> None:
        if self._loading or self._saving:
            return
        if self._dirty_since is None:
            self._dirty_since = time.monotonic()
        if time.monotonic() - self._dirty_since > DRAFT_MAX_WAIT_S:
            self.save_draft()  # someone typing without a pause still gets a draft every few seconds
        else:
            self._draft_timer.start()

    # -- drafts ------------------------------------------------------------------------------------------
    def save_draft(self) -> None:
        self._draft_timer.stop()
        self._dirty_since = None
        state = self.collect()
        if state.is_blank or self._saving:
            return
        draft_id, data = state.dossier_id, state.to_dict()
        self._draft_pending = True
        submit(self.context, lambda desk: drafts.save_draft(desk.conn, draft_id, drafts.INTAKE, data),
               lambda _r: self._draft_written(draft_id), self._write_failed, tr("Lưu nháp"))

    def _draft_written(self, draft_id: str) -> None:
        self._draft_pending = False
        self.draft_label.setText(tr("Đã lưu nháp lúc {t}", t=f"{now():%H:%M:%S}"))
        emit(self.draft_saved, draft_id)

    def flush_draft(self, timeout_ms: int = 3_000) -> None:
        """Save what is typed now and wait for the writer (closing the window or the app)."""
        self.save_draft()  # cheap, and covers a step change or a failed earlier write
        wait_idle(self.context, timeout_ms)

    def offer_resume(self) -> None:
        """Offer the newest unfinished intake other than the one on screen."""
        found = drafts.list_drafts(self.context.reader, drafts.INTAKE)
        self.resume_bar.offer([d for d in found if d.id != self.state.dossier_id])

    def resume_draft(self, draft: drafts.Draft) -> None:
        state = IntakeState.from_dict(draft.data)
        state.dossier_id = draft.id
        self._draft_timer.stop()
        self.load_state(state)
        self.show_message(tr("Đã mở lại hồ sơ đang nhập dở."))

    def discard_draft(self, draft: drafts.Draft) -> None:
        draft_id = draft.id
        submit(self.context, lambda desk: drafts.delete_draft(desk.conn, draft_id),
               lambda _r: self.offer_resume(), self._write_failed, tr("Xóa nháp"))
        self.stack.currentWidget().setFocus()

    # -- due date -------------------------------------------------------------------------------------
    def compute_due(self) -> DueDate | None:
        if self.procedure is None:
            return None
        time = self.procedure.processing_time
        return compute_due(load_calendar(self.context.reader), self.clock(), float(time.amount), time.unit,
                           time.cutoff)

    def refresh_due(self) -> None:
        try:
            due = self.compute_due()
        except ValueError as exc:
            self.due_step.show_due(None, str(exc))
            return
        self.due_step.show_due(due)
        state = self.collect()
        self.due_step.summary.setText(self._summary_html(with_applicant=True))
        missing, conditional = state.missing_required(), state.conditional_unreceived()
        notes = []
        if missing:
            notes.append(tr("Lưu ý: chưa nhận {names}. Chỉ tiếp nhận khi hồ sơ đủ thành phần bắt buộc.",
                            names="; ".join(missing)))
        if conditional:
            notes.append(tr("Nếu thuộc trường hợp nêu trong ngoặc thì còn thiếu: {names}.",
                            names="; ".join(conditional)))
        self.due_step.problems.setText(" ".join(notes))

    def _summary_html(self, *, with_applicant: bool) -> str:
        place = self.context.settings().return_place if with_applicant else ""
        return intake_summary(self.collect(), self.procedure, with_applicant=with_applicant, return_place=place)

    # -- saving ---------------------------------------------------------------------------------------
    def save(self) -> None:
        if self._saving:
            return
        state = self.collect()
        try:
            request = parse_intake(state.request_data())
        except ValidationFailed as failed:
            key = next(iter(failed.errors))
            self.show_message(" ".join(failed.errors.values()), error=True)
            self._focus_field(key)
            return
        self._saving = True
        self._draft_timer.stop()
        self.save_button.setEnabled(False)
        self.show_message(tr("Đang lưu hồ sơ…"))
        username, _ = actor(self.context)
        context = self.context

        def job(desk: Desk) -> Outcome:
            check_may_intake(context)
            return desk.intake(request, username)

        submit(self.context, job, self._saved, self._save_failed, tr("Tiếp nhận hồ sơ"))

    def _saved(self, outcome: Outcome) -> None:
        record = outcome.record
        draft_id = self.state.dossier_id
        submit(self.context, lambda desk: drafts.delete_draft(desk.conn, draft_id), None, self._write_failed)
        self._saving = False
        self.save_button.setEnabled(True)
        self.reset()
        due = moment_text(parse_moment(record.due_at)) if record.due_at else "—"
        self.show_message(tr("Đã tiếp nhận hồ sơ {code} của {name}; hẹn trả {due}.", code=record.code or "",
                             name=record.applicant_name, due=due))
        emit(self.saved, record.id, record.code or "")
        emit(self.dossier_created, record.id)
        self.show_receipt(record.id, record.code or "")

    def refuse(self) -> ActionDialog | None:
        """Ask for the reason, then record the dossier as not received (nothing is written before)."""
        if self._saving:
            return None
        try:
            request = parse_intake(self.collect().request_data())
        except ValidationFailed as failed:
            self.show_message(" ".join(failed.errors.values()), error=True)
            self._focus_field(next(iter(failed.errors)))
            return None
        dialog = ActionDialog(EventType.REFUSED, tr("chưa có mã"), self)
        dialog.submitted.connect(lambda values: self._submit_refusal(dialog, request, values))
        dialog.finished.connect(lambda _result: setattr(self, "refusal_dialog", None))
        self.refusal_dialog = dialog
        dialog.open()
        return dialog

    def _submit_refusal(self, dialog: ActionDialog, request: IntakeRequest, values: dict[str, Any]) -> None:
        username, _ = actor(self.context)
        user = self.context.signed_in
        reason = str(values.get("reason", ""))

        def job(desk: Desk) -> Outcome:
            require(user, EventType.REFUSED)
            return desk.refuse_intake(request, reason, username)

        def done(outcome: Outcome) -> None:
            dialog.accept()
            self._refused(outcome)

        def failed(exc: BaseException) -> None:
            if isinstance(exc, ValidationFailed):
                dialog.show_errors(exc.errors)
            else:
                dialog.set_busy(False)
                dialog.show_errors({"reason": str(exc)})

        dialog.set_busy(True)
        submit(self.context, job, done, failed, tr("Từ chối tiếp nhận"))

    def _refused(self, outcome: Outcome) -> None:
        record = outcome.record
        draft_id = self.state.dossier_id
        submit(self.context, lambda desk: drafts.delete_draft(desk.conn, draft_id), None, self._write_failed)
        self.reset()
        self.show_message(tr("Đã từ chối tiếp nhận hồ sơ của {name}: {reason}", name=record.applicant_name,
                             reason=record.closing_reason))
        emit(self.dossier_created, record.id)  # its page prints the refusal (Mẫu 03)

    def show_receipt(self, dossier_id: str, code: str) -> None:
        try:
            pdf = receipt_pdf(self.context.reader, dossier_id)
        except Exception as exc:  # the dossier is saved; only the paper failed
            QMessageBox.warning(self, tr("Không in được"), tr("Hồ sơ đã lưu nhưng chưa tạo được giấy tiếp nhận: {e}",
                                                                e=exc))
            return
        preview = PrintPreview(pdf, tr("Giấy tiếp nhận hồ sơ {code}", code=code), f"tiep-nhan-{code}.pdf", self)
        self.last_preview = preview
        preview.show()

    def _save_failed(self, exc: BaseException) -> None:
        self._saving = False
        self.save_button.setEnabled(True)
        if isinstance(exc, ValidationFailed):
            self.show_message(" ".join(exc.errors.values()), error=True)
            self._focus_field(next(iter(exc.errors)))
        else:
            self.show_message(tr("Chưa lưu được hồ sơ ({e}). Bản nháp vẫn còn; thử lưu lại bằng Ctrl+Enter.", e=exc),
                              error=True)
        self.changed()

    def _write_failed(self, exc: BaseException) -> None:
        self._draft_pending = False
        self.show_message(tr("Không ghi được bản nháp: {e}", e=exc), error=True)

    def show_message(self, text: str, *, error: bool = False) -> None:
        self.message.setText(text)
        self.message.setStyleSheet("color: #b00020; font-weight: bold;" if error else "color: #1b5e20;")

    def closeEvent(self, event: QCloseEvent) -> None:
        self.flush_draft()
        super().closeEvent(event)

    def showEvent(self, event: QShowEvent) -> None:
        super().showEvent(event)
        window = self.window()
        if window is not self and window is not self._watched_window:
            # Embedded in the main window: closing the app must still write what was typed.
            window.installEventFilter(self)
            self._watched_window = window

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if watched is self._watched_window and event.type() == QEvent.Type.Close:
            self.flush_draft()
        return super().eventFilter(watched, event)

    def draft_data(self) -> dict[str, Any]:
        return self.collect().to_dict()

