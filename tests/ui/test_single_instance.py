"""One running copy per store: a second start brings the first to the front and quits; sign-in remembers."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

from motcua.paths import store_file
from motcua.ui import app as desktop
from motcua.ui.session.signin import SignInDialog
from motcua.ui.session.single_instance import SingleInstance, server_name

REPO = Path(__file__).resolve().parents[2]
SECOND = """
import sys
from pathlib import Path
from PySide6.QtCore import QCoreApplication
from motcua.ui.session.single_instance import SingleInstance
app = QCoreApplication([])
instance = SingleInstance(Path(sys.argv[1]))
if sys.argv[2] == "crash":
    assert instance.claim()
    import os
    os._exit(0)          # dies holding the lock, as a crashed copy would
sys.exit(10 if instance.claim() else (0 if instance.answered else 11))
"""


def _second_copy(store: Path, mode: str = "second") -> subprocess.Popen[bytes]:
    env = {**os.environ, "PYTHONPATH": str(REPO / "desktop"), "QT_QPA_PLATFORM": "offscreen"}
    return subprocess.Popen([sys.executable, "-c", SECOND, str(store), mode], env=env)


def test_a_second_copy_brings_the_first_to_the_front(qtbot, tmp_path: Path) -> None:
    store = store_file(tmp_path / "data")
    first = SingleInstance(store)
    try:
        assert first.claim()
        with qtbot.waitSignal(first.activate_requested, timeout=10000):
            process = _second_copy(store)
        assert process.wait(timeout=30) == 0       # it found the first copy, told it, and quit
    finally:
        first.release()
    after = SingleInstance(store)                   # the first one closed: the next start is the first again
    assert after.claim()
    after.release()


def test_two_stores_are_two_copies(tmp_path: Path) -> None:
    one, two = SingleInstance(store_file(tmp_path / "a")), SingleInstance(store_file(tmp_path / "b"))
    assert server_name(store_file(tmp_path / "a")) != server_name(store_file(tmp_path / "b"))
    try:
        assert one.claim() and two.claim()
    finally:
        one.release()
        two.release()


def test_a_crashed_copy_does_not_block_the_next_start(tmp_path: Path) -> None:
    store = store_file(tmp_path / "data")
    assert _second_copy(store, "crash").wait(timeout=30) == 0
    assert store.with_name(store.name + ".desktop-lock").exists()   # the lock it left
    instance = SingleInstance(store)
    try:
        assert instance.claim()
    finally:
        instance.release()


def test_main_hands_over_instead_of_opening_the_store_twice(qtbot, ui_store, monkeypatch) -> None:
    ui_store.conn.close()
    monkeypatch.setattr(SignInDialog, "exec", lambda self: (_ for _ in ()).throw(AssertionError("signed in twice")))
    running = SingleInstance(store_file(ui_store.data_dir))
    try:
        assert running.claim()
        with qtbot.waitSignal(running.activate_requested, timeout=10000):
            assert desktop.main(["--data-dir", str(ui_store.data_dir)]) == 0
    finally:
        running.release()


def test_sign_in_remembers_the_last_user(qtbot, ui_store, monkeypatch) -> None:
    from motcua.store.db import connect

    ui_store.conn.close()
    session = desktop.Session(ui_store.data_dir, connect(ui_store.path))
    seen: list[str] = []

    def sign_in(dialog: SignInDialog) -> int:
        seen.append(dialog.username.text())
        dialog.username.setText(dialog.username.text() or "chuyenvien01")
        dialog.password.setText("matkhau-123")
        return int(dialog.try_sign_in())

    monkeypatch.setattr(SignInDialog, "exec", sign_in)
    try:
        assert session.sign_in().username == "chuyenvien01"
        assert session.sign_in().username == "chuyenvien01"
    finally:
        session.close()
    assert seen == ["", "chuyenvien01"]                        # the second time the name was filled in
    assert "matkhau" not in session.last_user_file().read_text(encoding="utf-8")
