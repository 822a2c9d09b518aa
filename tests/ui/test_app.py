"""``motcua-desktop`` end to end: store opened, sign-in, main window, writer shut down."""

from __future__ import annotations

from PySide6.QtWidgets import QApplication

from motcua.ui import app as desktop
from motcua.ui.main_window import MainWindow
from motcua.ui.session.signin import SignInDialog


def test_main_signs_in_and_opens_the_main_window(qtbot, ui_store, monkeypatch) -> None:
    ui_store.conn.close()
    shown: list[MainWindow] = []

    def sign_in(dialog: SignInDialog) -> int:
        dialog.username.setText("tiepnhan01")
        dialog.password.setText("matkhau-123")
        return int(dialog.try_sign_in())

    def run_loop() -> int:
        windows = [w for w in QApplication.topLevelWidgets() if isinstance(w, MainWindow) and w.isVisible()]
        shown.extend(windows)
        for window in windows:
            window.close()
        return 0

    monkeypatch.setattr(SignInDialog, "exec", sign_in)
    monkeypatch.setattr(QApplication, "exec", staticmethod(run_loop))
    assert desktop.main(["--data-dir", str(ui_store.data_dir)]) == 0
    assert len(shown) == 1 and shown[0].context.user.username == "tiepnhan01"
    assert shown[0].windowTitle() == "Xã Ea Kao"  # the system adds « — Một Cửa Xã», the display name


def test_main_stops_when_sign_in_is_cancelled(qtbot, ui_store, monkeypatch) -> None:
    ui_store.conn.close()
    monkeypatch.setattr(SignInDialog, "exec", lambda self: 0)
    assert desktop.main(["--data-dir", str(ui_store.data_dir)]) == 0


def test_main_refuses_a_damaged_store(qtbot, tmp_path, monkeypatch) -> None:
    from PySide6.QtWidgets import QMessageBox

    data = tmp_path / "data"
    data.mkdir()
    (data / "motcua.sqlite3").write_bytes(b"this is not a database" * 100)
    messages: list[str] = []
    monkeypatch.setattr(QMessageBox, "critical", lambda _p, title, text: messages.append(title))
    assert desktop.main(["--data-dir", str(data)]) == 2
    assert messages == ["Không mở được dữ liệu"]


def test_sign_out_then_in_as_someone_else(qtbot, ui_store, monkeypatch) -> None:
    from motcua.store.db import connect

    ui_store.conn.close()
    session = desktop.Session(ui_store.data_dir, connect(ui_store.path))
    try:
        from motcua.services import accounts as auth

        session.open_window(auth.get_user(session.reader, "tiepnhan01"))
        first = session.window
        assert first is not None and first.intake_button.isVisibleTo(first)

        def sign_in(dialog: SignInDialog) -> int:
            dialog.username.setText("chuyenvien01")
            dialog.password.setText("matkhau-123")
            return int(dialog.try_sign_in())

        monkeypatch.setattr(SignInDialog, "exec", sign_in)
        first.activateWindow()
        qtbot.waitUntil(lambda: QApplication.activeWindow() is first and QApplication.focusWidget() is not None)
        qtbot.keyClick(first, desktop.Qt.Key.Key_L,
                       desktop.Qt.KeyboardModifier.ControlModifier | desktop.Qt.KeyboardModifier.ShiftModifier)
        second = session.window
        assert second is not first and not first.isVisible()
        assert session.context.user.username == "chuyenvien01"
        assert not second.intake_button.isVisibleTo(second)  # a specialist does not take in dossiers
    finally:
        session.close()
