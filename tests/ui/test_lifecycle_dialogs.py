"""Refusal, payment, result document and return from the dossier page, typed as a person would: each
refusal shown beside its field with nothing written, each success visible on the page and in the list."""

from __future__ import annotations

import json
from datetime import timedelta

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication, QWidget
from typing_helpers import commit_text, press
from ui_helpers import intake_one

from motcua.domain.clock import now, parse_moment, to_local
from motcua.domain.states import Status
from motcua.services.desk import Desk
from motcua.store.events import load_record
from motcua.store.queries import DossierFilter
from motcua.ui.dossier.action_dialog import ActionDialog
from motcua.ui.dossier.dossier_page import DossierPage
from motcua.ui.models.dossier_table import COLUMNS, DossierTableModel
from tests.forms.test_forms_counted_fees import COPY_CERTIFICATION

RESULT = {"doc_number": "15/QĐ-UBND", "signer": "Lê Văn Hùng"}


def _page(qtbot, context, dossier_id: str) -> DossierPage:
    page = DossierPage(context)
    qtbot.addWidget(page)
    page.resize(1366, 700)
    page.show_dossier(dossier_id)
    page.show()
    qtbot.waitActive(page)
    page.back_button.setFocus()
    qtbot.waitUntil(lambda: page.isAncestorOf(QApplication.focusWidget()))
    return page


def _events(ui_store) -> int:
    return int(ui_store.conn.execute("SELECT count(*) FROM events").fetchone()[0])


def _open(qtbot, page: DossierPage, event_type: str) -> ActionDialog:
    """Press the action's Alt+number, as the tooltip says."""
    number = list(page.action_buttons).index(event_type) + 1
    press(page, getattr(Qt.Key, f"Key_{number}"), Qt.KeyboardModifier.AltModifier)
    dialog = page.open_dialog
    assert dialog is not None and dialog.event_type == event_type
    return dialog


def _clear_and_type(qtbot, widget: QWidget, text: str) -> None:
    widget.setFocus()
    qtbot.keyClick(widget, Qt.Key.Key_A, Qt.KeyboardModifier.ControlModifier)
    qtbot.keyClick(widget, Qt.Key.Key_Backspace)
    if text.isascii():
        qtbot.keyClicks(widget, text)
    else:
        commit_text(widget, text)


def _submit(qtbot, dialog: ActionDialog, field: str) -> None:
    """Enter in a one-line field presses the dialog's default button (Xác nhận)."""
    qtbot.keyClick(dialog.inputs[field], Qt.Key.Key_Return)


def test_refusal_at_the_desk_needs_a_reason(qtbot, make_context, ui_store) -> None:
    dossier_id = intake_one(ui_store.conn, ui_store.data_dir)
    page = _page(qtbot, make_context("tiepnhan01"), dossier_id)
    dialog = _open(qtbot, page, "refused")
    before = _events(ui_store)
    press(dialog.inputs["reason"], Qt.Key.Key_Tab)       # from the reason to Xác nhận
    qtbot.keyClick(dialog.ok_button, Qt.Key.Key_Space)
    assert dialog.isVisible() and "lý do từ chối" in dialog.error_labels["reason"].text()
    assert _events(ui_store) == before
    reason = dialog.inputs["reason"]
    reason.setFocus()
    commit_text(reason, "Hồ sơ không thuộc thẩm quyền giải quyết của xã")
    qtbot.keyClick(dialog.ok_button, Qt.Key.Key_Space)
    qtbot.waitUntil(lambda: not dialog.isVisible(), timeout=5000)
    assert page.status_label.text() == Status.NOT_RECEIVED.label
    assert page.fields["closing"].isVisibleTo(page)
    assert page.fields["closing"].text() == "Hồ sơ không thuộc thẩm quyền giải quyết của xã"
    assert not page.action_buttons.keys() - {"note"}           # a refused dossier takes only notes


