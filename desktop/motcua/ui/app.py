"""``motcua-desktop``: open the store, first-run setup or sign-in, then the main window.

    motcua-desktop [--data-dir DIR]
"""

from __future__ import annotations

import sqlite3
import sys
from collections.abc import Sequence
from pathlib import Path
from typing import TYPE_CHECKING

from PySide6.QtCore import Qt
from PySide6.QtGui import QFont
from PySide6.QtWidgets import QApplication, QMessageBox

from motcua.i18n import tr
from motcua.paths import data_dir, shipped, store_file
from motcua.services import accounts as auth
from motcua.store.db import StoreError, connect, open_store
from motcua.store.settings import get_settings
from motcua.ui.bus import ChangesBus
from motcua.ui.context import AppContext
from motcua.ui.worker import RunnerBase, TaskRunner

if TYPE_CHECKING:
    import argparse

FONT_FAMILIES = ["Segoe UI", "Noto Sans", "DejaVu Sans", "Liberation Sans"]  # all carry Vietnamese


def parse_args(argv: Sequence[str] | None) -> argparse.Namespace:
    import argparse

    parser = argparse.ArgumentParser(prog="motcua-desktop", description=tr("Một Cửa Xã — ứng dụng bàn làm việc."))
    parser.add_argument("--data-dir", help=tr("thư mục dữ liệu (mặc định: $MOTCUA_DATA_DIR hoặc thư mục của hệ "
                                              "điều hành)"))
    return parser.parse_args(argv)


def style_application(app: QApplication) -> None:
    font = QFont()
    font.setFamilies(FONT_FAMILIES)
    font.setPointSize(10)
    app.setFont(font)
    app.setStyle("Fusion")  # the same look on Windows and Linux; the stylesheet does the rest
    qss = shipped("resources", "style.qss")
    if qss.exists():
        icons = shipped("resources", "icons").resolve().as_posix()
        app.setStyleSheet(qss.read_text(encoding="utf-8").replace("@ICONS@", icons))


def make_application(argv: Sequence[str] | None = None) -> QApplication:
    existing = QApplication.instance()
    if isinstance(existing, QApplication):
        return existing
    QApplication.setHighDpiScaleFactorRoundingPolicy(Qt.HighDpiScaleFactorRoundingPolicy.PassThrough)
    app = QApplication(list(argv or sys.argv[:1]))
    app.setApplicationName("Một Cửa Xã")
    app.setOrganizationName("motcua")
    app.setApplicationDisplayName("Một Cửa Xã")
    style_application(app)
    return app


class Session:
    """The running application: one store, one writer, one reader, one signed-in user at a time."""

    def __init__(self, directory: Path, write_conn: sqlite3.Connection):
        self.data_dir = directory
        self.bus = ChangesBus()
        # The writer thread owns this connection from now on; the GUI thread only reads.
        self.runner: RunnerBase = TaskRunner(lambda: write_conn, self.bus)
        self.reader = connect(store_file(directory), readonly=True)
        self.context = AppContext(directory, self.reader, self.runner, self.bus)
        self.window = None

    def first_user(self) -> auth.User | None:
        """First run (or a store set up from the command line with no accounts): the setup wizard."""
        from motcua.ui.setup_wizard import SetupWizard

        settings = get_settings(self.reader)
        if settings.initialised and auth.user_count(self.reader):
            return None
        wizard = SetupWizard(self.runner, only_admin=settings.initialised)
        wizard.exec()
        return wizard.admin

    def sign_in(self) -> auth.User | None:
        from motcua.ui.signin import SignInDialog

        settings = get_settings(self.reader)
        dialog = SignInDialog(self.reader, f"{settings.commune_name}, {settings.province_name}".strip(", "))
        return dialog.user if dialog.exec() else None

    def open_window(self, user: auth.User) -> None:
        from motcua.ui.main_window import MainWindow

        self.context.user = user
        window = MainWindow(self.context)
        window.sign_out_requested.connect(self.sign_out)
        window.resize(1366, 768)
        window.showMaximized()
        window.start_sync()
        self.window = window

    def sign_out(self) -> None:
        old = self.window
        if old is not None:
            old.hide()
        self.context.user = None
        user = self.sign_in()
        if old is not None:
            old.deleteLater()
        if user is None:
            QApplication.quit()
            return
        self.open_window(user)

    def close(self) -> None:
        if self.window is not None:
            self.window.close()
            self.window.deleteLater()
            self.window = None
        self.runner.shutdown()
        self.reader.close()


def main(argv: Sequence[str] | None = None) -> int:
    args = parse_args(argv)
    app = make_application()
    directory = data_dir(args.data_dir)
    try:
        write_conn = open_store(store_file(directory))
    except StoreError as exc:
        QMessageBox.critical(None, tr("Không mở được dữ liệu"), str(exc))
        return 2
    session = Session(directory, write_conn)
    try:
        user = session.first_user()
        if user is None:
            if not (get_settings(session.reader).initialised and auth.user_count(session.reader)):
                return 1  # the wizard was cancelled
            user = session.sign_in()
            if user is None:
                return 0
        session.open_window(user)
        return app.exec()
    finally:
        session.close()


if __name__ == "__main__":
    raise SystemExit(main())
