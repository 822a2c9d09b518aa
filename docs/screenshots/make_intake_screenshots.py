"""Screenshots of the intake wizard, the print preview and the guidance library at 1366×768.

Run under a real X server (not offscreen), e.g.:

    xvfb-run -a -s "-screen 0 1366x768x24" .venv/bin/python docs/screenshots/make_intake_screenshots.py

Writes docs/screenshots/intake-*.png and guidance-*.png, taken inside the shell's main window.
Uses a throw-away store with the shipped catalog, one earlier dossier (so a known citizen ID is
offered for reuse) and a pinned "now" of 12/02/2026 09:15, so the due date shows how Tết Nguyên
Đán is skipped.
"""

from __future__ import annotations

import sys
import tempfile
import time
from datetime import datetime
from pathlib import Path

HERE = Path(__file__).resolve().parent
REPO = HERE.parents[1]
sys.path.insert(0, str(REPO / "desktop"))
sys.path.insert(0, str(REPO / "tests" / "ui"))
sys.path.insert(0, str(REPO))  # tests.conftest (the store factory intake_support uses)

from intake_support import officer, prepare_store, press, type_text, wait_for  # noqa: E402
from PySide6.QtCore import Qt  # noqa: E402
from PySide6.QtWidgets import QApplication, QWidget  # noqa: E402

from motcua.domain.clock import VN_TZ  # noqa: E402
from motcua.services.intake import parse_intake  # noqa: E402
from motcua.ui._adapters import AppContext, close_context, open_context, submit, wait_idle  # noqa: E402
from motcua.ui.app import style_application  # noqa: E402
from motcua.ui.guidance.guidance_page import GuidancePage  # noqa: E402
from motcua.ui.intake.intake_wizard import DUE, IntakeWizard  # noqa: E402
from motcua.ui.main_window import MainWindow  # noqa: E402

SIZE = (1366, 768)
ALT = Qt.KeyboardModifier.AltModifier
CTRL = Qt.KeyboardModifier.ControlModifier
PINNED_NOW = datetime(2026, 2, 12, 9, 15, tzinfo=VN_TZ)


def settle(app: QApplication, rounds: int = 20) -> None:
    for _ in range(rounds):
        app.processEvents()


def shoot(app: QApplication, widget: QWidget, name: str) -> None:
    settle(app)
    path = HERE / name
    widget.grab().save(str(path))
    print("wrote", path.relative_to(REPO))


def show(app: QApplication, widget: QWidget) -> None:
    widget.resize(*SIZE)
    widget.move(0, 0)
    widget.show()
    widget.activateWindow()
    widget.raise_()
    wait_for(lambda: QApplication.focusWidget() is not None)
    settle(app)


def pause(app: QApplication, seconds: float) -> None:
    """Let threaded work finish (the PDF view renders its pages in the background)."""
    end = time.monotonic() + seconds
    while time.monotonic() < end:
        app.processEvents()
        time.sleep(0.02)


def main_window(app: QApplication, context: AppContext) -> MainWindow:
    window = MainWindow(context)
    show(app, window)
    return window


