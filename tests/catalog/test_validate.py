"""Catalog validation: the schema, the semantic rules, and messages that say where."""

from __future__ import annotations

import copy
import json
import unicodedata
from collections.abc import Callable
from pathlib import Path
from typing import Any

import jsonschema
import pytest

from motcua.catalog.locate import schema_path
from motcua.catalog.validate import Issue, validate_paths, validate_procedure
from tests.catalog.store_helper import FIXTURE_PROCEDURES


def _fixture(code: str = "1.003560") -> dict[str, Any]:
    return json.loads((FIXTURE_PROCEDURES / f"{code}.json").read_text(encoding="utf-8"))


def _write(directory: Path, name: str, data: Any) -> Path:
    path = directory / name
    path.write_text(json.dumps(data, ensure_ascii=False, indent=2), encoding="utf-8")
    return path


def _where(issues: list[Issue]) -> set[tuple[str, str, str]]:
    return {(i.file, i.entry, i.path) for i in issues}


def test_the_schema_is_a_valid_json_schema() -> None:
    jsonschema.Draft202012Validator.check_schema(json.loads(schema_path().read_text(encoding="utf-8")))


def test_the_fixture_catalog_is_valid() -> None:
    result = validate_paths([FIXTURE_PROCEDURES])
    assert result.issues == []
    assert len(result.documents) == 7


def test_a_malformed_file_names_file_entry_and_field(tmp_path: Path) -> None:
    data = _fixture()
    data["components"][1]["kind"] = "orignal"
    del data["fees"]
    data["procesing_time"] = {}
    data["sets"] = 0
    data["effective_from"] = "1/7/2025"
    data["forms"][0]["fields"][0]["type"] = "texte"
    _write(tmp_path, "1.003560.json", data)

    issues = validate_paths([tmp_path]).issues
    by_path = {i.path: i for i in issues}
    assert _where(issues) == {
        ("1.003560.json", "1.003560", "components[1].kind"),
        ("1.003560.json", "1.003560", "fees"),
        ("1.003560.json", "1.003560", "procesing_time"),
        ("1.003560.json", "1.003560", "sets"),
        ("1.003560.json", "1.003560", "effective_from"),
        ("1.003560.json", "1.003560", "forms[0].fields[0].type"),
    }
    assert '"orignal"' in by_path["components[1].kind"].message
    assert "original, certified_copy" in by_path["components[1].kind"].message
    assert by_path["fees"].message == "thiếu trường bắt buộc"
    assert "gõ sai tên" in by_path["procesing_time"].message
    assert by_path["sets"].message == "phải lớn hơn hoặc bằng 1, đang là 0"
    assert "YYYY-MM-DD" in by_path["effective_from"].message
    assert str(by_path["sets"]) == "1.003560.json: 1.003560: sets: phải lớn hơn hoặc bằng 1, đang là 0"


def test_semantic_rules(tmp_path: Path) -> None:
    data = _fixture()
    data["components"][0]["form"] = "don-khong-co"
    data["effective_until"] = "2025-01-01"
    data["name"] = unicodedata.normalize("NFD", data["name"])
    data["fees"][0]["amount_vnd"] = None
    data["forms"][0]["fields"][2]["options"] = []
    issues = validate_procedure(data, file="x.json")
    by_path = {i.path: i.message for i in issues}
    assert by_path["components[0].form"] == "mẫu đơn 'don-khong-co' không có trong forms (có: don-de-nghi-gpbc)"
    assert by_path["effective_until"] == "ngày hết hiệu lực 2025-01-01 trước ngày có hiệu lực 2025-07-01"
    assert by_path["name"] == "chữ chưa ở dạng Unicode dựng sẵn (NFC)"
    assert "needs_confirmation phải là true" in by_path["fees[0].needs_confirmation"]
    assert by_path["forms[0].fields[2].options"] == "ô kiểu choice phải có danh sách options"


def test_a_date_that_does_not_exist() -> None:
    data = _fixture()
    data["effective_from"] = "2025-02-30"
    assert [(i.path, i.message) for i in validate_procedure(data, file="x.json")] == [
        ("effective_from", "ngày 2025-02-30 không tồn tại")
    ]


def test_codes_are_unique_across_files(tmp_path: Path) -> None:
    _write(tmp_path, "1.003560.json", _fixture())
    twin = _fixture()
    _write(tmp_path, "list.json", [_fixture("1.001193"), twin])
    issues = validate_paths([tmp_path], check_filenames=False).issues
    assert [(i.file, i.entry, i.path, i.message) for i in issues] == [
        ("list.json", "1.003560", "code", "mã thủ tục trùng với 1.003560.json")
    ]


