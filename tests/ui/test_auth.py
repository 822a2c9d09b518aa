"""Accounts and roles: scrypt hashes, the role table, sign-in refusing wrong passwords."""

from __future__ import annotations

import pytest
from PySide6.QtCore import Qt
from typing_helpers import commit_text, type_text
from ui_helpers import PASSWORD, intake_one

from motcua.services import accounts as auth
from motcua.ui.session.signin import SignInDialog


def test_passwords_are_salted_scrypt_hashes() -> None:
    first, second = auth.hash_password("mật khẩu dài"), auth.hash_password("mật khẩu dài")
    assert first.startswith("scrypt$") and first != second  # per-user salt
    assert auth.verify_password("mật khẩu dài", first)
    assert not auth.verify_password("mật khẩu sai", first)
    assert not auth.verify_password("x", "not-a-hash")


def test_role_table_is_data_and_limits_actions() -> None:
    assert not auth.may("receiver", "resolved")
    assert auth.may("leader", "resolved")
    assert auth.may("receiver", auth.INTAKE) and auth.may("receiver", "returned")
    assert not auth.may("specialist", auth.INTAKE)
    assert auth.may("admin", auth.MANAGE_USERS) and not auth.may("leader", auth.MANAGE_USERS)
    with pytest.raises(auth.PermissionDenied):
        auth.require(auth.User("tiepnhan01", "Hoa", "receiver"), "resolved")


def test_receiver_cannot_resolve_even_bypassing_the_buttons(make_context, ui_store) -> None:
    from motcua.store.events import load_record

    dossier_id = intake_one(ui_store.conn, ui_store.data_dir)
    receiver = make_context("tiepnhan01")
    with pytest.raises(auth.PermissionDenied):
        receiver.act(dossier_id, "resolved", {})
    assert load_record(ui_store.conn, dossier_id).status == 2  # type: ignore[union-attr]

    leader = make_context("lanhdao01")
    outcomes = []
    leader.act(dossier_id, "resolved", {"doc_number": "1/QĐ-UBND", "signer": "Lê Văn Hùng"}, on_done=outcomes.append)
    assert outcomes and outcomes[0].record.status == 9
    events = ui_store.conn.execute("SELECT actor FROM events WHERE dossier_id = ? AND type = 'resolved'",
                                   (dossier_id,)).fetchall()
    assert [e["actor"] for e in events] == ["lanhdao01"]  # every event records who


def test_sign_in_refuses_a_wrong_password(qtbot, ui_store) -> None:
    reader = ui_store.reader()
    dialog = SignInDialog(reader, "Xã Ea Kao, Đắk Lắk")
    qtbot.addWidget(dialog)
    dialog.show()
    qtbot.keyClicks(dialog.username, "tiepnhan01")
    qtbot.keyClicks(dialog.password, "sai-mat-khau")
    qtbot.keyClick(dialog.password, Qt.Key.Key_Return)
    assert dialog.user is None
    assert dialog.result() != dialog.DialogCode.Accepted
    assert dialog.error.isVisible() and "Sai tên đăng nhập" in dialog.error.text()
    assert dialog.password.text() == ""

    qtbot.keyClicks(dialog.password, PASSWORD)
    with qtbot.waitSignal(dialog.accepted, timeout=2000):
        qtbot.keyClick(dialog.password, Qt.Key.Key_Return)
    assert dialog.user is not None and dialog.user.role == "receiver"
    reader.close()


def test_unknown_and_locked_accounts_are_refused(ui_store) -> None:
    from motcua.store.db import transaction

    assert auth.authenticate(ui_store.conn, "khongco", PASSWORD) is None
    with transaction(ui_store.conn):
        auth.set_active(ui_store.conn, "tiepnhan01", False)
    assert auth.authenticate(ui_store.conn, "tiepnhan01", PASSWORD) is None
    assert auth.authenticate(ui_store.conn, "LanhDao01 ", PASSWORD) is not None


def test_vietnamese_full_name_typed_with_key_events(qtbot) -> None:
    from PySide6.QtWidgets import QLineEdit

    line = QLineEdit()
    qtbot.addWidget(line)
    type_text(line, "Phạm Thu Hà")
    assert line.text() == "Phạm Thu Hà"
    line.clear()
    commit_text(line, "Nguyễn Thị Hoa")  # as Unikey / the OS's Telex input method commits it
    assert line.text() == "Nguyễn Thị Hoa"


def test_last_administrator_cannot_be_locked(ui_store) -> None:
    from motcua.services.validation import ValidationFailed
    from motcua.store.db import transaction

    with pytest.raises(ValidationFailed), transaction(ui_store.conn):
        auth.set_active(ui_store.conn, "quantri", False)
