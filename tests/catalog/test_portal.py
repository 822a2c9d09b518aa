"""The portal's own procedure JSON (as dichvucong.gov.vn serves it and duynghiaqn/Crawler-TTHC keeps it)
→ catalog entries, on real records (tests/catalog/fixtures/portal, each naming the crawl file it comes
from): the direct channel's time over the others, the case times, a fee set by law or the provincial
council, a fee amount, papers per case, the level, the publishing decision, and a procedure abolished
between two snapshots of such records. Also the shipped extract of the portal's list."""

from __future__ import annotations

import json
import sqlite3
from pathlib import Path
from typing import Any

from motcua.catalog import get_procedure, list_versions
from motcua.catalog.importer import apply_plan, plan_import
from motcua.catalog.model import procedure_from_dict
from motcua.catalog.portal import is_portal, to_document
from motcua.catalog.snapshot import (
    generated_documents,
    is_generated,
    portal_extract,
    read_snapshot,
    shipped_snapshot,
)
from motcua.catalog.validate import validate_procedure

FIXTURES = Path(__file__).resolve().parent / "fixtures" / "portal"
REPO = Path(__file__).resolve().parents[2]


def _record(code: str) -> dict[str, Any]:
    return json.loads((FIXTURES / f"{code}.json").read_text(encoding="utf-8"))


def _doc(code: str) -> dict[str, Any]:
    doc = to_document(_record(code), sector="Kiểm thử", source="kiểm thử", effective="2026-10-10")
    assert doc is not None
    assert validate_procedure(doc, file=code) == []
    return doc


def test_every_fixture_is_a_portal_record() -> None:
    assert all(is_portal(_record(p.stem)) for p in FIXTURES.glob("*.json"))


def test_the_direct_channels_time_wins_over_the_post() -> None:
    # 1.013831: online 18, post 4, at the desk 18 working days
    doc = _doc("1.013831")
    assert doc["processing_time"] == {"amount": 18, "unit": "working_days", "text": "18 ngày làm việc"}
    assert "kênh trực tiếp" in doc["provenance"]["note"]
    assert "processing_time" not in doc["provenance"]["needs_confirmation"]


def test_cases_that_agree_do_not_flag_the_time_and_cases_that_differ_do() -> None:
    doc = _doc("1.000358")  # two cases of 5 working days each
    assert doc["processing_time"]["amount"] == 5
    assert "processing_time" not in doc["provenance"]["needs_confirmation"]
    record = _record("1.000358")  # the same record with its second case taking longer
    record["cases"][1]["processingDay"] = {"qty": 10, "type": "WORKING_DAY"}
    changed = to_document(record, sector="Kiểm thử", source="kiểm thử", effective="2026-10-10")
    assert changed is not None
    assert changed["processing_time"]["amount"] == 5  # the direct channel's time
    assert "10 ngày làm việc" in changed["processing_time"]["text"]
    assert "processing_time" in changed["provenance"]["needs_confirmation"]
    assert not procedure_from_dict(changed).time_unset


def test_a_fee_set_by_the_fee_law_is_an_amount_to_confirm_not_free() -> None:
    fees = _doc("1.013831")["fees"]
    assert [(f["amount_vnd"], f["needs_confirmation"]) for f in fees] == [(None, True)]
    assert "Luật phí và lệ phí" in fees[0]["note"]


def test_a_fee_amount_is_kept_and_flagged_and_a_bare_zero_is_free() -> None:
    fees = _doc("1.014671")["fees"]
    assert [(f["kind"], f["amount_vnd"], f["needs_confirmation"]) for f in fees] == [("phi", 7_000_000, True)]
    doc = _doc("1.000358")
    assert doc["fees"] == [] and "fees" not in doc["provenance"]["needs_confirmation"]


