"""Hồ sơ: every dossier, searched and filtered in SQL, sorted by any column, opened with Enter.

Filters: text, status, who holds it now («Người xử lý»), procedure (only those with dossiers here), and
the day received — from, to, or both, typed, picked in a calendar or taken from a quick range («Tháng
trước»). A from-day after the to-day is refused in words and the list keeps its last good range. Esc or
«Xóa lọc» clears them all.
"""

from __future__ import annotations

from dataclasses import replace

from PySide6.QtCore import Qt, QTimer, Signal
from PySide6.QtGui import QHideEvent, QKeySequence, QShortcut
from PySide6.QtWidgets import QComboBox, QHBoxLayout, QLabel, QLineEdit, QPushButton, QVBoxLayout, QWidget

from motcua.domain.clock import now
from motcua.domain.states import OPEN, Status
from motcua.domain.text import fold
from motcua.i18n import tr
from motcua.reports.period import QUICK_RANGES, quick_range
from motcua.services.accounts import list_users
from motcua.services.changes import Changes
from motcua.store.queries import DossierFilter, procedures_in_use
from motcua.ui.context import AppContext
from motcua.ui.dossier.print_menu import TrackingBookDialog, open_tracking_book
from motcua.ui.lists.dossier_view import DossierTableView
from motcua.ui.lists.filter_widgets import OptionalDateEdit, ProcedurePicker
from motcua.ui.models.dossier_table import DossierTableModel
from motcua.ui.qtcompat import emit
from motcua.ui.widgets.fitting import FlowRow

ALL_TIME = "all"
CUSTOM_RANGE = "custom"
_SEPARATE_AFTER = ("this_year",)  # a line between the calendar ranges and the «N ngày qua» ones


def hidden_columns(flt: DossierFilter) -> frozenset[str]:
    """The step's deadline lives on Hôm nay and the dossier page; «Trả kết quả» shows when the list is filtered
    to returned dossiers (elsewhere the status says it, and the procedure's name needs the room at 1366 px)."""
    if int(Status.RETURNED) in flt.statuses:
        return frozenset({"step_due_at"})
    return frozenset({"step_due_at", "returned_at"})


def _labelled(text: str, buddy: QWidget) -> QLabel:
    label = QLabel(text)
    label.setBuddy(buddy)  # Alt+ the underlined letter moves to the field
    return label


