"""Who does what, in the window: the hand-over dialog offers only the accounts that may take the step and
Enter submits it; a specialist's «Việc của tôi» shows what was handed to them, counted as listed; a
stopped clock is not «due today»; the Hồ sơ list shows and filters by «Người xử lý»."""

from __future__ import annotations

from datetime import timedelta

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QComboBox
from typing_helpers import press
from ui_helpers import intake_one

from motcua.domain.clock import iso, now
from motcua.domain.events import Event
from motcua.services import accounts
from motcua.services.desk import Desk
from motcua.store.db import transaction
from motcua.store.events import commit_event, events_of
from motcua.ui.dossier.dossier_page import DossierPage
from motcua.ui.lists.dossier_list_page import DossierListPage
from motcua.ui.lists.today_board import TodayBoard


def _add(ui_store, username: str, full_name: str, role: str, *, active: bool = True) -> None:
    with transaction(ui_store.conn):
        accounts.create_user(ui_store.conn, username, full_name, role, "mat-khau-dai-2026")
        if not active:
            accounts.set_active(ui_store.conn, username, False)


def _page(qtbot, context, dossier_id: str) -> DossierPage:
    page = DossierPage(context)
    qtbot.addWidget(page)
    page.resize(1150, 700)
    page.show_dossier(dossier_id)
    page.show()
    return page


def test_the_dialog_offers_only_eligible_accounts_and_enter_submits(qtbot, make_context, ui_store) -> None:
    _add(ui_store, "cc.diachinh", "Phạm Văn Địa", "specialist")
    _add(ui_store, "cc.nghihuu", "Đặng Văn Cũ", "specialist", active=False)   # locked: never offered
    dossier_id = intake_one(ui_store.conn, ui_store.data_dir)
    page = _page(qtbot, make_context("tiepnhan01"), dossier_id)
    dialog = page.start_action("handed_over")
    assert dialog is not None
    to = dialog.inputs["to"]
    assert isinstance(to, QComboBox) and not to.isEditable()          # picked, never typed
    offered = [to.itemData(i) for i in range(to.count())]
    assert offered == ["cc.diachinh", "chuyenvien01"]                 # specialists only, by full name
    assert to.itemText(0).startswith("Phạm Văn Địa (cc.diachinh)")
    assert dialog.inputs["step"].currentData() == "process" and dialog.ok_button.isEnabled()
    before = len(events_of(ui_store.conn, dossier_id))
    to.setFocus()
    press(to, Qt.Key.Key_Down)                                         # the keyboard picks the second
    assert to.currentData() == "chuyenvien01"
    press(to, Qt.Key.Key_Return)                                       # Enter submits the dialog
    qtbot.waitUntil(lambda: not dialog.isVisible(), timeout=5000)
    handed = events_of(ui_store.conn, dossier_id)
    assert len(handed) == before + 1 and handed[-1].payload["to"] == "chuyenvien01"
    assert handed[-1].payload["step"] == "process"


def test_no_one_to_choose_says_so_plainly(qtbot, make_context, ui_store) -> None:
    with transaction(ui_store.conn):
        accounts.set_active(ui_store.conn, "chuyenvien01", False)
    dossier_id = intake_one(ui_store.conn, ui_store.data_dir)
    page = _page(qtbot, make_context("tiepnhan01"), dossier_id)
    dialog = page.start_action("handed_over")
    assert dialog is not None
    assert dialog.error_labels["to"].isVisibleTo(dialog)
    assert dialog.error_labels["to"].text() == "Chưa có tài khoản công chức chuyên môn — thêm ở Cài đặt."
    assert not dialog.ok_button.isEnabled() and dialog.inputs["to"].count() == 0
    dialog.reject()


def test_a_specialist_sees_what_was_handed_to_them(qtbot, make_context, ui_store) -> None:
    mine = intake_one(ui_store.conn, ui_store.data_dir)
    intake_one(ui_store.conn, ui_store.data_dir)                       # still at the desk: not theirs
    tonight = now().replace(hour=23, minute=59, second=0, microsecond=0)
    Desk(ui_store.conn, ui_store.data_dir).act(mine, "handed_over", "tiepnhan01",
                                               {"to": "chuyenvien01", "step_due_at": iso(tonight)})
    board = TodayBoard(make_context("chuyenvien01"))
    qtbot.addWidget(board)
    board.show()
    assert board.current.key == "mine"
    assert board.counts["mine"] == board.model.rowCount() == 1
    assert board.model.id_at(0) == mine
    row = [board.model.index(0, c).data() for c in range(board.model.columnCount())]
    assert "Trần Văn Bình" in row and any(str(cell).startswith("Xử lý — hạn ") for cell in row)
    for key in ("mine_due_today", "mine_overdue", "due_today", "overdue", "supplement", "ready"):
        board.select(key)
        assert board.counts[key] == board.model.rowCount(), key   # each card counts what its list shows
    assert board.counts["mine_due_today"] == 1 and board.counts["mine_overdue"] == 0
    # The desk officer's own work is the other dossier, still to hand over.
    desk_board = TodayBoard(make_context("tiepnhan01"))
    qtbot.addWidget(desk_board)
    assert desk_board.counts["mine"] == 1 and desk_board.model.id_at(0) != mine


