"""Excel: the workbook opens with openpyxl and its formulas, recomputed here, give the report's figures.
PDF: the official layout's text, read back with pdftotext."""

from __future__ import annotations

import re
import shutil
import subprocess
from datetime import date
from pathlib import Path

import pytest
from openpyxl import load_workbook
from openpyxl.worksheet.worksheet import Worksheet

from motcua.reports.figures import Report, compute_report
from motcua.reports.layout import columns
from motcua.reports.pdf import export_pdf
from motcua.reports.period import month, quarter
from motcua.reports.xlsx import FIRST_DATA_COLUMN, HEADER_ROWS, column_letters, export_xlsx
from tests.reports.report_support import Built


# -- a tiny evaluator for the formulas the export writes (+, SUM ranges, IF, ROUND) ---------------
def _split_args(text: str) -> list[str]:
    depth, parts, current = 0, [], ""
    for char in text:
        if char == "," and depth == 0:
            parts.append(current)
            current = ""
            continue
        depth += char == "("
        depth -= char == ")"
        current += char
    return [*parts, current]


def _python(expr: str) -> str:
    while (start := expr.find("IF(")) >= 0:
        depth, end = 0, start + 2
        for end in range(start + 2, len(expr)):
            depth += expr[end] == "("
            depth -= expr[end] == ")"
            if depth == 0:
                break
        cond, yes, no = _split_args(expr[start + 3:end])
        cond = re.sub(r"(?<![<>=!])=(?!=)", "==", cond)
        expr = f"{expr[:start]}(({yes}) if ({cond}) else ({no})){expr[end + 1:]}"
    expr = re.sub(r"SUM\(([A-Z]+)(\d+):([A-Z]+)(\d+)\)", r'_sum("\1",\2,\4)', expr)
    expr = expr.replace("ROUND(", "round(")
    return re.sub(r"\b([A-Z]{1,2})(\d+)\b", r'_cell("\1",\2)', expr)


def evaluate(sheet: Worksheet, letter: str, row: int) -> object:
    value = sheet[f"{letter}{row}"].value
    if not (isinstance(value, str) and value.startswith("=")):
        return value

    def _cell(col: str, number: int) -> object:
        return evaluate(sheet, col, number)

    def _sum(col: str, first: int, last: int) -> float:
        return sum(float(evaluate(sheet, col, r) or 0) for r in range(first, last + 1))  # type: ignore[arg-type]

    return eval(_python(value[1:]), {"_cell": _cell, "_sum": _sum, "round": round})


def _check_sheet(sheet: Worksheet, rows: list, grand) -> None:  # type: ignore[no-untyped-def]
    letters = column_letters()
    first = HEADER_ROWS + 1
    total_row = first + len(rows)
    assert sheet.cell(total_row, 2).value == "Tổng cộng"
    for offset, (_, figures) in enumerate([*rows, (None, grand)]):
        row = first + offset
        for column in columns():
            got = evaluate(sheet, letters[column.key], row)
            if column.rate is not None:
                rate = figures.on_time_rate
                assert got == ("" if rate is None else round(rate * 100, 1)), (row, column.key)
            else:
                assert got == figures.value(column.key), (row, column.key)
    # The totals and rates really are formulas, the counts plain numbers.
    assert str(sheet[f"{letters['received']}{first}"].value).startswith("=")
    assert str(sheet[f"{letters['carried_over']}{total_row}"].value).startswith("=")
    assert str(sheet[f"{letters['on_time_rate']}{total_row}"].value).startswith("=IF(")
    if rows:
        assert isinstance(sheet[f"{letters['carried_over']}{first}"].value, int)


def test_excel_formulas_give_the_reports_figures(sample_store: Built, tmp_path: Path) -> None:
    report: Report = compute_report(sample_store.conn, quarter(2026, 1), with_months=True)
    path = export_xlsx(report, tmp_path / "bao-cao.xlsx", "UBND xã Ea Kao")
    book = load_workbook(path)
    assert book.sheetnames == ["Theo lĩnh vực", "Theo thủ tục", "Theo tháng"]
    _check_sheet(book["Theo lĩnh vực"], report.by_field, report.total)
    _check_sheet(book["Theo thủ tục"], report.by_procedure, report.total)
    # Months: flows add up, stocks come from the ends — and the total line equals the quarter.
    _check_sheet(book["Theo tháng"], report.months, report.total)
    sheet = book["Theo lĩnh vực"]
    assert sheet["A1"].value == "BÁO CÁO"
    assert "Quý I/2026" in sheet["A3"].value and "UBND xã Ea Kao" in sheet["A3"].value
    assert sheet.cell(5, FIRST_DATA_COLUMN + 1).value == "Kỳ trước chuyển qua"
    assert book["Theo thủ tục"]["B6"].value == "1.001193 — Đăng ký khai sinh"


def test_excel_of_an_empty_period(sample_store: Built, tmp_path: Path) -> None:
    report = compute_report(sample_store.conn, month(2020, 1))
    book = load_workbook(export_xlsx(report, tmp_path / "empty.xlsx", "UBND"))
    _check_sheet(book["Theo lĩnh vực"], [], report.total)


@pytest.mark.skipif(shutil.which("pdftotext") is None, reason="pdftotext (poppler-utils) not installed")
def test_pdf_text_in_the_official_layout(sample_store: Built, tmp_path: Path) -> None:
    report = compute_report(sample_store.conn, month(2026, 2))
    path = export_pdf(sample_store.conn, report, tmp_path / "bao-cao.pdf", issued_on=date(2026, 2, 5))
    text = subprocess.run(["pdftotext", "-layout", str(path), "-"], capture_output=True, text=True,
                          check=True).stdout
    flat = re.sub(r"\s+", " ", text)
    for expected in ("CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM", "Độc lập - Tự do - Hạnh phúc", "UBND XÃ EA KAO",
                     "Ea Kao, ngày 05 tháng 02 năm 2026", "BÁO CÁO", "TM. ỦY BAN NHÂN DÂN", "CHỦ TỊCH",
                     "Tình hình, kết quả giải quyết thủ tục hành chính", "Tháng 02/2026", "Nơi nhận:",
                     "Số hồ sơ nhận giải quyết", "Hộ tịch 4 1 1 2 0 2 1 0 1 0 0 2 1 1 50,0",
                     "Tổng cộng 9 2 3 3 1 4 2 1 1 1 1 3 2 1 75,0"):
        assert expected in flat, expected
    fonts = subprocess.run(["pdffonts", str(path)], capture_output=True, text=True, check=True).stdout
    assert "LiberationSerif" in fonts and "Helvetica" not in fonts
    pages = subprocess.run(["pdfinfo", str(path)], capture_output=True, text=True, check=True).stdout
    assert re.search(r"Page size:\s+841\.89 x 595\.2", pages)  # A4 landscape
