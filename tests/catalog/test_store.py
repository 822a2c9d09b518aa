"""The catalog in the commune store: versions kept, idempotent loading, get_procedure."""

from __future__ import annotations

import dataclasses
import json
import shutil
import sqlite3
from pathlib import Path
from typing import Any

import pytest

from motcua.catalog import Procedure, ProcedureNotFound, get_procedure, list_versions, load_shipped
from motcua.catalog.model import Component, Fee
from motcua.catalog.repository import reindex_procedures
from motcua.search import search_procedures
from motcua.store.db import transaction
from tests.catalog.store_helper import FIXTURE_PROCEDURES


def _copy_catalog(tmp_path: Path) -> Path:
    target = tmp_path / "procedures"
    shutil.copytree(FIXTURE_PROCEDURES, target)
    return target


def _edit(directory: Path, code: str, change: Any) -> None:
    path = directory / f"{code}.json"
    data = json.loads(path.read_text(encoding="utf-8"))
    change(data)
    path.write_text(json.dumps(data, ensure_ascii=False), encoding="utf-8")


def _versions(conn: sqlite3.Connection) -> int:
    return conn.execute("SELECT count(*) FROM procedure_versions").fetchone()[0]


def test_get_procedure_returns_the_readme_fields(loaded: sqlite3.Connection) -> None:
    p = get_procedure(loaded, "1.003560")
    assert isinstance(p, Procedure)
    assert (p.code, p.version, p.name, p.level) == (
        "1.003560", 1, "Cấp giấy phép bưu chính", "commune_receives_province_decides"
    )
    assert p.processing_time.amount == 15 and p.processing_time.unit == "working_days"
    assert p.fees == (Fee("phi", "Phí thẩm định điều kiện hoạt động bưu chính", 5_000_000, "", False),)
    assert p.components[0] == Component("Đơn đề nghị cấp giấy phép bưu chính", "original", 1, True,
                                        "don-de-nghi-gpbc", "")
    assert p.form("don-de-nghi-gpbc").fields[2].options == ("Nội tỉnh", "Liên tỉnh", "Quốc tế")
    assert p.effective_until is None and p.effective_from.isoformat() == "2025-07-01"
    with pytest.raises(dataclasses.FrozenInstanceError):
        p.name = "x"  # type: ignore[misc]


def test_unknown_procedure_or_version(loaded: sqlite3.Connection) -> None:
    with pytest.raises(ProcedureNotFound):
        get_procedure(loaded, "9.999999")
    with pytest.raises(ProcedureNotFound, match="phiên bản 7"):
        get_procedure(loaded, "1.003560", 7)


def test_loading_twice_changes_nothing(conn: sqlite3.Connection) -> None:
    first = load_shipped(conn, FIXTURE_PROCEDURES)
    before = conn.execute("SELECT code, imported_at FROM procedure_versions ORDER BY code").fetchall()
    second = load_shipped(conn, FIXTURE_PROCEDURES)
    assert len(first.added) == 7 and not first.unchanged
    assert second.added == [] and len(second.unchanged) == 7 and not second.changed
    assert conn.execute("SELECT code, imported_at FROM procedure_versions ORDER BY code").fetchall() == before


def test_a_higher_version_is_added_and_becomes_current(conn: sqlite3.Connection, tmp_path: Path) -> None:
    catalog = _copy_catalog(tmp_path)
    load_shipped(conn, catalog)

    def amend(d: dict[str, Any]) -> None:
        d["version"] = 2
        d["processing_time"] = {"amount": 10, "unit": "working_days", "text": "10 ngày làm việc"}

    _edit(catalog, "1.003560", amend)
    report = load_shipped(conn, catalog)
    assert report.upgraded == [("1.003560", 1, 2)]
    assert get_procedure(conn, "1.003560").processing_time.amount == 10
    assert get_procedure(conn, "1.003560", 1).processing_time.amount == 15
    assert [v.version for v in list_versions(conn, "1.003560")] == [1, 2]
    assert [v.source for v in list_versions(conn, "1.003560")] == ["shipped:1.003560.json"] * 2


def test_changed_content_under_the_same_version_is_reported_not_applied(
    conn: sqlite3.Connection, tmp_path: Path
) -> None:
    catalog = _copy_catalog(tmp_path)
    load_shipped(conn, catalog)
    _edit(catalog, "1.001193", lambda d: d.update(name="Đăng ký khai sinh (sửa lén)"))
    report = load_shipped(conn, catalog)
    assert len(report.conflicts) == 1
    assert "1.001193.json" in report.conflicts[0] and "tăng số phiên bản" in report.conflicts[0]
    assert get_procedure(conn, "1.001193").name == "Đăng ký khai sinh"


def test_key_order_and_spacing_are_not_changes(conn: sqlite3.Connection, tmp_path: Path) -> None:
    catalog = _copy_catalog(tmp_path)
    load_shipped(conn, catalog)
    path = catalog / "1.001193.json"
    data = json.loads(path.read_text(encoding="utf-8"))
    path.write_text(json.dumps(dict(reversed(list(data.items()))), ensure_ascii=False, indent=4), encoding="utf-8")
    report = load_shipped(conn, catalog)
    assert not report.conflicts and "1.001193" in report.unchanged


def test_an_invalid_file_is_skipped_and_reported_the_rest_loads(conn: sqlite3.Connection, tmp_path: Path) -> None:
    catalog = _copy_catalog(tmp_path)
    _edit(catalog, "1.000894", lambda d: d.update(level="huyện"))
    report = load_shipped(conn, catalog)
    assert [(i.file, i.path) for i in report.invalid] == [("1.000894.json", "level")]
    assert len(report.added) == 6
    with pytest.raises(ProcedureNotFound):
        get_procedure(conn, "1.000894")


