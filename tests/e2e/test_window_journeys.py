"""A dossier's whole life from the window (issue 11's «Must show»): four journeys in a real xcb window under
Xvfb, each step done with the keyboard and mouse by the account whose role does it (the desk officer
signs out, the specialist or the leader signs in on the same desk), through the real sign-in dialog, the
real writer thread and a real SQLite store. Every paper printed on the way is read back with pdftotext.

(a) received → handed to a specialist → supplement requested and received → submitted to the leader →
    approved and signed → returned on time;
(b) refused at the desk (Mẫu 03);
(c) rescheduled with an apology (Mẫu 04), returned late;
(d) withdrawn at the citizen's request (the stop notice).

Times come from the clock or from the dossier's own deadline, never from a written date.
"""

from __future__ import annotations

from collections.abc import Iterator
from datetime import datetime, timedelta
from pathlib import Path

import pytest
from PySide6.QtCore import Qt
from PySide6.QtTest import QTest
from PySide6.QtWidgets import QComboBox, QDateTimeEdit

from motcua.domain.calendar import Timeliness
from motcua.domain.clock import now, parse_moment, to_local
from motcua.domain.states import Status
from motcua.forms.dates import date_words
from motcua.paths import store_file
from motcua.services.desk import Desk as DeskService
from motcua.services.intake import parse_intake
from motcua.store.db import open_store
from motcua.store.events import events_of, load_record
from motcua.ui.app import style_application
from motcua.ui.dossier.dossier_page import DossierPage
from motcua.ui.intake.intake_wizard import IntakeWizard
from motcua.ui.lists.today_board import TodayBoard
from tests.e2e.window_support import CTRL, Desk, click, focused, key, pdf_text, prepare, type_into, wait_for

pytestmark = [pytest.mark.xcb]

BIRTH = "1.001193"  # Đăng ký khai sinh
APPLICANT = "Hoàng Thị Lan"
ID_NUMBER = "066190001234"
RESULT_NUMBER = "27/GKS-UBND"
SIGNER = "Lê Minh Quân"


@pytest.fixture
def desk(qapp, tmp_path: Path, request: pytest.FixtureRequest) -> Iterator[Desk]:  # type: ignore[no-untyped-def]
    style_application(qapp)                                   # the application's own look and fonts
    data_dir = tmp_path / "data"
    path = prepare(data_dir)
    running = Desk(data_dir, open_store(path), request.node.name.removeprefix("test_")[:1])
    yield running
    running.close()


def _record(desk: Desk, dossier_id: str):  # type: ignore[no-untyped-def]
    record = load_record(desk.session.reader, dossier_id)
    assert record is not None
    return record


def _who_did(desk: Desk, dossier_id: str) -> list[tuple[str, str]]:
    return [(e.type, e.actor) for e in events_of(desk.session.reader, dossier_id)]


def _intake_in_the_window(desk: Desk, name: str) -> tuple[IntakeWizard, str]:
    """Ctrl+N, the procedure's code, its papers ticked, the applicant typed; the receipt is shown."""
    window = desk.window
    key(Qt.Key.Key_N, CTRL, window)
    wizard = window.intake_window
    assert isinstance(wizard, IntakeWizard)
    wait_for(lambda: focused() is wizard.procedure_step.search.box, what="the wizard's search has the keyboard")
    QTest.keyClicks(focused(), BIRTH)
    key(Qt.Key.Key_Return)
    assert wizard.state.procedure_code == BIRTH
    key(Qt.Key.Key_Space)                                     # the first paper is handed in
    key(Qt.Key.Key_Return)
    QTest.keyClicks(focused(), ID_NUMBER)
    key(Qt.Key.Key_Tab)
    type_into(focused(), name, replace=False)
    return wizard, wizard.state.dossier_id


def _open_from_my_work(desk: Desk, dossier_id: str) -> DossierPage:
    """«Việc của tôi» on the Today board lists it; a double-click opens it."""
    window = desk.window
    board = window.show_page("today")
    assert isinstance(board, TodayBoard)
    board.select("mine")
    wait_for(lambda: board.model.rowCount() >= 1, what="the dossier in «Việc của tôi»")
    ids = [board.model.id_at(row) for row in range(board.model.rowCount())]
    assert dossier_id in ids and board.counts["mine"] == len(ids)
    desk.shot(f"viec-cua-toi-{desk.user}")
    view = board.view
    rect = view.visualRect(board.model.index(ids.index(dossier_id), 1))
    QTest.mouseClick(view.viewport(), Qt.MouseButton.LeftButton, pos=rect.center())
    QTest.mouseDClick(view.viewport(), Qt.MouseButton.LeftButton, pos=rect.center())
    wait_for(lambda: window.current_key() == "dossier", what="the dossier page opened")
    page = window.dossier_page
    assert _record(desk, dossier_id).code in page.windowTitle() + page.code_label.text()
    return page