def test_papers_per_case_carry_the_case_as_their_condition() -> None:
    papers = _doc("1.013831")["components"]
    gift = [p for p in papers if p.get("condition", "").startswith("b) Đối với trường hợp người sử dụng đất tặng cho")]
    assert len(gift) == 2
    assert all(p["condition"].startswith("a) Đối với trường hợp chuyển đổi") for p in papers[:4])
    # a note written as a paper ("Trường hợp … thì …") keeps its own case after the record's case
    assert "Trường hợp có biên bản họp giữa Ủy ban nhân dân cấp xã" in gift[1]["condition"]
    assert [p["kind"] for p in _doc("1.000358")["components"]] == ["original", "photocopy"]
    assert _doc("1.000358")["components"][0]["note"] == "Mẫu: GIAHAN.docx"


def test_level_decision_result_and_legal_basis_come_from_the_record() -> None:
    doc = _doc("1.014671")
    assert doc["level"] == "province"
    assert doc["publishing_decision"] == "Quyết định số 3172/QĐ-BKHCN ngày 20/07/2026"
    assert doc["field"] == "An toàn bức xạ và hạt nhân"
    assert "74/2026/TT-BTC" in " ".join(doc["legal_basis"])
    assert doc["result"].startswith("Giấy đăng ký hoạt động dịch vụ")
    assert "Cơ quan thực hiện theo bản ghi: Ủy ban nhân dân cấp tỉnh." in doc["provenance"]["note"]
    record = _record("1.014671") | {"isWard": True}
    assert to_document(record, sector="x", source="x", effective="2026-10-10")["level"] == "commune"  # type: ignore[index]


def test_steps_missing_from_the_record_are_to_confirm() -> None:
    doc = _doc("1.013831")
    assert doc["steps"] == [] and "steps" in doc["provenance"]["needs_confirmation"]


def _portal_list(path: Path, codes: list[str]) -> Path:
    path.write_text(json.dumps([_record(c) for c in codes], ensure_ascii=False), encoding="utf-8")
    return path


def test_a_procedure_abolished_between_two_lists_of_portal_records(conn: sqlite3.Connection, tmp_path: Path) -> None:
    first = plan_import(conn, _portal_list(tmp_path / "a.json", ["1.013831", "1.014671"]))
    assert first.ok, first.preview()
    assert sorted((c.action, c.code) for c in first.changes) == [("add", "1.013831"), ("add", "1.014671")]
    apply_plan(conn, first)
    later = plan_import(conn, _portal_list(tmp_path / "b.json", ["1.014671"]))
    assert [(c.action, c.code) for c in later.changes] == [("abolish", "1.013831")]
    assert later.unchanged == ["1.014671"]
    apply_plan(conn, later)
    assert [v.version for v in list_versions(conn, "1.013831")] == [1, 2]
    assert get_procedure(conn, "1.013831", 1).effective_until is None  # dossiers keep their version


def test_the_shipped_extract_records_its_source_and_only_ships_what_a_commune_handles() -> None:
    extract = portal_extract()
    assert "duynghiaqn/Crawler-TTHC" in extract.source and len(extract.commit) == 40 and extract.date
    assert extract.extent
    assert read_snapshot(REPO / "db" / "catalog" / "national" / "portal_extract.json") == extract
    assert "toàn bộ data-gl/index.json" in extract.extent            # the whole list was read
    shipped = set(extract.by_code())
    assert "1.116908" not in shipped  # a social-protection facility receives it, not the commune
    assert not {"1.013548", "1.013591"} & shipped  # a border guards' desk, not the commune
    assert {"1.013133", "2.002620"} <= shipped      # Quốc phòng, Công Thương at the commune
    generated = detailed = 0
    for code in shipped:
        path = REPO / "db" / "catalog" / "procedures" / f"{code}.json"
        doc = json.loads(path.read_text(encoding="utf-8"))
        if not is_generated(doc):
            continue  # a file written by hand for the same code is kept
        generated += 1
        assert doc["level"] in ("commune", "commune_receives_province_decides")
        record = extract.by_code()[code]
        if not is_portal(record):  # a bare entry: looked up, not received until the province sets its time
            assert procedure_from_dict(doc).time_unset
            assert {"processing_time", "fees", "components", "steps"} <= set(doc["provenance"]["needs_confirmation"])
            continue
        detailed += 1  # a detail record: what it says, with the crawl file it was copied from
        assert record["_source"] in doc["provenance"]["sources"][0] and doc["components"] and doc["steps"]
        assert procedure_from_dict(doc).time_unset == ("processing_time" in doc["provenance"]["needs_confirmation"]
                                                       and doc["processing_time"]["amount"] == 0)
    assert generated >= 100 and detailed >= 30


