"""Two backups within one second are two files: the second never replaces the first."""

from __future__ import annotations

from datetime import datetime
from pathlib import Path

import pytest

from motcua.domain.clock import VN_TZ
from motcua.store import backup


@pytest.mark.parametrize("plain", [False, True])
def test_a_second_backup_in_the_same_second_gets_its_own_name(tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
                                                               plain: bool) -> None:
    monkeypatch.setattr(backup, "now", lambda: datetime(2026, 3, 2, 9, 30, 15, tzinfo=VN_TZ))
    names = []
    for _ in range(3):
        target = backup.default_target(tmp_path, plain)
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_bytes(b"a backup")
        names.append(target.name)
    suffix = ".sqlite3" if plain else backup.SEALED_SUFFIX
    assert names == [f"motcua-20260302-093015{suffix}", f"motcua-20260302-093015-2{suffix}",
                     f"motcua-20260302-093015-3{suffix}"]
