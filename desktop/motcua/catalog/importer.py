"""Imports: a province's annex table (.xlsx/.csv) or catalog JSON, previewed before applied.

plan_import() reads and checks everything and touches nothing; apply_plan() writes the whole plan
in one transaction, and only a plan without errors. A spreadsheet with any bad row imports nothing:
the plan lists every bad row with its reason, so the sheet can be fixed in one pass.
"""

from __future__ import annotations

import copy
import datetime as dt
import json
import sqlite3
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from motcua.catalog import mapping as m
from motcua.catalog.diff import Change, diff_documents
from motcua.catalog.model import content_hash
from motcua.catalog.national import NATIONAL_SOURCE
from motcua.catalog.portal import is_portal
from motcua.catalog.repository import add_version, current_version, get_document, list_versions, retire_code
from motcua.catalog.sheet import SheetError, SheetRow, read_table
from motcua.catalog.snapshot import Snapshot, read_snapshot, shipped_snapshot, snapshot_from_dict
from motcua.catalog.validate import read_documents, validate_documents, validate_procedure
from motcua.domain.text import fold
from motcua.store.db import transaction

# What the preview does not count as an amendment: bookkeeping that every new version changes.
_BOOKKEEPING = {"provenance", "publishing_decision", "effective_from"}


def _bookkeeping(change: Change) -> bool:
    return change.path.split("[")[0] in _BOOKKEEPING


_PENDING_WORDS = {"processing_time": "thời hạn (chưa tiếp nhận được)", "fees": "phí, lệ phí",
                  "components": "thành phần hồ sơ", "steps": "trình tự", "forms": "mẫu đơn",
                  "guidance": "hướng dẫn", "level": "cấp thực hiện", "sector": "ngành", "result": "kết quả"}


def _pending_words(names: tuple[str, ...]) -> str:
    shown = [n for n in names if n not in ("forms", "guidance", "steps")]
    return ", ".join(_PENDING_WORDS.get(n, n) for n in shown)


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
    notes: tuple[str, ...] = ()  # what the preview must say beside it (completed from, differs from)

    @property
    def to_confirm(self) -> tuple[str, ...]:
        return tuple(self.document.get("provenance", {}).get("needs_confirmation", ()))

    @property
    def new_version(self) -> int:
        return int(self.document["version"])


@dataclass
class ImportPlan:
    source: str
    changes: list[PlannedChange] = field(default_factory=list)
    unchanged: list[str] = field(default_factory=list)
    errors: list[RowError] = field(default_factory=list)
    kept: list[PlannedChange] = field(default_factory=list)  # edited by the province: not overwritten

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
        for c in added:
            pending = _pending_words(c.to_confirm)
            lines.append(f"  + {c.code} {c.name} (phiên bản {c.new_version})"
                         + (f" — cần xác nhận: {pending}" if pending else ""))
            lines.extend(f"      {note}" for note in c.notes)
        lines.append(f"Sửa đổi ({len(amended)}):")
        for c in amended:
            lines.append(f"  ~ {c.code} {c.name}: phiên bản {c.old_version} → {c.new_version}")
            lines.extend(f"      {change}" for change in c.changes if not _bookkeeping(change))
            lines.extend(f"      {note}" for note in c.notes)
        lines.append(f"Bãi bỏ ({len(abolished)}):")
        lines.extend(
            f"  - {c.code} {c.name}: hết hiệu lực từ {c.document['effective_until']}" for c in abolished
        )
        if self.kept:
            lines.append(f"Giữ bản tỉnh đã sửa, không ghi đè ({len(self.kept)}):")
            for c in self.kept:
                lines.append(f"  = {c.code} {c.name} (phiên bản {c.old_version}); bản ghi quốc gia khác ở:")
                lines.extend(f"      {change}" for change in c.changes[:8])
        history = self.of("history")
        if history:
            lines.append(f"Lưu vào lịch sử, không thay phiên bản hiện hành ({len(history)}):")
            lines.extend(f"  · {c.code} phiên bản {c.new_version}" for c in history)
        same = f": {', '.join(self.unchanged)}" if self.unchanged else ""
        lines.append(f"Không thay đổi ({len(self.unchanged)}){same}")
        return "\n".join(lines)

    def to_dict(self) -> dict[str, Any]:
        def item(c: PlannedChange) -> dict[str, Any]:
            out: dict[str, Any] = {"code": c.code, "name": c.name, "version": c.new_version, "row": c.row,
                                   "to_confirm": list(c.to_confirm), "notes": list(c.notes)}
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
            "kept": [{"code": c.code, "name": c.name, "version": c.old_version,
                      "changes": [str(x) for x in c.changes]} for c in self.kept],
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


UNKNOWN_FEE = {"kind": "le_phi", "name": "Phí, lệ phí", "amount_vnd": None,
               "note": "Danh sách nhập không ghi phí, lệ phí", "needs_confirmation": True}
UNSET_TIME = {"amount": 0, "unit": "working_days", "text": ""}


