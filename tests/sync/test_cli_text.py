"""Desk commands given text that is not UTF-8 answer with a precise message and write nothing (issue 17)."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from motcua.cli import main as motcua_main
from tests.sync.conftest import DeskStore


def _events(store: DeskStore) -> int:
    return int(store.conn.execute("SELECT count(*) FROM events").fetchone()[0])


def test_a_name_that_is_not_utf8_is_refused_with_a_message(store: DeskStore,
                                                            capsys: pytest.CaptureFixture[str]) -> None:
    name = os.fsdecode(b"Nguy\xffn")          # what `motcua intake --name $'Nguy\xffn'` gives Python
    before = _events(store)
    code = motcua_main(["--data-dir", str(store.data_dir), "intake", "--procedure", "1.001193", "--name", name,
                        "--id-number", "001190012345"])
    assert code == 2
    err = capsys.readouterr().err
    assert "--name" in err and "UTF-8" in err and "Nguy�n" in err
    assert _events(store) == before


def test_a_file_named_in_another_encoding(store: DeskStore, tmp_path: Path,
                                          capsys: pytest.CaptureFixture[str]) -> None:
    dossier = store.new_dossier(extra_events=0)
    path = Path(os.fsdecode(bytes(tmp_path) + b"/sc\xffn.pdf"))
    path.write_bytes(b"%PDF-1.4 trang quet")
    before = _events(store)
    assert motcua_main(["--data-dir", str(store.data_dir), "attach", dossier, str(path)]) == 2
    err = capsys.readouterr().err
    assert "Tên tệp «sc�n.pdf»" in err and "đổi tên tệp" in err
    assert _events(store) == before
    # Named explicitly (--name passes the check), the same file is attached under that name.
    store.desk.attach(dossier, path, "motnhanvien", name="scan.pdf")
    assert store.conn.execute("SELECT count(*) FROM events WHERE type = 'attachment_added'").fetchone()[0] == 1