def test_payment_is_shown_and_never_above_what_is_due(qtbot, make_context, ui_store, tmp_path) -> None:
    from motcua.catalog import load_shipped

    catalog = tmp_path / "catalog"
    catalog.mkdir()
    (catalog / "2.000815.json").write_text(json.dumps(COPY_CERTIFICATION, ensure_ascii=False), encoding="utf-8")
    load_shipped(ui_store.conn, catalog)
    dossier_id = intake_one(ui_store.conn, ui_store.data_dir, procedure_code="2.000815", procedure=None,
                            fee_quantities=[{"fee": 1, "units": 5, "groups": 2}])
    page = _page(qtbot, make_context("tiepnhan01"), dossier_id)
    fee = page.fields["fee"].text()
    assert "Phải nộp 14.000 đ" in fee and "Phí chứng thực bản sao (5 trang × 2 bản): 14.000 đ" in fee
    assert "Còn phải nộp 14.000 đ" in fee

    dialog = _open(qtbot, page, "fee_paid")
    assert dialog.inputs["amount"].text() == "14000"           # starts with what is still due
    _clear_and_type(qtbot, dialog.inputs["amount"], "20000")
    _clear_and_type(qtbot, dialog.inputs["receipt_number"], "0000123")
    before = _events(ui_store)
    _submit(qtbot, dialog, "receipt_number")
    assert dialog.isVisible() and dialog.error_labels["amount"].isVisibleTo(dialog)
    assert "lớn hơn số còn phải nộp (14.000 đ)" in dialog.error_labels["amount"].text()
    assert _events(ui_store) == before

    _clear_and_type(qtbot, dialog.inputs["amount"], "14000")
    qtbot.keyClick(dialog.inputs["method"], Qt.Key.Key_Down)   # tiền mặt → chuyển khoản
    _submit(qtbot, dialog, "amount")
    qtbot.waitUntil(lambda: not dialog.isVisible(), timeout=5000)
    fee = page.fields["fee"].text()
    assert "Đã nộp 14.000 đ" in fee and "chuyển khoản, biên lai số 0000123" in fee and "Đã nộp đủ" in fee
    assert page.status_label.text() == Status.RECEIVED.label


def test_resolve_asks_for_the_result_document(qtbot, make_context, ui_store) -> None:
    dossier_id = intake_one(ui_store.conn, ui_store.data_dir)
    page = _page(qtbot, make_context("lanhdao01"), dossier_id)
    dialog = _open(qtbot, page, "resolved")
    before = _events(ui_store)
    _submit(qtbot, dialog, "note")
    assert dialog.isVisible()
    assert dialog.error_labels["doc_number"].text() == "Chưa nhập số văn bản kết quả."
    assert dialog.error_labels["signer"].text() == "Chưa nhập người ký."
    assert _events(ui_store) == before
    _clear_and_type(qtbot, dialog.inputs["doc_number"], "15/QD-UBND")
    _clear_and_type(qtbot, dialog.inputs["signer"], "Lê Văn Hùng")
    _submit(qtbot, dialog, "signer")
    qtbot.waitUntil(lambda: not dialog.isVisible(), timeout=5000)
    today = to_local(now()).strftime("%d/%m/%Y")
    assert page.fields["result"].text() == f"Giải quyết — văn bản số 15/QD-UBND ngày {today}, Lê Văn Hùng ký"


def _resolved(ui_store, received_days_ago: int) -> tuple[str, str]:
    """A dossier received long ago (08:00) and resolved the day before its due moment."""
    received = to_local(now() - timedelta(days=received_days_ago)).replace(hour=8, minute=0, second=0,
                                                                           microsecond=0)
    dossier_id = intake_one(ui_store.conn, ui_store.data_dir, received_at=received.strftime("%Y-%m-%d %H:%M"))
    record = load_record(ui_store.conn, dossier_id)
    assert record is not None and record.due_at is not None
    due = parse_moment(record.due_at)
    Desk(ui_store.conn, ui_store.data_dir).act(dossier_id, "resolved", "lanhdao01", RESULT,
                                               at=due.replace(hour=7, minute=0))
    return dossier_id, record.due_at


def _return_at(qtbot, page: DossierPage, text: str) -> ActionDialog:
    dialog = _open(qtbot, page, "returned")
    moment = dialog.inputs["at"]
    moment.setFocus()
    digits = text.replace("/", "").replace(" ", "").replace(":", "")
    for _ in range(2):  # twice: a day the current month lacks (31) is taken once the month is typed
        qtbot.keyClick(moment, Qt.Key.Key_Home)
        for _ in range(2):  # select the day section, then type the digits; each section advances itself
            qtbot.keyClick(moment, Qt.Key.Key_Right, Qt.KeyboardModifier.ShiftModifier)
        qtbot.keyClicks(moment, digits)
    assert moment.dateTime().toString("dd/MM/yyyy HH:mm") == text
    return dialog


