"""Hồ sơ: every dossier, searched and filtered in SQL, sorted by any column, opened with Enter."""

from __future__ import annotations

from datetime import timedelta

from PySide6.QtCore import QTimer, Signal
from PySide6.QtWidgets import QComboBox, QHBoxLayout, QLabel, QLineEdit, QVBoxLayout, QWidget

from motcua.domain.clock import now
from motcua.domain.states import OPEN, Status
from motcua.i18n import tr
from motcua.services.changes import Changes
from motcua.store.queries import DossierFilter
from motcua.ui.context import AppContext
from motcua.ui.dossier_view import DossierTableView
from motcua.ui.models.dossier_table import DossierTableModel

PERIODS = (("Mọi thời gian", None), ("7 ngày qua", 7), ("30 ngày qua", 30), ("90 ngày qua", 90),
           ("12 tháng qua", 365))


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
        root.addWidget(title)

        bar = QHBoxLayout()
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
        bar.addWidget(self.status, 2)
        self.period = QComboBox()
        self.period.setObjectName("periodFilter")
        for label, days in PERIODS:
            self.period.addItem(tr(label), days)
        self.period.setToolTip(tr("Lọc theo ngày tiếp nhận"))
        bar.addWidget(self.period, 1)
        self.count_label = QLabel()
        self.count_label.setObjectName("muted")
        bar.addWidget(self.count_label)
        root.addLayout(bar)

        self.model = DossierTableModel(context.reader, self.current_filter(), parent=self)
        self.view = DossierTableView()
        self.view.setObjectName("dossierList")
        self.view.setModel(self.model)
        self.view.open_requested.connect(self.open_dossier)
        root.addWidget(self.view, 1)

        self._debounce = QTimer(self)
        self._debounce.setSingleShot(True)
        self._debounce.setInterval(250)
        self._debounce.timeout.connect(self.apply_filter)
        self.search.textChanged.connect(lambda _t: self._debounce.start())
        self.search.returnPressed.connect(self._search_now)
        self.status.currentIndexChanged.connect(lambda _i: self.apply_filter())
        self.period.currentIndexChanged.connect(lambda _i: self.apply_filter())
        context.bus.changed.connect(self.on_changes)
        self._update_count()

    def current_filter(self) -> DossierFilter:
        days = self.period.currentData()
        received_from = (now() - timedelta(days=days)).date() if days else None
        return DossierFilter(statuses=tuple(self.status.currentData() or ()), text=self.search.text().strip(),
                             received_from=received_from)

    def apply_filter(self) -> None:
        self._debounce.stop()
        self.model.set_filter(self.current_filter())
        self._update_count()

    def _search_now(self) -> None:
        self.apply_filter()
        if self.model.rowCount():
            self.view.setFocus()
            self.view.selectRow(0)

    def focus_search(self) -> None:
        self.search.setFocus()
        self.search.selectAll()

    def on_changes(self, changes: Changes) -> None:
        self.model.apply_changes(changes)
        self._update_count()

    def _update_count(self) -> None:
        self.count_label.setText(tr("{n} hồ sơ", n=f"{self.model.rowCount():,}".replace(",", ".")))
