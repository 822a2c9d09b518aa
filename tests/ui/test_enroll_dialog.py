"""«Kết nối với hệ thống của tỉnh» from the Đồng bộ page, against a real hub process on loopback."""

from __future__ import annotations

import socket

import pytest

from motcua.services import accounts as auth
from motcua.sync.meta import all_meta
from motcua.ui.bus import ChangesBus
from motcua.ui.context import AppContext
from motcua.ui.sync.enroll_dialog import EnrollDialog, enroll_job
from motcua.ui.sync.sync_page import SyncPage
from motcua.ui.worker import TaskRunner
from tests.hub.hubkit import HubProcess
from tests.sync.conftest import COMMUNE
from tests.sync.keyrings import MemoryKeyring
from tests.ui.ui_helpers import form_rows, intake_one

PENDING = "SELECT count(*) FROM events WHERE sync_state = 'pending'"


def _open_dialog(qtbot, page: SyncPage) -> EnrollDialog:
    assert page.not_connected.isVisibleTo(page) and page.connect_button.isVisibleTo(page)
    dialog = page.connect_to_province()
    assert isinstance(dialog, EnrollDialog)
    qtbot.addWidget(dialog)
    qtbot.waitExposed(dialog)
    return dialog


def test_administrator_enrols_the_desk_from_the_page(qtbot, ui_store, hub: HubProcess,
                                                     memory_keyring: MemoryKeyring) -> None:
    """The real writer thread: the dialog shows progress while the hub is asked, then the page switches."""
    intake_one(ui_store.conn, ui_store.data_dir)
    bus = ChangesBus()
    runner = TaskRunner(lambda: ui_store.conn, bus)
    reader = ui_store.reader()
    context = AppContext(ui_store.data_dir, reader, runner, bus, auth.get_user(reader, "quantri"))
    try:
        page = SyncPage(context)
        qtbot.addWidget(page)
        page.show()
        assert page.not_connected_title.text() == "Chưa kết nối với tỉnh"
        assert not page.sync_button.isVisible() and not page.state.isVisible()
        dialog = _open_dialog(qtbot, page)
        code = str(hub.cli("enroll-code", COMMUNE)["enrollment_code"])  # type: ignore[index]
        qtbot.keyClicks(dialog.hub_url, hub.url + "/")
        qtbot.keyClicks(dialog.code, code.lower())
        dialog.device_name.setText("Máy tiếp nhận 1")
        dialog.ok_button.click()
        # Off the GUI thread: the click returns at once, with the busy bar shown and the dialog locked.
        assert dialog.running and dialog.progress_row.isVisible() and not dialog.ok_button.isEnabled()
        dialog.reject()
        assert dialog.isVisible()  # cannot be closed while the hub is being asked

        qtbot.waitUntil(lambda: not dialog.isVisible(), timeout=30_000)
        assert not dialog.problem.isVisible()
        meta = all_meta(ui_store.conn)
        assert meta["hub_url"] == hub.url and meta["commune_code"] == COMMUNE
        uid = meta["store_uid"]
        assert set(memory_keyring.secrets) == {("motcua-sync", f"{uid}:token"), ("motcua-sync", f"{uid}:private_key")}

        # The page shows its normal status view, and the background sync runs (it sends the pending event).
        assert not page.not_connected.isVisible() and page.state.isVisible()
        assert page.sync_button.isVisible() and page.sync_button.isEnabled()
        assert form_rows(page.form)["Máy chủ của tỉnh:"] == hub.url
        service = context.sync_service
        assert service is not None and service.scheduler is not None
        assert service.scheduler._thread is not None and service.scheduler._thread.is_alive()
        qtbot.waitUntil(lambda: ui_store.conn.execute(PENDING).fetchone()[0] == 0, timeout=30_000)
        qtbot.waitUntil(lambda: form_rows(page.form).get("Đồng bộ thành công lần cuối:", "chưa có") != "chưa có",
                        timeout=10_000)
    finally:
        if context.sync_service is not None:
            context.sync_service.stop()
        runner.shutdown()
        reader.close()


def test_wrong_code_is_said_in_vietnamese_and_nothing_is_kept(qtbot, make_context, ui_store, hub: HubProcess,
                                                              memory_keyring: MemoryKeyring) -> None:
    context = make_context("quantri")
    page = SyncPage(context)
    qtbot.addWidget(page)
    dialog = _open_dialog(qtbot, page)
    qtbot.keyClicks(dialog.hub_url, hub.url)
    qtbot.keyClicks(dialog.code, "AAAA-BBBB-CCCC")
    dialog.ok_button.click()
    qtbot.waitUntil(lambda: not dialog.running, timeout=30_000)
    assert dialog.isVisible() and dialog.problem.isVisible()
    assert dialog.problem_title.text() == "Mã đăng ký không được chấp nhận"
    assert "Mã đăng ký không đúng, đã được dùng hoặc đã hết hạn" in dialog.problem_text.text()
    assert dialog.ok_button.isEnabled() and dialog.code.isEnabled()  # the official may correct it and try again
    assert memory_keyring.secrets == {}
    assert "hub_url" not in all_meta(ui_store.conn)
    assert page.not_connected.isVisibleTo(page) and context.sync_service is None


