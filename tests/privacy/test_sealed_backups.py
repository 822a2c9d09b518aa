"""Backups are sealed by default: no citizen's data in their bytes, the passphrase or the province's recovery
key opens them, a wrong one or a changed byte is refused and changes nothing."""

from __future__ import annotations

import sqlite3
import unicodedata
from pathlib import Path

import pytest

from tests.conftest import CliResult

NAME, ID_NUMBER, PHONE, ADDRESS = "Vũ Văn Nam", "066090001234", "0912345678", "Thôn 3, xã Ea Kao"
PASSPHRASE = "đồng lúa chín vàng 2026"


def personal_bytes() -> list[bytes]:
    forms = {NAME, ADDRESS, unicodedata.normalize("NFD", NAME), unicodedata.normalize("NFD", ADDRESS)}
    return [ID_NUMBER.encode(), PHONE.encode()] + [f.encode("utf-8") for f in forms] + \
        [f.encode("utf-16-le") for f in forms] + [b"Ea Kao"]


def assert_nothing_personal(data: bytes) -> None:
    for needle in personal_bytes():
        assert needle not in data, needle


def table_rows(path: Path) -> dict[str, list[tuple]]:
    conn = sqlite3.connect(path)
    try:
        return {t: conn.execute(f"SELECT * FROM {t} ORDER BY 1").fetchall()
                for t in ("events", "dossiers", "settings")}
    finally:
        conn.close()


def test_a_backup_is_refused_until_a_passphrase_is_set_and_plain_only_on_request(desk, tmp_path: Path) -> None:
    refused: CliResult = desk("backup", "-o", str(tmp_path / "b"))
    assert refused.returncode == 1 and "backup-passphrase" in refused.stderr
    assert not (tmp_path / "b").exists()
    plain = desk("backup", "--plain", "-o", str(tmp_path / "plain.sqlite3"), "--json")
    assert plain.returncode == 0 and plain.json()["encrypted"] is False
    assert ID_NUMBER.encode() in (tmp_path / "plain.sqlite3").read_bytes()   # what --plain means
    assert "KHÔNG mã hóa" in desk("backup", "--help").stdout