def _new_document(values: dict[str, Any], source: str, effective: str) -> dict[str, Any]:
    """A catalog entry from an annex row: what the annex says, the rest left for the catalog editors.

    What the row does not say is written "to confirm", never guessed: no time → it can be looked up
    but not received; no fee column → the fee is unknown (not free); no level → commune, to confirm.
    """
    pending = ["components", "steps", "forms", "guidance"]
    if not values.get("processing_time"):
        pending.append("processing_time")
    if "fees" not in values:
        pending.append("fees")
    if not values.get("level"):
        pending.append("level")
    if not values.get("sector"):
        pending.append("sector")
    return {
        "code": values["code"],
        "version": 1,
        "name": values.get("name", ""),
        "sector": values.get("sector", ""),
        "field": values.get("field", ""),
        "level": values.get("level") or "commune",
        "processing_time": values.get("processing_time") or dict(UNSET_TIME),
        "fees": values["fees"] if "fees" in values else [dict(UNKNOWN_FEE)],
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
            "needs_confirmation": pending,
            "note": "Nhập từ phụ lục quyết định công bố; thành phần hồ sơ và hướng dẫn cần bổ sung.",
        },
    }


def _sector_of_field(conn: sqlite3.Connection, field_name: str) -> str:
    """The sector the catalog's other procedures of this field belong to ("" when none does); the
    entry stays flagged "sector" for the province to confirm."""
    row = conn.execute("SELECT sector, count(*) AS n FROM procedures WHERE field = ? AND sector != ''"
                       " GROUP BY sector ORDER BY n DESC LIMIT 1", (field_name,)).fetchone()
    return str(row[0]) if row else ""


def _completed(values: dict[str, Any], national: dict[str, Any], source: str, effective: str,
               ) -> tuple[dict[str, Any], tuple[str, ...]]:
    """A row completed from its national record: the record's papers, steps, time and fees, with the
    row's own name, field, level and decision kept (the province's list is what it published); every
    difference from the national record is said in the preview."""
    doc = copy.deepcopy(national)
    notes: list[str] = [f"Bổ sung từ CSDL quốc gia: {national['provenance']['sources'][0]}"]
    for name, label in (("name", "Tên"), ("field", "Lĩnh vực")):
        given = values.get(name)
        if given and fold(given) != fold(doc[name]):
            notes.append(f"{label} theo danh sách «{given}»; theo CSDL quốc gia «{doc[name]}» — giữ theo danh sách")
            doc[name] = given
    if values.get("level") and values["level"] != doc["level"]:
        notes.append(f"Cấp thực hiện theo danh sách: {values['level']}; theo CSDL quốc gia: {doc['level']}")
        doc["level"] = values["level"]
    for name in ("processing_time", "fees", "legal_basis", "result", "sector"):
        if values.get(name) or (name == "fees" and "fees" in values):
            doc[name] = values[name]
            pending = doc["provenance"]["needs_confirmation"]
            if name in pending:
                pending.remove(name)
    if values.get("publishing_decision"):
        doc["publishing_decision"] = values["publishing_decision"]
    doc["effective_from"] = effective
    doc["provenance"]["sources"] = [source, *doc["provenance"]["sources"]]
    return doc, tuple(notes)


def _next_version(
    base: dict[str, Any], values: dict[str, Any], source: str, effective: str, action: str
) -> dict[str, Any]:
    doc = copy.deepcopy(base)
    doc["version"] = base["version"] + 1
    for name in ("name", "sector", "field", "level", "processing_time", "fees", "legal_basis", "result"):
        if name in values:  # an empty cell keeps the current value ("Không" is how a sheet says free)
            if name in ("name", "sector", "field") and fold(str(values[name])) == fold(str(doc[name])):
                continue  # «HỘ TỊCH» for «Hộ tịch»: the same words, the catalog's spelling stays
            doc[name] = values[name]
            pending = doc["provenance"].get("needs_confirmation")
            if name == "processing_time" and pending and "processing_time" in pending:
                doc["provenance"] = {**doc["provenance"],
                                     "needs_confirmation": [p for p in pending if p != "processing_time"]}
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
    conn: sqlite3.Connection, rows: list[SheetRow], mapping: m.ColumnMapping, source: str, today: dt.date,
    national_records: Snapshot | None = None,
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
        _plan_row(conn, plan, row.number, values, action, source, today, national_records)
    return plan