def _choose(combo: QComboBox, data: str) -> None:
    """Arrow keys until the wanted choice is current."""
    combo.setFocus()
    for _ in range(combo.count()):
        if combo.currentData() == data:
            return
        QTest.keyClick(combo, Qt.Key.Key_Down)
    assert combo.currentData() == data, [combo.itemData(i) for i in range(combo.count())]


def _assert_paper(read: str, title: str, *expected: str) -> None:
    upper = read.upper()
    assert title.upper() in upper, (title, read[:400])
    for value in expected:
        assert value in read or value.upper() in upper, (value, read[:600])


def test_a_received_processed_signed_and_returned_on_time(desk: Desk) -> None:
    # The desk officer receives the dossier and prints the receipt (Mẫu 01).
    window = desk.sign_in("tiepnhan01")
    wizard, dossier_id = _intake_in_the_window(desk, APPLICANT)
    key(Qt.Key.Key_Return, CTRL)                                # Ctrl+Enter: receive and print
    wait_for(lambda: wizard.last_preview is not None, timeout=15, what="the receipt")
    assert wizard.last_preview is not None
    receipt = pdf_text(wizard.last_preview)
    desk.shot("in-receipt")
    wizard.last_preview.close()
    wait_for(lambda: window.current_key() == "dossier", what="the new dossier is opened")
    record = _record(desk, dossier_id)
    code = record.code
    assert code and record.applicant_name == APPLICANT and record.status == Status.RECEIVED
    _assert_paper(receipt, "GIẤY TIẾP NHẬN HỒ SƠ VÀ HẸN TRẢ KẾT QUẢ", code, APPLICANT)
    page = window.dossier_page
    assert _assert_paper(desk.print_paper(page, "receipt"), "GIẤY TIẾP NHẬN HỒ SƠ", code, APPLICANT) is None

    # Handed to the specialist: only specialists are offered, the process step first.
    dialog = desk.action(page, "handed_over")
    assert dialog.inputs["step"].currentData() == "process"
    _choose(dialog.inputs["to"], "chuyenvien01")
    desk.confirm(dialog)
    assert _record(desk, dossier_id).status == Status.PROCESSING

    # The specialist finds it in «Việc của tôi» and asks for a supplement, with the papers listed.
    desk.switch_to("chuyenvien01")
    assert not desk.window.intake_button.isVisible()            # a specialist does not receive
    page = _open_from_my_work(desk, dossier_id)
    dialog = desk.action(page, "supplement_requested")
    type_into(dialog.inputs["reason"], "Thiếu giấy tờ chứng minh nơi cư trú của người mẹ")
    type_into(dialog.inputs["items"], "Giấy xác nhận thông tin về cư trú")
    desk.confirm(dialog)
    assert page.status_label.text() == Status.SUPPLEMENT_REQUESTED.label
    supplement = desk.print_paper(page, "supplement")
    _assert_paper(supplement, "PHIẾU YÊU CẦU BỔ SUNG, HOÀN THIỆN HỒ SƠ", code, APPLICANT,
                  "Giấy xác nhận thông tin về cư trú")

    # The citizen brings the paper to the desk: the desk officer records the supplement.
    desk.switch_to("tiepnhan01")
    page = desk.open_by_code(code)
    dialog = desk.action(page, "supplemented")
    type_into(dialog.inputs["note"], "Đã nhận giấy xác nhận cư trú")
    desk.confirm(dialog)
    assert _record(desk, dossier_id).status == Status.PROCESSING

    # The specialist submits it to the leader: the hand-over to the approve step.
    desk.switch_to("chuyenvien01")
    page = _open_from_my_work(desk, dossier_id)
    dialog = desk.action(page, "handed_over")
    assert dialog.inputs["step"].currentData() == "approve"     # the next step is offered first
    _choose(dialog.inputs["to"], "lanhdao01")
    desk.confirm(dialog)

    # The leader approves and signs: the result document's number and signer.
    desk.switch_to("lanhdao01")
    page = _open_from_my_work(desk, dossier_id)
    dialog = desk.action(page, "resolved")
    type_into(dialog.inputs["doc_number"], RESULT_NUMBER)
    type_into(dialog.inputs["signer"], SIGNER)
    desk.confirm(dialog)
    today = to_local(now()).strftime("%d/%m/%Y")
    assert page.fields["result"].text() == f"Giải quyết — văn bản số {RESULT_NUMBER} ngày {today}, {SIGNER} ký"

    # Back at the desk: the return dialog names the applicant. Returned before its due day, the page says
    # «trước hạn» (early, within the deadline: on time; a return on the due day itself reads «đúng hạn»).
    desk.switch_to("tiepnhan01")
    page = desk.open_by_code(code)
    dialog = desk.action(page, "returned")
    assert dialog.inputs["to"].text() == APPLICANT and dialog.inputs["to_id_number"].text() == ID_NUMBER
    assert dialog.inputs["channel"].currentData() == "desk"
    desk.confirm(dialog)
    record = _record(desk, dossier_id)
    assert record.status == Status.RETURNED
    desk.shot("da-tra")
    returned = page.fields["returned"].text()
    timeliness = record.return_timeliness()                     # early or on time, by the clock of the run
    assert timeliness in (Timeliness.EARLY, Timeliness.ON_TIME)
    assert f"— {timeliness.label.lower()}" in returned and f"Người nhận: {APPLICANT}" in returned
    control = desk.print_paper(page, "control")
    _assert_paper(control, "PHIẾU KIỂM SOÁT QUÁ TRÌNH GIẢI QUYẾT HỒ SƠ", code, APPLICANT)

    # Each step was recorded by the account whose role does it.
    assert _who_did(desk, dossier_id) == [
        ("received", "tiepnhan01"), ("handed_over", "tiepnhan01"), ("supplement_requested", "chuyenvien01"),
        ("supplemented", "tiepnhan01"), ("handed_over", "chuyenvien01"), ("resolved", "lanhdao01"),
        ("returned", "tiepnhan01")]


