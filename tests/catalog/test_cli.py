"""`motcua search` and `motcua catalog …` handlers, through a parser built with register()."""

from __future__ import annotations

import argparse
import json
import shutil
import sqlite3
from pathlib import Path

import pytest
from openpyxl import Workbook

from motcua.catalog import get_procedure
from motcua.cli.catalog_commands import register
from tests.catalog.store_helper import FIXTURE_PROCEDURES


def _run(conn: sqlite3.Connection | None, *argv: str) -> int:
    parser = argparse.ArgumentParser(prog="motcua")
    register(parser.add_subparsers(dest="command", required=True))
    args = parser.parse_args(list(argv))
    return int(args.handler(args, conn if getattr(args, "needs_store", True) else None))


def test_search_json(loaded: sqlite3.Connection, capsys: pytest.CaptureFixture[str]) -> None:
    assert _run(loaded, "search", "giay phep buu chinh", "--json", "--limit", "2", "--kind", "procedure") == 0
    results = json.loads(capsys.readouterr().out)
    assert [r["code"] for r in results] == ["1.003560", "1.004470"]
    assert set(results[0]) == {"kind", "code", "name", "score", "snippet", "close"}
    assert results[0]["kind"] == "procedure" and "[" in results[0]["snippet"]


def test_search_text_and_nothing_found(loaded: sqlite3.Connection, capsys: pytest.CaptureFixture[str]) -> None:
    assert _run(loaded, "search", "1.003560") == 0
    assert capsys.readouterr().out.startswith("Thủ tục 1.003560 — Cấp giấy phép bưu chính")
    assert _run(loaded, "search", "qqqqzz") == 0
    assert "Không tìm thấy" in capsys.readouterr().out


def test_show(loaded: sqlite3.Connection, capsys: pytest.CaptureFixture[str]) -> None:
    assert _run(loaded, "catalog", "show", "1.003560") == 0
    out = capsys.readouterr().out
    assert "Cấp xã tiếp nhận, cấp tỉnh giải quyết" in out and "5.000.000 đồng" in out
    assert "6. Mẫu biểu trưng, nhãn hiệu, ký hiệu đặc thù (nếu có): 1 bản chính" in out
    assert _run(loaded, "catalog", "show", "1.003560", "--json", "--version", "1") == 0
    assert json.loads(capsys.readouterr().out)["code"] == "1.003560"
    assert _run(loaded, "catalog", "show", "9.999999") == 3
    assert _run(loaded, "catalog", "show", "1.003560", "--version", "4") == 3


def _sheet(path: Path, action: str, level: str = "Cấp tỉnh") -> Path:
    book = Workbook()
    sheet = book.active
    sheet.append(["Mã TTHC", "Tên thủ tục hành chính", "Lĩnh vực", "Thời hạn giải quyết", "Phí, lệ phí",
                  "Cấp thực hiện", "Căn cứ pháp lý", "Hình thức"])
    sheet.append(["1.003560", "Cấp giấy phép bưu chính", "Bưu chính", "12 ngày làm việc", "", level, "", action])
    book.save(path)
    return path


def test_import_previews_unless_asked_to_apply(loaded: sqlite3.Connection, tmp_path: Path,
                                               capsys: pytest.CaptureFixture[str]) -> None:
    path = _sheet(tmp_path / "qd.xlsx", "Sửa đổi")
    assert _run(loaded, "catalog", "import", str(path)) == 0
    out = capsys.readouterr().out
    assert "~ 1.003560 Cấp giấy phép bưu chính: phiên bản 1 → 2" in out and "--apply" in out
    assert get_procedure(loaded, "1.003560").version == 1

    assert _run(loaded, "catalog", "import", str(path), "--apply", "--json", "--set", "effective_date=01/03/2026") == 0
    report = json.loads(capsys.readouterr().out)
    assert report["applied"] is True and report["amended"][0]["from_version"] == 1
    assert get_procedure(loaded, "1.003560").processing_time.amount == 12
    assert get_procedure(loaded, "1.003560").fees == get_procedure(loaded, "1.003560", 1).fees  # empty: kept


