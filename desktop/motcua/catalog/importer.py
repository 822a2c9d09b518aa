"""Imports: a province's annex table (.xlsx/.csv) or catalog JSON, previewed before applied.

plan_import() reads and checks everything and touches nothing; apply_plan() writes the whole plan
in one transaction, and only a plan without errors. A spreadsheet with any bad row imports nothing:
the plan lists every bad row with its reason, so the sheet can be fixed in one pass.
"""

from __future__ import annotations

import copy
import datetime as dt
import sqlite3
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from motcua.catalog import mapping as m
from motcua.catalog.diff import Change, diff_documents
from motcua.catalog.model import content_hash
from motcua.catalog.repository import add_version, current_version, get_document, list_versions, retire_code
from motcua.catalog.sheet import SheetError, SheetRow, read_table
from motcua.catalog.validate import read_documents, validate_documents, validate_procedure
from motcua.store.db import transaction

# What the preview does not count as an amendment: bookkeeping that every new version changes.
_BOOKKEEPING = {"provenance", "publishing_decision", "effective_from"}


def _bookkeeping(change: Change) -> bool:
    return change.path.split("[")[0] in _BOOKKEEPING


class ImportRefused(Exception):
    """apply_plan() on a plan with errors, or on a store that changed since the preview."""


@dataclass(frozen=True)
class RowError:
    row: int | None  # spreadsheet row number, or the entry's position in a JSON list
    code: str
    reason: str

    def __str__(self) -> str:
        where = f"Dòng {self.row}" if self.row is not None else "Tệp"
        return f"{where} ({self.code}): {self.reason}" if self.code else f"{where}: {self.reason}"


@dataclass(frozen=True)
class PlannedChange:
    action: str  # "add" | "amend" | "abolish" | "history" (an older version kept, not made current)
    code: str
    name: str
    document: dict[str, Any]
    old_version: int | None  # the current version when the plan was made
    changes: tuple[Change, ...] = ()
    row: int | None = None

    @property
    def new_version(self) -> int:
        return int(self.document["version"])


@dataclass
class ImportPlan:
    source: str
    changes: list[PlannedChange] = field(default_factory=list)
    unchanged: list[str] = field(default_factory=list)
    errors: list[RowError] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return not self.errors

    def of(self, action: str) -> list[PlannedChange]:
        return [c for c in self.changes if c.action == action]

    def preview(self) -> str:
        """The plan in words, as printed before anything is applied."""
        lines = [f"Xem trước nhập danh mục từ {self.source}"]
        if self.errors:
            lines.append(f"Tệp có {len(self.errors)} lỗi; chưa nhập gì. Sửa các dòng sau rồi nhập lại:")
            lines.extend(f"  {e}" for e in self.errors)
            return "\n".join(lines)
        added, amended, abolished = self.of("add"), self.of("amend"), self.of("abolish")
        lines.append(f"Thêm mới ({len(added)}):")
        lines.extend(f"  + {c.code} {c.name} (phiên bản {c.new_version})" for c in added)
        lines.append(f"Sửa đổi ({len(amended)}):")
        for c in amended:
            lines.append(f"  ~ {c.code} {c.name}: phiên bản {c.old_version} → {c.new_version}")
            lines.extend(f"      {change}" for change in c.changes if not _bookkeeping(change))
        lines.append(f"Bãi bỏ ({len(abolished)}):")
        lines.extend(
            f"  - {c.code} {c.name}: hết hiệu lực từ {c.document['effective_until']}" for c in abolished
        )
        history = self.of("history")
        if history:
            lines.append(f"Lưu vào lịch sử, không thay phiên bản hiện hành ({len(history)}):")
            lines.extend(f"  · {c.code} phiên bản {c.new_version}" for c in history)
        same = f": {', '.join(self.unchanged)}" if self.unchanged else ""
        lines.append(f"Không thay đổi ({len(self.unchanged)}){same}")
        return "\n".join(lines)

    def to_dict(self) -> dict[str, Any]:
        def item(c: PlannedChange) -> dict[str, Any]:
            out: dict[str, Any] = {"code": c.code, "name": c.name, "version": c.new_version, "row": c.row}
            if c.action in ("amend", "abolish"):
                out["from_version"] = c.old_version
                out["changes"] = [str(x) for x in c.changes]
            if c.action == "abolish":
                out["effective_until"] = c.document["effective_until"]
            return out

        return {
            "source": self.source,
            "ok": self.ok,
            "added": [item(c) for c in self.of("add")],
            "amended": [item(c) for c in self.of("amend")],
            "abolished": [item(c) for c in self.of("abolish")],
            "history": [item(c) for c in self.of("history")],
            "unchanged": self.unchanged,
            "errors": [{"row": e.row, "code": e.code, "reason": e.reason} for e in self.errors],
        }


