"""The Đồng bộ page against a real hub: enrolled desk, sync now from the page, status redrawn."""

from __future__ import annotations

from PySide6.QtWidgets import QFormLayout

from motcua.ui.sync_page import SyncPage
from motcua.ui.sync_service import SyncService


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
    from tests.sync.conftest import COMMUNE
    from tests.sync.hubproc import HubProcess
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
            rows = {}
            for row in range(page.form.rowCount()):
                label = page.form.itemAt(row, QFormLayout.ItemRole.LabelRole)
                value = page.form.itemAt(row, QFormLayout.ItemRole.FieldRole)
                if label is not None and value is not None:
                    rows[label.widget().text()] = value.widget().text()
            return rows.get(last_success, "chưa có") != "chưa có"

        qtbot.waitUntil(success_shown, timeout=10_000)  # redrawn from the bus, on the GUI thread
    finally:
        if context.sync_service is not None:
            context.sync_service.stop()
        hub.stop()
        keyring.set_keyring(previous)
