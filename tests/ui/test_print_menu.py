"""«In biểu mẫu» from the dossier page, and the tracking book from the list page: every paper a demo
dossier's state calls for is chosen from the menu, previewed, and read back with pdftotext."""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from PySide6.QtCore import QDate, Qt, QTimer
from PySide6.QtTest import QTest
from PySide6.QtWidgets import QApplication
from typing_helpers import commit_text

from motcua.catalog import load_shipped
from motcua.domain.clock import now
from motcua.domain.events import Event
from motcua.services.demo import SampleFactory, catalog_samples
from motcua.services.desk import Desk
from motcua.services.intake import parse_intake
from motcua.store.db import transaction
from motcua.store.events import commit_event, load_record
from motcua.ui.dossier.dossier_page import DossierPage
from motcua.ui.dossier.print_menu import SupplementItemsDialog
from motcua.ui.lists.dossier_list_page import DossierListPage
from tests.forms.forms_pdfcheck import flat, text

BIRTH = "1.001193"  # Đăng ký khai sinh: the shipped catalog has its tờ khai


@pytest.fixture
def demo(ui_store):  # type: ignore[no-untyped-def]
    """A store with the shipped catalog and demo dossiers (the demo generator's applicants) in several states."""
    conn = ui_store.conn
    load_shipped(conn)
    samples = [s for s in catalog_samples(conn) if s["code"] == BIRTH]
    factory = SampleFactory(seed=11, commune="xã Ea Kao", procedures=samples)
    desk = Desk(conn, ui_store.data_dir)
    start = now() - timedelta(days=3)

    def intake(offset_minutes: int) -> str:
        data = factory.intake(start + timedelta(minutes=offset_minutes))
        return desk.intake(parse_intake(data), "tiepnhan01").record.id

    stopped = intake(0)
    steps = [("handed_over", "tiepnhan01", {"to": "chuyenvien01", "to_unit": "Công chức Tư pháp – Hộ tịch"}),
             ("supplement_requested", "chuyenvien01", {"reason": "Thiếu giấy tờ chứng minh nơi cư trú"}),
             ("supplemented", "tiepnhan01", {"note": "Đã bổ sung"}),
             ("rescheduled", "lanhdao01", {"new_due_at": f"{now() + timedelta(days=20):%Y-%m-%dT%H:%M}",
                                           "reason": "Chờ xác minh"}),
             ("stopped", "lanhdao01", {"reason": "Công dân đề nghị dừng giải quyết"})]
    for hours, (event_type, actor, values) in enumerate(steps, start=1):
        desk.act(stopped, event_type, actor, values, at=start + timedelta(hours=hours))
    withdrawn = intake(30)
    desk.act(withdrawn, "withdrawn", "tiepnhan01", {"reason": "Công dân xin rút hồ sơ"},
             at=start + timedelta(hours=2))
    with transaction(conn):
        commit_event(conn, Event.new("refused-demo", "refused", "tiepnhan01",
                                     {"applicant": {"name": "Võ Minh Khôi"}, "procedure": {"name": "Đăng ký khai sinh"},
                                      "reason": "Không thuộc thẩm quyền của xã"},
                                     occurred_at=start + timedelta(hours=1)))
    return {"stopped": stopped, "withdrawn": withdrawn, "refused": "refused-demo"}


def _page(qtbot, context, dossier_id: str) -> DossierPage:  # type: ignore[no-untyped-def]
    page = DossierPage(context)
    qtbot.addWidget(page)
    page.resize(1150, 700)
    page.show_dossier(dossier_id)
    page.show()
    return page


def _read(page: DossierPage) -> tuple[str, str]:
    preview = page.print_menu.last_preview
    assert preview is not None and preview.ready and preview.page_count >= 1
    preview.close()
    return flat(text(preview.pdf)), preview.file_name


def _choose(qtbot, page: DossierPage, number: int) -> None:  # type: ignore[no-untyped-def]
    """Ctrl+P opens the menu; the paper's number chooses it, as an official would from the keyboard
    (the menu runs its own event loop: the number is typed from a timer once it is on screen)."""
    menu = page.print_menu
    chosen: list[int] = []

    def pick() -> None:
        if not menu.isVisible():
            QTimer.singleShot(20, pick)
            return
        chosen.append(number)
        QTest.keyClick(menu, Qt.Key(Qt.Key.Key_0 + number))

    page.activateWindow()
    qtbot.waitUntil(page.isActiveWindow, timeout=3_000)
    page.setFocus()
    QTimer.singleShot(0, pick)
    qtbot.keyClick(page, Qt.Key.Key_P, Qt.KeyboardModifier.ControlModifier)
    qtbot.waitUntil(lambda: chosen == [number] and not menu.isVisible(), timeout=3_000)


