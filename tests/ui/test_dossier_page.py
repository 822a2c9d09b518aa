"""The dossier page: only the actions the state and the role allow; actions go through the writer."""

from __future__ import annotations

from PySide6.QtCore import Qt
from typing_helpers import type_text
from ui_helpers import intake_one

from motcua.domain.states import Status
from motcua.store.db import connect
from motcua.ui.bus import ChangesBus
from motcua.ui.context import AppContext
from motcua.ui.dossier.dossier_page import DossierPage
from motcua.ui.worker import TaskRunner


def _page(qtbot, context, dossier_id: str) -> DossierPage:
    page = DossierPage(context)
    qtbot.addWidget(page)
    page.resize(1150, 700)
    page.show_dossier(dossier_id)
    page.show()
    return page


def test_buttons_follow_state_and_role(qtbot, make_context, ui_store) -> None:
    dossier_id = intake_one(ui_store.conn, ui_store.data_dir)
    receiver = _page(qtbot, make_context("tiepnhan01"), dossier_id)
    leader = _page(qtbot, make_context("lanhdao01"), dossier_id)
    specialist = _page(qtbot, make_context("chuyenvien01"), dossier_id)

    assert "resolved" not in receiver.action_buttons          # a receiving officer cannot resolve
    assert "handed_over" in receiver.action_buttons
    assert "resolved" in leader.action_buttons                 # a leader can
    assert "returned" not in leader.action_buttons             # not valid before it is resolved
    assert "fee_requested" not in specialist.action_buttons    # only while processing
    assert receiver.start_action("resolved") is None
    assert receiver.code_label.text().startswith("000.17.22.H56-")
    assert receiver.status_label.text() == Status.RECEIVED.label
    assert receiver.timeline_model.rowCount() == 1
    assert receiver.documents_model.rowCount() == 2


def test_action_goes_through_the_writer_and_the_page_redraws_from_changes(qtbot, ui_store) -> None:
    from motcua.services import accounts as auth

    dossier_id = intake_one(ui_store.conn, ui_store.data_dir)
    bus = ChangesBus()
    runner = TaskRunner(lambda: connect(ui_store.path), bus)  # the real writer thread
    reader = ui_store.reader()
    context = AppContext(ui_store.data_dir, reader, runner, bus, auth.get_user(ui_store.conn, "tiepnhan01"))
    try:
        page = _page(qtbot, context, dossier_id)
        redraws = page.redraws
        dialog = page.start_action("handed_over")
        assert dialog is not None and dialog.isVisible()
        to = dialog.inputs["to"]
        assert to.currentData() == "chuyenvien01"     # the only specialist: already chosen
        type_text(dialog.inputs["note"], "Chuyển công chức tư pháp xử lý")
        with qtbot.waitSignal(bus.changed, timeout=5000) as published:
            qtbot.keyClick(dialog.inputs["note"], Qt.Key.Key_Return)
        qtbot.waitUntil(lambda: not dialog.isVisible(), timeout=5000)
    finally:
        runner.shutdown()
    assert dossier_id in published.args[0].dossier_ids
    assert page.redraws == redraws + 1                        # redrawn once, from the bus
    assert page.status_label.text() == Status.PROCESSING.label
    assert page.fields["assigned"].text().startswith("Trần Văn Bình (Xử lý — hạn ")
    assert page.timeline_model.rowCount() == 2
    last = page.timeline_model.event_at(1)
    assert (last.type, last.actor, last.payload["to"]) == ("handed_over", "tiepnhan01", "chuyenvien01")
    assert "handed_over" in page.action_buttons and "supplement_requested" in page.action_buttons
    reader.close()


def test_validation_errors_are_shown_beside_the_field(qtbot, make_context, ui_store) -> None:
    dossier_id = intake_one(ui_store.conn, ui_store.data_dir)
    page = _page(qtbot, make_context("lanhdao01"), dossier_id)
    dialog = page.start_action("rescheduled")
    assert dialog is not None
    qtbot.mouseClick(dialog.ok_button, Qt.MouseButton.LeftButton)  # no reason given
    assert dialog.isVisible()
    assert dialog.error_labels["reason"].isVisibleTo(dialog)
    assert "lý do" in dialog.error_labels["reason"].text()

    dialog.set_value("reason", "Chờ xác minh của thôn")
    dialog.inputs["new_due_at"].setDateTime(dialog.inputs["new_due_at"].dateTime().addYears(-5))
    qtbot.mouseClick(dialog.ok_button, Qt.MouseButton.LeftButton)  # the service refuses a date in the past
    assert dialog.isVisible()
    assert dialog.error_labels["new_due_at"].isVisibleTo(dialog)
    assert "sau hạn trả" in dialog.error_labels["new_due_at"].text()


def test_documents_checklist_saves_through_the_writer(qtbot, make_context, ui_store) -> None:
    dossier_id = intake_one(ui_store.conn, ui_store.data_dir)
    page = _page(qtbot, make_context("tiepnhan01"), dossier_id)
    model = page.documents_model
    assert model.flags(model.index(1)) & Qt.ItemFlag.ItemIsUserCheckable
    assert model.setData(model.index(1), Qt.CheckState.Unchecked.value, Qt.ItemDataRole.CheckStateRole)
    assert page.save_documents_button.isEnabled()
    qtbot.mouseClick(page.save_documents_button, Qt.MouseButton.LeftButton)
    assert [d["received"] for d in page.record.document_list()] == [True, False]  # type: ignore[union-attr]
    assert page.timeline_model.event_at(1).type == "documents_updated"


def test_page_models_pass_qtmodeltester(qtmodeltester, make_context, ui_store) -> None:
    dossier_id = intake_one(ui_store.conn, ui_store.data_dir)
    page = DossierPage(make_context("tiepnhan01"))
    page.show_dossier(dossier_id)
    for model in (page.documents_model, page.attachments_model, page.timeline_model):
        qtmodeltester.check(model)


def test_attachment_added_from_the_page(qtbot, make_context, ui_store, tmp_path) -> None:
    scan = tmp_path / "to-khai.pdf"
    scan.write_bytes(b"%PDF-1.4\n% scan\n")
    dossier_id = intake_one(ui_store.conn, ui_store.data_dir)
    context = make_context("tiepnhan01")
    page = _page(qtbot, context, dossier_id)
    context.attach(dossier_id, scan)
    model = page.attachments_model
    assert model.rowCount() == 1 and model.data(model.index(0)).startswith("to-khai.pdf")
    assert page.attachments.isVisibleTo(page) and not page.no_attachments.isVisibleTo(page)


def test_a_staged_procedure_shows_when_the_commune_must_forward(qtbot, make_context, ui_store, tmp_path) -> None:
    import json

    from motcua.catalog import load_shipped
    from tests.forms.test_forms_counted_fees import STAGED

    catalog = tmp_path / "catalog"
    catalog.mkdir()
    (catalog / "1.010803.json").write_text(json.dumps(STAGED, ensure_ascii=False), encoding="utf-8")
    assert load_shipped(ui_store.conn, catalog).added == ["1.010803"]
    dossier_id = intake_one(ui_store.conn, ui_store.data_dir, procedure_code="1.010803", procedure=None,
                            received_at="2026-02-05 09:15")
    page = _page(qtbot, make_context("tiepnhan01"), dossier_id)
    assert "Cấp xã phải xong trước 12/02/2026" in page.fields["due"].text()
    dialog = page.start_action("handed_over")
    assert dialog is not None
    assert dialog.inputs["step_due_at"].text() == "12/02/2026 09:15"
    dialog.reject()
