"""The intake journey with the keyboard alone, against a real SQLite store."""

from __future__ import annotations

import json
from collections.abc import Iterator
from datetime import time
from pathlib import Path

import pytest
from intake_support import focused, officer_context, press, show_active, type_text
from PySide6.QtCore import Qt

from motcua.domain.clock import parse_moment
from motcua.services import drafts
from motcua.store.calendar_days import load_calendar
from motcua.store.queries import find_dossier
from motcua.ui._adapters import AppContext, submit, wait_idle
from motcua.ui.intake.intake_wizard import APPLICANT, DOCUMENTS, DUE, PROCEDURE, IntakeWizard

ALT = Qt.KeyboardModifier.AltModifier
CTRL = Qt.KeyboardModifier.ControlModifier


@pytest.fixture
def context(tmp_path: Path) -> Iterator[AppContext]:
    yield from officer_context(tmp_path)


@pytest.fixture
def wizard(qtbot, context: AppContext) -> IntakeWizard:  # type: ignore[no-untyped-def]
    widget = IntakeWizard(context)
    show_active(qtbot, widget, 1200, 760)
    return widget


def test_keyboard_only_intake_makes_a_dossier_with_the_legal_due_date(qtbot, wizard, context):  # type: ignore[no-untyped-def]
    # Step 1: the search box has the focus; typed without diacritics.
    assert focused() is wizard.procedure_step.search.box
    type_text("dang ky khai sinh")
    search = wizard.procedure_step.search
    search.flush()
    for _ in range(5):  # ↓ in the box walks the results (the catalog decides their order)
        if search.current_code() == "1.001193":
            break
        press(Qt.Key.Key_Down)
    assert focused() is search.box
    press(Qt.Key.Key_Return)
    assert wizard.step == DOCUMENTS
    assert wizard.state.procedure_code == "1.001193"
    # Step 2: Space ticks the first document, ↓ then Space the second, → changes the kind, 2 = copies.
    assert focused() is wizard.documents_step.view
    press(Qt.Key.Key_Space)
    press(Qt.Key.Key_Down)
    press(Qt.Key.Key_Space)
    press(Qt.Key.Key_Right)
    type_text("2")
    rows = wizard.documents_step.model.rows
    assert [r.received for r in rows[:3]] == [True, True, False]
    assert rows[1].kind == "certified_copy" and rows[1].copies == 2
    press(Qt.Key.Key_Return)
    # Step 3: the applicant, fields reached with Tab and Alt+letter.
    assert wizard.step == APPLICANT
    assert focused() is wizard.applicant_step.id_number
    type_text("066190001234")
    press(Qt.Key.Key_Tab)
    assert focused() is wizard.applicant_step.name
    type_text("Nguyễn Thị Hoa")
    press(Qt.Key.Key_I, ALT)
    assert focused() is wizard.applicant_step.phone
    type_text("0912345678")
    press(Qt.Key.Key_A, ALT)
    type_text("Thôn 2, xã Ea Kao, tỉnh Đắk Lắk")
    press(Qt.Key.Key_Return)
    # Step 4: the due date, computed before saving, with its reasoning.
    assert wizard.step == DUE
    shown_due = wizard.due_step.due.text()
    assert "trả trong ngày" in wizard.due_step.reason.text()  # khai sinh: same day, 15:00 cut-off
    press(Qt.Key.Key_Return, CTRL)
    qtbot.waitUntil(lambda: wizard.last_preview is not None, timeout=15_000)

    record = find_dossier(context.reader, wizard.last_preview.windowTitle().split()[-1])
    assert record is not None
    assert record.applicant_name == "Nguyễn Thị Hoa"
    assert record.applicant_id_number == "066190001234"
    assert record.applicant_address == "Thôn 2, xã Ea Kao, tỉnh Đắk Lắk"
    assert record.procedure_code == "1.001193"
    docs = json.loads(record.documents)
    assert [d["name"] for d in docs] == [r.name for r in rows[:2]]
    assert docs[1]["kind"] == "certified_copy" and docs[1]["copies"] == 2
    expected = load_calendar(context.reader).due(parse_moment(record.received_at), 0, "same_day", time(15, 0))
    assert parse_moment(record.due_at) == expected
    assert f"{expected:%d/%m/%Y}" in shown_due
    # The receipt is previewed, the draft is gone, the wizard is ready for the next citizen.
    assert wizard.last_preview.ready and wizard.last_preview.page_count >= 1
    wait_idle(context)
    assert drafts.list_drafts(context.reader) == []
    assert wizard.step == PROCEDURE and wizard.state.is_blank
    wizard.last_preview.close()