# ---- spreadsheets -------------------------------------------------------------------------------


def _find_header(rows: list[SheetRow], mapping: m.ColumnMapping) -> tuple[int, dict[str, int]]:
    """The header row (annexes start with titles) and field → column index."""
    for position, row in enumerate(rows[:30]):
        columns: dict[str, int] = {}
        for i, cell in enumerate(row.cells):
            target = mapping.field_for(cell) if cell is not None else None
            if target and target != "ignore" and target not in columns:
                columns[target] = i
        if "code" in columns and len(columns) >= 2:
            return position, columns
    raise SheetError(
        "không tìm thấy dòng tiêu đề có cột mã TTHC (ví dụ 'Mã TTHC') trong 30 dòng đầu;"
        " hãy chỉ rõ bằng --column \"Tên cột=code\" hoặc tệp ánh xạ"
    )


def _new_document(values: dict[str, Any], source: str, effective: str) -> dict[str, Any]:
    """A catalog entry from an annex row: what the annex says, the rest left for the catalog editors."""
    return {
        "code": values["code"],
        "version": 1,
        "name": values.get("name", ""),
        "sector": values.get("sector", ""),
        "field": values.get("field", ""),
        "level": values.get("level", ""),
        "processing_time": values.get("processing_time"),
        "fees": values.get("fees", []),
        "components": [],
        "sets": 1,
        "channels": ["desk"],
        "steps": [],
        "result": values.get("result", ""),
        "legal_basis": values.get("legal_basis", []),
        "publishing_decision": values.get("publishing_decision", ""),
        "effective_from": effective,
        "effective_until": None,
        "guidance": "",
        "forms": [],
        "provenance": {
            "sources": [source],
            "needs_confirmation": ["components", "steps", "forms", "guidance"],
            "note": "Nhập từ phụ lục quyết định công bố; thành phần hồ sơ và hướng dẫn cần bổ sung.",
        },
    }


def _next_version(
    base: dict[str, Any], values: dict[str, Any], source: str, effective: str, action: str
) -> dict[str, Any]:
    doc = copy.deepcopy(base)
    doc["version"] = base["version"] + 1
    for name in ("name", "sector", "field", "level", "processing_time", "fees", "legal_basis", "result"):
        if name in values:  # an empty cell keeps the current value ("Không" is how a sheet says free)
            doc[name] = values[name]
    if values.get("publishing_decision"):
        doc["publishing_decision"] = values["publishing_decision"]
    if action == "abolish":
        doc["effective_until"] = effective
    else:
        doc["effective_from"] = effective
    sources = list(doc["provenance"].get("sources", []))
    if source not in sources:
        sources.append(source)
    doc["provenance"] = {**doc["provenance"], "sources": sources}
    return doc


_PARSERS = {
    "code": m.parse_code,
    "name": lambda v: m.parse_text(v, "tên thủ tục"),
    "sector": lambda v: m.parse_text(v, "ngành"),
    "field": lambda v: m.parse_text(v, "lĩnh vực"),
    "result": lambda v: m.parse_text(v, "kết quả"),
    "publishing_decision": lambda v: m.parse_text(v, "quyết định công bố"),
    "level": m.parse_level,
    "processing_time": m.parse_processing_time,
    "fees": m.parse_fees,
    "legal_basis": m.parse_list,
    "effective_date": m.parse_date,
}
_ALWAYS_PARSED = {"code", "fees"}  # an empty cell means something: no code is an error, no fee is free