def test_a_paused_dossier_is_not_due_today_on_the_board(qtbot, make_context, ui_store) -> None:
    moment = now()
    tonight = moment.replace(hour=23, minute=59, second=0, microsecond=0)
    event = Event.new("", "received", "tiepnhan01", {
        "code": "000.17.22.H56-TEST-0001", "applicant": {"name": "Lê Thị Hoa"}, "due_at": iso(tonight),
        "procedure": {"code": "X", "name": "Chứng thực", "amount": 4, "unit": "working_hours"}},
        occurred_at=min(tonight - timedelta(hours=4), moment - timedelta(minutes=1)))
    event = Event(event.id, event.id, "received", "tiepnhan01", event.occurred_at, event.payload, "d")
    with transaction(ui_store.conn):
        commit_event(ui_store.conn, event)
    board = TodayBoard(make_context("tiepnhan01"))
    qtbot.addWidget(board)
    assert board.counts["due_today"] == 1
    Desk(ui_store.conn, ui_store.data_dir).act(event.id, "supplement_requested", "tiepnhan01",
                                               {"reason": "Thiếu bản chính"})
    board.refresh()
    board.select("due_today")
    assert board.counts["due_today"] == board.model.rowCount() == 0
    board.select("supplement")
    assert board.counts["supplement"] == board.model.rowCount() == 1


def test_the_list_shows_and_filters_by_holder(qtbot, make_context, ui_store) -> None:
    handed = intake_one(ui_store.conn, ui_store.data_dir)
    intake_one(ui_store.conn, ui_store.data_dir)
    Desk(ui_store.conn, ui_store.data_dir).act(handed, "handed_over", "tiepnhan01", {"to": "chuyenvien01"})
    page = DossierListPage(make_context("chuyenvien01"))
    qtbot.addWidget(page)
    page.show()
    headers = [page.model.headerData(c, Qt.Orientation.Horizontal) for c in range(page.model.columnCount())]
    assert "Người xử lý" in headers
    holder_column = headers.index("Người xử lý")
    assert page.model.rowCount() == 2
    assert page.holder.itemText(1) == "Tôi — Trần Văn Bình"
    page.holder.setFocus()
    press(page.holder, Qt.Key.Key_Down)                                # «Tôi»
    assert page.model.rowCount() == 1 and page.model.id_at(0) == handed
    assert page.model.index(0, holder_column).data() == "Trần Văn Bình"
    assert page.count_label.text() == "1 hồ sơ"
    page.clear_filters()
    assert page.model.rowCount() == 2 and page.holder.currentIndex() == 0


def test_a_new_account_may_hold_several_roles(qtbot, make_context, ui_store) -> None:
    from motcua.ui.settings.settings_page import _create_user_job
    from motcua.ui.settings.user_dialogs import NewUserDialog

    dialog = NewUserDialog()
    qtbot.addWidget(dialog)
    dialog.role.setCurrentIndex(dialog.role.findData("receiver"))
    assert not dialog.more_roles["receiver"].isEnabled()               # the primary role is not ticked twice
    dialog.more_roles["admin"].setChecked(True)
    assert dialog.extra_roles() == ("admin",)
    me = accounts.get_user(ui_store.conn, "quantri")
    assert me is not None
    _create_user_job(me, "tiepnhan02", "Lê Thị Thu", "receiver", "mat-khau-dai-2026", dialog.extra_roles())(
        ui_store.conn)
    made = accounts.get_user(ui_store.conn, "tiepnhan02")
    assert made is not None and made.roles == ("receiver", "admin") and made.may(accounts.MANAGE_USERS)


def test_the_board_loads_its_first_list_once_and_reloads_on_a_change(qtbot, make_context, ui_store,
                                                                      monkeypatch) -> None:
    from motcua.ui.models.dossier_table import DossierTableModel

    intake_one(ui_store.conn, ui_store.data_dir)
    loads: list[int] = []
    original = DossierTableModel._load_ids
    monkeypatch.setattr(DossierTableModel, "_load_ids", lambda self: (loads.append(1), original(self))[1])
    board = TodayBoard(make_context("tiepnhan01"))
    qtbot.addWidget(board)
    assert len(loads) == 1 and board.model.rowCount() == 1
    board.refresh()                                                     # a later refresh reads the store again
    assert len(loads) == 2