def test_sealed_backup_opens_with_the_passphrase_and_the_recovery_key_only(desk, data_dir: Path,
                                                                           tmp_path: Path) -> None:
    secret = tmp_path / "pass.txt"
    secret.write_text(PASSPHRASE + "\n", encoding="utf-8")
    recovery = desk("recovery-keygen", "--output", str(tmp_path / "province.pem"), "--json").json()
    assert desk("recovery-keygen", "--output", str(tmp_path / "province.pem")).returncode == 1   # never overwrite
    weak = tmp_path / "weak.txt"
    weak.write_text("123\n", encoding="utf-8")
    assert desk("backup-passphrase", "--passphrase-file", str(weak)).returncode == 1
    set_ = desk("backup-passphrase", "--passphrase-file", str(secret), "--recovery-public-key",
                recovery["public_key"], "--json")
    assert set_.returncode == 0, set_.stderr
    assert set_.json() == {"passphrase_set": True, "recovery_public_key": recovery["public_key"]}

    sealed, original = tmp_path / "usb" / "sao-luu.motcua-backup", tmp_path / "original.sqlite3"
    made = desk("backup", "-o", str(sealed), "--json")
    assert made.returncode == 0 and made.json()["encrypted"] is True
    desk("backup", "--plain", "-o", str(original), check=True)
    data = sealed.read_bytes()
    assert_nothing_personal(data)
    assert b"SQLite format 3" not in data

    desk("intake", "--procedure", "X", "--procedure-name", "Thủ tục", "--days", "2", "--name", "Ngô Thị Mai",
         "--id-number", "066190001234", check=True)
    store = data_dir / "motcua.sqlite3"
    before = store.read_bytes()
    wrong = tmp_path / "wrong.txt"
    wrong.write_text("một mật khẩu khác hẳn\n", encoding="utf-8")
    refused = desk("restore", str(sealed), "--passphrase-file", str(wrong))
    assert refused.returncode == 1 and "Mật khẩu sao lưu không đúng" in refused.stderr
    assert "giữ nguyên" in refused.stderr
    no_key = desk("restore", str(sealed))          # no file, no variable, no terminal: asks for one
    assert no_key.returncode == 2 and "--passphrase-file" in no_key.stderr
    stranger = tmp_path / "stranger.pem"
    desk("recovery-keygen", "--output", str(stranger), check=True)
    assert desk("restore", str(sealed), "--recovery-key", str(stranger)).returncode == 1

    for offset in (len(data) // 2, len(data) - 5, 40):
        tampered = tmp_path / f"tampered-{offset}.motcua-backup"
        tampered.write_bytes(data[:offset] + bytes([data[offset] ^ 0x01]) + data[offset + 1:])
        result = desk("restore", str(tampered), "--passphrase-file", str(secret))
        assert result.returncode == 1 and "giữ nguyên" in result.stderr, (offset, result.stderr)
    cut = tmp_path / "cut.motcua-backup"
    cut.write_bytes(data[: len(data) - 100])
    assert desk("restore", str(cut), "--passphrase-file", str(secret)).returncode == 1
    assert desk("list", "--json").json()["total"] == 2
    assert store.read_bytes() == before
    assert not list(data_dir.glob("*.restoring"))

    restored = desk("restore", str(sealed), "--passphrase-file", str(secret), "--json")
    assert restored.returncode == 0, restored.stderr
    assert desk("check").returncode == 0
    assert table_rows(store) == table_rows(original)

    desk("intake", "--procedure", "X", "--procedure-name", "Thủ tục", "--days", "2", "--name", "Lê Văn Ba",
         "--id-number", "066085001299", check=True)
    fresh = desk("restore", str(sealed), "--recovery-key", str(tmp_path / "province.pem"), "--json")
    assert fresh.returncode == 0, fresh.stderr
    assert desk("check").returncode == 0
    assert table_rows(store) == table_rows(original)


def test_a_file_that_is_not_a_store_is_refused_sealed_or_not(desk, data_dir: Path, tmp_path: Path) -> None:
    garbage = tmp_path / "garbage.sqlite3"
    garbage.write_bytes(b"not a database at all" * 100)
    refused = desk("restore", str(garbage))
    assert refused.returncode == 1 and "không phải bản sao lưu" in refused.stderr

    import io
    import os

    from motcua.protocol.sealed import write_sealed
    from motcua.protocol.sealing_keys import wrap_for_public_key
    from motcua.store import backup as backups
    from motcua.store.db import open_store

    secret = tmp_path / "pass.txt"
    secret.write_text(PASSPHRASE, encoding="utf-8")
    desk("backup-passphrase", "--passphrase-file", str(secret), check=True)
    conn = open_store(data_dir / "motcua.sqlite3")
    keys = backups.backup_keys.backup_keys(conn)
    conn.close()
    assert keys is not None
    data_key = os.urandom(32)
    sealed_garbage = tmp_path / "sealed-garbage.motcua-backup"
    write_sealed(sealed_garbage, io.BytesIO(b"not a database" * 1000),
                 {"format": "motcua-backup", "recipients": backups.backup_keys.recipients(keys, data_key)}, data_key)
    result = desk("restore", str(sealed_garbage), "--passphrase-file", str(secret))
    assert result.returncode == 1 and "không phải bản sao lưu" in result.stderr
    assert desk("list", "--json").json()["total"] == 1
    assert wrap_for_public_key  # the same primitives the bundles use


def test_big_content_streams_in_chunks(tmp_path: Path) -> None:
    import io
    import os

    from cryptography.hazmat.primitives.asymmetric.x25519 import X25519PrivateKey

    from motcua.protocol.sealed import CHUNK, Tampered, decrypt_to, open_data_key, read_sealed, write_sealed
    from motcua.protocol.sealing_keys import unwrap_with_private_key, wrap_for_public_key

    reader = X25519PrivateKey.generate()
    for size in (0, 1, CHUNK - 1, CHUNK, CHUNK + 1, 3 * CHUNK):
        content = os.urandom(size)
        key = os.urandom(32)
        path = tmp_path / f"s{size}"
        write_sealed(path, io.BytesIO(content), {"recipients": [wrap_for_public_key(key, reader.public_key())]}, key)
        sealed = read_sealed(path)
        opened = open_data_key(sealed, lambda e: unwrap_with_private_key(e, reader))
        out = io.BytesIO()
        decrypt_to(sealed, opened, out)
        assert out.getvalue() == content
        if size > CHUNK:   # dropping the last chunk is noticed even when the rest authenticates
            whole = path.read_bytes()
            path.write_bytes(whole[: sealed.body_offset + CHUNK + 16])
            with pytest.raises(Tampered):
                decrypt_to(read_sealed(path), opened, io.BytesIO())


@pytest.mark.parametrize("reader_holds_the_wal", [False, True])
def test_sealed_backup_of_a_live_store_is_the_committed_state(tmp_path: Path, monkeypatch,
                                                             reader_holds_the_wal: bool) -> None:
    """One pass over the store file when the WAL can be folded in first; SQLite's online copy when a reader
    keeps the WAL. Either way the restored store holds exactly what was committed."""
    from motcua.store import backup as backups
    from motcua.store import backup_keys
    from motcua.store.db import available_migrations, connect, open_store, transaction
    from motcua.store.settings import put_values

    store = tmp_path / "desk" / "motcua.sqlite3"
    conn = open_store(store)
    monkeypatch.setattr(backup_keys, "SCRYPT_N", 2**12)
    backup_keys.set_passphrase(conn, PASSPHRASE, scrypt_n=2**12)
    with transaction(conn):
        put_values(conn, {f"k{i}": "x" * 500 for i in range(2000)})
    reader = connect(store, readonly=True)
    if reader_holds_the_wal:
        reader.execute("BEGIN")
        reader.execute("SELECT count(*) FROM settings").fetchone()
        with transaction(conn):                       # committed after the reader's snapshot: in the WAL
            put_values(conn, {"after": "the reader began"})
    staged: list[Path] = []
    real_copy = backups.copy_database
    monkeypatch.setattr(backups, "copy_database", lambda c, t, **kw: staged.append(t) or real_copy(c, t, **kw))
    sealed = backups.backup(conn, tmp_path, tmp_path / "b.motcua-backup")
    assert bool(staged) == reader_holds_the_wal
    expected = sorted(tuple(r) for r in conn.execute("SELECT key, value FROM settings"))
    if reader_holds_the_wal:
        reader.execute("COMMIT")
    with transaction(conn):                               # the store goes on after the backup
        put_values(conn, {"later": "not in the backup"})
    reader.close()
    conn.close()
    restored = tmp_path / "restored" / "motcua.sqlite3"
    backups.restore(restored, sealed, available_migrations()[-1].version, passphrase=PASSPHRASE)
    check = connect(restored, readonly=True)
    try:
        assert sorted(tuple(r) for r in check.execute("SELECT key, value FROM settings")) == expected
        assert check.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
    finally:
        check.close()
    assert not list((tmp_path / "desk").glob("*.staging.*")) and not list(tmp_path.glob(".*staging*"))
