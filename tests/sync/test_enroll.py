"""Enrollment as the CLI and the app do it (``motcua.sync.enroll``): input checks, the hub's refusals said
plainly, nothing stored unless the hub acknowledged. Real hub processes on loopback."""

from __future__ import annotations

from pathlib import Path

import pytest

from motcua.services.validation import ValidationFailed
from motcua.sync.enroll import check_enrollment_code, check_enrollment_input, check_hub_url, enroll
from motcua.sync.errors import EnrollmentRefused, TooManyAttempts, Unreachable
from motcua.sync.meta import all_meta
from tests.hub.hubkit import HubProcess, free_port
from tests.sync.conftest import COMMUNE, DeskStore, make_store
from tests.sync.keyrings import MemoryKeyring


@pytest.mark.parametrize(("url", "expected"), [
    ("https://motcua.daklak.gov.vn", "https://motcua.daklak.gov.vn"),
    ("  HTTPS://Motcua.DakLak.gov.vn:8443/hub/ ", "https://motcua.daklak.gov.vn:8443/hub"),
    ("http://127.0.0.1:8470", "http://127.0.0.1:8470"),
    ("http://localhost:8470/", "http://localhost:8470"),
    ("http://[::1]:8470", "http://[::1]:8470"),
])
def test_hub_addresses_accepted(url: str, expected: str) -> None:
    assert check_hub_url(url) == expected


@pytest.mark.parametrize(("url", "words"), [
    ("", "Chưa nhập"),
    ("motcua.daklak.gov.vn", "https://"),
    ("ftp://motcua.daklak.gov.vn", "https://"),
    ("http://motcua.daklak.gov.vn", "mã hóa"),
    ("http://10.0.0.5:8470", "mã hóa"),
    ("https://", "thiếu tên máy chủ"),
    ("https://motcua daklak.gov.vn", "dấu cách"),
    ("https://motcua.daklak.gov.vn:99999", "cổng"),
    ("https://admin:matkhau@motcua.daklak.gov.vn", "tên đăng nhập"),
])
def test_hub_addresses_refused_in_vietnamese(url: str, words: str) -> None:
    with pytest.raises(ValueError, match=words):
        check_hub_url(url)


def test_plain_http_to_another_machine_only_when_asked() -> None:
    assert check_hub_url("http://10.203.77.2:8470", allow_plain_http=True) == "http://10.203.77.2:8470"


def test_codes_are_read_as_the_hub_wrote_them() -> None:
    assert check_enrollment_code(" k7qm 4xpa–93ht ") == "K7QM-4XPA-93HT"
    assert check_enrollment_code("K7QM4XPA93HT") == "K7QM-4XPA-93HT"
    for wrong in ("K7QM-4XPA", "K7QM-4XPA-93H0", "ABCD-EFGH-IJKL"):
        with pytest.raises(ValueError, match="12 chữ và số"):
            check_enrollment_code(wrong)


def test_every_field_is_checked_at_once(tmp_path: Path) -> None:
    not_pem = tmp_path / "ca.txt"
    not_pem.write_text("không phải chứng thư", encoding="utf-8")
    with pytest.raises(ValidationFailed) as caught:
        check_enrollment_input("http://hub.tinh.gov.vn", "123", ca_file=str(not_pem))
    assert set(caught.value.errors) == {"hub_url", "code", "ca_file"}
    assert "PEM" in caught.value.errors["ca_file"]
    with pytest.raises(ValidationFailed) as caught:
        check_enrollment_input("https://hub.tinh.gov.vn", "K7QM-4XPA-93HT", ca_file=str(tmp_path / "khong-co.pem"))
    assert "Không tìm thấy" in caught.value.errors["ca_file"]


def _nothing_stored(store: DeskStore, keys: MemoryKeyring) -> None:
    assert keys.secrets == {}
    assert "hub_url" not in all_meta(store.conn) and "hub_device_id" not in all_meta(store.conn)


def test_bad_input_never_reaches_the_network(store: DeskStore, memory_keyring: MemoryKeyring) -> None:
    port = free_port()  # nothing listens there: a call would be Unreachable, not ValidationFailed
    with pytest.raises(ValidationFailed):
        enroll(store.conn, f"http://127.0.0.1:{port}", "không phải mã")
    with pytest.raises(Unreachable):
        enroll(store.conn, f"http://127.0.0.1:{port}", "K7QM-4XPA-93HT")
    _nothing_stored(store, memory_keyring)


def test_wrong_and_spent_codes_are_refused_plainly(store: DeskStore, hub: HubProcess, tmp_path: Path,
                                                   memory_keyring: MemoryKeyring) -> None:
    with pytest.raises(EnrollmentRefused) as caught:
        enroll(store.conn, hub.url, "AAAA-BBBB-CCCC")
    assert "Mã đăng ký không đúng, đã được dùng hoặc đã hết hạn" in str(caught.value)
    assert not caught.value.retry
    _nothing_stored(store, memory_keyring)

    code = hub.cli("enroll-code", COMMUNE)["enrollment_code"]  # type: ignore[index]
    other = make_store(tmp_path / "other")
    try:
        enroll(other.conn, hub.url, code.lower().replace("-", " "), device_name="may-2")  # typed loosely
        assert all_meta(other.conn)["commune_code"] == COMMUNE
        spent_keys = dict(memory_keyring.secrets)
        with pytest.raises(EnrollmentRefused):
            enroll(store.conn, hub.url, code)  # the same code again, from another desk
        assert memory_keyring.secrets == spent_keys
        assert "hub_url" not in all_meta(store.conn)
    finally:
        other.conn.close()


def test_too_many_wrong_codes_say_when_to_try_again(store: DeskStore, tmp_path: Path,
                                                    memory_keyring: MemoryKeyring) -> None:
    process = HubProcess(tmp_path / "hub-limited")
    process.env.update({"MOTCUA_HUB_ENROLL_MAX_FAILURES": "2", "MOTCUA_HUB_ENROLL_WINDOW_SECONDS": "300"})
    process.data_dir.mkdir(parents=True)
    process.cli("create-commune", COMMUNE, "Xã Ea Kao")
    process.start()
    try:
        for _ in range(2):
            with pytest.raises(EnrollmentRefused):
                enroll(store.conn, process.url, "AAAA-BBBB-CCCC")
        with pytest.raises(TooManyAttempts) as caught:
            enroll(store.conn, process.url, "AAAA-BBBB-CCCC")
        assert caught.value.retry_after is not None and 1 <= caught.value.retry_after <= 300
        assert "quá nhiều lần" in str(caught.value) and "phút" in str(caught.value)
        _nothing_stored(store, memory_keyring)
    finally:
        process.stop()
