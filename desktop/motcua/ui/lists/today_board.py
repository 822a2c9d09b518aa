"""Hôm nay: what needs doing today — first my own work (the dossiers waiting for me at my step, the
steps of mine due today and overdue), then the whole office's (due today, overdue, waiting for
supplements, ready to return).

Each card counts exactly what its list shows: both use the card's one ``DossierFilter``. A stopped
clock (waiting for the citizen's supplement or fee) is never due today nor overdue.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from dataclasses import dataclass

from PySide6.QtCore import Qt, QTimer, Signal
from PySide6.QtGui import QKeySequence, QShortcut, QShowEvent
from PySide6.QtWidgets import QButtonGroup, QGridLayout, QLabel, QPushButton, QVBoxLayout, QWidget

from motcua.domain.clock import now
from motcua.domain.states import Status
from motcua.i18n import tr
from motcua.services.changes import Changes
from motcua.store.queries import DossierFilter, count_dossiers
from motcua.ui.context import AppContext
from motcua.ui.lists.dossier_view import DossierTableView
from motcua.ui.models.dossier_table import DossierTableModel

WEEKDAYS = ("thứ Hai", "thứ Ba", "thứ Tư", "thứ Năm", "thứ Sáu", "thứ Bảy", "Chủ nhật")


@dataclass(frozen=True)
class Bucket:
    key: str
    title: str
    hint: str
    make_filter: Callable[[str], DossierFilter]   # given the signed-in account's name
    sort: str
    descending: bool
    mine: bool = False


BUCKETS: tuple[Bucket, ...] = (
    Bucket("mine", "Việc của tôi", "hồ sơ đang chờ tôi xử lý",
           lambda me: DossierFilter(holder=me), "step_due_at", False, mine=True),
    Bucket("mine_due_today", "Của tôi đến hạn hôm nay", "bước tôi giữ phải xong trong ngày",
           lambda me: DossierFilter(holder=me, step_due_on=now().date()), "step_due_at", False, mine=True),
    Bucket("mine_overdue", "Của tôi quá hạn", "bước tôi giữ đã quá hạn",
           lambda me: DossierFilter(holder=me, step_overdue_at=now()), "step_due_at", False, mine=True),
    Bucket("due_today", "Đến hạn hôm nay", "hồ sơ phải trả trong ngày",
           lambda _me: DossierFilter(due_on=now().date()), "due_at", False),
    Bucket("overdue", "Quá hạn", "đang xử lý, đã quá hạn trả",
           lambda _me: DossierFilter(overdue_at=now()), "due_at", False),
    Bucket("supplement", "Chờ bổ sung", "chờ công dân bổ sung giấy tờ",
           lambda _me: DossierFilter(statuses=(int(Status.SUPPLEMENT_REQUESTED),)), "updated_at", False),
    Bucket("ready", "Chờ trả kết quả", "đã xử lý xong, chờ trả",
           lambda _me: DossierFilter(statuses=(int(Status.RESOLVED),)), "resolved_at", False),
)
OVERDUE_KEYS = frozenset({"overdue", "mine_overdue"})
# No card lists a returned dossier, so «Trả kết quả» is always empty here: its room goes to the procedure.
MINE_HIDDEN = frozenset({"received_at", "assigned_to", "returned_at"})
OFFICE_HIDDEN = frozenset({"step_due_at", "returned_at"})


class BoardCard(QPushButton):
    """A big, checkable card: the count large, what it counts below."""

    def __init__(self, bucket: Bucket, parent: QWidget | None = None):
        super().__init__(parent)
        self.setObjectName("boardCard")
        self.setCheckable(True)
        self.setMinimumHeight(96)
        box = QVBoxLayout(self)
        box.setContentsMargins(14, 8, 14, 8)
        box.setSpacing(0)
        self.count = QLabel("0")
        self.count.setObjectName("cardCount")
        self.title = QLabel(tr(bucket.title))
        self.title.setObjectName("cardTitle")
        self.hint = QLabel(tr(bucket.hint))
        self.hint.setObjectName("cardHint")
        for label in (self.count, self.title, self.hint):
            label.setAttribute(Qt.WidgetAttribute.WA_TransparentForMouseEvents)
            box.addWidget(label)

    def set_count(self, count: int, *, alert: bool = False) -> None:
        text = f"{count:,}".replace(",", ".")
        self.count.setText(text)
        self.setAccessibleName(f"{self.title.text()}: {text}")
        if self.count.property("alert") == alert:
            return
        self.count.setProperty("alert", alert)
        if self.count.testAttribute(Qt.WidgetAttribute.WA_WState_Polished):  # not yet shown: polished when it is
            self.count.style().unpolish(self.count)
            self.count.style().polish(self.count)


class TodayBoard(QWidget):
    open_dossier = Signal(str)

    def __init__(self, context: AppContext, parent: QWidget | None = None):
        super().__init__(parent)
        self.context = context
        self.setObjectName("todayBoard")
        self.current = BUCKETS[0]
        self._refreshed_at = 0.0
        root = QVBoxLayout(self)
        root.setContentsMargins(20, 16, 20, 16)
        root.setSpacing(12)
        self.title = QLabel()
        self.title.setObjectName("pageTitle")
        root.addWidget(self.title)

        # Two rows: mine (three cards and who I am), then the whole office (four cards).
        cards = QGridLayout()
        cards.setHorizontalSpacing(12)
        cards.setVerticalSpacing(8)
        self.group = QButtonGroup(self)
        self.group.setExclusive(True)
        self.cards: dict[str, BoardCard] = {}
        self.counts: dict[str, int] = {}
        self.me_label = QLabel()
        self.me_label.setObjectName("muted")
        self.me_label.setWordWrap(True)
        mine_column = office_column = 0
        for number, bucket in enumerate(BUCKETS, start=1):
            card = BoardCard(bucket)
            card.setToolTip(tr("{title}: {hint} (Alt+{n})", title=tr(bucket.title), hint=tr(bucket.hint), n=number))
            card.clicked.connect(lambda _=False, b=bucket: self.select(b.key))
            shortcut = QShortcut(QKeySequence(f"Alt+{number}"), self, lambda b=bucket: self.select(b.key))
            shortcut.setContext(Qt.ShortcutContext.WidgetWithChildrenShortcut)  # not while another page shows
            self.group.addButton(card)
            if bucket.mine:
                cards.addWidget(card, 0, mine_column)
                mine_column += 1
            else:
                cards.addWidget(card, 1, office_column)
                office_column += 1
            self.cards[bucket.key] = card
        cards.addWidget(self.me_label, 0, mine_column)
        root.addLayout(cards)

        self.list_title = QLabel()
        self.list_title.setObjectName("sectionTitle")
        root.addWidget(self.list_title)
        self.model = DossierTableModel(context.reader, self.current.make_filter(self.me), sort=self.current.sort,
                                       descending=self.current.descending, parent=self)
        self._model_fresh = True  # the model has just loaded its rows: the first refresh need not reload them
        self.view = DossierTableView()
        self.view.setObjectName("todayList")
        self.view.setModel(self.model)
        self.view.open_requested.connect(self.open_dossier)
        root.addWidget(self.view, 1)
        # No emoji: the fonts of an old Windows or Debian desk draw it as an empty box.
        self.empty = QLabel(tr("Không có hồ sơ nào trong mục này."))
        self.empty.setObjectName("muted")
        self.empty.setAlignment(Qt.AlignmentFlag.AlignHCenter | Qt.AlignmentFlag.AlignTop)
        root.addWidget(self.empty, 1)  # takes the list's room when the list is hidden: the cards stay on top
        context.bus.changed.connect(self.on_changes)
        # Overdue depends on the clock, not only on writes: recount every few minutes while shown.
        self._clock = QTimer(self)
        self._clock.setInterval(5 * 60 * 1000)
        self._clock.timeout.connect(lambda: self.refresh() if self.isVisible() else None)
        self._clock.start()
        self.refresh()

    @property
    def me(self) -> str:
        return self.context.user.username if self.context.user is not None else ""

    def select(self, key: str) -> None:
        self.current = next(b for b in BUCKETS if b.key == key)
        self.cards[key].setChecked(True)
        self._show_list()
        self.view.setFocus()

    def on_changes(self, changes: Changes) -> None:
        if changes.dossiers or changes.dossier_ids or changes.settings or changes.calendar:
            self.refresh()

    def refresh(self) -> None:
        self._refreshed_at = time.monotonic()
        moment = now()
        settings = self.context.settings()
        self.title.setText(tr("Hôm nay, {weekday} {day} — {commune}", weekday=tr(WEEKDAYS[moment.weekday()]),
                              day=moment.strftime("%d/%m/%Y"), commune=settings.commune_name))
        user = self.context.user
        if user is not None:
            self.me_label.setText(tr("{name}\n{roles}", name=user.full_name, roles=user.role_label))
        for bucket in BUCKETS:
            count = count_dossiers(self.context.reader, bucket.make_filter(self.me))
            self.counts[bucket.key] = count
            self.cards[bucket.key].set_count(count, alert=bucket.key in OVERDUE_KEYS and count > 0)
        self.cards[self.current.key].setChecked(True)
        self._show_list()

    def _show_list(self) -> None:
        bucket = self.current
        # My cards: the step and its deadline matter, I am the holder; the office's: who holds it.
        self.view.hide_columns(MINE_HIDDEN if bucket.mine else OFFICE_HIDDEN)
        if bucket.sort != self.model.sort_key or bucket.descending != self.model.descending:
            self.model = DossierTableModel(self.context.reader, bucket.make_filter(self.me), sort=bucket.sort,
                                           descending=bucket.descending, parent=self)
            self.view.setModel(self.model)
        else:
            flt = bucket.make_filter(self.me)
            if flt != self.model.filter:
                self.model.set_filter(flt)
            elif not self._model_fresh:
                self.model.reload()
        self._model_fresh = False
        self.list_title.setText(tr("{title} — {n} hồ sơ", title=tr(bucket.title),
                                    n=f"{self.model.rowCount():,}".replace(",", ".")))
        self.empty.setVisible(self.model.rowCount() == 0)
        self.view.setVisible(self.model.rowCount() > 0)

    def showEvent(self, event: QShowEvent) -> None:
        super().showEvent(event)
        if time.monotonic() - self._refreshed_at > 30:
            self.refresh()  # overdue depends on the clock: recount when the board comes back later
