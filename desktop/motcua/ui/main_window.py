"""The main window: navigation on the left, pages on the right, a shortcut for everything.

Pages are built on first use (a 100,000-dossier store opens on the Today board without loading the
full list); each is imported where it is built, statically, so a missing page fails at import.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from PySide6.QtCore import QEvent, QObject, Qt, QTimer, Signal
from PySide6.QtGui import QAction, QCloseEvent, QKeySequence
from PySide6.QtWidgets import (
    QAbstractItemView,
    QButtonGroup,
    QDialog,
    QFrame,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QMainWindow,
    QMessageBox,
    QPushButton,
    QStackedWidget,
    QVBoxLayout,
    QWidget,
)

from motcua import __version__
from motcua.i18n import tr
from motcua.services.accounts import INTAKE
from motcua.services.changes import Changes
from motcua.ui.context import AppContext
from motcua.ui.session.idle_lock import install_idle_lock
from motcua.ui.widgets.dialogs import show_error
from motcua.ui.widgets.fitting import PageHolder, compact_combos, fit_size

if TYPE_CHECKING:
    from motcua.ui.dossier.dossier_page import DossierPage
    from motcua.ui.guidance.help_window import HelpWindow
    from motcua.ui.intake.intake_wizard import IntakeWizard
from motcua.ui.qtcompat import emit

PageFactory = Callable[[], QWidget]
LIST_PAGES = frozenset({"today", "dossiers", "reports"})  # pages that are a list first: the keyboard lands on it


def focus_main_list(page: QWidget) -> None:
    """Put the keyboard on the page's first visible list (not on the sidebar button that was clicked)."""
    for view in page.findChildren(QAbstractItemView):
        if view.isVisible() and view.isEnabled() and not isinstance(view, QHeaderView):
            view.setFocus(Qt.FocusReason.OtherFocusReason)
            if not view.currentIndex().isValid() and view.model() is not None and view.model().rowCount():
                view.setCurrentIndex(view.model().index(0, 0))
            return
    page.setFocus()


@dataclass
class Page:
    key: str
    name: str
    shortcut: str
    factory: PageFactory | None
    button: QPushButton
    holder: QWidget
    widget: QWidget | None = None
    extra: dict[str, object] = field(default_factory=dict)


