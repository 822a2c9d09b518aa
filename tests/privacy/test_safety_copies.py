"""The copies the store keeps of itself before a migration or a restore are no readable personal data on disk:
sealed like a backup when a backup passphrase is set, otherwise a plain pre-migration copy that lives only
while the migration may need it."""

from __future__ import annotations

from pathlib import Path

import pytest

from motcua.paths import store_file
from motcua.store import backup as backups
from motcua.store import backup_keys
from motcua.store import db as store_db
from tests.privacy.test_sealed_backups import ID_NUMBER, PASSPHRASE, assert_nothing_personal, table_rows


@pytest.fixture
def desk_with_data(desk, data_dir: Path) -> Path:  # type: ignore[no-untyped-def]
    return store_file(data_dir)


def pending_migration(monkeypatch, tmp_path: Path, sql: str) -> None:  # type: ignore[no-untyped-def]
    """One more migration than the store has: the next open_store migrates."""
    migrations = tmp_path / "migrations"
    migrations.mkdir()
    for m in store_db.available_migrations():
        (migrations / m.path.name).write_text(m.path.read_text(encoding="utf-8"), encoding="utf-8")
    (migrations / "0900_next.sql").write_text(sql, encoding="utf-8")
    monkeypatch.setattr(store_db, "migrations_dir", lambda: migrations)


def kept(data_dir: Path, what: str) -> list[Path]:
    return sorted(backups.backups_dir(data_dir).glob(f"{what}-*"))


def test_the_copy_before_a_migration_is_sealed_when_a_passphrase_is_set(desk_with_data: Path, data_dir: Path,
                                                                        tmp_path: Path, monkeypatch) -> None:
    conn = store_db.open_store(desk_with_data)
    backup_keys.set_passphrase(conn, PASSPHRASE, scrypt_n=2**12)
    conn.close()
    before = table_rows(desk_with_data)
    pending_migration(monkeypatch, tmp_path, "CREATE TABLE next_thing (x);")
    store_db.open_store(desk_with_data).close()
    copies = kept(data_dir, "before-migration")
    assert [p.suffix for p in copies] == [backups.SEALED_SUFFIX]
    assert_nothing_personal(copies[0].read_bytes())
    opened = tmp_path / "opened.sqlite3"
    backups.unseal_backup(copies[0], opened, passphrase=PASSPHRASE)
    assert table_rows(opened) == before   # the store as it was, restorable with `motcua restore`
    assert ID_NUMBER.encode() in opened.read_bytes()


def test_without_a_passphrase_the_plain_copy_lives_only_while_the_migration_needs_it(
        desk_with_data: Path, data_dir: Path, tmp_path: Path, monkeypatch) -> None:
    pending_migration(monkeypatch, tmp_path, "CREATE TABLE next_thing (x);")
    store_db.open_store(desk_with_data).close()
    assert kept(data_dir, "before-migration") == []   # migrated: the plain copy is gone


def test_a_failed_migration_keeps_the_copy_and_says_where(desk_with_data: Path, data_dir: Path, tmp_path: Path,
                                                          monkeypatch) -> None:
    pending_migration(monkeypatch, tmp_path, "CREATE TABLE half (x);\nTHIS IS NOT SQL;")
    with pytest.raises(store_db.StoreError, match="rolled back") as failure:
        store_db.open_store(desk_with_data)
    copies = kept(data_dir, "before-migration")
    assert len(copies) == 1 and str(copies[0]) in str(failure.value)
    assert "trước khi nâng cấp" in str(failure.value)


def test_the_copy_before_a_restore_is_sealed_when_a_passphrase_is_set(desk_with_data: Path, data_dir: Path,
                                                                      tmp_path: Path) -> None:
    conn = store_db.open_store(desk_with_data)
    backup_keys.set_passphrase(conn, PASSPHRASE, scrypt_n=2**12)
    backup = backups.backup(conn, data_dir, tmp_path / "b.motcua-backup")
    conn.close()
    latest = store_db.available_migrations()[-1].version
    previous = backups.restore(desk_with_data, backup, latest, passphrase=PASSPHRASE)
    assert previous is not None and previous.name.endswith(backups.SEALED_SUFFIX)
    assert_nothing_personal(previous.read_bytes())
