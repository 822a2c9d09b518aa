"""Screenshots on a small commune screen: 1024×768 at 125 % (819×614 device-independent pixels), under Xvfb.

    python docs/screenshots/make_small_screens.py [--out docs/screenshots] [--scale 1.25] [--width 1024]

Writes ``nho-<width>-<scale>-*.png``: the main window maximised on each page, the intake wizard's last
step (its «Lưu và in» reachable), the Hồ sơ page's filters, and the F1 help. The large gallery is
``make_screenshots.py``; this one only shows that everything fits and nothing is cut off.
"""

from __future__ import annotations

import argparse
import os
import shutil
import sys
import tempfile
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))

from make_screenshots import demo_store, start_xvfb  # noqa: E402


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--out", type=Path, default=HERE)
    parser.add_argument("--display", default=":97")
    parser.add_argument("--width", type=int, default=1024)
    parser.add_argument("--height", type=int, default=768)
    parser.add_argument("--scale", type=float, default=1.25)
    args = parser.parse_args(argv)
    import make_screenshots

    make_screenshots.WIDTH, make_screenshots.HEIGHT = args.width, args.height
    xvfb = start_xvfb(args.display)
    os.environ["DISPLAY"] = args.display
    os.environ["QT_QPA_PLATFORM"] = "xcb"
    os.environ["QT_SCALE_FACTOR"] = str(args.scale)
    try:
        return shoot(args.out, f"nho-{args.width}-{int(args.scale * 100)}")
    finally:
        xvfb.terminate()
        xvfb.wait()


def shoot(out: Path, prefix: str) -> int:
    from PySide6.QtWidgets import QApplication

    from motcua.paths import store_file
    from motcua.services import accounts as auth
    from motcua.store.db import connect
    from motcua.ui.app import make_application
    from motcua.ui.bus import ChangesBus
    from motcua.ui.context import AppContext
    from motcua.ui.main_window import MainWindow
    from motcua.ui.worker import SyncRunner

    app = make_application(["make_small_screens"])
    workdir = Path(tempfile.mkdtemp(prefix="motcua-small-"))
    conn, rich_id = demo_store(workdir / "data")
    from motcua.catalog.shipped import load_shipped

    load_shipped(conn)  # the shipped catalog: the intake wizard finds its procedures
    reader = connect(store_file(workdir / "data"), readonly=True)
    bus = ChangesBus()
    context = AppContext(workdir / "data", reader, SyncRunner(conn, bus), bus, auth.get_user(conn, "quantri"))
    written: list[Path] = []

    def settle(ms: int = 300) -> None:
        end = time.monotonic() + ms / 1000
        while time.monotonic() < end:
            app.processEvents()
            time.sleep(0.01)

    def grab(name: str) -> None:
        settle()
        pixmap = app.primaryScreen().grabWindow(0)
        path = out / f"{prefix}-{name}.png"
        pixmap.save(str(path))
        written.append(path)

    window = MainWindow(context)
    window.setGeometry(app.primaryScreen().availableGeometry())  # Xvfb has no window manager to maximise it
    window.show()
    settle(500)
    for key in ("today", "dossiers", "reports", "settings"):
        window.show_page(key)
        settle(1500 if key == "reports" else 300)  # the report is computed in the background
        grab(f"{key}")
    window.open_dossier(rich_id)
    grab("dossier")
    window.open_intake()
    wizard = window.intake_window
    assert wizard is not None
    wizard.choose_procedure("1.001193")  # type: ignore[attr-defined]
    wizard.go_to(3)  # type: ignore[attr-defined]
    grab("intake-4")
    window.show_page("settings")  # the page that used to widen the window to 1539 px
    window.show_page("dossiers")
    grab("dossiers-after-settings")
    window.show_help()
    grab("help")
    QApplication.closeAllWindows()
    reader.close()
    conn.close()
    shutil.rmtree(workdir, ignore_errors=True)
    for path in written:
        print(path)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