def main() -> None:
    app = QApplication(sys.argv)
    style_application(app)
    data_dir = Path(tempfile.mkdtemp(prefix="motcua-shots-")) / "data"
    prepare_store(data_dir)
    context = open_context(data_dir, officer())
    earlier = parse_intake({"procedure_code": "1.001193", "received_at": "2025-12-03 08:30",
                            "applicant": {"name": "Nguyễn Thị Hoa", "id_number": "066190001234",
                                          "phone": "0912345678", "address": "Thôn 2, xã Ea Kao, tỉnh Đắk Lắk"}})
    submit(context, lambda desk: desk.intake(earlier, "tiepnhan01"))
    wait_idle(context)

    window = main_window(app, context)
    press(Qt.Key.Key_N, CTRL)
    wizard = window.intake_window
    assert isinstance(wizard, IntakeWizard)
    wizard.clock = lambda: PINNED_NOW
    type_text("dang ky lai khai sinh")  # 05 working days: the due date runs across Tết
    search = wizard.procedure_step.search
    search.flush()
    while search.current_code() != "1.004884":
        press(Qt.Key.Key_Down)
    shoot(app, window, "intake-1-procedure.png")

    press(Qt.Key.Key_Return)
    press(Qt.Key.Key_Space)
    press(Qt.Key.Key_Down)
    press(Qt.Key.Key_Space)
    press(Qt.Key.Key_Down)
    press(Qt.Key.Key_Down)
    press(Qt.Key.Key_Right)
    shoot(app, window, "intake-2-documents.png")

    press(Qt.Key.Key_Return)
    type_text("066190001234")
    shoot(app, window, "intake-3-applicant-known.png")
    press(Qt.Key.Key_D, ALT)
    wait_for(lambda: wizard.applicant_step.name.text() != "")
    press(Qt.Key.Key_I, ALT)
    wizard.applicant_step.phone.selectAll()
    type_text("09123")
    press(Qt.Key.Key_Tab)
    wizard.applicant_step.check_phone()
    shoot(app, window, "intake-3-applicant-checks.png")
    wizard.applicant_step.phone.setFocus()
    wizard.applicant_step.phone.selectAll()
    type_text("0912345678")
    press(Qt.Key.Key_Y, ALT)
    type_text("Đăng ký lại khai sinh cho bà Nguyễn Thị Hoa, sinh năm 1990 (sổ gốc bị mất)")
    press(Qt.Key.Key_Return)
    shoot(app, window, "intake-4-due-date.png")

    window.close()  # the draft is written as the window closes
    window = main_window(app, context)
    press(Qt.Key.Key_N, CTRL)
    resumed = window.intake_window
    assert isinstance(resumed, IntakeWizard)
    shoot(app, window, "intake-5-resume-draft.png")
    press(Qt.Key.Key_P, ALT)
    wait_for(lambda: not resumed.state.is_blank)
    press(Qt.Key.Key_Return, CTRL)
    wait_for(lambda: resumed.last_preview is not None, timeout=20)
    preview = resumed.last_preview
    assert preview is not None
    show(app, preview)
    pause(app, 1.5)
    shoot(app, preview, "intake-6-receipt-preview.png")
    preview.close()
    window.activateWindow()
    wait_for(lambda: QApplication.focusWidget() is not None)
    shoot(app, window, "intake-7-saved-dossier.png")

    # A fee counted per page with a cap per copy (chứng thực bản sao): the official types the quantities.
    press(Qt.Key.Key_N, CTRL)
    settle(app)
    wizard = window.intake_window
    assert isinstance(wizard, IntakeWizard)
    wizard.clock = lambda: PINNED_NOW
    copy_code = context.reader.execute(
        "SELECT code FROM procedures WHERE name LIKE 'Chứng thực bản sao từ bản chính%' ORDER BY code").fetchone()[0]
    wizard.choose_procedure(copy_code)
    for row in wizard.documents_step.model.rows[:2]:
        row.received = True
    wizard.applicant_step.id_number.setText("066190001234")
    wizard.applicant_step.name.setText("Nguyễn Thị Hoa")
    wizard.go_to(DUE)
    [(pages, copies)] = wizard.due_step.fees._boxes.values()
    pages.setValue(5)
    copies.setValue(3)
    settle(app)
    shoot(app, window, "intake-8-counted-fee.png")
    wizard.reset()

    page = window.show_page("guidance")
    assert isinstance(page, GuidancePage)
    page.search.box.setFocus()
    settle(app)
    shoot(app, window, "guidance-1-library.png")
    type_text("chung thuc ban sao")
    page.search.flush()
    shoot(app, window, "guidance-2-search.png")
    page.search.box.selectAll()
    type_text("dang ky khai sinh")
    page.search.flush()
    press(Qt.Key.Key_Return)
    shoot(app, window, "guidance-3-procedure.png")
    bar = page.browser.verticalScrollBar()
    bar.setValue(bar.maximum())
    shoot(app, window, "guidance-4-guidance-text.png")
    page.print_guidance()
    assert page.last_preview is not None
    show(app, page.last_preview)
    pause(app, 1.5)
    shoot(app, page.last_preview, "guidance-5-print-preview.png")
    page.last_preview.close()
    window.close()
    close_context(context)


if __name__ == "__main__":
    main()