def test_a_retried_save_never_duplicates_the_dossier(qtbot, wizard, context):  # type: ignore[no-untyped-def]
    type_text("1.001193")
    press(Qt.Key.Key_Return)
    press(Qt.Key.Key_Space)
    press(Qt.Key.Key_Return)
    type_text("066190001234")
    press(Qt.Key.Key_H, ALT)
    type_text("Lê Văn Tám")
    request_id = wizard.state.dossier_id
    from motcua.services.intake import parse_intake

    request = parse_intake(wizard.collect().request_data())
    results = []
    submit(context, lambda desk: desk.intake(request, "a"), results.append)
    submit(context, lambda desk: desk.intake(request, "a"), results.append)
    assert wait_idle(context)
    assert [r.created for r in results] == [True, False]
    assert results[0].record.id == results[1].record.id == request_id
    count = context.reader.execute("SELECT count(*) FROM dossiers").fetchone()[0]
    assert count == 1


def test_id_and_phone_are_checked_as_typed_with_vietnamese_messages(qtbot, wizard):  # type: ignore[no-untyped-def]
    wizard.choose_procedure("1.001193")
    wizard.go_to(APPLICANT)
    step = wizard.applicant_step
    type_text("12345")
    assert "12 chữ số" in step.id_message.text()
    press(Qt.Key.Key_Tab)  # leaving the field: the message turns into an error
    step.check_id()
    assert "đã nhập 5 chữ số" in step.id_message.text()
    step.id_number.setFocus()
    step.id_number.clear()
    type_text("999190001234")
    assert "mã tỉnh" in step.id_message.text()
    step.id_number.clear()
    type_text("066190001234")
    assert "hợp lệ" in step.id_message.text()
    press(Qt.Key.Key_I, ALT)
    type_text("0123")
    press(Qt.Key.Key_Tab)
    step.check_phone()
    assert "Số điện thoại" in step.phone_message.text()
    # Enter refuses to leave the step while the name is missing and says why.
    step.name.setFocus()
    press(Qt.Key.Key_Return)
    assert wizard.step == APPLICANT
    assert "họ tên" in wizard.message.text()


def test_a_known_citizen_id_offers_the_latest_applicant_details(qtbot, wizard, context):  # type: ignore[no-untyped-def]
    from motcua.services.intake import parse_intake

    for name, phone in (("Nguyễn Văn Cũ", "0911111111"), ("Nguyễn Văn Mới", "0922222222")):
        request = parse_intake({"procedure_code": "1.001193",
                                "applicant": {"name": name, "id_number": "066190009999", "phone": phone,
                                              "address": "Thôn 5, xã Ea Kao"}})
        submit(context, lambda desk, r=request: desk.intake(r, "a"))
        assert wait_idle(context)
    wizard.choose_procedure("1.001193")
    wizard.go_to(APPLICANT)
    type_text("066190009999")
    step = wizard.applicant_step
    assert step.known.isVisible()
    assert "Nguyễn Văn Mới" in step.known_text.text()
    press(Qt.Key.Key_D, ALT)  # a button's mnemonic clicks after its short press animation
    qtbot.waitUntil(lambda: step.name.text() == "Nguyễn Văn Mới")
    assert step.phone.text() == "0922222222"
    assert step.address.text() == "Thôn 5, xã Ea Kao"


def test_text_committed_by_an_input_method_is_kept(qtbot, wizard):  # type: ignore[no-untyped-def]
    """Unikey / the OS's Telex deliver composed Vietnamese as a commit string, not as key presses."""
    from PySide6.QtGui import QInputMethodEvent
    from PySide6.QtWidgets import QApplication

    wizard.choose_procedure("1.001193")
    wizard.go_to(APPLICANT)
    press(Qt.Key.Key_H, ALT)
    event = QInputMethodEvent()
    event.setCommitString("Ksor H'Ngơm Êban")
    QApplication.sendEvent(focused(), event)
    assert wizard.collect().name == "Ksor H'Ngơm Êban"


