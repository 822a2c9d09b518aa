"""Open every page and dialog of the desktop app on a real store, for the fit and language tests.

``python tests/ui/screens.py OUT.json`` (run by ``test_fit.py`` under a given emulated screen) writes
one record per top-level window it opened: its name, size, minimum size and the screen's available
geometry, all in device-independent pixels. ``walk(visit)`` calls ``visit(name, window)`` for each, so
the language test can read the texts of the same windows without a subprocess.
"""

from __future__ import annotations

import json
import sqlite3
import sys
import tempfile
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path

HERE = Path(__file__).resolve().parent
for extra in (HERE.parents[1] / "desktop", HERE.parents[1], HERE):
    if str(extra) not in sys.path:
        sys.path.insert(0, str(extra))

from PySide6.QtCore import QPoint, Qt  # noqa: E402
from PySide6.QtWidgets import QApplication, QDialog, QLineEdit, QMenu, QTextEdit, QWidget  # noqa: E402
from ui_helpers import add_dossiers, add_users, intake_one  # noqa: E402

Visit = Callable[[str, QWidget], None]


@contextmanager
def sample_store(directory: Path) -> Iterator[tuple[Path, sqlite3.Connection]]:
    from tests.conftest import open_desk_store

    data_dir = directory / "data"
    conn = open_desk_store(data_dir, accounts=add_users)
    add_dossiers(conn, 120, days=60)
    intake_one(conn, data_dir)
    try:
        yield data_dir, conn
    finally:
        conn.close()


def settle() -> None:
    for _ in range(3):
        QApplication.processEvents()


def show(name: str, window: QWidget, visit: Visit) -> None:
    if not window.isVisible():
        window.show()
    settle()
    visit(name, window)


def close(window: QWidget) -> None:
    if isinstance(window, QDialog):
        window.reject()
    window.close()
    settle()


def context_menus(name: str, root: QWidget, visit: Visit) -> None:
    """The standard menu of the first line edit and text edit in ``root`` (Qt draws its texts)."""
    for kind in (QLineEdit, QTextEdit):
        edit = root.findChild(kind)
        if edit is None:
            continue
        menu: QMenu = edit.createStandardContextMenu() if kind is QLineEdit else edit.createStandardContextMenu(
            QPoint(0, 0))
        visit(f"{name}: menu {kind.__name__}", menu)
        menu.deleteLater()


def walk(data_dir: Path, conn: sqlite3.Connection, visit: Visit) -> None:
    from motcua.paths import store_file
    from motcua.services import accounts as auth
    from motcua.store.db import connect
    from motcua.ui.bus import ChangesBus
    from motcua.ui.context import AppContext
    from motcua.ui.dossier.action_dialog import ActionDialog
    from motcua.ui.main_window import MainWindow
    from motcua.ui.session.signin import SignInDialog
    from motcua.ui.settings.backup_dialog import BackupDialog, PassphraseDialog, RestoreDialog
    from motcua.ui.settings.calendar_dialog import CalendarDialog
    from motcua.ui.settings.catalog_import_dialog import CatalogImportDialog
    from motcua.ui.settings.setup_wizard import SetupWizard
    from motcua.ui.settings.user_dialogs import NewUserDialog, PasswordDialog, RolesDialog
    from motcua.ui.sync.enroll_dialog import EnrollDialog
    from motcua.ui.widgets.print_preview import PrintPreview
    from motcua.ui.worker import SyncRunner

    reader = connect(store_file(data_dir), readonly=True)
    bus = ChangesBus()
    runner = SyncRunner(conn, bus)
    context = AppContext(data_dir, reader, runner, bus, auth.get_user(conn, "quantri"))

    signin = SignInDialog(reader, "Xã Ea Kao, Đắk Lắk")
    show("Đăng nhập", signin, visit)
    context_menus("Đăng nhập", signin, visit)
    close(signin)

    wizard = SetupWizard(runner)
    for index in range(len(wizard.pageIds())):
        show(f"Cài đặt ban đầu, bước {index + 1}", wizard, visit)
        wizard.next()
    close(wizard)

    window = MainWindow(context)
    window.resize(1366, 768)
    window.showMaximized()
    settle()
    show("Cửa sổ chính", window, visit)
    for key in ("today", "dossiers", "guidance", "reports", "sync", "settings", "today"):
        page = window.show_page(key)
        show(f"Trang {window.pages[key].name}", window, visit)
        context_menus(f"Trang {window.pages[key].name}", page, visit)

    dossier_id = conn.execute("SELECT id FROM dossiers WHERE status = 2 LIMIT 1").fetchone()[0]
    window.open_dossier(dossier_id)
    show("Trang hồ sơ", window, visit)
    for event_type in ("handed_over", "resolved", "stopped", "supplement_requested", "rescheduled", "returned"):
        dialog = ActionDialog(event_type, "H56.22-000001", window, handover=[])
        show(f"Thao tác {event_type}", dialog, visit)
        context_menus(f"Thao tác {event_type}", dialog, visit)
        close(dialog)

    window.open_intake()
    intake = window.intake_window
    assert intake is not None
    show("Tiếp nhận, bước 1", window, visit)
    intake.choose_procedure("1.001193")  # type: ignore[attr-defined]
    for step in range(1, 4):
        intake.go_to(step)  # type: ignore[attr-defined]
        show(f"Tiếp nhận, bước {step + 1}", window, visit)
        context_menus(f"Tiếp nhận, bước {step + 1}", intake.stack.currentWidget(), visit)  # type: ignore[attr-defined]

    for title, dialog in (("Thêm tài khoản", NewUserDialog(window)), ("Đặt lại mật khẩu", PasswordDialog("tiepnhan01",
                                                                                                        window)),
                          ("Kết nối với tỉnh", EnrollDialog(context, window)),
                          ("Sao lưu và khôi phục", BackupDialog(context, window, quit_app=lambda: None)),
                          ("Đặt mật khẩu sao lưu", PassphraseDialog(window)),
                          ("Lịch làm việc chính thức", CalendarDialog(context, window)),
                          ("Vai trò", RolesDialog("tiepnhan01", ("receiver", "admin"), window)),
                          ("Nhập danh mục thủ tục", CatalogImportDialog(context, window)),
                          ("Khôi phục từ bản sao lưu", RestoreDialog(data_dir / "motcua-20260101-090000.motcua-backup",
                                                                     True, window)),
                          ("Xem trước khi in", PrintPreview(one_page_pdf(), "Giấy tiếp nhận hồ sơ", "a.pdf", window))):
        show(title, dialog, visit)
        close(dialog)

    codes = [row[0] for row in conn.execute("SELECT code FROM dossiers LIMIT 40")]
    window._show_codes(codes)  # a report figure's drill-down
    drill = next(d for d in window.findChildren(QDialog) if d.isVisible())
    show("Danh sách hồ sơ của một số liệu", drill, visit)
    close(drill)

    window.show_help()
    help_window = window.help_window
    assert help_window is not None
    show("Trợ giúp", help_window, visit)
    context_menus("Trợ giúp", help_window, visit)
    close(help_window)
    show("Cửa sổ chính, sau cùng", window, visit)
    for title, dialog in (("Chọn tệp", file_dialog(window)), ("In", print_dialog(window))):
        show(title, dialog, visit)
        context_menus(title, dialog, visit)
        close(dialog)
    window.close()
    settle()
    reader.close()