def _plan_row(
    conn: sqlite3.Connection,
    plan: ImportPlan,
    number: int,
    values: dict[str, Any],
    action: str | None,
    source: str,
    today: dt.date,
    national_records: Snapshot | None = None,
) -> None:
    code = values["code"]
    current = current_version(conn, code)
    action = action or ("amend" if current is not None else "add")
    effective = values.get("effective_date") or today.isoformat()
    if values.pop("fees_empty", False):
        # amendment: an empty fee cell keeps the current fees; addition: the fee is not known (only
        # "Không" / "Miễn phí" written in the cell makes a procedure free)
        values.pop("fees", None)

    def fail(reason: str) -> None:
        plan.errors.append(RowError(number, code, reason))

    if action == "add":
        if current is not None:
            return fail(f"đã có trong danh mục (phiên bản {current}); muốn thay đổi thì ghi 'Sửa đổi'")
        national = national_records.document(code) if national_records is not None else None
        notes: tuple[str, ...] = ()
        if national is not None:
            document, notes = _completed(values, national, source, effective)
        else:
            document = _new_document(values, source, effective)
            if not document["sector"]:
                document["sector"] = _sector_of_field(conn, document["field"]) or "Chưa xác định"
            if not values.get("name"):
                return fail("thiếu tên thủ tục (và CSDL quốc gia trong bản sao không có mã này)")
        issues = validate_procedure(document, file=source)
        if issues:
            for issue in issues:
                hint = " (thêm cột hoặc giá trị mặc định --set sector=…)" if issue.path == "sector" else ""
                fail(f"{issue.path}: {issue.message}{hint}")
            return None
        plan.changes.append(PlannedChange("add", code, document["name"], document, None, (), number, notes))
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


# ---- national records (a newer snapshot of the portal's records) --------------------------------


def _national_only(doc: dict[str, Any]) -> bool:
    """Every source of this version is the national database: nobody in the province edited it."""
    sources = doc.get("provenance", {}).get("sources") or []
    return bool(sources) and all(str(s).startswith(NATIONAL_SOURCE) for s in sources)


def _comparable(doc: dict[str, Any]) -> dict[str, Any]:
    return {k: v for k, v in doc.items() if k not in ("version", "effective_from", "provenance")}


def _plan_national(conn: sqlite3.Connection, snapshot: Snapshot, source: str) -> ImportPlan:
    """New, changed and abolished procedures between the store and a snapshot of national records.

    Only versions that came from national records alone are amended or abolished: a procedure the
    province edited (or wrote by hand) is kept, and the preview says what the record would change."""
    plan = ImportPlan(source)
    listed = {row[0] for row in snapshot.index}
    for code in sorted(snapshot.by_code()):
        doc = snapshot.document(code)
        if doc is None:
            continue
        current = current_version(conn, code)
        if current is None:
            plan.changes.append(PlannedChange("add", code, doc["name"], doc, None))
            continue
        base = get_document(conn, code, current)
        if base["effective_until"] is not None:
            plan.unchanged.append(f"{code} (đã bãi bỏ trong kho)")
            continue
        if _comparable(base) == _comparable(doc):
            plan.unchanged.append(code)
            continue
        changes = tuple(c for c in diff_documents(base, doc) if not _bookkeeping(c))
        if not _national_only(base):
            plan.kept.append(PlannedChange("keep", code, base["name"], base, current, changes))
            continue
        doc["version"] = current + 1
        plan.changes.append(PlannedChange("amend", code, doc["name"], doc, current, changes))
    for code, in conn.execute("SELECT code FROM procedures WHERE effective_until IS NULL ORDER BY code"):
        if code in listed:
            continue
        current = current_version(conn, code)
        if current is None:
            continue
        base = get_document(conn, code, current)
        if not _national_only(base):
            continue  # written by hand or by the province: not the snapshot's to abolish
        doc = copy.deepcopy(base)
        doc["version"] = current + 1
        doc["effective_until"] = snapshot.date
        doc["provenance"] = {**doc["provenance"], "note": (doc["provenance"].get("note", "") + f" Không còn trong "
                                                           f"{snapshot.label}.").strip()}
        plan.changes.append(PlannedChange("abolish", code, doc["name"], doc, current,
                                          tuple(diff_documents(base, doc))))
    return plan


def _read_national(path: Path) -> Snapshot | None:
    """A snapshot (.json.gz as shipped, or the same as .json), or a list of crawled records; None when
    the file is catalog JSON instead."""
    if path.name.lower().endswith(".json.gz"):
        return read_snapshot(path)
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError, json.JSONDecodeError):
        return None
    if isinstance(data, dict) and isinstance(data.get("records"), list):
        return snapshot_from_dict(data)
    if isinstance(data, list) and data and all(isinstance(r, dict) and ("ma_thu_tuc" in r or is_portal(r))
                                               for r in data):
        return snapshot_from_dict({"source": path.name, "commit": "", "date": dt.date.today().isoformat(),
                                   "records": data})
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
    national_records: Snapshot | None = None,
    complete: bool = True,
) -> ImportPlan:
    """Read and check an import file; nothing is written.

    A spreadsheet's new codes are completed from the national records (the shipped snapshot unless
    another is given; ``complete=False``: only what the sheet says)."""
    source = path.name
    if path.name.lower().endswith((".json", ".json.gz")):
        try:
            national = _read_national(path)
        except (OSError, ValueError, KeyError) as exc:
            plan = ImportPlan(source)
            plan.errors.append(RowError(None, "", f"không đọc được bản sao bản ghi quốc gia: {exc}"))
            return plan
        if national is not None:
            return _plan_national(conn, national, source)
        return _plan_json(conn, path, source)
    mapping = mapping or m.ColumnMapping()
    try:
        rows = read_table(path, sheet=mapping.sheet)
        records = (national_records or shipped_snapshot()) if complete else None
        return _plan_rows(conn, rows, mapping, source, today or dt.date.today(), records)
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