def test_a_business_applicant_is_checked_against_the_tax_code(qtbot, wizard):  # type: ignore[no-untyped-def]
    wizard.choose_procedure("1.001193")
    wizard.go_to(APPLICANT)
    press(Qt.Key.Key_O, ALT)
    press(Qt.Key.Key_Down)  # Công dân → Doanh nghiệp
    assert wizard.applicant_step.applicant_kind() == 2
    press(Qt.Key.Key_C, ALT)
    type_text("0101234568")
    press(Qt.Key.Key_Tab)
    wizard.applicant_step.check_id()
    assert "chữ số kiểm tra" in wizard.applicant_step.id_message.text()


def test_enter_in_the_summary_goes_on_and_shift_enter_breaks_the_line(qtbot, wizard):  # type: ignore[no-untyped-def]
    wizard.choose_procedure("1.001193")
    wizard.go_to(APPLICANT)
    type_text("066190001234")
    press(Qt.Key.Key_H, ALT)
    type_text("Lê Thị Thu")
    press(Qt.Key.Key_Y, ALT)
    type_text("Dòng một")
    press(Qt.Key.Key_Return, Qt.KeyboardModifier.ShiftModifier)
    type_text("dòng hai")
    assert wizard.applicant_step.summary.toPlainText() == "Dòng một\ndòng hai"
    press(Qt.Key.Key_Return)
    assert wizard.step == DUE


def test_a_paper_outside_the_checklist_is_added_with_alt_k(qtbot, wizard, context):  # type: ignore[no-untyped-def]
    type_text("1.001193")
    press(Qt.Key.Key_Return)
    rows = len(wizard.documents_step.model.rows)
    press(Qt.Key.Key_K, ALT)
    assert focused() is wizard.documents_step.extra
    type_text("Giấy xác nhận cư trú")
    press(Qt.Key.Key_Return)  # with text: adds the paper, stays on the step
    assert wizard.step == DOCUMENTS
    added = wizard.documents_step.model.rows[-1]
    assert len(wizard.documents_step.model.rows) == rows + 1
    assert (added.name, added.received) == ("Giấy xác nhận cư trú", True)
    press(Qt.Key.Key_K, ALT)
    press(Qt.Key.Key_Return)  # empty: on to the applicant
    assert wizard.step == APPLICANT
    assert "Giấy xác nhận cư trú" in [d["name"] for d in wizard.collect().request_data()["documents"]]


def test_a_fee_counted_per_page_is_charged_for_the_quantities_typed(qtbot, wizard, context):  # type: ignore[no-untyped-def]
    code = context.reader.execute(
        "SELECT code FROM procedures WHERE name LIKE 'Chứng thực bản sao từ bản chính%' ORDER BY code").fetchone()[0]
    wizard.choose_procedure(code)
    step = wizard.applicant_step
    step.id_number.setText("066190001234")
    step.name.setText("Trần Thị Mai")
    wizard.go_to(DUE)
    fees = wizard.due_step.fees
    assert fees.isVisible()
    assert "trả trong ngày" in wizard.due_step.reason.text()
    [(units, groups)] = fees._boxes.values()
    units.setValue(5)
    groups.setValue(3)
    assert "21.000 đồng" in fees.amount.text()
    assert "(5 trang × 3 bản): 21.000 đồng" in wizard.due_step.summary.text()
    press(Qt.Key.Key_Return, CTRL)
    qtbot.waitUntil(lambda: wizard.last_preview is not None, timeout=15_000)
    record = find_dossier(context.reader, wizard.last_preview.windowTitle().split()[-1])
    assert record is not None and record.fee_total == 21_000
    wizard.last_preview.close()


def test_no_fee_box_for_a_procedure_with_a_flat_fee_or_none(qtbot, wizard):  # type: ignore[no-untyped-def]
    wizard.choose_procedure("1.001193")
    wizard.go_to(DUE)
    assert not wizard.due_step.fees.isVisible()


def test_a_fee_by_percentage_asks_for_the_declared_value(qtbot, wizard, context):  # type: ignore[no-untyped-def]
    code = context.reader.execute(
        "SELECT code FROM procedures WHERE name LIKE '%đăng ký chuyển giao công nghệ%' ORDER BY code").fetchone()[0]
    wizard.choose_procedure(code)
    wizard.go_to(DUE)
    fees = wizard.due_step.fees
    assert fees.isVisible()
    [value] = fees._values.values()
    value.setText("3.000.000.000")
    assert "3.000.000 đồng" in fees.amount.text()
    assert wizard.collect().fee_quantities == [[1, 3_000_000_000, 1]]
    assert "(giá trị hợp đồng 3.000.000.000 đồng): 3.000.000 đồng" in wizard.due_step.summary.text()