def _row_values(
    row: SheetRow, columns: dict[str, int], defaults: dict[str, Any]
) -> tuple[dict[str, Any], str | None, list[str]]:
    values: dict[str, Any] = dict(defaults)
    problems: list[str] = []
    action = defaults.get("action")
    for name, index in columns.items():
        cell = row.cells[index] if index < len(row.cells) else None
        empty = cell is None or (isinstance(cell, str) and not cell.strip())
        if name == "action":
            try:
                action = m.parse_action(cell) or action
            except m.CellError as exc:
                problems.append(str(exc))
            continue
        if empty and name not in _ALWAYS_PARSED:
            continue
        if empty and name == "fees":
            values["fees_empty"] = True
        try:
            values[name] = _PARSERS[name](cell)
        except m.CellError as exc:
            problems.append(str(exc))
    return values, action, problems


def _plan_rows(
    conn: sqlite3.Connection, rows: list[SheetRow], mapping: m.ColumnMapping, source: str, today: dt.date
) -> ImportPlan:
    plan = ImportPlan(source)
    header_at, columns = _find_header(rows, mapping)
    defaults: dict[str, Any] = {}
    for name, text in mapping.defaults.items():
        try:
            defaults[name] = m.parse_action(text) if name == "action" else _PARSERS[name](text)
        except m.CellError as exc:
            plan.errors.append(RowError(None, "", f"giá trị mặc định {name}: {exc}"))
    seen: dict[str, int] = {}
    section: dict[str, Any] = {}
    for row in rows[header_at + 1 :]:
        if row.is_empty():
            continue
        filled = [c for c in row.cells if c is not None and str(c).strip()]
        code_cell = row.cells[columns["code"]] if columns["code"] < len(row.cells) else None
        if len(filled) == 1 and (code_cell is None or not str(code_cell).strip()):
            # A section heading ("I. Lĩnh vực Bưu chính", "B. THỦ TỤC HÀNH CHÍNH BỊ BÃI BỎ") sets the
            # field or the action for the rows under it.
            text = str(filled[0])
            if (found := m.heading_field(text)) is not None:
                section["field"] = found
            if (found := m.heading_action(text)) is not None:
                section["action"] = found
            continue
        values, action, problems = _row_values(row, columns, {**defaults, **section})
        code = values.get("code", "")
        if code in seen:
            problems.append(f"mã TTHC trùng với dòng {seen[code]}")
        elif code:
            seen[code] = row.number
        if problems:
            plan.errors.extend(RowError(row.number, code, p) for p in problems)
            continue
        _plan_row(conn, plan, row.number, values, action, source, today)
    return plan


def _plan_row(
    conn: sqlite3.Connection,
    plan: ImportPlan,
    number: int,
    values: dict[str, Any],
    action: str | None,
    source: str,
    today: dt.date,
) -> None:
    code = values["code"]
    current = current_version(conn, code)
    action = action or ("amend" if current is not None else "add")
    effective = values.get("effective_date") or today.isoformat()
    if values.pop("fees_empty", False) and action != "add":
        values.pop("fees", None)  # in an amendment an empty fee cell keeps the current fees

    def fail(reason: str) -> None:
        plan.errors.append(RowError(number, code, reason))

    if action == "add":
        if current is not None:
            return fail(f"đã có trong danh mục (phiên bản {current}); muốn thay đổi thì ghi 'Sửa đổi'")
        document = _new_document(values, source, effective)
        missing = [w for k, w in (("processing_time", "thời hạn giải quyết"), ("level", "cấp thực hiện"))
                   if not values.get(k)]
        if missing:
            return fail("thiếu " + ", ".join(missing))
        issues = validate_procedure(document, file=source)
        if issues:
            for issue in issues:
                hint = " (thêm cột hoặc giá trị mặc định --set sector=…)" if issue.path == "sector" else ""
                fail(f"{issue.path}: {issue.message}{hint}")
            return None
        plan.changes.append(PlannedChange("add", code, document["name"], document, None, (), number))
        return None
    if current is None:
        verb = "sửa đổi" if action == "amend" else "bãi bỏ"
        return fail(f"không có trong danh mục nên không {verb} được")
    base = get_document(conn, code, current)
    if action == "abolish" and base["effective_until"] is not None:
        return fail(f"đã bãi bỏ từ {base['effective_until']}")
    document = _next_version(base, values, source, effective, action)
    issues = validate_procedure(document, file=source)
    if issues:
        for issue in issues:
            fail(f"{issue.path}: {issue.message}")
        return None
    changes = tuple(diff_documents(base, document))
    if action == "amend" and all(_bookkeeping(c) for c in changes):
        plan.unchanged.append(code)
        return None
    plan.changes.append(PlannedChange(action, code, document["name"], document, current, changes, number))
    return None


