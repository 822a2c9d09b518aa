"""«Ngắt kết nối với tỉnh…» on the Đồng bộ page: administrators only, a confirmation, then «Chưa kết nối»."""

from __future__ import annotations

import pytest
from PySide6.QtWidgets import QMessageBox

from motcua.services import accounts as auth
from motcua.sync.enroll import enroll
from motcua.sync.meta import all_meta
from motcua.ui.sync.sync_page import SyncPage, disconnect_job
from motcua.ui.sync.sync_service import SyncService
from tests.hub.hubkit import HubProcess
from tests.sync.conftest import COMMUNE
from tests.sync.keyrings import MemoryKeyring
from tests.ui.ui_helpers import form_rows, intake_one

EVENTS = "SELECT id, sync_state FROM events ORDER BY seq"


def _enrol(ui_store, hub: HubProcess) -> None:
    code = str(hub.cli("enroll-code", COMMUNE)["enrollment_code"])  # type: ignore[index]
    enroll(ui_store.conn, hub.url, code, device_name="may-1")


@pytest.mark.parametrize("username", ["tiepnhan01", "chuyenvien01", "lanhdao01"])
def test_only_administrators_see_the_button(qtbot, make_context, ui_store, hub: HubProcess, username: str) -> None:
    _enrol(ui_store, hub)
    page = SyncPage(make_context(username))
    qtbot.addWidget(page)
    assert page.sync_button.isVisibleTo(page)
    assert not page.disconnect_button.isVisibleTo(page)
    with pytest.raises(auth.PermissionDenied):   # and the writer job checks the role again
        disconnect_job(auth.get_user(ui_store.conn, username))(ui_store.conn)
    assert "hub_url" in all_meta(ui_store.conn)


def test_not_enrolled_desk_has_no_disconnect_button(qtbot, make_context) -> None:
    page = SyncPage(make_context("quantri"))
    qtbot.addWidget(page)
    assert page.not_connected.isVisibleTo(page) and not page.disconnect_button.isVisibleTo(page)


def test_administrator_disconnects_after_confirming(qtbot, make_context, ui_store, hub: HubProcess,
                                                    memory_keyring: MemoryKeyring) -> None:
    intake_one(ui_store.conn, ui_store.data_dir)
    _enrol(ui_store, hub)
    context = make_context("quantri")
    context.sync_service = SyncService(context, interval=3600)
    try:
        assert context.sync_service.start()
        page = SyncPage(context)
        qtbot.addWidget(page)
        page.show()
        assert page.disconnect_button.isVisible() and page.disconnect_button.text() == "Ngắt kết nối với tỉnh…"
        # The scheduler's first round sends the first dossier, then sleeps; the second stays unsent.
        qtbot.waitUntil(lambda: ui_store.conn.execute(EVENTS).fetchall()[0][1] == "sent", timeout=30_000)
        intake_one(ui_store.conn, ui_store.data_dir)
        events = [(event_id, "pending") for event_id, _ in ui_store.conn.execute(EVENTS).fetchall()]
        assert len(events) == 2

        # «Hủy»: nothing changes, the background sync goes on.
        box = page.disconnect_from_province()
        assert isinstance(box, QMessageBox) and box.isVisible()
        assert hub.url in box.text()
        details = box.informativeText()
        assert "1 thay đổi chưa gửi sẽ được giữ lại và gửi khi kết nối lại" in details
        assert "1 thay đổi đã gửi cũng sẽ được gửi lại khi kết nối" in details
        assert "toàn bộ hồ sơ, thao tác, bản nháp và tệp đính kèm" in details
        assert "Không còn: địa chỉ máy chủ và khóa truy cập" in details
        assert box.button(QMessageBox.StandardButton.Yes).text() == "Ngắt kết nối"
        assert box.defaultButton() is box.button(QMessageBox.StandardButton.Cancel)
        box.button(QMessageBox.StandardButton.Cancel).click()
        qtbot.waitUntil(lambda: page.confirm_box is None)
        assert "hub_url" in all_meta(ui_store.conn) and context.sync_service.scheduler is not None

        # «Ngắt kết nối»: the scheduler stops, the service runs, the page shows «Chưa kết nối với tỉnh».
        box = page.disconnect_from_province()
        assert box is not None
        box.button(QMessageBox.StandardButton.Yes).click()
        qtbot.waitUntil(lambda: page.not_connected.isVisible(), timeout=10_000)
        assert context.sync_service.scheduler is None
        assert "hub_url" not in all_meta(ui_store.conn) and memory_keyring.secrets == {}
        assert [tuple(r) for r in ui_store.conn.execute(EVENTS)] == events          # kept, and owed to the next hub
        assert page.not_connected_title.text() == "Chưa kết nối với tỉnh"
        assert page.connect_button.isVisible() and not page.disconnect_button.isVisible()
        assert not page.sync_button.isVisible() and not page.state.isVisible()
        assert form_rows(page.form)["Thay đổi chưa gửi:"] == "2"
        assert "Máy chủ của tỉnh:" not in form_rows(page.form)
        assert SyncService.of(context).start() is False                    # nothing to run any more
    finally:
        if context.sync_service is not None:
            context.sync_service.stop()