def test_every_paper_of_a_stopped_dossier_prints_from_the_menu(qtbot, make_context, ui_store, demo) -> None:  # type: ignore[no-untyped-def]
    page = _page(qtbot, make_context("tiepnhan01"), demo["stopped"])
    record = load_record(ui_store.conn, demo["stopped"])
    code, applicant = record.code, record.applicant_name
    menu = page.print_menu
    kinds = [(p.kind, p.filled) for p in menu.papers]
    assert kinds == [("receipt", False), ("supplement", False), ("apology", False), ("stop", False),
                     ("control", False), ("procedure-form", True), ("procedure-form", False), ("guidance", False)]
    labels = [a.text() for a in menu.actions()]
    assert labels[0] == "&1. Giấy tiếp nhận hồ sơ và hẹn trả kết quả (Mẫu số 01)"
    assert "Thông báo về việc dừng giải quyết hồ sơ (Mẫu số 05)" in labels[3]
    assert not any("chưa cài" in label.lower() for label in labels)

    for number, paper in enumerate(menu.papers, start=1):
        _choose(qtbot, page, number)
        if paper.asks_items:  # the supplement request's event lists no papers: they are typed first
            dialog = menu.items_dialog
            assert isinstance(dialog, SupplementItemsDialog) and dialog.isVisible()
            dialog.accept()                                   # nothing typed: refused, stays open
            assert dialog.isVisible() and dialog.error.isVisible()
            dialog.items_edit.setFocus()
            commit_text(dialog.items_edit, "Giấy xác nhận thông tin về cư trú")
            dialog.accept()
        qtbot.waitUntil(lambda: menu.last_preview is not None and menu.last_preview.isVisible(), timeout=5_000)
        pdf_text, file_name = _read(page)
        if paper.kind == "procedure-form" and not paper.filled:
            assert file_name == "to-khai-khai-sinh-mau-trong.pdf"
            continue  # the blank form carries no dossier
        if paper.kind == "guidance":
            assert "Đăng ký khai sinh".upper() in pdf_text.upper() and file_name == f"huong-dan-{BIRTH}.pdf"
            continue
        assert applicant in pdf_text or applicant.upper() in pdf_text, (paper.kind, applicant)
        assert file_name.endswith(f"-{code}.pdf"), file_name
        if paper.kind == "procedure-form":  # the citizen's own tờ khai, filled: no dossier code on it
            assert record.applicant_id_number in pdf_text.replace(" ", "")
            continue
        assert code in pdf_text, (paper.kind, pdf_text[:300])
        if paper.kind == "supplement":
            assert "Giấy xác nhận thông tin về cư trú" in pdf_text
        menu.last_preview = None
    assert [p.file_name for p in menu.papers][:5] == [
        f"bien-nhan-{code}.pdf", f"yeu-cau-bo-sung-{code}.pdf", f"xin-loi-hen-lai-{code}.pdf",
        f"thong-bao-dung-{code}.pdf", f"phieu-kiem-soat-{code}.pdf"]


def test_withdrawn_and_refused_dossiers_offer_their_notice(qtbot, make_context, ui_store, demo) -> None:  # type: ignore[no-untyped-def]
    context = make_context("tiepnhan01")
    withdrawn = _page(qtbot, context, demo["withdrawn"])
    assert [p.kind for p in withdrawn.print_menu.papers][:3] == ["receipt", "stop", "control"]
    withdrawn.print_menu.preview_paper(withdrawn.print_menu.paper("stop"))
    pdf_text, _ = _read(withdrawn)
    record = load_record(ui_store.conn, demo["withdrawn"])
    assert record.code in pdf_text and "Công dân xin rút hồ sơ" in pdf_text

    refused = _page(qtbot, context, demo["refused"])
    assert [p.kind for p in refused.print_menu.papers][:1] == ["refusal"]
    assert "receipt" not in [p.kind for p in refused.print_menu.papers]
    refused.print_menu.preview_paper(refused.print_menu.paper("refusal"))
    pdf_text, _ = _read(refused)
    assert "Võ Minh Khôi" in pdf_text and "Không thuộc thẩm quyền của xã" in pdf_text


def test_the_2018_set_has_no_stop_notice(qtbot, make_context, ui_store, demo) -> None:  # type: ignore[no-untyped-def]
    from motcua.store.settings import put_values

    with transaction(ui_store.conn):
        put_values(ui_store.conn, {"form_set": "tt01_2018"})
    page = _page(qtbot, make_context("tiepnhan01"), demo["stopped"])
    assert "stop" not in [p.kind for p in page.print_menu.papers]
    assert "Mẫu số 05" in page.print_menu.paper("control").label   # the 2018 set's own number