def test_return_prefills_the_applicant_refuses_no_receiver_and_shows_on_time(qtbot, make_context, ui_store) -> None:
    dossier_id, due_at = _resolved(ui_store, 40)
    page = _page(qtbot, make_context("tiepnhan01"), dossier_id)
    due = parse_moment(due_at)
    dialog = _return_at(qtbot, page, due.strftime("%d/%m/%Y") + " 07:30")
    assert dialog.inputs["to"].text() == "Nguyễn Thị Hoa"            # the applicant, editable
    assert dialog.inputs["to_id_number"].text() == "066190001234"
    assert dialog.inputs["channel"].currentData() == "desk"
    _clear_and_type(qtbot, dialog.inputs["to"], "")
    before = _events(ui_store)
    _submit(qtbot, dialog, "to")
    assert dialog.isVisible() and dialog.error_labels["to"].text() == "Chưa nhập người nhận kết quả."
    assert _events(ui_store) == before

    _clear_and_type(qtbot, dialog.inputs["to"], "Trần Văn Nam")      # an authorised person…
    _clear_and_type(qtbot, dialog.inputs["to_id_number"], "")
    _submit(qtbot, dialog, "to")                                    # …must show an ID
    assert dialog.isVisible() and "số giấy tờ tùy thân" in dialog.error_labels["to_id_number"].text()
    assert _events(ui_store) == before
    _clear_and_type(qtbot, dialog.inputs["to_id_number"], "066090001111")
    _submit(qtbot, dialog, "to_id_number")
    qtbot.waitUntil(lambda: not dialog.isVisible(), timeout=5000)

    returned = page.fields["returned"].text()
    assert returned.startswith(due.strftime("%d/%m/%Y") + " 07:30 — đúng hạn")
    assert "Người nhận: Trần Văn Nam (số giấy tờ 066090001111)" in returned
    assert "Trực tiếp tại nơi tiếp nhận hồ sơ" in returned
    model = DossierTableModel(ui_store.reader(), DossierFilter(statuses=(Status.RETURNED,)))
    column = [c.sort_key for c in COLUMNS].index("returned_at")
    assert model.data(model.index(0, column)) == due.strftime("%d/%m/%Y") + " 07:30 — đúng hạn"


def test_a_late_return_reads_qua_han_on_the_page_and_in_the_list(qtbot, make_context, ui_store) -> None:
    dossier_id, due_at = _resolved(ui_store, 40)
    page = _page(qtbot, make_context("tiepnhan01"), dossier_id)
    late = parse_moment(due_at) + timedelta(days=1)
    dialog = _return_at(qtbot, page, late.strftime("%d/%m/%Y") + " 09:00")
    qtbot.keyClick(dialog.inputs["channel"], Qt.Key.Key_Down)       # by public postal service
    _submit(qtbot, dialog, "to")
    qtbot.waitUntil(lambda: not dialog.isVisible(), timeout=5000)
    assert page.fields["returned"].text().startswith(late.strftime("%d/%m/%Y") + " 09:00 — quá hạn")
    assert "Qua dịch vụ bưu chính công ích" in page.fields["returned"].text()
    model = DossierTableModel(ui_store.reader(), DossierFilter(statuses=(Status.RETURNED,)))
    column = [c.sort_key for c in COLUMNS].index("returned_at")
    assert model.data(model.index(0, column)).endswith("quá hạn")


def test_withdrawal_records_who_asked_and_why(qtbot, make_context, ui_store) -> None:
    dossier_id = intake_one(ui_store.conn, ui_store.data_dir)
    page = _page(qtbot, make_context("tiepnhan01"), dossier_id)
    dialog = _open(qtbot, page, "withdrawn")
    assert dialog.inputs["requested_by"].text() == "Nguyễn Thị Hoa"      # the applicant, unless someone else
    before = _events(ui_store)
    _submit(qtbot, dialog, "requested_by")
    assert dialog.isVisible() and dialog.error_labels["reason"].text() == "Chưa nhập lý do rút hồ sơ."
    assert _events(ui_store) == before
    reason = dialog.inputs["reason"]
    reason.setFocus()
    commit_text(reason, "Công dân xin rút để bổ sung giấy tờ")
    _submit(qtbot, dialog, "requested_by")
    qtbot.waitUntil(lambda: not dialog.isVisible(), timeout=5000)
    assert page.status_label.text() == Status.WITHDRAWN.label
    assert page.fields["closing"].text() == "Công dân xin rút để bổ sung giấy tờ\nNgười yêu cầu: Nguyễn Thị Hoa"


def test_the_default_moments_are_the_communes_clock_not_the_machines(qtbot, make_context, ui_store) -> None:
    """On a machine whose zone is UTC the return dialog once proposed a moment seven hours early, which the
    service (reading typed moments as Vietnam time) refused as «before the last action»."""
    dossier_id, _due = _resolved(ui_store, 40)
    page = _page(qtbot, make_context("tiepnhan01"), dossier_id)
    before = to_local(now()).replace(second=0, microsecond=0)
    dialog = _open(qtbot, page, "returned")
    shown = dialog.inputs["at"].dateTime().toString("yyyy-MM-dd HH:mm")
    after = to_local(now())
    assert shown in {before.strftime("%Y-%m-%d %H:%M"), after.strftime("%Y-%m-%d %H:%M")}
    dialog.reject()