def _receive_in_the_window(desk: Desk, name: str) -> tuple[str, str]:
    """Receive with Ctrl+Enter; the receipt (Mẫu 01) is read back; the new dossier's page opens."""
    wizard, dossier_id = _intake_in_the_window(desk, name)
    key(Qt.Key.Key_Return, CTRL)
    wait_for(lambda: wizard.last_preview is not None, timeout=15, what="the receipt")
    assert wizard.last_preview is not None
    receipt = pdf_text(wizard.last_preview)
    desk.shot("in-receipt")
    wizard.last_preview.close()
    wait_for(lambda: desk.window.current_key() == "dossier", what="the new dossier is opened")
    code = _record(desk, dossier_id).code
    assert code
    _assert_paper(receipt, "GIẤY TIẾP NHẬN HỒ SƠ VÀ HẸN TRẢ KẾT QUẢ", code, name)
    return dossier_id, code


def test_b_refused_at_the_desk(desk: Desk) -> None:
    window = desk.sign_in("tiepnhan01")
    wizard, dossier_id = _intake_in_the_window(desk, "Lê Văn Tám")
    key(Qt.Key.Key_Return)                                    # to the last step, where refusing is offered
    wait_for(wizard.refuse_button.isVisible, what="«Từ chối tiếp nhận…» on the last step")
    click(wizard.refuse_button)
    dialog = wizard.refusal_dialog
    assert dialog is not None
    wait_for(dialog.isActiveWindow, what="the refusal dialog has the keyboard")
    reason = "Thủ tục không thuộc thẩm quyền giải quyết của Ủy ban nhân dân xã"
    type_into(dialog.inputs["reason"], reason)
    click(dialog.ok_button)
    wait_for(lambda: window.current_key() == "dossier", what="the refused dossier is opened")
    record = _record(desk, dossier_id)
    assert record.status == Status.NOT_RECEIVED and record.code is None and record.closing_reason == reason
    page = window.dossier_page
    assert page.status_label.text() == Status.NOT_RECEIVED.label
    assert page.code_label.text() == "Hồ sơ chưa cấp mã — Lê Văn Tám"     # no code, and no UUID shown instead
    desk.shot("da-tu-choi")
    refusal = desk.print_paper(page, "refusal")
    _assert_paper(refusal, "PHIẾU TỪ CHỐI TIẾP NHẬN", "Lê Văn Tám", reason)   # a refused dossier has no code
    assert _who_did(desk, dossier_id) == [("refused", "tiepnhan01")]