def test_bad_address_is_refused_before_any_network_call(qtbot, make_context, ui_store,
                                                        memory_keyring: MemoryKeyring) -> None:
    listener = socket.socket()
    listener.bind(("127.0.0.1", 0))
    listener.listen(8)
    listener.setblocking(False)
    port = listener.getsockname()[1]
    page = SyncPage(make_context("quantri"))
    qtbot.addWidget(page)
    dialog = _open_dialog(qtbot, page)
    try:
        for url, words in ((f"127.0.0.1:{port}", "phải bắt đầu bằng https://"),
                           (f"ftp://127.0.0.1:{port}", "phải bắt đầu bằng https://"),
                           ("http://motcua.tinh.invalid:8470", "phải dùng https://"),
                           (f"https://quantri:matkhau@127.0.0.1:{port}", "không kèm tên đăng nhập")):
            dialog.hub_url.setText(url)
            dialog.code.setText("K7QM-4XPA-93HT")
            dialog.ok_button.click()
            assert not dialog.running and dialog.isVisible()
            assert dialog.errors["hub_url"].isVisibleTo(dialog) and words in dialog.errors["hub_url"].text(), url
        dialog.hub_url.setText(f"http://127.0.0.1:{port}")  # a good address, but a code of the wrong form
        dialog.code.setText("123")
        dialog.ca_file.setText(str(ui_store.data_dir / "khong-co.pem"))
        dialog.ok_button.click()
        assert not dialog.errors["hub_url"].isVisibleTo(dialog)
        assert "12 chữ và số" in dialog.errors["code"].text() and "Không tìm thấy" in dialog.errors["ca_file"].text()
        with pytest.raises(BlockingIOError):
            listener.accept()  # nobody ever connected
    finally:
        listener.close()
    assert memory_keyring.secrets == {} and "hub_url" not in all_meta(ui_store.conn)


def test_only_an_administrator_may_connect(qtbot, make_context, ui_store, memory_keyring: MemoryKeyring) -> None:
    from motcua.sync.enroll import check_enrollment_input

    for username in ("tiepnhan01", "lanhdao01"):
        page = SyncPage(make_context(username))
        qtbot.addWidget(page)
        assert page.not_connected.isVisibleTo(page) and not page.connect_button.isVisibleTo(page)
        assert not page.connect_button.isEnabled()
    # A button shown by mistake still cannot act: the writer job checks the role again, before the network.
    given = check_enrollment_input("http://127.0.0.1:9", "K7QM-4XPA-93HT")
    leader = auth.get_user(ui_store.conn, "lanhdao01")
    assert leader is not None
    with pytest.raises(auth.PermissionDenied):
        enroll_job(leader, given)(ui_store.conn, lambda done, total, text="": None)
    assert memory_keyring.secrets == {}


def test_unreachable_hub_and_foreign_certificate_are_said_plainly(qtbot, make_context, ui_store, tmp_path,
                                                                  memory_keyring: MemoryKeyring) -> None:
    """Nothing listening, then a real TLS hub whose certificate the system store does not trust."""
    from tests.hub.hubkit import free_port
    from tests.sync.tlscerts import make_ca, make_server_cert

    page = SyncPage(make_context("quantri"))
    qtbot.addWidget(page)
    dialog = _open_dialog(qtbot, page)
    dialog.hub_url.setText(f"http://127.0.0.1:{free_port()}")
    dialog.code.setText("K7QM-4XPA-93HT")
    dialog.ok_button.click()
    qtbot.waitUntil(lambda: not dialog.running, timeout=30_000)
    assert dialog.problem_title.text() == "Không kết nối được máy chủ tỉnh"
    assert "Mã đăng ký chưa bị dùng" in dialog.problem_text.text()

    _ca_path, ca_key, ca_cert = make_ca(tmp_path / "pki")
    cert, key = make_server_cert(tmp_path / "pki", ca_key, ca_cert)
    tls_hub = HubProcess(tmp_path / "tls-hub", certfile=cert, keyfile=key)
    tls_hub.data_dir.mkdir(parents=True)
    tls_hub.start()
    try:
        dialog.hub_url.setText(tls_hub.url)  # https://localhost:PORT, no CA file chosen
        dialog.ok_button.click()
        qtbot.waitUntil(lambda: not dialog.running, timeout=30_000)
        assert dialog.problem_title.text() == "Không xác minh được máy chủ tỉnh (TLS)"
        assert "tệp chứng thư CA" in dialog.problem_text.text()
    finally:
        tls_hub.stop()
    assert dialog.isVisible() and memory_keyring.secrets == {} and "hub_url" not in all_meta(ui_store.conn)