def one_page_pdf() -> bytes:
    """A blank A4 page, drawn by Qt (the forms module is not what is measured here)."""
    from PySide6.QtCore import QBuffer, QByteArray, QIODevice
    from PySide6.QtGui import QPageSize, QPainter, QPdfWriter

    data = QByteArray()
    buffer = QBuffer(data)
    buffer.open(QIODevice.OpenModeFlag.WriteOnly)
    writer = QPdfWriter(buffer)
    writer.setPageSize(QPageSize(QPageSize.PageSizeId.A4))
    painter = QPainter(writer)
    painter.drawText(100, 100, "Một Cửa Xã")
    painter.end()
    buffer.close()
    return bytes(data.data())


def file_dialog(parent: QWidget) -> QDialog:
    """The file dialog Qt draws itself (Linux without a desktop's own dialogs)."""
    from PySide6.QtWidgets import QFileDialog

    dialog = QFileDialog(parent, "", str(Path.home()), "PDF (*.pdf)")
    dialog.setOption(QFileDialog.Option.DontUseNativeDialog)
    dialog.setAcceptMode(QFileDialog.AcceptMode.AcceptSave)
    return dialog


def print_dialog(parent: QWidget) -> QDialog:
    """The print dialog Qt draws itself on Linux."""
    from PySide6.QtPrintSupport import QPrintDialog, QPrinter

    printer = QPrinter()
    dialog = QPrintDialog(printer, parent)
    dialog.printer_ = printer  # type: ignore[attr-defined] - kept alive as long as the dialog
    return dialog


def measure(out: Path) -> None:
    app = QApplication.instance() or QApplication(sys.argv[:1])
    from motcua.ui.app import style_application

    style_application(app)  # type: ignore[arg-type]
    screen = app.primaryScreen().availableGeometry()  # type: ignore[union-attr]
    records: list[dict[str, object]] = []

    def visit(name: str, window: QWidget) -> None:
        if isinstance(window, QMenu):
            return
        hint = window.minimumSizeHint()
        records.append({"name": name, "width": window.frameGeometry().width(),
                        "height": window.frameGeometry().height(),
                        "min_width": max(window.minimumWidth(), hint.width()),
                        "min_height": max(window.minimumHeight(), hint.height()),
                        "screen": [screen.width(), screen.height()]})

    with tempfile.TemporaryDirectory() as tmp, sample_store(Path(tmp)) as (data_dir, conn):
        walk(data_dir, conn, visit)
    out.write_text(json.dumps(records, ensure_ascii=False, indent=1), encoding="utf-8")


if __name__ == "__main__":
    Qt  # noqa: B018 - imported for readers of this module
    measure(Path(sys.argv[1]))