def test_import_refuses_a_bad_sheet(loaded: sqlite3.Connection, tmp_path: Path,
                                    capsys: pytest.CaptureFixture[str]) -> None:
    path = _sheet(tmp_path / "qd.xlsx", "Sửa đổi", level="Cấp huyện")
    assert _run(loaded, "catalog", "import", str(path), "--apply", "--json") == 1
    report = json.loads(capsys.readouterr().out)
    assert report["applied"] is False
    assert report["errors"] == [{"row": 2, "code": "1.003560", "reason": report["errors"][0]["reason"]}]
    assert "Cấp huyện" in report["errors"][0]["reason"]
    assert get_procedure(loaded, "1.003560").version == 1
    assert _run(loaded, "catalog", "import", str(tmp_path / "none.xlsx")) == 3
    assert _run(loaded, "catalog", "import", str(path), "--column", "Hình thức=nonsense") == 1


def test_import_with_a_mapping_file(loaded: sqlite3.Connection, tmp_path: Path) -> None:
    (tmp_path / "map.toml").write_text('[columns]\n"Loại" = "action"\n[defaults]\nsector = "Tư pháp"\n',
                                       encoding="utf-8")
    book = Workbook()
    book.active.append(["Mã TTHC", "Loại"])
    book.active.append(["2.000815", "Bãi bỏ"])
    book.save(tmp_path / "b.xlsx")
    assert _run(loaded, "catalog", "import", str(tmp_path / "b.xlsx"), "--mapping", str(tmp_path / "map.toml"),
                "--apply") == 0
    assert get_procedure(loaded, "2.000815").effective_until is not None


def test_diff(loaded: sqlite3.Connection, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    _run(loaded, "catalog", "import", str(_sheet(tmp_path / "qd.xlsx", "Sửa đổi")), "--apply")
    capsys.readouterr()
    assert _run(loaded, "catalog", "diff", "1.003560", "1", "2") == 0
    out = capsys.readouterr().out
    assert out.startswith("1.003560: phiên bản 1 → 2")
    assert "~ Thời hạn giải quyết: 15 ngày làm việc" in out
    assert _run(loaded, "catalog", "diff", "1.003560", "1", "9") == 3


def test_validate(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert _run(None, "catalog", "validate", str(FIXTURE_PROCEDURES)) == 0
    assert "7 thủ tục hợp lệ, 0 lỗi." in capsys.readouterr().out
    shutil.copy(FIXTURE_PROCEDURES / "1.001193.json", tmp_path / "1.001193.json")
    data = json.loads((tmp_path / "1.001193.json").read_text(encoding="utf-8"))
    data["components"][0]["kind"] = "bản chính"
    (tmp_path / "1.001193.json").write_text(json.dumps(data, ensure_ascii=False), encoding="utf-8")
    assert _run(None, "catalog", "validate", str(tmp_path)) == 1
    assert capsys.readouterr().out.startswith('1.001193.json: 1.001193: components[0].kind: giá trị "bản chính"')
    assert _run(None, "catalog", "validate", str(tmp_path / "missing.json")) == 3


def test_load_twice(conn: sqlite3.Connection, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch,
                    tmp_path: Path) -> None:
    # The real catalog folder may be empty on this branch: point the install root at a copy.
    root = tmp_path / "root"
    shutil.copytree(FIXTURE_PROCEDURES, root / "db" / "catalog" / "procedures")
    monkeypatch.setattr("motcua.catalog.shipped.procedures_dir", lambda: root / "db" / "catalog" / "procedures")
    assert _run(conn, "catalog", "load") == 0
    assert _run(conn, "catalog", "load") == 0
    lines = capsys.readouterr().out.splitlines()
    assert lines == ["Thêm 7, nâng phiên bản 0, không đổi 0, xung đột 0, lỗi 0.",
                     "Thêm 0, nâng phiên bản 0, không đổi 7, xung đột 0, lỗi 0."]