def test_the_save_dialog_proposes_the_whole_dossier_code(qtbot, make_context, ui_store, demo) -> None:  # type: ignore[no-untyped-def]
    page = _page(qtbot, make_context("tiepnhan01"), demo["stopped"])
    code = load_record(ui_store.conn, demo["stopped"]).code
    assert code.count(".") == 3  # 000.17.22.H56-…: the dots that once cut the name
    preview = page.print_menu.preview_paper(page.print_menu.paper("receipt"))
    assert preview is not None and preview.file_name == f"bien-nhan-{code}.pdf"
    dialog = preview.save_file_dialog()
    assert dialog.selectedFiles()[0].endswith(f"/bien-nhan-{code}.pdf")
    assert dialog.defaultSuffix() == "pdf"
    preview.close()


def test_tracking_book_for_a_range_of_days_from_the_list_page(qtbot, make_context, ui_store, demo) -> None:  # type: ignore[no-untyped-def]
    page = DossierListPage(make_context("tiepnhan01"))
    qtbot.addWidget(page)
    page.show()
    dialog = page.print_tracking_book()
    assert dialog.isVisible()
    today = now().date()
    assert dialog.period() == (date(today.year, today.month, 1), today)
    dialog.date_from.setDate(QDate(today.year, today.month, today.day))
    dialog.date_to.setDate(QDate.fromString(f"{today - timedelta(days=1):%Y-%m-%d}", "yyyy-MM-dd"))
    dialog.accept()                                            # backwards: refused, with the reason shown
    assert dialog.isVisible() and dialog.error.isVisible() and dialog.book_preview is None
    start = today - timedelta(days=10)
    dialog.date_from.setDate(QDate(start.year, start.month, start.day))
    dialog.date_to.setDate(QDate(today.year, today.month, today.day))
    dialog.accept()
    qtbot.waitUntil(lambda: dialog.book_preview is not None, timeout=5_000)
    book = dialog.book_preview
    assert book.file_name == f"so-theo-doi-{start:%Y%m%d}-{today:%Y%m%d}.pdf"
    book_text = flat(text(book.pdf))
    for dossier in (demo["stopped"], demo["withdrawn"]):
        record = load_record(ui_store.conn, dossier)
        assert record.code in book_text and record.applicant_name in book_text
    book.close()
    QApplication.processEvents()


def test_a_paper_that_cannot_be_made_says_why(qtbot, make_context, ui_store, demo, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    from motcua.services.intake import Applicant, IntakeRequest, ProcedureRef
    from motcua.ui.dossier import print_menu

    gone = ProcedureRef(BIRTH, "Đăng ký khai sinh", 3, "working_days", 99, "Hộ tịch", 0)
    dossier = Desk(ui_store.conn, ui_store.data_dir).intake(
        IntakeRequest(procedure_code=BIRTH, procedure=gone, applicant=Applicant("Đỗ Văn An")), "tiepnhan01").record
    page = _page(qtbot, make_context("tiepnhan01"), dossier.id)   # the page opens: no crash on a lost version
    assert [p.kind for p in page.print_menu.papers] == ["receipt", "control"]
    shown: list[str] = []
    monkeypatch.setattr(print_menu, "show_error", lambda _parent, error: shown.append(str(error)))
    assert page.print_menu.preview_paper(page.print_menu.paper("receipt")) is None
    assert shown and "phiên bản 99" in shown[0]


def test_a_paper_printed_from_the_menu_is_recorded_on_the_dossier(qtbot, make_context, ui_store, demo,  # type: ignore[no-untyped-def]
                                                                  tmp_path, monkeypatch) -> None:
    from PySide6.QtPrintSupport import QPrinter
    from PySide6.QtWidgets import QDialog

    from motcua.services.disclosure import disclosure_log
    from motcua.ui.widgets import print_preview

    class FileDialog:  # the system print dialog, answered "print to file"
        def __init__(self, printer: QPrinter, _parent: object) -> None:
            self.printer = printer

        def setWindowTitle(self, _title: str) -> None:
            pass

        def exec(self) -> QDialog.DialogCode:
            self.printer.setOutputFileName(str(tmp_path / "printed.pdf"))
            return QDialog.DialogCode.Accepted

    monkeypatch.setattr(print_preview, "QPrintDialog", FileDialog)
    page = _page(qtbot, make_context("tiepnhan01"), demo["stopped"])
    before = disclosure_log(ui_store.conn, dossier_ref=demo["stopped"])
    _choose(qtbot, page, 1)                                   # the receipt
    preview = page.print_menu.last_preview
    assert preview is not None
    qtbot.waitUntil(lambda: preview.ready, timeout=5_000)
    assert disclosure_log(ui_store.conn, dossier_ref=demo["stopped"]) == before   # a preview discloses nothing
    preview.print_button.click()
    assert (tmp_path / "printed.pdf").exists()
    after = disclosure_log(ui_store.conn, dossier_ref=demo["stopped"])
    assert len(after) == len(before) + 1
    assert after[0].actor == "tiepnhan01" and "Giấy tiếp nhận" in after[0].what and after[0].channel == "pdf"
