"""Screenshots of each main screen at 1366×768, under Xvfb with the real xcb platform.

    python docs/screenshots/make_screenshots.py [--out docs/screenshots] [--only 13-dong-bo 19-ngat-ket-noi-tinh …]
    python docs/screenshots/make_screenshots.py --journeys     # every step of the window journeys → journeys/

Starts Xvfb itself (display :99 unless $DISPLAY is set and --no-xvfb is given), builds a demo store in a
temporary folder (3,000 dossiers over four months, plus a few made through the services so the
timeline has real steps), then shows each screen and grabs the whole X screen to PNG.
"""

from __future__ import annotations

import argparse
import os
import shutil
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from datetime import timedelta
from pathlib import Path

REPO = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(REPO / "desktop"))
sys.path.insert(0, str(REPO / "bench"))

WIDTH, HEIGHT = 1366, 768
PASSWORD = "matkhau-2026"


def start_xvfb(display: str) -> subprocess.Popen[bytes]:
    xvfb = shutil.which("Xvfb")
    if xvfb is None:
        raise SystemExit("Xvfb is not installed (apt-get install xvfb)")
    proc = subprocess.Popen([xvfb, display, "-screen", "0", f"{WIDTH}x{HEIGHT}x24", "-nolisten", "tcp"],
                            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    for _ in range(50):
        if Path(f"/tmp/.X11-unix/X{display.lstrip(':')}").exists():
            return proc
        time.sleep(0.1)
    proc.terminate()
    raise SystemExit("Xvfb did not start")


def demo_store(directory: Path):  # -> (write connection, dossier id with a rich timeline)
    from bulk_store import generate
    from motcua.domain.clock import now
    from motcua.paths import store_file
    from motcua.services import accounts as auth
    from motcua.services.desk import Desk
    from motcua.services.intake import parse_intake
    from motcua.store.db import open_store, transaction

    conn = open_store(store_file(directory))
    generate(conn, 3000, days=120)
    with transaction(conn):
        for username, name, role in (("tiepnhan01", "Nguyễn Thị Hoa", "receiver"),
                                     ("tiepnhan02", "Lê Thị Thu", "receiver"),
                                     ("cc.tuphap", "Trần Văn Bình", "specialist"),
                                     ("lanhdao01", "Lê Minh Quân", "leader"), ("quantri", "Phạm Thu Hà", "admin")):
            auth.create_user(conn, username, name, role, PASSWORD)
    desk = Desk(conn, directory)
    start = now() - timedelta(days=2)
    start = start.replace(hour=8, minute=15, second=0, microsecond=0)
    while start.weekday() >= 5:
        start -= timedelta(days=1)
    intake = parse_intake({
        "procedure_code": "1.001193",
        "procedure": {"code": "1.001193", "name": "Đăng ký khai sinh", "field": "Hộ tịch", "days": 3},
        "applicant": {"name": "Ksor H'Bia", "id_number": "066190001234", "phone": "0912345678",
                      "address": "Buôn Ea Kao, xã Ea Kao"},
        "summary": "Đăng ký khai sinh cho con thứ hai",
        "documents": [{"name": "Tờ khai đăng ký khai sinh", "kind": "original", "copies": 1},
                      {"name": "Giấy chứng sinh", "kind": "original", "copies": 1},
                      {"name": "Giấy chứng nhận kết hôn của cha mẹ", "kind": "photocopy_with_original",
                       "copies": 1, "received": False}],
        "received_at": start.isoformat(),
    })
    record = desk.intake(intake, "tiepnhan01").record
    steps = (("handed_over", {"to": "cc.tuphap", "to_unit": "Tư pháp – hộ tịch",
                              "note": "Chuyển công chức tư pháp xử lý"}, 1),
             ("supplement_requested", {"reason": "Thiếu bản sao giấy chứng nhận kết hôn của cha mẹ",
                                       "items": ["Giấy chứng nhận kết hôn (bản sao)"]}, 3),
             ("supplemented", {"note": "Công dân đã nộp bổ sung tại quầy"}, 25),
             ("note", {"text": "Đã đối chiếu bản chính, trả lại bản chính cho công dân"}, 26))
    for event_type, values, hours in steps:
        desk.act(record.id, event_type, "cc.tuphap" if event_type != "supplemented" else "tiepnhan01", values,
                 at=start + timedelta(hours=hours))
    return conn, record.id


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--out", type=Path, default=Path(__file__).resolve().parent)
    parser.add_argument("--display", default=":99")
    parser.add_argument("--no-xvfb", action="store_true", help="use the current $DISPLAY")
    parser.add_argument("--only", nargs="+", metavar="NAME", help="write only these screenshots (names without .png)")
    parser.add_argument("--journeys", action="store_true",
                        help="instead: run the window journeys and shoot each step into OUT/journeys/")
    args = parser.parse_args(argv)
    xvfb = None
    if not args.no_xvfb:
        xvfb = start_xvfb(args.display)
        os.environ["DISPLAY"] = args.display
    os.environ["QT_QPA_PLATFORM"] = "xcb"
    os.environ.pop("QT_SCALE_FACTOR", None)
    try:
        if args.journeys:
            return journey_shots(args.out / "journeys")
        return shoot(args.out, set(args.only or ()))
    finally:
        if xvfb is not None:
            xvfb.terminate()
            xvfb.wait()


def journey_shots(out: Path) -> int:
    """Run tests/e2e/test_window_journeys.py on this display; it grabs the screen at each step (sign-in,
    each dialog filled, each paper's preview, the dossier at its end) into ``out``."""
    out.mkdir(parents=True, exist_ok=True)
    for old in out.glob("*.png"):
        old.unlink()
    env = dict(os.environ, MOTCUA_JOURNEY_SHOTS=str(out), QT_QPA_PLATFORM="xcb")
    env["PYTHONPATH"] = os.pathsep.join([str(REPO / "desktop"), env.get("PYTHONPATH", "")])
    done = subprocess.run([sys.executable, "-m", "pytest", "-q", "-p", "no:cacheprovider", "-m", "xcb",
                           str(REPO / "tests" / "e2e" / "test_window_journeys.py")], cwd=REPO, env=env)
    for path in sorted(out.glob("*.png")):
        print(path.relative_to(REPO) if path.is_relative_to(REPO) else path)
    return done.returncode


def shoot(out: Path, only: set[str] | None = None) -> int:
    from PySide6.QtCore import QTimer
    from PySide6.QtWidgets import QApplication, QWidget

    from motcua.paths import store_file
    from motcua.services import accounts as auth
    from motcua.store.db import connect
    from motcua.ui.app import make_application
    from motcua.ui.bus import ChangesBus
    from motcua.ui.context import AppContext
    from motcua.ui.main_window import MainWindow
    from motcua.ui.worker import SyncRunner

    app = make_application(["make_screenshots"])
    assert QApplication.platformName() == "xcb", QApplication.platformName()
    out.mkdir(parents=True, exist_ok=True)
    workdir = Path(tempfile.mkdtemp(prefix="motcua-shots-"))
    conn, rich_id = demo_store(workdir / "data")
    reader = connect(store_file(workdir / "data"), readonly=True)
    bus = ChangesBus()
    context = AppContext(workdir / "data", reader, SyncRunner(conn, bus), bus, auth.get_user(conn, "lanhdao01"))
    written: list[Path] = []

    def settle(ms: int = 250) -> None:
        end = time.monotonic() + ms / 1000
        while time.monotonic() < end:
            app.processEvents()
            time.sleep(0.01)

    def grab(name: str) -> None:
        if only and name not in only:
            return
        settle()
        screen = app.primaryScreen()
        pixmap = screen.grabWindow(0, 0, 0, WIDTH, HEIGHT)
        path = out / f"{name}.png"
        pixmap.save(str(path))
        written.append(path)

    def centred(widget: QWidget) -> None:
        widget.adjustSize()
        size = widget.size()
        widget.move((WIDTH - size.width()) // 2, (HEIGHT - size.height()) // 3)

    # -- sign-in, over an empty desktop ----------------------------------------------------------
    from motcua.ui.session.signin import SignInDialog

    backdrop = QWidget()
    backdrop.setObjectName("backdrop")
    backdrop.setStyleSheet("QWidget#backdrop { background: #1f3a5f; }")
    backdrop.setGeometry(0, 0, WIDTH, HEIGHT)
    backdrop.show()
    signin = SignInDialog(reader, "Xã Ea Kao, Đắk Lắk")
    signin.username.setText("tiepnhan01")
    signin.password.setText("sai")
    signin.try_sign_in()
    centred(signin)
    signin.show()
    grab("01-dang-nhap")
    signin.close()

    # -- first-run wizard ------------------------------------------------------------------------
    from motcua.store.db import open_store
    from motcua.ui.settings.setup_wizard import SetupWizard

    fresh = open_store(workdir / "fresh" / "motcua.sqlite3")
    wizard = SetupWizard(SyncRunner(fresh, ChangesBus()))
    wizard.resize(900, 620)
    wizard.move((WIDTH - 900) // 2, (HEIGHT - 620) // 2)
    wizard.show()
    wizard.place.province.search.setText("đắk lắk")
    wizard.place.province.list.setFocus()
    wizard.place.province.list.setCurrentIndex(wizard.place.province.proxy.index(0, 0))
    wizard.place.commune.search.setText("ea k")
    wizard.place.commune.list.setCurrentIndex(wizard.place.commune.proxy.index(0, 0))
    grab("02-thiet-lap-don-vi")
    wizard.next()
    wizard.agency.agency_code.setText("000.17.22.H56")
    grab("03-thiet-lap-ma-co-quan")
    wizard.next()
    wizard.admin_page.inputs["full_name"].setText("Phạm Thu Hà")
    wizard.admin_page.inputs["password"].setText("ngan")
    wizard.admin_page.show_errors({"password": "Mật khẩu cần ít nhất 8 ký tự."})
    grab("04-thiet-lap-quan-tri")
    wizard.close()
    backdrop.close()

    # -- the main window -------------------------------------------------------------------------
    window = MainWindow(context)
    window.setGeometry(0, 0, WIDTH, HEIGHT)
    window.show()
    settle(400)
    frame = window.frameGeometry()
    if frame.width() > WIDTH or frame.height() > HEIGHT:  # a window manager added decorations
        window.resize(WIDTH - (frame.width() - window.width()), HEIGHT - (frame.height() - window.height()))
    screens: list[tuple[str, Callable[[], object]]] = [
        ("05-hom-nay", lambda: window.show_page("today")),
        ("06-hom-nay-qua-han", lambda: (window.show_page("today"), window.page_widget("today").select("overdue"))),
        ("07-ho-so", lambda: window.show_page("dossiers")),
        ("07b-ho-so-loc-thu-tuc-thang-truoc", lambda: _filter(window, "khai sinh", "last_month")),
        ("08-ho-so-tim-kiem", lambda: _search(window, "nguyen thi")),
        ("09-chi-tiet-ho-so", lambda: window.open_dossier(rich_id)),
        ("11-tra-cuu-thu-tuc", lambda: window.show_page("guidance")),
        ("12-bao-cao", lambda: window.show_page("reports")),
        ("13-dong-bo", lambda: window.show_page("sync")),
        ("14-cai-dat", lambda: window.show_page("settings")),
    ]
    for name, action in screens:
        action()
        grab(name)
        if name == "07-ho-so":  # the tracking book for a range of days, from the list page
            book = window.page_widget("dossiers").print_tracking_book()
            settle()
            centred(book)
            grab("21-so-theo-doi")
            book.reject()
        if name == "09-chi-tiet-ho-so":
            page = window.dossier_page  # «In biểu mẫu» (Ctrl+P): the papers this dossier's state calls for
            page.print_menu.popup(page.print_button.mapToGlobal(page.print_button.rect().bottomLeft()))
            grab("20-in-bieu-mau")
            page.print_menu.hide()
            dialog = window.dossier_page.start_action("handed_over")
            assert dialog is not None
            dialog.set_value("note", "Chuyển lãnh đạo ký")
            settle()
            centred(dialog)
            grab("10-thao-tac-chuyen-xu-ly")
            dialog.reject()
    _lifecycle_shots(window, conn, workdir / "data", settle, centred, grab)
    window.close()

    # -- «Việc của tôi»: a specialist's Today board opens on the dossiers waiting for them ---------
    specialist = MainWindow(AppContext(workdir / "data", reader, SyncRunner(conn, bus), bus,
                                       auth.get_user(conn, "cc.tuphap")))
    specialist.setGeometry(0, 0, WIDTH, HEIGHT)
    specialist.show()
    settle(400)
    specialist.show_page("today")
    grab("05b-viec-cua-toi")
    specialist.close()

    # -- connecting a desk to the province (an administrator, desk not enrolled) -----------------
    from motcua.sync.errors import EnrollmentRefused

    admin_context = AppContext(workdir / "data", reader, SyncRunner(conn, bus), bus, auth.get_user(conn, "quantri"))
    admin_window = MainWindow(admin_context)
    admin_window.setGeometry(window.geometry())
    admin_window.show()
    settle(400)
    sync_page = admin_window.show_page("sync")
    grab("15-dong-bo-chua-ket-noi")
    dialog = sync_page.connect_to_province()
    dialog.hub_url.setText("https://motcua.daklak.gov.vn")
    dialog.code.setText("K7QM-4XPA-93HT")
    dialog.ca_file.setText("D:/KetNoiTinh/so-khcn-daklak-ca.pem")
    dialog.device_name.setText("UBND-EAKAO-TN1")
    settle()
    centred(dialog)
    grab("16-ket-noi-tinh")
    dialog.hub_url.setText("http://motcua.daklak.gov.vn")
    dialog.code.setText("K7QM-4XPA")
    dialog.ca_file.clear()
    dialog.checked_input()
    settle()
    centred(dialog)
    grab("17-ket-noi-tinh-kiem-tra")
    dialog.show_errors({})
    dialog.hub_url.setText("https://motcua.daklak.gov.vn")
    dialog.code.setText("K7QM-4XPA-93HT")
    dialog.show_problem(EnrollmentRefused())
    settle()
    centred(dialog)
    grab("18-ket-noi-tinh-sai-ma")
    dialog.reject()

    # -- disconnecting it: the desk shown as enrolled (hub settings only; no network, no keyring) -----
    from motcua.store.db import transaction
    from motcua.sync.meta import put_meta

    with transaction(conn):
        put_meta(conn, {"hub_url": "https://motcua-thu.daklak.gov.vn", "commune_code": "000.17.22.H56",
                        "hub_device_id": "01a208f2-7ea4-73ee-9aec-e3251a1fc47a"})
    sync_page.refresh()
    confirm = sync_page.disconnect_from_province()
    settle()
    grab("19-ngat-ket-noi-tinh")
    if confirm is not None:
        confirm.reject()
    admin_window.close()
    QTimer.singleShot(0, app.quit)
    app.exec()
    reader.close()
    conn.close()
    fresh.close()
    shutil.rmtree(workdir, ignore_errors=True)
    for path in written:
        print(path.relative_to(REPO) if path.is_relative_to(REPO) else path)
    return 0


def _lifecycle_shots(window, conn, data_dir: Path, settle, centred, grab) -> None:  # type: ignore[no-untyped-def]
    """A copy certification from payment to a late return: the payment, result-document and return dialogs,
    and the dossier page once returned (fee paid, result document, return time «quá hạn»)."""
    from motcua.domain.clock import now, parse_moment
    from motcua.services.desk import Desk
    from motcua.services.intake import parse_intake

    desk = Desk(conn, data_dir)
    received = (now() - timedelta(days=9)).replace(hour=9, minute=10, second=0, microsecond=0)
    while received.weekday() >= 5:
        received -= timedelta(days=1)
    record = desk.intake(parse_intake({
        "procedure_code": "2.000815",
        "procedure": {"code": "2.000815", "name": "Chứng thực bản sao từ bản chính giấy tờ, văn bản",
                      "field": "Chứng thực", "days": 3, "fee_total": 14000},
        "applicant": {"name": "Y Thuột Niê", "id_number": "066090004321", "phone": "0935123456",
                      "address": "Buôn Cuôr Đăng, xã Ea Kao"},
        "summary": "Chứng thực bản sao học bạ (5 trang × 2 bản)",
        "documents": [{"name": "Học bạ (bản chính, đã xuất trình)", "kind": "original", "copies": 1}],
        "received_at": received.isoformat(),
    }), "tiepnhan01").record
    window.open_dossier(record.id)
    page = window.dossier_page
    dialog = page.start_action("fee_paid")
    dialog.set_value("receipt_number", "0001254")
    settle()
    centred(dialog)
    grab("lifecycle-1-thu-phi")
    dialog.reject()
    desk.act(record.id, "fee_paid", "tiepnhan01", {"amount": 14000, "method": "cash", "receipt_number": "0001254"},
             at=received + timedelta(minutes=5))
    page.reload()
    dialog = page.start_action("resolved")
    dialog.set_value("doc_number", "125/CT-UBND")
    dialog.set_value("signer", "Lê Minh Quân, Phó Chủ tịch UBND xã")
    settle()
    centred(dialog)
    grab("lifecycle-2-ket-qua-giai-quyet")
    dialog.reject()
    due = parse_moment(record.due_at or "")
    resolved_at = min(due + timedelta(days=1), now() - timedelta(hours=3))
    desk.act(record.id, "resolved", "lanhdao01", {"doc_number": "125/CT-UBND",
                                                  "signer": "Lê Minh Quân, Phó Chủ tịch UBND xã"}, at=resolved_at)
    page.reload()
    dialog = page.start_action("returned")
    settle()
    centred(dialog)
    grab("lifecycle-3-tra-ket-qua")
    dialog.reject()
    desk.act(record.id, "returned", "tiepnhan01", {"to": "Y Thuột Niê", "to_id_number": "066090004321"},
             at=resolved_at + timedelta(hours=2))
    page.reload()
    grab("lifecycle-4-ho-so-da-tra")


def _filter(window, procedure: str, period: str) -> None:
    """The procedure typed without diacritics and picked with Enter, then a quick range of days."""
    page = window.show_page("dossiers")
    page.procedure.lineEdit().setText(procedure)
    page.procedure.take_typed()
    page.period.setCurrentIndex(page.period.findData(period))
    page.view.setFocus()
    page.view.selectRow(0)


def _search(window, text: str) -> None:
    page = window.show_page("dossiers")
    page.clear_filters()
    page.search.setText(text)
    page.apply_filter()
    page.view.setFocus()
    page.view.selectRow(2)


if __name__ == "__main__":
    raise SystemExit(main())
