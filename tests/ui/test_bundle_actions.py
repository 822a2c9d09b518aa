"""USB bundles from the Đồng bộ page: exported through the same service as ``motcua sync export``, taken to a
real hub (``motcua-hub import``), and its reply imported back from the page; administrators only."""

from __future__ import annotations

from pathlib import Path

import pytest
from PySide6.QtWidgets import QFileDialog

from motcua.services import accounts as auth
from motcua.sync.enroll import enroll
from motcua.ui.sync.bundle_actions import export_job
from motcua.ui.sync.sync_page import SyncPage
from tests.hub.hubkit import HubProcess
from tests.sync.conftest import COMMUNE
from tests.ui.ui_helpers import intake_one


def _enrol(ui_store, hub: HubProcess) -> None:  # type: ignore[no-untyped-def]
    code = str(hub.cli("enroll-code", COMMUNE)["enrollment_code"])  # type: ignore[index]
    enroll(ui_store.conn, hub.url, code, device_name="may-1")


def test_exported_bundle_goes_to_the_hub_and_its_reply_comes_back(qtbot, make_context, ui_store,  # type: ignore[no-untyped-def]
                                                                  hub: HubProcess, monkeypatch, tmp_path) -> None:
    intake_one(ui_store.conn, ui_store.data_dir)
    _enrol(ui_store, hub)
    page = SyncPage(make_context("quantri"))
    qtbot.addWidget(page)
    assert page.bundles.isVisibleTo(page)
    bundle, reply = tmp_path / "usb" / "goi.zip", tmp_path / "usb" / "tra-loi.zip"
    monkeypatch.setattr(QFileDialog, "getSaveFileName", staticmethod(lambda *a, **k: (str(bundle), "")))
    page.bundles.export_button.click()
    assert bundle.is_file() and "Đã xuất" in page.bundles.result.text()
    answer = hub.cli("import", str(bundle), "-o", str(reply))
    assert answer["stored"] >= 1   # type: ignore[index]  # a real bundle: the hub took its events
    monkeypatch.setattr(QFileDialog, "getOpenFileName", staticmethod(lambda *a, **k: (str(reply), "")))
    page.bundles.import_button.click()
    assert "Máy chủ tỉnh đã xác nhận" in page.bundles.result.text()
    pending = ui_store.conn.execute("SELECT count(*) FROM events WHERE sync_state = 'pending'").fetchone()[0]
    assert pending == 0


def test_a_file_that_is_no_reply_is_refused_plainly(qtbot, make_context, ui_store, hub: HubProcess,  # type: ignore[no-untyped-def]
                                                    monkeypatch, tmp_path) -> None:
    _enrol(ui_store, hub)
    page = SyncPage(make_context("quantri"))
    qtbot.addWidget(page)
    junk = tmp_path / "khong-phai-goi.zip"
    junk.write_bytes(b"not a bundle")
    monkeypatch.setattr(QFileDialog, "getOpenFileName", staticmethod(lambda *a, **k: (str(junk), "")))
    page.bundles.import_button.click()
    assert page.bundles.result.objectName() == "errorText" and page.bundles.result.text()


@pytest.mark.parametrize("username", ["tiepnhan01", "lanhdao01"])
def test_only_administrators_export(qtbot, make_context, ui_store, hub: HubProcess, username: str,  # type: ignore[no-untyped-def]
                                    tmp_path) -> None:
    _enrol(ui_store, hub)
    page = SyncPage(make_context(username))
    qtbot.addWidget(page)
    assert not page.bundles.isVisibleTo(page)
    target = tmp_path / "goi.zip"
    with pytest.raises(auth.PermissionDenied):   # the writer job checks the role again
        export_job(auth.get_user(ui_store.conn, username), ui_store.data_dir, target)(ui_store.conn)
    assert not Path(target).exists()
