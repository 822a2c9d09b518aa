"""One dossier: header, documents checklist, attachments, the timeline, and the actions it allows.

Only actions valid in the dossier's state AND allowed to the signed-in role appear as buttons. Each
opens a small dialog; the job goes to the writer; the page redraws when the bus says this dossier
changed (never from the job's return value).
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from PySide6.QtCore import QModelIndex, Qt, QTimer, QUrl, Signal
from PySide6.QtGui import QDesktopServices, QKeySequence, QResizeEvent, QShortcut
from PySide6.QtWidgets import (
    QAbstractItemView,
    QApplication,
    QFileDialog,
    QFrame,
    QGridLayout,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QListView,
    QPushButton,
    QSplitter,
    QTableView,
    QToolButton,
    QVBoxLayout,
    QWidget,
)

from motcua.domain.events import EventType
from motcua.domain.payments import FeeAccount, fee_account
from motcua.domain.projection import DossierRecord
from motcua.domain.states import Status, actions_available
from motcua.forms.content import dossier_fee_lines
from motcua.i18n import tr
from motcua.services.accounts import list_users
from motcua.services.changes import Changes
from motcua.services.desk import Desk, lifecycle_actions
from motcua.services.validation import ValidationFailed
from motcua.store.attachments import blob_path
from motcua.store.events import events_of, load_record
from motcua.ui.context import AppContext
from motcua.ui.dossier import dossier_info
from motcua.ui.dossier.action_dialog import ActionDialog, commune_now, sentence
from motcua.ui.dossier.print_menu import PrintMenu
from motcua.ui.models.attachment_list import SHA_ROLE, AttachmentListModel
from motcua.ui.models.document_list import DocumentListModel
from motcua.ui.models.event_list import EventListModel
from motcua.ui.qtcompat import emit
from motcua.ui.widgets import formatting
from motcua.ui.widgets.dialogs import show_error
from motcua.ui.widgets.fitting import Columns, FlowRow

# The information area: (key, caption). The rows in _OPTIONAL_ROWS show only when they say something.
INFO_ROWS = (("applicant", "Người nộp"), ("id_number", "Số giấy tờ"), ("phone", "Điện thoại"),
             ("address", "Địa chỉ"), ("procedure", "Thủ tục"), ("summary", "Trích yếu"),
             ("fee", "Phí, lệ phí"), ("received", "Tiếp nhận"), ("due", "Hạn trả"),
             ("officer", "Cán bộ tiếp nhận"), ("assigned", "Người xử lý"), ("result", "Kết quả giải quyết"),
             ("returned", "Trả kết quả"), ("closing", "Lý do"))
INFO_ROWS_PER_COLUMN = 7
NARROW_PAGE = 760  # device-independent pixels: below it the papers go above the timeline
_OPTIONAL_ROWS = ("fee", "result", "returned", "closing")


def _value_label(text: str = "") -> QLabel:
    label = QLabel(text)
    label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
    label.setWordWrap(True)
    label.setAlignment(Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignTop)
    label.setObjectName("fieldValue")
    return label


class DossierPage(QWidget):
    back_requested = Signal()

    def __init__(self, context: AppContext, parent: QWidget | None = None):
        super().__init__(parent)
        self.context = context
        self.dossier_id: str | None = None
        self.record: DossierRecord | None = None
        self.fees = FeeAccount(0, ())
        self.stages: list[formatting.StageDeadline] = []
        self.action_buttons: dict[str, QPushButton] = {}
        self.open_dialog: ActionDialog | None = None
        self.redraws = 0
        self.setObjectName("dossierPage")

        root = QVBoxLayout(self)
        root.setContentsMargins(16, 12, 16, 12)
        root.setSpacing(10)

        top = FlowRow(spacing=8)  # the code and its badges go under the buttons on a narrow screen
        self.back_button = QPushButton(tr("← Quay lại"))
        self.back_button.setToolTip(tr("Quay lại danh sách (Esc)"))
        self.back_button.clicked.connect(self.back_requested)
        top.addWidget(self.back_button)
        self.code_label = QLabel()
        self.code_label.setObjectName("pageTitle")
        self.code_label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        top.addWidget(self.code_label, 1)
        self.status_label = QLabel()
        self.status_label.setObjectName("statusBadge")
        top.addWidget(self.status_label)
        self.overdue_label = QLabel(tr("Quá hạn"))
        self.overdue_label.setObjectName("overdueBadge")
        top.addWidget(self.overdue_label)
        self.print_button = QToolButton()
        self.print_button.setText(tr("In biểu mẫu"))
        self.print_button.setPopupMode(QToolButton.ToolButtonPopupMode.InstantPopup)
        self.print_button.setToolTip(tr("In giấy tiếp nhận, phiếu kiểm soát… (Ctrl+P)"))
        self.print_menu = PrintMenu(context, self)
        self.print_button.setMenu(self.print_menu)
        top.addWidget(self.print_button)
        root.addLayout(top)

        info = QFrame()
        info.setObjectName("card")
        halves = Columns(info)  # the applicant's half and the deadlines' half, stacked on a narrow screen
        halves.setSpacing(16)
        self.fields: dict[str, QLabel] = {}
        self.field_captions: dict[str, QLabel] = {}
        grids: list[QGridLayout] = []
        for number, (key, caption) in enumerate(INFO_ROWS):
            row = number % INFO_ROWS_PER_COLUMN
            if row == 0:
                half = QWidget()
                grids.append(QGridLayout(half))
                grids[-1].setContentsMargins(0, 0, 0, 0)
                grids[-1].setHorizontalSpacing(16)
                grids[-1].setVerticalSpacing(6)
                grids[-1].setColumnStretch(1, 1)
                grids[-1].setRowStretch(INFO_ROWS_PER_COLUMN, 1)
                halves.addWidget(half, 1)
            title = QLabel(tr(caption))
            title.setObjectName("fieldCaption")
            grids[-1].addWidget(title, row, 0, Qt.AlignmentFlag.AlignTop)
            self.field_captions[key] = title
            self.fields[key] = _value_label()
            self.fields[key].setObjectName(f"field_{key}")
            grids[-1].addWidget(self.fields[key], row, 1)
        root.addWidget(info)

        actions_box = QHBoxLayout()
        caption = QLabel(tr("Thao tác:"))
        caption.setObjectName("sectionTitle")
        actions_box.addWidget(caption, 0, Qt.AlignmentFlag.AlignTop)
        self.actions_row = FlowRow(spacing=6)  # wraps onto more rows instead of widening the page
        actions_box.addLayout(self.actions_row, 1)
        self.no_actions_label = QLabel(tr("Không có thao tác nào bạn được thực hiện ở trạng thái này."))
        self.no_actions_label.setObjectName("muted")
        actions_box.addWidget(self.no_actions_label, 1)
        root.addLayout(actions_box)

        self.splitter = splitter = QSplitter(Qt.Orientation.Horizontal)
        left = QWidget()
        left_box = QVBoxLayout(left)
        left_box.setContentsMargins(0, 0, 0, 0)
        docs_title = QLabel(tr("Giấy tờ trong hồ sơ"))
        docs_title.setObjectName("sectionTitle")
        left_box.addWidget(docs_title)
        self.documents_model = DocumentListModel(self)
        self.documents_model.edited.connect(lambda: self.save_documents_button.setEnabled(True))
        self.documents = QListView()
        self.documents.setObjectName("documentsChecklist")
        self.documents.setModel(self.documents_model)
        self.documents.setWordWrap(True)
        self.documents.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        left_box.addWidget(self.documents, 3)
        self.save_documents_button = QPushButton(tr("Lưu giấy tờ đã nhận"))
        self.save_documents_button.setEnabled(False)
        self.save_documents_button.clicked.connect(self._save_documents)
        left_box.addWidget(self.save_documents_button)
        files_title = QLabel(tr("Tệp đính kèm"))
        files_title.setObjectName("sectionTitle")
        left_box.addWidget(files_title)
        self.attachments_model = AttachmentListModel(self)
        self.attachments = QListView()
        self.attachments.setObjectName("attachments")
        self.attachments.setModel(self.attachments_model)
        self.attachments.setWordWrap(True)
        self.attachments.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        self.attachments.activated.connect(self._open_attachment)
        left_box.addWidget(self.attachments, 1)
        self.no_attachments = QLabel(tr("Chưa có tệp đính kèm."))
        self.no_attachments.setObjectName("muted")
        left_box.addWidget(self.no_attachments)
        self.attach_button = QPushButton(tr("Đính kèm tệp…"))
        self.attach_button.clicked.connect(self.choose_attachment)
        left_box.addWidget(self.attach_button)
        splitter.addWidget(left)

        right = QWidget()
        right_box = QVBoxLayout(right)
        right_box.setContentsMargins(0, 0, 0, 0)
        timeline_title = QLabel(tr("Quá trình xử lý"))
        timeline_title.setObjectName("sectionTitle")
        right_box.addWidget(timeline_title)
        self.timeline_model = EventListModel(self)
        self.timeline = QTableView()
        self.timeline.setObjectName("timeline")
        self.timeline.setModel(self.timeline_model)
        self.timeline.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.timeline.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.timeline.verticalHeader().hide()
        self.timeline.setWordWrap(True)
        header = self.timeline.horizontalHeader()
        header.setSectionResizeMode(0, QHeaderView.ResizeMode.ResizeToContents)
        header.setSectionResizeMode(1, QHeaderView.ResizeMode.ResizeToContents)
        header.setSectionResizeMode(2, QHeaderView.ResizeMode.ResizeToContents)
        header.setStretchLastSection(True)
        right_box.addWidget(self.timeline)
        splitter.addWidget(right)
        splitter.setStretchFactor(0, 2)
        splitter.setStretchFactor(1, 5)
        splitter.setSizes([360, 800])
        root.addWidget(splitter, 1)

        for sequence, handler in ((QKeySequence(Qt.Key.Key_Escape), lambda: emit(self.back_requested)),
                                  (QKeySequence(QKeySequence.StandardKey.Print), self._open_print_menu)):
            shortcut = QShortcut(sequence, self, handler)
            shortcut.setContext(Qt.ShortcutContext.WidgetWithChildrenShortcut)
        # Alt+1 … Alt+9 press the action buttons (explicit shortcuts: button mnemonics are not reliable
        # across platforms and would clash with the hidden Today board's cards).
        for number in range(1, 10):
            shortcut = QShortcut(QKeySequence(f"Alt+{number}"), self, lambda n=number: self._press_action(n))
            shortcut.setContext(Qt.ShortcutContext.WidgetWithChildrenShortcut)
        context.bus.changed.connect(self.on_changes)

    def resizeEvent(self, event: QResizeEvent) -> None:
        super().resizeEvent(event)
        # Papers beside the timeline need about 760 px; on a narrower screen they go above it.
        wanted = Qt.Orientation.Horizontal if event.size().width() >= NARROW_PAGE else Qt.Orientation.Vertical
        if self.splitter.orientation() != wanted:
            self.splitter.setOrientation(wanted)

    # -- loading ---------------------------------------------------------------------------------
    def show_dossier(self, dossier_id: str) -> None:
        self.dossier_id = dossier_id
        self.reload()

    def on_changes(self, changes: Changes) -> None:
        if self.dossier_id and self.dossier_id in changes.dossier_ids:
            self.reload()

    def reload(self) -> None:
        if self.dossier_id is None:
            return
        reader = self.context.reader
        record = load_record(reader, self.dossier_id)
        self.redraws += 1
        self.record = record
        if record is None:
            self.code_label.setText(tr("Không tìm thấy hồ sơ"))
            return
        self.code_label.setText(formatting.dossier_title(record))
        status = Status(record.status)
        self.status_label.setText(status.label)
        colour, background = formatting.STATUS_COLOURS.get(record.status, ("#333", "#eee"))
        self.status_label.setStyleSheet(f"color: {colour}; background: {background};")
        self.overdue_label.setVisible(formatting.is_overdue(record))
        f = self.fields
        f["applicant"].setText(record.applicant_name)
        f["id_number"].setText(record.applicant_id_number)
        f["phone"].setText(record.applicant_phone)
        f["address"].setText(record.applicant_address)
        f["procedure"].setText(f"{record.procedure_name} ({record.procedure_code})")
        f["summary"].setText(record.summary)
        f["received"].setText(formatting.moment(record.received_at))
        due = formatting.moment(record.due_at)
        if record.rescheduled_due_at:
            due = tr("{due} → hẹn lại {new}", due=due, new=formatting.moment(record.rescheduled_due_at))
        if record.paused_since:
            due += tr(" (tạm dừng tính hạn từ {at})", at=formatting.moment(record.paused_since))
        events = events_of(reader, record.id)
        self.stages = formatting.stage_deadlines(events)
        for stage in self.stages[:-1]:  # the last stage ends at the dossier's own due date
            due += "\n" + tr("{who} phải xong trước {at}", who=stage.who, at=formatting.moment(stage.due_at))
        f["due"].setText(due)
        names = {u.username: u.full_name for u in list_users(reader)}
        f["officer"].setText(names.get(record.receiving_officer, record.receiving_officer))
        f["assigned"].setText(formatting.holder_text(record, names))
        self.fees = fee_account(events)
        texts = dossier_info.outcome_texts(record, events, self.fees, dossier_fee_lines(reader, record))
        for key in _OPTIONAL_ROWS:
            f[key].setText(texts.get(key, ""))
            f[key].setVisible(key in texts)
            self.field_captions[key].setVisible(key in texts)
        self._fill_documents(record)
        self._fill_attachments(record)
        self.timeline_model.set_events(events, names)
        self.timeline.resizeRowsToContents()
        self._fill_actions(record)
        self._fill_print_menu(record)

    def _fill_documents(self, record: DossierRecord) -> None:
        editable = self.allows(EventType.DOCUMENTS_UPDATED)
        self.documents_model.set_documents(record.document_list(), editable=editable)
        self.save_documents_button.setEnabled(False)
        self.save_documents_button.setVisible(editable)

    def _fill_attachments(self, record: DossierRecord) -> None:
        self.attachments_model.load(self.context.reader, record.id)
        empty = self.attachments_model.rowCount() == 0
        self.attachments.setVisible(not empty)
        self.no_attachments.setVisible(empty)
        self.attach_button.setVisible(self.allows(EventType.ATTACHMENT_ADDED))

    def allows(self, event_type: str) -> bool:
        """Valid in the dossier's state and allowed to the signed-in role."""
        if self.record is None or self.context.user is None:
            return False
        valid = {a.type for a in actions_available(self.record.state)}
        return event_type in valid and self.context.user.may(event_type)

    def available_actions(self) -> list[str]:
        return [t for t in lifecycle_actions() if t not in (EventType.DOCUMENTS_UPDATED,) and self.allows(t)]

    def _fill_actions(self, record: DossierRecord) -> None:
        for button in self.action_buttons.values():
            self.actions_row.removeWidget(button)
            button.hide()  # at once: the deferred delete waits for the event loop
            button.deleteLater()
        self.action_buttons.clear()
        from motcua.domain.states import ACTIONS

        for number, event_type in enumerate(self.available_actions(), start=1):
            label = sentence(tr(ACTIONS[event_type].label))
            button = QPushButton(f"{number}. {label}" if number < 10 else label)
            button.setObjectName(f"action_{event_type}")
            button.setToolTip(tr("{label} (Alt+{n})", label=label, n=number))
            if event_type in (EventType.RESOLVED, EventType.RETURNED, EventType.HANDED_OVER):
                button.setProperty("primary", True)
            button.clicked.connect(lambda _=False, t=event_type: self.start_action(t))
            self.actions_row.addWidget(button)
            self.action_buttons[event_type] = button
        self.no_actions_label.setVisible(not self.action_buttons)

    def _refocus(self) -> None:
        focus = QApplication.focusWidget()
        if self.isVisible() and (focus is None or not self.isAncestorOf(focus)):
            self.setFocus()

    def _press_action(self, number: int) -> None:
        buttons = list(self.action_buttons.values())
        if 0 < number <= len(buttons):
            buttons[number - 1].click()

    def _fill_print_menu(self, record: DossierRecord) -> None:
        self.print_menu.show_papers(record)

    def _open_print_menu(self) -> None:
        self.print_button.showMenu()

    # -- actions ---------------------------------------------------------------------------------
    def start_action(self, event_type: str) -> ActionDialog | None:
        if self.record is None or not self.allows(event_type):
            return None
        # The steps it may go to and, for each, the active accounts whose role may take it (with the step's
        # deadline: the commune's stage deadline for a staged procedure).
        handover = (Desk(self.context.reader, self.context.data_dir).handover_options(self.record)
                    if event_type == EventType.HANDED_OVER else [])
        default_due = commune_now().addDays(3)
        prefill = dossier_info.action_prefill(event_type, self.record, self.fees)
        dialog = ActionDialog(event_type, formatting.dossier_title(self.record), self, handover=handover,
                              default_due=default_due, prefill=prefill)
        dialog.submitted.connect(lambda values: self._submit(dialog, event_type, values))
        dialog.finished.connect(lambda _result: setattr(self, "open_dialog", None))
        # Its button may have been rebuilt meanwhile: keep the keyboard on this page (Esc, Alt+n).
        dialog.finished.connect(lambda _result: QTimer.singleShot(0, self._refocus))
        self.open_dialog = dialog
        dialog.open()
        return dialog

    def _submit(self, dialog: ActionDialog, event_type: str, values: dict[str, Any]) -> None:
        assert self.dossier_id is not None

        def failed(error: BaseException) -> None:
            if isinstance(error, ValidationFailed):
                dialog.show_errors(error.errors)
            else:
                dialog.set_busy(False)
                show_error(dialog, error)

        dialog.set_busy(True)
        try:
            self.context.act(self.dossier_id, event_type, values, on_done=lambda _r: dialog.accept(),
                             on_error=failed)
        except Exception as error:  # refused before reaching the writer (role check)
            failed(error)

    def checked_documents(self) -> list[dict[str, Any]]:
        return self.documents_model.documents()

    def _save_documents(self) -> None:
        if self.dossier_id is None:
            return
        documents = self.checked_documents()
        self.save_documents_button.setEnabled(False)
        self.context.act(self.dossier_id, EventType.DOCUMENTS_UPDATED, {"documents": documents},
                         on_error=lambda e: show_error(self, e))

    def choose_attachment(self) -> None:
        if self.dossier_id is None:
            return
        name, _ = QFileDialog.getOpenFileName(self, tr("Chọn tệp đính kèm"), str(Path.home()),
                                              tr("Tài liệu (*.pdf *.jpg *.jpeg *.png *.doc *.docx);;Mọi tệp (*)"))
        if name:
            self.context.attach(self.dossier_id, Path(name), on_error=lambda e: show_error(self, e))

    def _open_attachment(self, index: QModelIndex) -> None:
        sha256 = index.data(SHA_ROLE)
        if sha256:
            QDesktopServices.openUrl(QUrl.fromLocalFile(str(blob_path(self.context.data_dir, sha256))))
