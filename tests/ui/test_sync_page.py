"""The Đồng bộ page against a real hub: enrolled desk, sync now from the page, status redrawn."""

from __future__ import annotations

from motcua.ui.sync.sync_page import SyncPage
from motcua.ui.sync.sync_service import SyncService
from tests.ui.ui_helpers import form_rows


def test_not_enrolled_desk_says_so_and_runs_nothing(qtbot, make_context) -> None:
    context = make_context("tiepnhan01")
    page = SyncPage(context)
    qtbot.addWidget(page)
    assert not page.sync_button.isEnabled()
    assert "chưa" in page.state.text().lower()
    service = SyncService(context)
    assert service.start() is False and service.scheduler is None


def test_sync_now_from_the_page_sends_pending_events(qtbot, make_context, ui_store, tmp_path) -> None:
    """A real hub process; the page's button wakes the background scheduler; the page redraws."""
    import keyring

    from motcua.sync.enroll import enroll
    from tests.hub.hubkit import HubProcess
    from tests.sync.conftest import COMMUNE
    from tests.sync.keyrings import MemoryKeyring
    from tests.ui.ui_helpers import intake_one

    previous = keyring.get_keyring()
    keyring.set_keyring(MemoryKeyring())
    hub = HubProcess(tmp_path / "hub")
    hub.data_dir.mkdir(parents=True)
    hub.cli("create-commune", COMMUNE, "Xã Ea Kao")
    hub.start()
    context = make_context("tiepnhan01")
    try:
        intake_one(ui_store.conn, ui_store.data_dir)
        enroll(ui_store.conn, hub.url, hub.cli("enroll-code", COMMUNE)["enrollment_code"], device_name="may-1")
        page = SyncPage(context)
        qtbot.addWidget(page)
        assert page.sync_button.isEnabled()
        pending = "SELECT count(*) FROM events WHERE sync_state = 'pending'"
        assert ui_store.conn.execute(pending).fetchone()[0] == 1
        context.sync_service = SyncService(context, interval=3600)
        page.sync_button.click()
        qtbot.waitUntil(lambda: ui_store.conn.execute(pending).fetchone()[0] == 0, timeout=30_000)
        last_success = "Đồng bộ thành công lần cuối:"

        def success_shown() -> bool:
            return form_rows(page.form).get(last_success, "chưa có") != "chưa có"

        qtbot.waitUntil(success_shown, timeout=10_000)  # redrawn from the bus, on the GUI thread
    finally:
        if context.sync_service is not None:
            context.sync_service.stop()
        hub.stop()
        keyring.set_keyring(previous)


def test_official_resolves_a_conflict_from_the_page(qtbot, make_context, ui_store) -> None:
    from motcua.store.db import transaction
    from motcua.sync.conflicts import open_conflicts, record_conflict
    from tests.ui.ui_helpers import intake_one

    dossier_id = intake_one(ui_store.conn, ui_store.data_dir)
    with transaction(ui_store.conn):
        record_conflict(ui_store.conn, "remote_not_applicable", dossier_id, "01950000-0000-7000-8000-0000000000aa",
                        {"type": "refused", "dossier_id": dossier_id}, 42,
                        "Không thể từ chối tiếp nhận khi hồ sơ đang ở trạng thái «Đã trả kết quả».")
    page = SyncPage(make_context("lanhdao01"))
    qtbot.addWidget(page)
    panel = page.conflicts
    assert panel is not None and panel.model.rowCount() == 1
    assert "Xung đột cần xử lý: 1" in panel.title.text()
    assert not panel.buttons["keep_local"].isEnabled()
    panel.table.selectRow(0)
    assert panel.buttons["keep_local"].isEnabled()
    panel.buttons["keep_local"].click()
    qtbot.waitUntil(lambda: not open_conflicts(ui_store.conn), timeout=5_000)
    qtbot.waitUntil(lambda: panel.model.rowCount() == 0, timeout=5_000)  # redrawn from the bus