class DossierListPage(QWidget):
    open_dossier = Signal(str)

    def __init__(self, context: AppContext, parent: QWidget | None = None):
        super().__init__(parent)
        self.context = context
        self.setObjectName("dossierListPage")
        root = QVBoxLayout(self)
        root.setContentsMargins(20, 16, 20, 16)
        root.setSpacing(10)
        title = QLabel(tr("Hồ sơ"))
        title.setObjectName("pageTitle")
        header = QHBoxLayout()
        header.addWidget(title)
        header.addStretch(1)
        self.book_button = QPushButton(tr("In &sổ theo dõi…"))
        self.book_button.setObjectName("trackingBookButton")
        self.book_button.setToolTip(tr("Sổ theo dõi hồ sơ tiếp nhận trong một khoảng ngày (Ctrl+P)"))
        self.book_button.clicked.connect(self.print_tracking_book)
        header.addWidget(self.book_button)
        root.addLayout(header)
        book = QShortcut(QKeySequence(QKeySequence.StandardKey.Print), self, self.print_tracking_book)
        book.setContext(Qt.ShortcutContext.WidgetWithChildrenShortcut)

        # -- first row: words, status, how many ------------------------------------------------
        bar = FlowRow()  # both rows wrap on a narrow screen: the status, «Xóa lọc» and the count stay in view
        self.search = QLineEdit()
        self.search.setObjectName("searchBox")
        self.search.setClearButtonEnabled(True)
        self.search.setPlaceholderText(tr("Tìm theo mã hồ sơ, họ tên, số CCCD, điện thoại, thủ tục… (Ctrl+F)"))
        bar.addWidget(self.search, 3)
        self.status = QComboBox()
        self.status.setObjectName("statusFilter")
        self.status.addItem(tr("Mọi trạng thái"), ())
        self.status.addItem(tr("Đang giải quyết"), tuple(sorted(int(s) for s in OPEN)))
        for status in Status:
            self.status.addItem(status.label, (int(status),))
        self.status.setToolTip(tr("Lọc theo trạng thái"))
        bar.addWidget(_labelled(tr("T&rạng thái"), self.status))
        bar.addWidget(self.status, 1)
        self.holder = QComboBox()
        self.holder.setObjectName("holderFilter")
        self.holder.setToolTip(tr("Lọc theo người đang xử lý hồ sơ"))
        self._fill_holders()
        bar.addWidget(_labelled(tr("Người &xử lý"), self.holder))
        bar.addWidget(self.holder, 1)
        self.count_label = QLabel()
        self.count_label.setObjectName("muted")
        self.count_label.setAlignment(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
        # wide enough for any count, so the filters do not shift as it changes
        self.count_label.setMinimumWidth(self.count_label.fontMetrics().horizontalAdvance("888.888 hồ sơ") + 4)
        bar.addWidget(self.count_label)
        root.addLayout(bar)

        # -- second row: procedure, days received, clear ---------------------------------------
        filters = FlowRow()
        self.procedure = ProcedurePicker()
        self.procedure.setObjectName("procedureFilter")
        self.procedure.setToolTip(tr("Lọc theo thủ tục: gõ mã hoặc tên (có dấu hoặc không), Enter để chọn"))
        filters.addWidget(_labelled(tr("Thủ tụ&c"), self.procedure))
        filters.addWidget(self.procedure, 1)
        self.received_from = OptionalDateEdit(tr("không giới hạn"))
        self.received_from.setObjectName("receivedFrom")
        self.received_to = OptionalDateEdit(tr("không giới hạn"))
        self.received_to.setObjectName("receivedTo")
        for edit in (self.received_from, self.received_to):
            edit.setToolTip(tr("Ngày tiếp nhận (dd/mm/yyyy). Để «không giới hạn» hoặc bấm Delete để bỏ ngày này."))
        filters.addSpacing(8)
        filters.addWidget(_labelled(tr("Nhận &từ ngày"), self.received_from))
        filters.addWidget(self.received_from)
        filters.addWidget(_labelled(tr("đế&n ngày"), self.received_to))
        filters.addWidget(self.received_to)
        self.period = QComboBox()
        self.period.setObjectName("periodFilter")
        self.period.setAccessibleName(tr("Chọn nhanh khoảng ngày tiếp nhận"))
        self.period.addItem(tr("Mọi thời gian"), ALL_TIME)
        for key, label in QUICK_RANGES:
            self.period.addItem(tr(label), key)
            if key in _SEPARATE_AFTER:
                self.period.insertSeparator(self.period.count())
        self.period.insertSeparator(self.period.count())
        self.period.addItem(tr("Khoảng tự chọn"), CUSTOM_RANGE)
        filters.addWidget(self.period)
        self.clear_button = QPushButton(tr("&Xóa lọc"))
        self.clear_button.setObjectName("clearFilters")
        self.clear_button.setToolTip(tr("Bỏ mọi điều kiện lọc và tìm kiếm (Esc)"))
        filters.addSpacing(8)
        filters.addWidget(self.clear_button)
        root.addLayout(filters)
        self.range_error = QLabel()
        self.range_error.setObjectName("fieldError")
        self.range_error.setWordWrap(True)
        self.range_error.hide()
        root.addWidget(self.range_error)

        self.procedure.set_procedures(procedures_in_use(context.reader))
        self.model = DossierTableModel(context.reader, self.current_filter(), parent=self)
        self.view = DossierTableView()
        self.view.setObjectName("dossierList")
        self.view.hide_columns(hidden_columns(self.model.filter))
        self.view.setModel(self.model)
        self.view.open_requested.connect(self.open_dossier)
        root.addWidget(self.view, 1)
        for first, second in zip(
                (self.search, self.status, self.holder, self.procedure, self.received_from, self.received_to,
                 self.period, self.clear_button),
                (self.status, self.holder, self.procedure, self.received_from, self.received_to, self.period,
                 self.clear_button, self.view), strict=True):
            QWidget.setTabOrder(first, second)

        self._debounce = QTimer(self)
        self._debounce.setSingleShot(True)
        self._debounce.setInterval(250)
        self._debounce.timeout.connect(self.apply_filter)
        self.search.textChanged.connect(lambda _t: self._debounce.start())
        self.search.returnPressed.connect(self._search_now)
        self.status.currentIndexChanged.connect(lambda _i: self.apply_filter())
        self.holder.currentIndexChanged.connect(lambda _i: self.apply_filter())
        self.procedure.currentIndexChanged.connect(lambda _i: self.apply_filter())
        self.received_from.dateChanged.connect(lambda _d: self._dates_edited())
        self.received_to.dateChanged.connect(lambda _d: self._dates_edited())
        for edit in (self.received_from, self.received_to):
            edit.committed.connect(lambda: self.apply_filter())  # Enter after typing a date: at once
        self.period.currentIndexChanged.connect(lambda _i: self._period_chosen())
        self.clear_button.clicked.connect(lambda _=False: self.clear_filters())
        clear = QShortcut(QKeySequence(Qt.Key.Key_Escape), self, self.clear_filters)
        clear.setContext(Qt.ShortcutContext.WidgetWithChildrenShortcut)  # only while this page shows
        context.bus.changed.connect(self.on_changes)
        self._update_count()

    # -- filters ---------------------------------------------------------------------------------
    def current_filter(self) -> DossierFilter:
        """What the inputs say now (the date range may be backwards: see ``range_problem``)."""
        return DossierFilter(statuses=tuple(self.status.currentData() or ()), text=self.search.text().strip(),
                             procedure_code=self.procedure.code(), received_from=self.received_from.value(),
                             received_to=self.received_to.value(), holder=self.holder.currentData() or "")

    def _fill_holders(self) -> None:
        """Every account by full name (the signed-in one first: «Tôi»), then agencies holding dossiers."""
        chosen = self.holder.currentData()
        self.holder.blockSignals(True)
        self.holder.clear()
        self.holder.addItem(tr("Mọi người"), "")
        me = self.context.user
        if me is not None:
            self.holder.addItem(tr("Tôi — {name}", name=me.full_name), me.username)
        users = [u for u in list_users(self.context.reader) if me is None or u.username != me.username]
        for user in sorted(users, key=lambda u: (not u.active, fold(u.full_name))):
            label = user.display if user.active else tr("{who} (đã khóa)", who=user.display)
            self.holder.addItem(label, user.username)
        self.holder.setCurrentIndex(max(self.holder.findData(chosen), 0))
        self.holder.blockSignals(False)

    def show_holder(self, username: str) -> None:
        """Filter the list to the dossiers this account holds now."""
        self.holder.setCurrentIndex(max(self.holder.findData(username), 0))

    def range_problem(self) -> str:
        first, last = self.received_from.value(), self.received_to.value()
        if first is not None and last is not None and first > last:
            return tr("«Nhận từ ngày» ({first:%d/%m/%Y}) sau «đến ngày» ({last:%d/%m/%Y}) nên danh sách chưa lọc "
                      "theo khoảng ngày này. Hãy sửa lại một trong hai ngày.", first=first, last=last)
        return ""

    def apply_filter(self) -> bool:
        """Filter the list by the inputs; False when the date range was refused (the last good one stays)."""
        self._debounce.stop()
        flt = self.current_filter()
        problem = self.range_problem()
        if problem:
            kept = self.model.filter
            flt = replace(flt, received_from=kept.received_from, received_to=kept.received_to)
        self.range_error.setText(problem)
        self.range_error.setVisible(bool(problem))
        for edit in (self.received_from, self.received_to):
            edit.setAccessibleDescription(problem)
        self.model.set_filter(flt)
        self.view.hide_columns(hidden_columns(flt))
        self._update_count()
        return not problem

    def clear_filters(self) -> None:
        """Every dossier again: no words, any status, every procedure, any day."""
        for widget in (self.search, self.status, self.holder, self.procedure, self.received_from, self.received_to,
                       self.period):
            widget.blockSignals(True)
        try:
            self.search.clear()
            self.status.setCurrentIndex(0)
            self.holder.setCurrentIndex(0)
            self.procedure.set_code("")
            self.received_from.set_value(None)
            self.received_to.set_value(None)
            self.period.setCurrentIndex(0)
        finally:
            for widget in (self.search, self.status, self.holder, self.procedure, self.received_from,
                           self.received_to, self.period):
                widget.blockSignals(False)
        self._show_period_tooltip()
        self.apply_filter()

    def _period_chosen(self) -> None:
        key = self.period.currentData()
        if key == CUSTOM_RANGE:  # the days typed or picked stay as they are
            return
        first = last = None
        if key != ALL_TIME:
            span = quick_range(key, now().date())
            first, last = span.first, span.last
        for edit, day in ((self.received_from, first), (self.received_to, last)):
            edit.blockSignals(True)
            edit.set_value(day)
            edit.blockSignals(False)
        self._show_period_tooltip()
        self.apply_filter()

    def _dates_edited(self) -> None:
        both_empty = self.received_from.is_empty() and self.received_to.is_empty()
        self.period.blockSignals(True)
        self.period.setCurrentIndex(self.period.findData(ALL_TIME if both_empty else CUSTOM_RANGE))
        self.period.blockSignals(False)
        self._show_period_tooltip()
        self._debounce.start()  # typing a date passes through other dates: filter once it settles

    def _show_period_tooltip(self) -> None:
        first, last = self.received_from.value(), self.received_to.value()
        if first is None and last is None:
            span = tr("mọi ngày")
        elif last is None:
            span = tr("từ {a:%d/%m/%Y}", a=first)
        elif first is None:
            span = tr("đến {b:%d/%m/%Y}", b=last)
        else:
            span = tr("từ {a:%d/%m/%Y} đến {b:%d/%m/%Y}", a=first, b=last)
        self.period.setToolTip(tr("Chọn nhanh khoảng ngày tiếp nhận — đang lọc: {span}", span=span))

    # -- the rest --------------------------------------------------------------------------------
    def _search_now(self) -> None:
        self.apply_filter()
        if self.model.rowCount() == 1 and self.search.text().strip():  # one hit: Enter opens it
            emit(self.open_dossier, self.model.id_at(0))
            return
        if self.model.rowCount():
            self.view.setFocus()
            self.view.selectRow(0)

    def print_tracking_book(self) -> TrackingBookDialog:
        return open_tracking_book(self.context, self)

    def focus_search(self) -> None:
        self.search.setFocus()
        self.search.selectAll()

    def hideEvent(self, event: QHideEvent) -> None:
        if self._debounce.isActive():  # what was typed still counts; no timer outlives the page's reader
            self.apply_filter()
        super().hideEvent(event)

    def on_changes(self, changes: Changes) -> None:
        if changes.settings:   # an account added or locked
            self._fill_holders()
        if changes.dossiers or changes.dossier_ids:
            self.procedure.set_procedures(procedures_in_use(self.context.reader))  # a first dossier of a procedure
        self.model.apply_changes(changes)
        self._update_count()

    def _update_count(self) -> None:
        self.count_label.setText(tr("{n} hồ sơ", n=f"{self.model.rowCount():,}".replace(",", ".")))
