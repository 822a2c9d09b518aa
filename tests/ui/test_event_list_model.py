"""The dossier's timeline names people by their full names, the account kept in brackets."""

from __future__ import annotations

from datetime import datetime

from PySide6.QtCore import Qt

from motcua.domain.clock import VN_TZ
from motcua.domain.events import Event, EventType
from motcua.ui.models.event_list import EventListModel

NAMES = {"tiepnhan01": "Nguyễn Thị Hoa", "chuyenvien01": "Trần Văn Bình"}


def _handover(to: str) -> Event:
    return Event(id="e1", dossier_id="d1", type=EventType.HANDED_OVER, actor="tiepnhan01",
                 occurred_at=datetime(2026, 3, 2, 9, 0, tzinfo=VN_TZ), payload={"to": to, "note": "Xử lý gấp"})


def test_hand_over_shows_who_did_it_and_to_whom_by_full_name(qapp: object) -> None:
    model = EventListModel()
    model.set_events([_handover("chuyenvien01")], NAMES)
    row = [model.data(model.index(0, column), Qt.ItemDataRole.DisplayRole) for column in range(4)]
    assert row[1] == "Nguyễn Thị Hoa (tiepnhan01)"
    assert row[3] == "Chuyển cho Trần Văn Bình (chuyenvien01): Xử lý gấp"


def test_an_account_no_longer_known_is_shown_as_written(qapp: object) -> None:
    model = EventListModel()
    model.set_events([_handover("cu.canbo")], NAMES)
    assert model.data(model.index(0, 3), Qt.ItemDataRole.DisplayRole) == "Chuyển cho cu.canbo: Xử lý gấp"


def test_a_dossier_without_a_code_is_named_by_its_applicant() -> None:
    from motcua.domain.projection import DossierRecord
    from motcua.ui.widgets.formatting import dossier_title

    assert dossier_title(DossierRecord(id="d1", code="000.17.22.H56-260302-0001")) == "000.17.22.H56-260302-0001"
    assert dossier_title(DossierRecord(id="d1", applicant_name="Lê Văn Tám")) == "Hồ sơ chưa cấp mã — Lê Văn Tám"
