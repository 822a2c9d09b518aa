"""``motcua-desktop``: open the store, first-run setup or sign-in, then the main window.

    motcua-desktop [--data-dir DIR]
"""

from __future__ import annotations

import sqlite3
import sys
from collections.abc import Sequence
from pathlib import Path
from typing import TYPE_CHECKING

from PySide6.QtCore import QLocale, Qt, QTimer, QTranslator
from PySide6.QtGui import QFont
from PySide6.QtWidgets import QApplication, QMessageBox

from motcua.i18n import tr
from motcua.paths import data_dir, shipped, store_file
from motcua.services import accounts as auth
from motcua.store.db import StoreError, connect, open_store
from motcua.store.settings import get_settings
from motcua.ui.bus import ChangesBus
from motcua.ui.context import AppContext
from motcua.ui.widgets.fitting import fit_size
from motcua.ui.worker import RunnerBase, TaskRunner

if TYPE_CHECKING:
    import argparse

    from motcua.ui.main_window import MainWindow
    from motcua.ui.session.single_instance import SingleInstance

SYNC_DELAY_MS = 3000
FONT_FAMILIES = ["Segoe UI", "Noto Sans", "DejaVu Sans", "Liberation Sans"]  # all carry Vietnamese


def parse_args(argv: Sequence[str] | None) -> argparse.Namespace:
    import argparse

    parser = argparse.ArgumentParser(prog="motcua-desktop", description=tr("Một Cửa Xã — ứng dụng bàn làm việc."))
    parser.add_argument("--data-dir", help=tr("thư mục dữ liệu (mặc định: $MOTCUA_DATA_DIR hoặc thư mục của hệ "
                                              "điều hành)"))
    return parser.parse_args(argv)


def style_application(app: QApplication) -> None:
    """Fusion, our fonts and stylesheet, on an application made elsewhere (tests, screenshot scripts)."""
    app.setStyle("Fusion")  # the same look on Windows and Linux; the stylesheet does the rest
    apply_look(app)


def apply_look(app: QApplication) -> None:
    font = QFont()
    font.setFamilies(FONT_FAMILIES)
    font.setPointSize(10)
    app.setFont(font)
    qss = shipped("resources", "style.qss")
    if qss.exists():
        icons = shipped("resources", "icons").resolve().as_posix()
        app.setStyleSheet(qss.read_text(encoding="utf-8").replace("@ICONS@", icons))


def install_translations(app: QApplication) -> QTranslator:
    """Qt's own texts (context menus, standard buttons, file and print dialogs) in Vietnamese.

    Qt ships no Vietnamese translation; ours is ``resources/translations/qtbase_vi.ts``, compiled to the
    ``.qm`` next to it (``pyside6-lrelease qtbase_vi.ts``). Dates, month and day names follow Vietnamese too.
    """
    QLocale.setDefault(QLocale(QLocale.Language.Vietnamese, QLocale.Country.Vietnam))
    translator = QTranslator(app)
    path = shipped("resources", "translations", "qtbase_vi.qm")
    if not translator.load(str(path)):
        raise FileNotFoundError(path)  # a broken bundle: better to say so than to speak English
    app.installTranslator(translator)
    return translator