def test_the_commune_receives_what_only_a_provincial_body_decides() -> None:
    docs = {d["code"]: d for d in generated_documents(portal_extract())}
    assert docs["1.010801"]["level"] == "commune_receives_province_decides"  # Cấp xã, Cấp tỉnh; Sở Nội vụ
    assert docs["1.010833"]["level"] == "commune"  # Cấp xã; Ủy ban nhân dân cấp xã
    assert docs["1.010810"]["level"] == "commune"  # the commune People's Committee is named among the bodies


def test_the_same_procedure_reads_the_same_in_both_shapes() -> None:
    # 1.003440 as the portal served it in October 2026 (Crawler-TTHC) and as the July crawl flattened it
    portal = _doc("1.003440")
    flat = shipped_snapshot().document("1.003440")
    assert flat is not None
    for key in ("level", "processing_time", "channels", "steps", "result"):
        assert portal[key] == flat[key], key
    assert portal["level"] == "commune" and portal["processing_time"]["amount"] == 20
    assert [p["name"] for p in portal["components"]] == [p["name"].rstrip(";.") for p in flat["components"]]
    # what changed between the two snapshots is read, not reconciled: the decision, and the fee the
    # July page qualified with the provincial council
    assert portal["publishing_decision"] == "Quyết định số 379/QĐ-BNNMT ngày 12/03/2025"
    assert flat["publishing_decision"] == "Quyết định số 498/QĐ-BNNMT"
    assert portal["fees"] == [] and [f["amount_vnd"] for f in flat["fees"]] == [None]


def test_a_detail_copied_into_an_extract_makes_a_procedure_the_desk_can_receive() -> None:
    # 1.116910 as the extract ships a detail record: the keys the catalog reads, and the file it was copied from
    from motcua.catalog.snapshot import snapshot_from_dict

    record = _record("1.116910")
    snap = snapshot_from_dict({"source": "Crawler-TTHC (kiểm thử)", "commit": "0" * 40, "date": "2026-10-10",
                               "records": [record]})
    doc = snap.document("1.116910")
    assert doc is not None and validate_procedure(doc, file="1.116910") == []
    procedure = procedure_from_dict(doc)
    assert not procedure.time_unset and doc["processing_time"] == {"amount": 3, "unit": "working_days",
                                                                    "text": "3 ngày làm việc"}
    assert doc["sector"] == "Y tế" and doc["level"] == "commune" and doc["channels"] == ["desk", "post", "online"]
    assert doc["legal_basis"] == ["Nghị định số 335/2026/NĐ-CP ngày 21/8/2026 của Chính phủ quy định chính sách "
                                  "trợ giúp xã hội"]                  # one title, though the portal broke its line
    assert doc["publishing_decision"] == "Quyết định số 3033/QĐ-BYT ngày 29/09/2026"
    assert [c["name"] for c in doc["components"]] == [
        "Tờ khai đề nghị hỗ trợ chi phí mai táng (Mẫu số 03 ban hành kèm theo Nghị định số 335/2026/NĐ-CP)"]
    # no fee listed is an unknown fee, never «free»
    assert [f["amount_vnd"] for f in doc["fees"]] == [None] and "fees" in doc["provenance"]["needs_confirmation"]
    assert record["_source"] in doc["provenance"]["sources"][0]     # which crawl file, at which commit