def test_a_file_is_named_after_its_code(tmp_path: Path) -> None:
    _write(tmp_path, "giay-phep.json", _fixture())
    issues = validate_paths([tmp_path]).issues
    assert [str(i) for i in issues] == [
        "giay-phep.json: 1.003560: code: tệp phải mang tên theo mã thủ tục: 1.003560.json"
    ]


def test_entries_without_a_code_are_named_by_position(tmp_path: Path) -> None:
    second = _fixture("1.001193")
    del second["code"]
    _write(tmp_path, "list.json", [_fixture(), second, "not an object"])
    issues = validate_paths([tmp_path]).issues
    assert _where(issues) == {("list.json", "mục #2", "code"), ("list.json", "mục #3", "")}


def test_broken_json_says_line_and_column(tmp_path: Path) -> None:
    (tmp_path / "1.000001.json").write_text('{"code": "1.000001",\n  "version": }', encoding="utf-8")
    [issue] = validate_paths([tmp_path]).issues
    assert issue.file == "1.000001.json"
    assert issue.message.startswith("JSON sai cú pháp ở dòng 2, cột")


@pytest.mark.parametrize(
    ("mutate", "path"),
    [
        (lambda d: d.update(level="district"), "level"),
        (lambda d: d["processing_time"].update(unit="days"), "processing_time.unit"),
        (lambda d: d["fees"][0].update(kind="fee"), "fees[0].kind"),
        (lambda d: d.update(code="1.003560 H56"), "code"),
        (lambda d: d.update(version="1"), "version"),
        (lambda d: d.update(channels=["desk", "desk"]), "channels"),
        (lambda d: d["forms"][0]["fields"][0].update(source="applicant.nickname"), "forms[0].fields[0].source"),
        (lambda d: d.update(name="   "), "name"),
    ],
)
def test_each_field_rule_points_at_its_field(mutate: Callable[[dict[str, Any]], None], path: str) -> None:
    data = copy.deepcopy(_fixture())
    mutate(data)
    assert [i.path for i in validate_procedure(data, file="x.json")] == [path]


@pytest.mark.parametrize(("change", "path", "fragment"), [
    (lambda d: d["processing_time"].update(cutoff="15:00"), "processing_time.cutoff", "same_day"),
    (lambda d: d["processing_time"].update(unit="same_day", amount=1), "processing_time.amount", "amount là 0"),
    (lambda d: d["processing_time"].update(stages=[{"by": "commune", "amount": 3, "unit": "working_days"},
                                                   {"by": "province", "amount": 3, "unit": "working_days"}]),
     "processing_time.stages", "khác thời hạn"),
    (lambda d: d["fees"][0].update(cap_vnd=1000), "fees[0].cap_vnd", "unit"),
    (lambda d: d["fees"][0].update(unit="trang", tiers=[{"from": 5, "amount_vnd": 1}, {"from": 3, "amount_vnd": 2}]),
     "fees[0].tiers", "tăng dần"),
    (lambda d: d["forms"][0].update(addressee="Ủy ban nhân dân {xa}"), "forms[0].addressee", "{xa}"),
    (lambda d: d.update(former_codes=[d["code"]]), "former_codes", "trùng mã hiện tại"),
    (lambda d: d["fees"][0].update(amount_vnd=None, percent=0.1), "fees[0].base", "phần trăm"),
    (lambda d: d["fees"][0].update(percent=0.1, base="giá trị hợp đồng"), "fees[0].amount_vnd", "null"),
    (lambda d: d["fees"][0].update(floor_vnd=1), "fees[0].floor_vnd", "percent"),
])
def test_rules_for_counted_fees_stages_cutoffs_and_addressees(
    change: Callable[[dict[str, Any]], None], path: str, fragment: str
) -> None:
    data = _fixture()
    change(data)
    issues = validate_procedure(data, file="1.003560.json")
    assert [i.path for i in issues] == [path], issues
    assert fragment in issues[0].message


def test_the_new_fields_are_accepted_when_consistent() -> None:
    data = _fixture()
    amount = data["processing_time"]["amount"]
    data["processing_time"]["stages"] = [{"by": "commune", "amount": 2, "unit": "working_days"},
                                         {"by": "province", "amount": amount - 2, "unit": "working_days",
                                          "agency": "Sở Khoa học và Công nghệ"}]
    data["fees"][0].update(unit="trang", tiers=[{"from": 3, "amount_vnd": 1000}], cap_vnd=200000, per="bản")
    data["components"][0].update(kind="presented", condition="Trường hợp ủy quyền")
    data["forms"][0]["addressee"] = "Ủy ban nhân dân {commune}, {province}"
    data["former_codes"] = ["9.900101"]
    assert validate_procedure(data, file="1.003560.json") == []