def make_application(argv: Sequence[str] | None = None) -> QApplication:
    existing = QApplication.instance()
    if isinstance(existing, QApplication):
        return existing
    QApplication.setHighDpiScaleFactorRoundingPolicy(Qt.HighDpiScaleFactorRoundingPolicy.PassThrough)
    # Fusion: the same look on Windows and Linux; the stylesheet does the rest. Chosen on the command line Qt
    # reads, not with ``setStyle``: that returns the style to Python, and wrapping a QStyle makes PySide build
    # its ~550 enum values at start-up (~8 ms) for nothing.
    app = QApplication([*(argv or sys.argv[:1]), "-style", "Fusion"])
    app.setApplicationName("Một Cửa Xã")
    app.setOrganizationName("motcua")
    app.setApplicationDisplayName("Một Cửa Xã")
    install_translations(app)
    apply_look(app)
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
        self.window: MainWindow | None = None

    def first_user(self) -> auth.User | None:
        """First run (or a store set up from the command line with no accounts): the setup wizard."""
        from motcua.store.backup_keys import backup_keys
        from motcua.ui.settings.setup_wizard import SetupWizard

        settings = get_settings(self.reader)
        if settings.initialised and auth.user_count(self.reader):
            return None
        wizard = SetupWizard(self.runner, only_admin=settings.initialised,
                             ask_backup_passphrase=backup_keys(self.reader) is None)
        wizard.exec()
        return wizard.admin

    def sign_in(self) -> auth.User | None:
        from motcua.ui.session.signin import SignInDialog

        settings = get_settings(self.reader)
        dialog = SignInDialog(self.reader, f"{settings.commune_name}, {settings.province_name}".strip(", "))
        last = self.last_user_file()
        if last.exists():
            dialog.remember(last.read_text(encoding="utf-8").strip())
        user = dialog.user if dialog.exec() else None
        if user is not None:
            last.write_text(user.username, encoding="utf-8")
        return user

    def last_user_file(self) -> Path:
        """Who signed in last on this desk (a name, never a password): sign-in asks only for the password."""
        return self.data_dir / "desktop-last-user.txt"

    def bring_to_front(self) -> None:
        """Another start of the app on this store: show this one instead (the dialog in front, if any)."""
        target = QApplication.activeModalWidget() or self.window
        if target is None:
            return
        if target.isMinimized():
            target.showNormal()
        target.show()
        target.raise_()
        target.activateWindow()

    def open_window(self, user: auth.User) -> None:
        from motcua.ui.main_window import MainWindow

        self.context.user = user
        window = MainWindow(self.context)
        window.sign_out_requested.connect(self.sign_out)
        fit_size(window, 1366, 768)  # the size it comes back to from maximised: never larger than the screen
        window.showMaximized()
        # Sync with the province is a background loop (every two minutes): it starts once the first screen
        # is up, not before (its client library alone takes longer to load than the whole window).
        QTimer.singleShot(SYNC_DELAY_MS, window, window.start_sync)
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


def finish_restore(store_path: Path) -> bool:
    """A restore chosen under Cài đặt is swapped in here, before anything opens the store; False if it failed."""
    from motcua.store import backup as backups

    if not backups.pending_restore_file(store_path).is_file():
        return True
    try:
        kept = backups.finish_pending_restore(store_path)
    except (OSError, sqlite3.Error) as exc:
        QMessageBox.critical(None, tr("Chưa khôi phục được"), tr(
            "Không thay được dữ liệu bằng bản sao lưu đã chọn ({e}); dữ liệu hiện tại giữ nguyên. Hãy đóng mọi "
            "chương trình đang mở dữ liệu rồi mở lại phần mềm.", e=str(exc)))
        return False
    QMessageBox.information(None, tr("Đã khôi phục"), tr("Đã khôi phục dữ liệu từ bản sao lưu.") + (
        " " + tr("Dữ liệu trước đó được giữ tại {p}.", p=str(kept)) if kept else ""))
    return True


def main(argv: Sequence[str] | None = None) -> int:
    args = parse_args(argv)
    app = make_application()
    directory = data_dir(args.data_dir)
    from motcua.ui.session.single_instance import SingleInstance  # QtNetwork: only the real start needs it

    instance = SingleInstance(store_file(directory))
    if not instance.claim():  # this store is open already: that copy comes to the front instead
        if not instance.answered:
            QMessageBox.information(None, tr("Một Cửa Xã đang chạy"), tr(
                "Một Cửa Xã đang mở dữ liệu này trên máy nhưng chưa trả lời. Hãy chờ ít phút, hoặc đóng cửa sổ "
                "đó rồi mở lại."))
        return 0
    try:
        return run(directory, app, instance)
    finally:
        instance.release()


def run(directory: Path, app: QApplication, instance: SingleInstance) -> int:
    if not finish_restore(store_file(directory)):
        return 2
    try:
        write_conn = open_store(store_file(directory))
    except StoreError as exc:
        QMessageBox.critical(None, tr("Không mở được dữ liệu"), str(exc))
        return 2
    session = Session(directory, write_conn)
    instance.activate_requested.connect(session.bring_to_front)
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