def _type_moment(edit: QDateTimeEdit, moment: datetime) -> None:
    """Type dd/mm/yyyy hh:mm into a date-time field, section by section, as its keyboard takes it."""
    digits = moment.strftime("%d%m%Y%H%M")
    edit.setFocus()
    for _ in range(2):  # twice: a day the shown month lacks (31) is taken once the month is typed
        QTest.keyClick(edit, Qt.Key.Key_Home)
        for _ in range(2):
            QTest.keyClick(edit, Qt.Key.Key_Right, Qt.KeyboardModifier.ShiftModifier)
        QTest.keyClicks(edit, digits)
    assert edit.dateTime().toString("dd/MM/yyyy HH:mm") == moment.strftime("%d/%m/%Y %H:%M")


def test_c_rescheduled_with_an_apology_and_returned_late(desk: Desk) -> None:
    # Received at this desk weeks ago (its deadline long past): the only way a return can be late today.
    received = to_local(now() - timedelta(days=40)).replace(hour=8, minute=0, second=0, microsecond=0)
    data = {"procedure_code": BIRTH, "applicant": {"name": "Trần Thị Mai", "id_number": "066190005678"},
            "documents": [{"name": "Tờ khai đăng ký khai sinh", "kind": "original", "copies": 1}],
            "received_at": received.strftime("%Y-%m-%d %H:%M")}
    conn = open_store(store_file(desk.session.data_dir))
    try:
        dossier_id = DeskService(conn, desk.session.data_dir).intake(parse_intake(data), "tiepnhan01").record.id
    finally:
        conn.close()
    record = _record(desk, dossier_id)
    code, due = record.code, parse_moment(str(record.due_at))

    # The leader apologises and sets a new date (still past: the dossier stays late).
    desk.sign_in("lanhdao01")
    page = desk.open_by_code(code)
    dialog = desk.action(page, "rescheduled")
    new_due = (due + timedelta(days=2)).replace(hour=16, minute=30)
    _type_moment(dialog.inputs["new_due_at"], new_due)
    type_into(dialog.inputs["reason"], "Chờ cơ quan công an xác minh thông tin cư trú")
    desk.confirm(dialog)
    apology = desk.print_paper(page, "apology")
    _assert_paper(apology, "VĂN BẢN XIN LỖI VÀ ĐỀ NGHỊ GIA HẠN THỜI GIAN GIẢI QUYẾT",  # Mẫu 04, TT 03/2025
                  code, "Trần Thị Mai",
                  date_words(new_due.date()))

    dialog = desk.action(page, "resolved")
    type_into(dialog.inputs["doc_number"], "31/GKS-UBND")
    type_into(dialog.inputs["signer"], SIGNER)
    desk.confirm(dialog)

    desk.switch_to("tiepnhan01")
    page = desk.open_by_code(code)
    dialog = desk.action(page, "returned")
    assert dialog.inputs["to"].text() == "Trần Thị Mai"
    desk.confirm(dialog)
    assert _record(desk, dossier_id).status == Status.RETURNED
    desk.shot("da-tra")
    assert "— quá hạn" in page.fields["returned"].text()
    control = desk.print_paper(page, "control")
    _assert_paper(control, "PHIẾU KIỂM SOÁT QUÁ TRÌNH GIẢI QUYẾT HỒ SƠ", code, "Trần Thị Mai")
    assert _who_did(desk, dossier_id) == [("received", "tiepnhan01"), ("rescheduled", "lanhdao01"),
                                         ("resolved", "lanhdao01"), ("returned", "tiepnhan01")]


def test_d_withdrawn_at_the_citizens_request(desk: Desk) -> None:
    desk.sign_in("tiepnhan01")
    dossier_id, code = _receive_in_the_window(desk, "Phan Văn Đức")
    page = desk.window.dossier_page
    dialog = desk.action(page, "withdrawn")
    assert dialog.inputs["requested_by"].text() == "Phan Văn Đức"      # the applicant asks, unless told
    reason = "Công dân xin rút hồ sơ để bổ sung giấy tờ"
    type_into(dialog.inputs["reason"], reason)
    desk.confirm(dialog)
    assert page.status_label.text() == Status.WITHDRAWN.label
    notice = desk.print_paper(page, "stop")
    _assert_paper(notice, "DỪNG GIẢI QUYẾT HỒ SƠ", code, "Phan Văn Đức", reason)
    assert _who_did(desk, dossier_id) == [("received", "tiepnhan01"), ("withdrawn", "tiepnhan01")]