class MainWindow(QMainWindow):
    sign_out_requested = Signal()

    def __init__(self, context: AppContext, parent: QWidget | None = None):
        super().__init__(parent)
        self.context = context
        self.pages: dict[str, Page] = {}
        self._history: list[str] = []
        self.intake_window: IntakeWizard | None = None
        self.help_window: HelpWindow | None = None
        self.setObjectName("mainWindow")

        central = QWidget()
        layout = QHBoxLayout(central)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setSpacing(0)
        self.nav = QFrame()
        self.nav.setObjectName("nav")
        self.nav.setFixedWidth(224)
        nav_box = QVBoxLayout(self.nav)
        nav_box.setContentsMargins(10, 14, 10, 12)
        nav_box.setSpacing(4)
        brand = QLabel(tr("MỘT CỬA XÃ"))
        brand.setObjectName("brand")
        nav_box.addWidget(brand)
        self.commune_label = QLabel()
        self.commune_label.setObjectName("navCommune")
        self.commune_label.setWordWrap(True)
        nav_box.addWidget(self.commune_label)
        nav_box.addSpacing(10)
        self.intake_button = QPushButton(tr("Tiếp nhận hồ sơ mới"))
        self.intake_button.setObjectName("intakeButton")
        self.intake_button.setToolTip(tr("Tiếp nhận hồ sơ mới (Ctrl+N)"))
        self.intake_button.clicked.connect(self.open_intake)
        self.intake_button.setVisible(context.signed_in.may(INTAKE))
        nav_box.addWidget(self.intake_button)
        nav_box.addSpacing(8)
        self.nav_buttons = QVBoxLayout()
        self.nav_buttons.setSpacing(2)
        nav_box.addLayout(self.nav_buttons)
        nav_box.addStretch(1)
        user = context.signed_in
        who = QLabel(f"{user.full_name}\n{user.role_label}")
        who.setObjectName("navUser")
        who.setWordWrap(True)
        nav_box.addWidget(who)
        sign_out = QPushButton(tr("Đăng xuất"))
        sign_out.setObjectName("navSignOut")
        sign_out.setToolTip(tr("Đăng xuất (Ctrl+Shift+L)"))
        sign_out.clicked.connect(self.sign_out_requested)
        nav_box.addWidget(sign_out)
        nav_scroll = PageHolder()  # on a short screen (768 px at 150 %) the sidebar scrolls, the window stays
        nav_scroll.setObjectName("navScroll")
        nav_scroll.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        nav_scroll.setFixedWidth(self.nav.width())
        self.nav.setMinimumWidth(self.nav.width() - 16)
        self.nav.setMaximumWidth(self.nav.width())
        nav_scroll.setWidget(self.nav)
        layout.addWidget(nav_scroll)

        self.stack = QStackedWidget()
        self.stack.setObjectName("pages")
        layout.addWidget(self.stack, 1)
        self.setCentralWidget(central)
        self.group = QButtonGroup(self)
        self.group.setExclusive(True)

        self.status_text = QLabel()
        self.statusBar().addWidget(self.status_text, 1)
        hint = QLabel(tr("F1: trợ giúp, phím tắt  ·  phiên bản {v}", v=__version__))
        hint.setObjectName("muted")
        self.statusBar().addPermanentWidget(hint)
        context.runner.busy.connect(self._busy)
        context.runner.progress.connect(self._progress)
        context.runner.unhandled_error.connect(lambda error: show_error(self, error))

        self._build_pages()
        self._build_shortcuts()
        install_idle_lock(self, context)
        self._show_settings()
        context.bus.changed.connect(lambda changes: self._show_settings() if changes.settings else None)
        # The frame is painted first; the board (imports, counts, first rows) is built right after that
        # first paint, so the window is on screen while the 100,000-row store is being queried.
        self.pages["today"].button.setChecked(True)
        self.stack.setCurrentWidget(self.pages["today"].holder)
        self.stack.installEventFilter(self)

    # -- pages -----------------------------------------------------------------------------------
    def _build_pages(self) -> None:
        ctx = self.context
        self.add_page(tr("Hôm nay"), self._today, "Ctrl+1", key="today")
        self.add_page(tr("Hồ sơ"), self._dossiers, "Ctrl+2", key="dossiers")
        self.add_page(tr("Tra cứu thủ tục"), self._guidance, "Ctrl+3", key="guidance")
        self.add_page(tr("Báo cáo"), self._reports, "Ctrl+4", key="reports")
        self.add_page(tr("Đồng bộ"), lambda: _sync_page(ctx), "Ctrl+5", key="sync")
        self.add_page(tr("Cài đặt"), lambda: _settings_page(ctx), "Ctrl+6", key="settings")
        self._dossier_page: QWidget | None = None
        self._dossier_holder: PageHolder | None = None

    @property
    def dossier_page(self) -> DossierPage:
        """Built on first use: most sessions start on the board, not on one dossier."""
        if self._dossier_page is None:
            from motcua.ui.dossier.dossier_page import DossierPage

            page = DossierPage(self.context)
            page.back_requested.connect(self.go_back)
            compact_combos(page)
            self._dossier_holder = PageHolder()
            self._dossier_holder.setWidget(page)
            self.stack.addWidget(self._dossier_holder)
            self._dossier_page = page
        return self._dossier_page  # type: ignore[return-value]

    def _show_settings(self) -> None:
        settings = self.context.settings()
        # The system adds the application's name itself («Xã Ea Kao — Một Cửa Xã»): not twice.
        self.setWindowTitle(settings.commune_name or tr("chưa khai báo xã"))
        self.commune_label.setText(settings.commune_name + (f"\n{settings.province_name}"
                                                            if settings.province_name else ""))

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if watched is self.stack and event.type() == QEvent.Type.Paint:
            self.stack.removeEventFilter(self)
            QTimer.singleShot(0, self._first_page)
        return super().eventFilter(watched, event)

    def _first_page(self) -> None:
        if not self._history and self.isVisible():  # not if the window was closed before it got here
            self.show_page("today")

    def _today(self) -> QWidget:
        from motcua.ui.lists.today_board import TodayBoard

        board = TodayBoard(self.context)
        board.open_dossier.connect(self.open_dossier)
        return board

    def _dossiers(self) -> QWidget:
        from motcua.ui.lists.dossier_list_page import DossierListPage

        page = DossierListPage(self.context)
        page.open_dossier.connect(self.open_dossier)
        return page

    def _guidance(self) -> QWidget:
        from motcua.ui.guidance.guidance_page import GuidancePage

        page = GuidancePage(self.context)
        page.intake_requested.connect(self.start_intake)
        return page

    def _reports(self) -> QWidget:
        from motcua.paths import store_file
        from motcua.store.db import connect
        from motcua.ui.background import BackgroundReads
        from motcua.ui.reports.reports_page import ReportsPage

        # Its own connection, used by its own background thread: a cold yearly report takes seconds
        # and must not freeze the window or share the GUI thread's reader.
        runner = BackgroundReads(self)
        page = ReportsPage(connect(store_file(self.context.data_dir)), unit_name=self.context.settings().commune_name,
                           runner=runner)
        page.background = runner  # type: ignore[attr-defined]
        page.drill_down.connect(self._show_codes)
        return page

    def _show_codes(self, codes: list[str]) -> None:
        """Drill-down from a report figure: the dossiers behind it; Enter or a double-click opens one."""
        from PySide6.QtWidgets import QListWidget

        dialog = QDialog(self)
        dialog.setWindowTitle(tr("{n} hồ sơ", n=len(codes)))
        box = QVBoxLayout(dialog)
        listing = QListWidget(dialog)  # a short, read-only list of codes, not database rows
        listing.addItems(codes)
        box.addWidget(listing)

        def open_code(item: object) -> None:
            from motcua.store.queries import find_dossier

            record = find_dossier(self.context.reader, listing.currentItem().text())
            if record is not None:
                dialog.accept()
                self.open_dossier(record.id)

        listing.itemActivated.connect(open_code)
        fit_size(dialog, 420, 480)
        dialog.open()

    def add_page(self, name: str, widget: QWidget | PageFactory, shortcut: str = "", *, key: str | None = None) -> str:
        """Add a page to the navigation. ``widget`` may be a factory called on first show."""
        key = key or name
        button = QPushButton(name)
        button.setObjectName("navButton")
        button.setCheckable(True)
        button.setToolTip(f"{name} ({shortcut})" if shortcut else name)
        button.clicked.connect(lambda _=False, k=key: self.show_page(k))
        self.group.addButton(button)
        self.nav_buttons.addWidget(button)
        holder = QWidget()  # the page goes in when it is built, inside a PageHolder (see ``_hold``)
        holder_box = QVBoxLayout(holder)
        holder_box.setContentsMargins(0, 0, 0, 0)
        page = Page(key, name, shortcut, None if isinstance(widget, QWidget) else widget, button, holder)
        if isinstance(widget, QWidget):
            page.widget = widget
            _hold(holder, widget)
        self.stack.addWidget(holder)
        self.pages[key] = page
        if shortcut:
            action = QAction(name, self)
            action.setShortcut(QKeySequence(shortcut))
            action.triggered.connect(lambda _=False, k=key: self.show_page(k))
            self.addAction(action)
        return key

    def page_widget(self, key: str) -> QWidget:
        page = self.pages[key]
        if page.widget is None:
            assert page.factory is not None
            page.widget = page.factory()
            _hold(page.holder, page.widget)
        return page.widget

    def show_page(self, key: str) -> QWidget:
        widget = self.page_widget(key)
        page = self.pages[key]
        page.button.setChecked(True)
        self.stack.setCurrentWidget(page.holder)
        if not self._history or self._history[-1] != key:
            self._history.append(key)
            del self._history[:-20]
        if key in LIST_PAGES:
            focus_main_list(widget)
        else:
            widget.setFocus()
        return widget

    def current_key(self) -> str:
        for key, page in self.pages.items():
            if self.stack.currentWidget() is page.holder:
                return key
        current = self.stack.currentWidget()
        return "dossier" if current is not None and current is self._dossier_holder else ""

    def open_dossier(self, dossier_id: str) -> None:
        current = self.current_key()
        if current and current != "dossier":
            self._return_to = current
        self.dossier_page.show_dossier(dossier_id)
        assert self._dossier_holder is not None  # made with the dossier page
        self.stack.setCurrentWidget(self._dossier_holder)
        self.group.setExclusive(False)
        for page in self.pages.values():
            page.button.setChecked(False)
        self.group.setExclusive(True)
        self.dossier_page.setFocus()

    def go_back(self) -> None:
        self.show_page(getattr(self, "_return_to", "today"))

    # -- intake (the intake engineer's wizard) ----------------------------------------------------
    def open_intake(self) -> IntakeWizard | None:
        if not self.context.signed_in.may(INTAKE):
            QMessageBox.information(self, tr("Không có quyền"), tr("Tài khoản của bạn không tiếp nhận hồ sơ."))
            return None
        if self.intake_window is not None:  # one wizard: it keeps the citizen in progress
            self.show_page("intake")
            return self.intake_window
        from motcua.ui.intake.intake_wizard import IntakeWizard

        wizard = IntakeWizard(self.context)
        wizard.dossier_created.connect(self.open_dossier)
        self.intake_window = wizard
        self.show_page(self.add_page(tr("Tiếp nhận"), wizard, key="intake"))
        return wizard

    def start_intake(self, procedure_code: str) -> None:
        """The guidance page's «Tiếp nhận hồ sơ thủ tục này»: the wizard, on that procedure."""
        wizard = self.open_intake()
        if wizard is not None:
            wizard.start_with_procedure(procedure_code)

    # -- shortcuts -------------------------------------------------------------------------------
    def _build_shortcuts(self) -> None:
        def bind(sequence: QKeySequence | str, handler: Callable[[], None], name: str) -> None:
            action = QAction(tr(name), self)
            action.setShortcut(QKeySequence(sequence))
            action.setShortcutContext(Qt.ShortcutContext.WindowShortcut)
            action.triggered.connect(lambda _=False: handler())
            self.addAction(action)

        bind("Ctrl+N", self.open_intake, "Tiếp nhận hồ sơ mới")
        bind("Ctrl+F", self.focus_search, "Tìm hồ sơ")
        bind("F5", self.refresh, "Làm mới")
        bind("Alt+Left", self.go_back, "Quay lại")
        bind("Ctrl+Shift+L", lambda: emit(self.sign_out_requested), "Đăng xuất")
        bind("Ctrl+Q", self.close, "Thoát")
        bind("F1", self.show_help, "Trợ giúp")

    def focus_search(self) -> None:
        from motcua.ui.lists.dossier_list_page import DossierListPage

        page = self.show_page("dossiers")
        assert isinstance(page, DossierListPage)
        page.focus_search()

    def refresh(self) -> None:
        self.context.bus.publish(Changes(dossiers=True, settings=True, catalog=True, calendar=True, sync=True))

    def show_help(self) -> None:
        """F1: the offline help, open at the page of the screen in front (built on first use)."""
        if self.help_window is None:
            from motcua.ui.guidance.help_window import HelpWindow

            self.help_window = HelpWindow(self)
        key = self.current_key()
        if key == "intake" or (key == "" and self.intake_window is not None and self.intake_window.isVisible()):
            key = "intake"
        self.help_window.open_at(key)

    # -- status ----------------------------------------------------------------------------------
    def _busy(self, busy: bool) -> None:
        self.status_text.setText(tr("Đang lưu…") if busy else "")

    def _progress(self, label: str, done: int, total: int, text: str) -> None:
        self.status_text.setText(f"{label}: {done}/{total} {text}".strip())

    def start_sync(self) -> None:
        """Background sync with the province, when this desk is enrolled (otherwise nothing runs)."""
        from motcua.ui.sync.sync_service import SyncService

        if not self.isVisible():  # signed out (or closed) before the delayed start came: its store may be closed
            return
        SyncService.of(self.context).start()

    def closeEvent(self, event: QCloseEvent) -> None:
        if self.context.sync_service is not None:
            self.context.sync_service.stop()
        if self.context.runner.is_busy:
            self.status_text.setText(tr("Đang hoàn tất thao tác cuối…"))
        super().closeEvent(event)


def _hold(holder: QWidget, page: QWidget) -> None:
    """Put a built page in its place: in a scroll area, so a page larger than the screen scrolls instead of
    widening the window (made with the page, so start-up pays for one, not one per page)."""
    compact_combos(page)
    scroll = PageHolder()
    scroll.setWidget(page)
    box = holder.layout()
    assert box is not None  # every holder is made with its box (add_page)
    box.addWidget(scroll)
    scroll.show()  # now, not on the next turn of the event loop: the caller may give it the keyboard at once


def _sync_page(context: AppContext) -> QWidget:
    from motcua.ui.sync.sync_page import SyncPage

    return SyncPage(context)


def _settings_page(context: AppContext) -> QWidget:
    from motcua.ui.settings.settings_page import SettingsPage

    return SettingsPage(context)
