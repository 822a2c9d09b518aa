"""The procedures a store's dossiers use (the Hồ sơ page's procedure picker), and the received-day filter."""

from __future__ import annotations

from datetime import date

from motcua.services.intake import parse_intake
from motcua.store.queries import DossierFilter, ProcedureUse, count_dossiers, procedures_in_use
from tests.conftest import intake_data


def _intake(store, code: str, name: str, received_at: str, n: int) -> None:
    store.intake(parse_intake(intake_data(
        procedure_code=code, procedure={"code": code, "name": name, "field": "Hộ tịch", "days": 3},
        received_at=received_at, applicant={"name": f"Người nộp {n}", "id_number": f"06619000{n:04d}"})),
        "tiepnhan01")


def test_procedures_in_use_counts_and_names_each_once(store) -> None:
    assert procedures_in_use(store.conn) == []
    _intake(store, "1.001193", "Đăng ký khai sinh (cũ)", "2026-01-05 09:00", 1)
    _intake(store, "1.001193", "Đăng ký khai sinh", "2026-02-05 09:00", 2)   # the newest name wins
    _intake(store, "1.000894", "Đăng ký kết hôn", "2026-02-06 09:00", 3)
    _intake(store, "2.000815", "Chứng thực bản sao", "2026-02-07 09:00", 4)
    assert procedures_in_use(store.conn) == [
        ProcedureUse("1.001193", "Đăng ký khai sinh", 2),    # most dossiers first
        ProcedureUse("2.000815", "Chứng thực bản sao", 1),   # then by name, without diacritics: «chung» < «dang»
        ProcedureUse("1.000894", "Đăng ký kết hôn", 1),
    ]


def test_received_range_counts_both_end_days_whole(store) -> None:
    for n, moment in enumerate(("2026-02-01 00:00", "2026-02-01 07:30", "2026-02-28 23:59", "2026-03-01 00:00"), 1):
        _intake(store, "1.001193", "Đăng ký khai sinh", moment, n)
    february = DossierFilter(received_from=date(2026, 2, 1), received_to=date(2026, 2, 28))
    assert count_dossiers(store.conn, february) == 3
    assert count_dossiers(store.conn, DossierFilter(received_to=date(2026, 1, 31))) == 0
    assert count_dossiers(store.conn, DossierFilter(received_from=date(2026, 3, 1), procedure_code="1.001193")) == 1
