"""The report as an Excel workbook whose totals and rates are real formulas a reader can check.

Counts are written as numbers; every total (row sums, the «Tổng cộng» line) and every rate is a
formula over those cells, so opening the file in Excel or LibreOffice recomputes them. Sheets: per
field (the official table), per procedure, per month.
"""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path

from openpyxl import Workbook
from openpyxl.styles import Alignment, Border, Font, Side
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.worksheet import Worksheet

from motcua.i18n import tr
from motcua.reports.figures import Figures, Report
from motcua.reports.layout import Column, columns, first_heading, subtitle, title, total_label, unnamed_field

FIRST_DATA_COLUMN = 3  # A: STT, B: the row's name
HEADER_ROWS = 5        # title, subtitle, period/unit, group headings, headings
_THIN = Side(style="thin")
_BOX = Border(left=_THIN, right=_THIN, top=_THIN, bottom=_THIN)


def column_letters() -> dict[str, str]:
    """Column key → sheet letter (the same on every sheet)."""
    return {c.key: get_column_letter(FIRST_DATA_COLUMN + i) for i, c in enumerate(columns())}


def _formula(column: Column, row: int, letters: dict[str, str]) -> str | None:
    if column.parts:
        return "=" + "+".join(f"{letters[p]}{row}" for p in column.parts)
    if column.rate is not None:
        numerators, denominator = column.rate
        top = "+".join(f"{letters[p]}{row}" for p in numerators)
        return f'=IF({letters[denominator]}{row}=0,"",ROUND(({top})/{letters[denominator]}{row}*100,1))'
    return None


STOCKS_AT_START = ("carried_over",)
STOCKS_AT_END = ("pending_in_time", "pending_overdue")


def write_table(sheet: Worksheet, heading: str, rows: Sequence[tuple[str, Figures]], caption: str,
                unit_line: str, *, consecutive: bool = False) -> int:
    """Write one table; returns the row number of its «Tổng cộng» line.

    ``consecutive``: the rows are consecutive sub-periods (months), so the total of a stock is not a
    sum: carried over is the first row's, pending the last row's."""
    cols = columns()
    letters = column_letters()
    last_letter = get_column_letter(FIRST_DATA_COLUMN + len(cols) - 1)
    sheet["A1"] = title()
    sheet["A2"] = subtitle()
    sheet["A3"] = f"{caption} — {unit_line}"
    for cell in ("A1", "A2", "A3"):
        sheet.merge_cells(f"{cell}:{last_letter}{cell[1:]}")
        sheet[cell].alignment = Alignment(horizontal="center")
        sheet[cell].font = Font(bold=cell != "A3", italic=cell == "A3", size=13 if cell == "A1" else 12)
    sheet.cell(4, 1, first_heading()[0])
    sheet.cell(4, 2, heading)
    sheet.merge_cells(start_row=4, end_row=5, start_column=1, end_column=1)
    sheet.merge_cells(start_row=4, end_row=5, start_column=2, end_column=2)
    index = 0
    while index < len(cols):
        group = cols[index].group
        span = 1
        while group and index + span < len(cols) and cols[index + span].group == group:
            span += 1
        col = FIRST_DATA_COLUMN + index
        if group:
            sheet.cell(4, col, group)
            if span > 1:
                sheet.merge_cells(start_row=4, end_row=4, start_column=col, end_column=col + span - 1)
            for offset in range(span):
                sheet.cell(5, col + offset, cols[index + offset].heading)
        else:
            sheet.cell(4, col, cols[index].heading)
            sheet.merge_cells(start_row=4, end_row=5, start_column=col, end_column=col)
        index += span
    for row in (4, 5):
        for col in range(1, FIRST_DATA_COLUMN + len(cols)):
            cell = sheet.cell(row, col)
            cell.font = Font(bold=True)
            cell.alignment = Alignment(horizontal="center", vertical="center", wrap_text=True)
            cell.border = _BOX
    first = HEADER_ROWS + 1
    for offset, (label, figures) in enumerate(rows):
        row = first + offset
        sheet.cell(row, 1, offset + 1)
        sheet.cell(row, 2, label)
        for i, column in enumerate(cols):
            formula = _formula(column, row, letters)
            sheet.cell(row, FIRST_DATA_COLUMN + i, formula if formula else figures.value(column.key))
    total_row = first + len(rows)
    sheet.cell(total_row, 2, total_label()).font = Font(bold=True)
    for i, column in enumerate(cols):
        letter = letters[column.key]
        formula = _formula(column, total_row, letters)
        if formula is None and consecutive and rows and column.key in STOCKS_AT_START:
            formula = f"={letter}{first}"
        elif formula is None and consecutive and rows and column.key in STOCKS_AT_END:
            formula = f"={letter}{total_row - 1}"
        elif formula is None:
            formula = f"=SUM({letter}{first}:{letter}{total_row - 1})" if rows else "=0"
        cell = sheet.cell(total_row, FIRST_DATA_COLUMN + i, formula)
        cell.font = Font(bold=True)
    for row in range(first, total_row + 1):
        for col in range(1, FIRST_DATA_COLUMN + len(cols)):
            sheet.cell(row, col).border = _BOX
    sheet.column_dimensions["A"].width = 5
    sheet.column_dimensions["B"].width = 34
    for i in range(len(cols)):
        sheet.column_dimensions[get_column_letter(FIRST_DATA_COLUMN + i)].width = 12
    sheet.row_dimensions[5].height = 48
    sheet.freeze_panes = sheet.cell(first, FIRST_DATA_COLUMN)
    return total_row


def build_workbook(report: Report, unit_line: str) -> Workbook:
    workbook = Workbook()
    by_field = workbook.active
    assert by_field is not None
    by_field.title = tr("Theo lĩnh vực")
    caption = report.period.label
    write_table(by_field, first_heading()[1], [(name or unnamed_field(), f) for name, f in report.by_field],
                caption, unit_line)
    names = report.procedure_names
    write_table(workbook.create_sheet(tr("Theo thủ tục")), tr("Thủ tục"),
                [(f"{code} — {names[code]}" if names.get(code) else code or "–", f)
                 for code, f in report.by_procedure], caption, unit_line)
    if report.months:
        write_table(workbook.create_sheet(tr("Theo tháng")), tr("Tháng"),
                    [(p.label, f) for p, f in report.months], caption, unit_line, consecutive=True)
    return workbook


def export_xlsx(report: Report, path: Path, unit_line: str) -> Path:
    """Write the workbook to ``path`` (``unit_line``: the reporting unit, e.g. «UBND xã Ea Kao»)."""
    path.parent.mkdir(parents=True, exist_ok=True)
    build_workbook(report, unit_line).save(path)
    return path