# ---- JSON (a single procedure, or a list as sync delivers) --------------------------------------


def _plan_json(conn: sqlite3.Connection, path: Path, source: str) -> ImportPlan:
    plan = ImportPlan(source)
    entries, problems = read_documents(path, display=source)
    issues = problems + validate_documents(
        (source, i if len(entries) > 1 else None, e) for i, e in enumerate(entries)
    )
    # Two versions of one code in one delivery are normal (v1 then v2); validate_documents calls
    # that a duplicate, which it is not here.
    issues = [i for i in issues if not i.message.startswith("mã thủ tục trùng")]
    for issue in issues:
        row = int(issue.entry.removeprefix("mục #")) if issue.entry.startswith("mục #") else None
        reason = f"{issue.path}: {issue.message}" if issue.path else issue.message
        plan.errors.append(RowError(row, issue.entry, reason))
    if plan.errors:
        return plan
    pending: dict[str, dict[str, Any]] = {}  # code → the document that will be current after the plan
    for index, doc in sorted(enumerate(entries, start=1), key=lambda x: (x[1]["code"], x[1]["version"])):
        code, version = doc["code"], doc["version"]
        stored = {v.version: v for v in list_versions(conn, code)}
        current = current_version(conn, code)
        head = pending.get(code) or (get_document(conn, code, current) if current is not None else None)
        row = index if len(entries) > 1 else None
        if version in stored:
            if stored[version].content_hash == content_hash(doc):
                plan.unchanged.append(f"{code} v{version}")
            else:
                reason = f"phiên bản {version} đã có trong kho với nội dung khác"
                plan.errors.append(RowError(row, code, reason))
            continue
        if head is None:
            plan.changes.append(PlannedChange("add", code, doc["name"], doc, None, (), row))
        elif version > head["version"]:
            abolished = doc["effective_until"] is not None and head["effective_until"] is None
            plan.changes.append(
                PlannedChange("abolish" if abolished else "amend", code, doc["name"], doc, current,
                              tuple(diff_documents(head, doc)), row)
            )
        else:
            plan.changes.append(PlannedChange("history", code, doc["name"], doc, current, (), row))
            continue
        pending[code] = doc
    return plan


def plan_import(
    conn: sqlite3.Connection,
    path: Path,
    mapping: m.ColumnMapping | None = None,
    *,
    today: dt.date | None = None,
) -> ImportPlan:
    """Read and check an import file; nothing is written."""
    source = path.name
    if path.suffix.lower() == ".json":
        return _plan_json(conn, path, source)
    mapping = mapping or m.ColumnMapping()
    try:
        rows = read_table(path, sheet=mapping.sheet)
        return _plan_rows(conn, rows, mapping, source, today or dt.date.today())
    except SheetError as exc:
        plan = ImportPlan(source)
        plan.errors.append(RowError(None, "", str(exc)))
        return plan


def apply_plan(conn: sqlite3.Connection, plan: ImportPlan) -> None:
    """Write the plan in one transaction; refuse a plan with errors or one the store has outrun."""
    if not plan.ok:
        raise ImportRefused(f"{plan.source}: có {len(plan.errors)} lỗi, không nhập gì")
    with transaction(conn):
        for change in plan.changes:
            now = current_version(conn, change.code)
            expected = change.old_version
            if change.action != "history" and now != expected and not _follows_in_plan(plan, change, now):
                raise ImportRefused(
                    f"{change.code}: danh mục đã thay đổi sau khi xem trước (phiên bản {now});"
                    " hãy xem trước lại"
                )
            current = change.action != "history"
            add_version(conn, change.document, f"import:{plan.source}", make_current=current)
        planned = {change.code for change in plan.changes}
        for change in plan.changes:
            if change.action != "history":
                for former in change.document.get("former_codes", ()):
                    if former not in planned:
                        retire_code(conn, former, change.document)


def _follows_in_plan(plan: ImportPlan, change: PlannedChange, now: int | None) -> bool:
    """A JSON delivery may carry v2 and v3: v3 then follows the v2 written just before it."""
    earlier = [c for c in plan.changes if c.code == change.code and c.action != "history"]
    position = earlier.index(change)
    return position > 0 and earlier[position - 1].new_version == now

