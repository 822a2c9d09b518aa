"""The wizard's logic without widgets: due date reasoning, drafts table, draft round trip."""

from __future__ import annotations

import sqlite3
from datetime import date, datetime
from pathlib import Path

import pytest
from intake_support import prepare_store

from motcua.domain.calendar import DayOverride, WorkCalendar
from motcua.domain.clock import VN_TZ
from motcua.services import drafts
from motcua.store.db import connect
from motcua.ui.intake.intake_state import DocumentChoice, IntakeState, compute_due, duration_text, moment_text


def at(*parts: int) -> datetime:
    return datetime(*parts, tzinfo=VN_TZ)


def test_five_working_days_across_tet_name_the_holiday_and_the_weekends():
    due = compute_due(WorkCalendar.build(), at(2026, 2, 12, 9, 15), 5, "working_days")
    assert due.due == at(2026, 2, 26, 9, 15)
    assert due.explanation == "05 ngày làm việc, không tính Tết Nguyên Đán 16–20/02, 4 ngày nghỉ cuối tuần"
    assert moment_text(due.due) == "Thứ Năm, 26/02/2026 lúc 09:15"


def test_after_closing_time_the_count_starts_next_working_morning():
    due = compute_due(WorkCalendar.build(), at(2026, 3, 6, 17, 30), 1, "working_days")  # a Friday evening
    assert due.start == at(2026, 3, 9, 7, 0)
    assert due.due == at(2026, 3, 9, 17, 0)
    assert "tính từ 07:00 ngày 09/03" in due.explanation


def test_a_commune_day_off_from_the_official_calendar_is_named():
    calendar = WorkCalendar.build(overrides=[DayOverride(date(2026, 3, 11), False, "Nghỉ bầu cử", "QĐ 12/UBND")])
    due = compute_due(calendar, at(2026, 3, 10, 8, 0), 2, "working_days")
    assert "Nghỉ bầu cử 11/03" in due.explanation
    assert due.due == at(2026, 3, 13, 8, 0)  # 7 h on the 10th, none on the 11th, 8 h on the 12th, 1 h


def test_hours_and_calendar_days_read_naturally():
    assert duration_text(8, "working_hours") == "08 giờ làm việc"
    assert duration_text(0.5, "working_days") == "0,5 ngày làm việc"
    assert duration_text(30, "calendar_days") == "30 ngày"


@pytest.fixture
def conn(tmp_path: Path):  # type: ignore[no-untyped-def]
    connection = connect(prepare_store(tmp_path / "data"))
    yield connection
    connection.close()


def test_drafts_are_saved_replaced_listed_newest_first_and_deleted(conn: sqlite3.Connection):
    drafts.save_draft(conn, "a", drafts.INTAKE, {"name": "Một"})
    drafts.save_draft(conn, "b", drafts.INTAKE, {"name": "Hai"})
    drafts.save_draft(conn, "a", drafts.INTAKE, {"name": "Một (sửa)"})
    drafts.save_draft(conn, "c", "other", {})
    assert [d.id for d in drafts.list_drafts(conn)] in (["a", "b"], ["b", "a"])
    assert drafts.load_draft(conn, "a").data == {"name": "Một (sửa)"}  # type: ignore[union-attr]
    assert drafts.delete_draft(conn, "a") and not drafts.delete_draft(conn, "a")
    assert [d.id for d in drafts.list_drafts(conn)] == ["b"]


def test_a_draft_round_trips_and_damaged_values_fall_back():
    state = IntakeState(procedure_code="1.001193", name="Nguyễn Thị Hoa", sets=2, step=2,
                        documents=[DocumentChoice("Tờ khai", "original", "original", 1, True, True)])
    again = IntakeState.from_dict(state.to_dict())
    assert again == state
    damaged = IntakeState.from_dict({"dossier_id": "x", "sets": "nhiều", "step": 99, "name": None,
                                     "documents": [{"name": "Giấy chứng sinh", "copies": "hai"}, "rác", {}]})
    assert damaged.dossier_id == "x" and damaged.sets == 1 and damaged.step == 3 and damaged.name == ""
    assert [(d.name, d.copies) for d in damaged.documents] == [("Giấy chứng sinh", 1)]


def test_the_request_carries_the_draft_id_and_only_received_documents():
    state = IntakeState(procedure_code="1.001193", name="A", id_number="066190001234",
                        documents=[DocumentChoice("Tờ khai", received=True), DocumentChoice("Giấy chứng sinh")])
    data = state.request_data()
    assert data["id"] == state.dossier_id
    assert [d["name"] for d in data["documents"]] == ["Tờ khai"]


def test_the_checklist_and_results_models_pass_the_model_tester(qtmodeltester, conn: sqlite3.Connection):  # type: ignore[no-untyped-def]
    from motcua.catalog import get_procedure
    from motcua.ui._adapters import find_procedures
    from motcua.ui.intake.intake_checklist import ChecklistModel
    from motcua.ui.intake.intake_state import checklist
    from motcua.ui.intake.procedure_search import ResultsModel

    checklist_model = ChecklistModel()
    checklist_model.set_rows(checklist(get_procedure(conn, "1.001193").components))
    checklist_model.toggle(0)
    checklist_model.cycle_kind(1, 1)
    qtmodeltester.check(checklist_model)
    results = ResultsModel()
    results.set_results(find_procedures(conn, "khai sinh"))
    assert results.rowCount() > 0
    qtmodeltester.check(results)


def test_a_paper_needed_in_one_case_reminds_but_does_not_block() -> None:
    from motcua.ui.intake.intake_state import DocumentChoice, IntakeState

    state = IntakeState(documents=[
        DocumentChoice("Tờ khai", required=True, received=True),
        DocumentChoice("Văn bản ủy quyền", required=True, condition="Trường hợp nộp thay"),
        DocumentChoice("Giấy tờ tùy thân", "presented", "presented", required=True),
    ])
    assert state.missing_required() == ["Giấy tờ tùy thân"]
    assert state.conditional_unreceived() == ["Văn bản ủy quyền (Trường hợp nộp thay)"]
    state.documents[2].cycle_kind(1)
    assert state.documents[2].kind == "presented"  # a paper only shown has no other kind to pick


def test_fee_quantities_survive_a_draft_and_reach_the_request() -> None:
    from motcua.ui.intake.intake_state import IntakeState

    state = IntakeState(procedure_code="2.000815", fee_quantities=[[1, 5, 3]])
    again = IntakeState.from_dict(state.to_dict())
    assert again.fee_quantities == [[1, 5, 3]]
    assert again.request_data()["fee_quantities"] == [{"fee": 1, "units": 5, "groups": 3}]
    damaged = IntakeState.from_dict({**state.to_dict(), "fee_quantities": "năm trang"})
    assert damaged.fee_quantities == []