def test_an_older_file_goes_to_history_only(conn: sqlite3.Connection, tmp_path: Path) -> None:
    catalog = _copy_catalog(tmp_path)
    _edit(catalog, "1.001193", lambda d: d.update(version=3))
    load_shipped(conn, catalog)
    _edit(catalog, "1.001193", lambda d: d.update(version=2, name="Đăng ký khai sinh (cũ)"))
    report = load_shipped(conn, catalog)
    assert report.older == ["1.001193"]
    assert get_procedure(conn, "1.001193").version == 3
    assert get_procedure(conn, "1.001193", 2).name == "Đăng ký khai sinh (cũ)"


def test_versions_are_never_overwritten(loaded: sqlite3.Connection) -> None:
    from motcua.catalog.repository import add_version, get_document

    data = get_document(loaded, "1.003560")
    with pytest.raises(sqlite3.IntegrityError), transaction(loaded):
        add_version(loaded, data, "test")
    assert _versions(loaded) == 7


def test_the_index_follows_the_current_version(conn: sqlite3.Connection, tmp_path: Path) -> None:
    catalog = _copy_catalog(tmp_path)
    load_shipped(conn, catalog)
    assert search_procedures(conn, "buu chinh cong ich") == []

    def amend(d: dict[str, Any]) -> None:
        d["version"] = 2
        d["name"] = "Cấp giấy phép bưu chính công ích"

    _edit(catalog, "1.003560", amend)
    load_shipped(conn, catalog)
    assert [r.code for r in search_procedures(conn, "buu chinh cong ich")] == ["1.003560"]
    conn.execute("INSERT INTO procedures_fts (procedures_fts) VALUES ('integrity-check')")
    before = search_procedures(conn, "dang ky")
    with transaction(conn):
        reindex_procedures(conn)
    assert [r.code for r in search_procedures(conn, "bưu chính công ích")] == ["1.003560"]
    assert search_procedures(conn, "dang ky") == before and len(before) == 5


def test_intake_records_the_version_it_was_received_under(loaded: sqlite3.Connection, tmp_path: Path) -> None:
    """The core's intake takes the procedure from the catalog; an amendment later leaves the dossier's
    version readable."""
    from motcua.services.desk import Desk
    from motcua.services.intake import Applicant, IntakeRequest
    from motcua.store.settings import put_values

    with transaction(loaded):
        put_values(loaded, {"commune_name": "Xã Ea Kao", "agency_code": "000.17.22.H56", "device_id": "dev-1"})
    outcome = Desk(loaded, tmp_path).intake(IntakeRequest("1.003560", Applicant("Công ty TNHH Bưu chính Ea Kao")),
                                            actor="canbo")
    assert outcome.record.procedure_version == 1

    catalog = _copy_catalog(tmp_path)
    _edit(catalog, "1.003560", lambda d: d.update(version=2, name="Cấp giấy phép bưu chính (sửa đổi)"))
    load_shipped(loaded, catalog)
    received_under = get_procedure(loaded, outcome.record.procedure_code, outcome.record.procedure_version)
    assert received_under.name == "Cấp giấy phép bưu chính"
    assert get_procedure(loaded, "1.003560").version == 2


def test_a_renumbered_procedure_retires_its_former_code(conn: sqlite3.Connection, tmp_path: Path) -> None:
    catalog = _copy_catalog(tmp_path)
    load_shipped(conn, catalog)
    old = json.loads((catalog / "1.012345.json").read_text(encoding="utf-8"))
    (catalog / "1.012345.json").unlink()
    old.update(code="1.099999", version=old["version"] + 1, former_codes=["1.012345"])
    (catalog / "1.099999.json").write_text(json.dumps(old, ensure_ascii=False), encoding="utf-8")

    report = load_shipped(conn, catalog)
    assert report.added == ["1.099999"] and report.retired == [("1.012345", "1.099999")]
    retired = get_procedure(conn, "1.012345")
    assert retired.effective_until is not None and "1.099999" in retired.provenance.note
    assert get_procedure(conn, "1.012345", 1).effective_until is None  # the version dossiers point at
    codes = [r.code for r in search_procedures(conn, old["name"])]
    assert "1.099999" in codes and "1.012345" not in codes
    assert "1.012345" in [r.code for r in search_procedures(conn, old["name"], include_abolished=True)]
    again = load_shipped(conn, catalog)
    assert again.retired == [] and not again.changed


def test_a_former_code_that_is_a_real_procedure_is_not_retired(conn: sqlite3.Connection, tmp_path: Path) -> None:
    """2.001016 was once shipped by mistake for another procedure: its real owner must survive."""
    catalog = _copy_catalog(tmp_path)
    _edit(catalog, "1.003560", lambda d: d.update(former_codes=["1.012345"], version=d["version"] + 1))
    report = load_shipped(conn, catalog)  # 1.012345 is shipped too: it stays in force
    assert report.retired == [] and get_procedure(conn, "1.012345").effective_until is None


def test_a_former_code_the_province_imported_is_left_alone(conn: sqlite3.Connection, tmp_path: Path) -> None:
    from motcua.catalog.repository import add_version, get_document

    catalog = _copy_catalog(tmp_path)
    load_shipped(conn, catalog)
    imported = get_document(conn, "1.012345")
    imported["version"] += 1
    with transaction(conn):
        add_version(conn, imported, "import:QĐ công bố của tỉnh.xlsx")
    (catalog / "1.012345.json").unlink()
    _edit(catalog, "1.003560", lambda d: d.update(former_codes=["1.012345"], version=d["version"] + 1))
    assert load_shipped(conn, catalog).retired == []
    assert get_procedure(conn, "1.012345").effective_until is None
