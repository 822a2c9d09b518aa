"""The backup passphrase's rules: the same in the setup wizard, the backup dialog and ``motcua backup-passphrase``."""

from __future__ import annotations

from pathlib import Path

import pytest

from motcua.store.backup_keys import passphrase_problem, passphrase_strength


@pytest.mark.parametrize(("passphrase", "why"), [
    ("ngan", "ít nhất 10 ký tự"),
    ("aaaaabbbbbaaaaa", "5 ký tự khác nhau"),
    ("0987654321", "dãy ký tự liên tiếp"),
    ("QWERTYUIOP", "dãy ký tự liên tiếp"),
    ("Matkhau@2026", "từ thông dụng"),
    ("quantri 123456", "từ thông dụng"),
    (" đồng lúa chín vàng", "dấu cách"),
])
def test_weak_passphrases_are_refused_with_the_reason(passphrase: str, why: str) -> None:
    problem = passphrase_problem(passphrase)
    assert problem is not None and why in problem
    assert passphrase_strength(passphrase) == 0


def test_the_sign_in_password_is_not_a_backup_passphrase() -> None:
    assert "khác mật khẩu đăng nhập" in str(passphrase_problem("Sông Hồng Ea Kao", avoid=("song hong ea kao",)))
    assert passphrase_problem("Sông Hồng Ea Kao 1975", avoid=("song hong ea kao",)) is None


def test_longer_and_more_varied_scores_higher() -> None:
    assert passphrase_strength("miaduongek") == 1
    assert passphrase_strength("mia duong ea kao") == 2
    assert passphrase_strength("Mía đường Ea Kao 7 tấn") == 3


def test_the_command_line_refuses_a_weak_passphrase_and_sets_nothing(desk, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    secret = tmp_path / "pass.txt"
    secret.write_text("1234567890\n", encoding="utf-8")
    refused = desk("backup-passphrase", "--passphrase-file", str(secret))
    assert refused.returncode == 1 and "dãy ký tự liên tiếp" in refused.stderr
    assert desk("backup", "-o", str(tmp_path / "b.motcua-backup")).returncode == 1   # still no passphrase
