"""Reading a province's annex table (.xlsx or .csv) into numbered rows of raw cell values.

No interpretation here: mapping.py decides what the cells mean.
"""

from __future__ import annotations

import csv
import io
from dataclasses import dataclass
from pathlib import Path
from typing import Any


class SheetError(ValueError):
    """The file cannot be read as a table at all."""


@dataclass(frozen=True)
class SheetRow:
    number: int  # 1-based, as the spreadsheet program shows it
    cells: tuple[Any, ...]  # str, int, float, datetime, or None for an empty cell

    def is_empty(self) -> bool:
        return all(c is None or (isinstance(c, str) and not c.strip()) for c in self.cells)


def _read_xlsx(path: Path, sheet: str | None) -> list[SheetRow]:
    from openpyxl import load_workbook  # imported here: only imports need it, and it is slow to load

    try:
        book = load_workbook(path, read_only=True, data_only=True)
    except Exception as exc:  # openpyxl raises several unrelated types for a damaged file
        raise SheetError(f"không đọc được tệp Excel {path.name}: {exc}") from exc
    try:
        if sheet is not None:
            if sheet not in book.sheetnames:
                raise SheetError(f"không có trang tính '{sheet}' (có: {', '.join(book.sheetnames)})")
            ws = book[sheet]
        else:
            ws = book.worksheets[0]
        return [SheetRow(i, tuple(row)) for i, row in enumerate(ws.iter_rows(values_only=True), start=1)]
    finally:
        book.close()


def _read_csv(path: Path) -> list[SheetRow]:
    try:
        text = path.read_text(encoding="utf-8-sig")  # Excel writes a BOM in "CSV UTF-8"
    except UnicodeDecodeError as exc:
        raise SheetError(f"tệp {path.name} không phải UTF-8 (hãy lưu dạng CSV UTF-8)") from exc
    try:
        dialect: type[csv.Dialect] | csv.Dialect = csv.Sniffer().sniff(text[:4096], delimiters=",;\t")
    except csv.Error:
        dialect = csv.excel
    rows = csv.reader(io.StringIO(text), dialect)
    return [SheetRow(i, tuple(row)) for i, row in enumerate(rows, start=1)]


def read_table(path: Path, *, sheet: str | None = None) -> list[SheetRow]:
    suffix = path.suffix.lower()
    if suffix in (".xlsx", ".xlsm"):
        return _read_xlsx(path, sheet)
    if suffix in (".csv", ".txt"):
        return _read_csv(path)
    raise SheetError(f"không nhập được tệp {suffix or path.name}: chỉ nhận .xlsx, .csv hoặc .json")
