"""Validation of catalog documents: the JSON Schema first, then the rules a schema cannot say.

Every problem is an Issue naming the file, the entry (procedure code) and the field path, with a
message in Vietnamese precise enough for the person editing the file to fix it without the schema.
"""

from __future__ import annotations

import datetime as dt
import json
import re
import unicodedata
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path
from typing import Any

from motcua.catalog.locate import schema_path

_TYPE_NAMES = {
    "string": "chuỗi ký tự",
    "integer": "số nguyên",
    "number": "số",
    "boolean": "true/false",
    "array": "danh sách",
    "object": "đối tượng",
    "null": "null",
}


@dataclass(frozen=True, order=True)
class Issue:
    file: str
    entry: str  # the procedure code, or "mục #N" when the entry has no usable code
    path: str  # e.g. "components[2].kind"; "" for the entry as a whole
    message: str

    def __str__(self) -> str:
        where = f"{self.file}: {self.entry}"
        return f"{where}: {self.path}: {self.message}" if self.path else f"{where}: {self.message}"


@dataclass
class ValidationResult:
    documents: list[tuple[Path, dict[str, Any]]] = field(default_factory=list)
    issues: list[Issue] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return not self.issues


@cache
def _validator() -> Any:
    # jsonschema costs ~0.2 s to import; every CLI command imports this package, few validate.
    import jsonschema

    schema = json.loads(schema_path().read_text(encoding="utf-8"))
    return jsonschema.Draft202012Validator(schema)


def format_path(parts: Iterable[str | int]) -> str:
    out = ""
    for part in parts:
        out += f"[{part}]" if isinstance(part, int) else (f".{part}" if out else str(part))
    return out


def _json_type(value: Any) -> str:
    for name, test in (
        ("null", lambda v: v is None),
        ("boolean", lambda v: isinstance(v, bool)),
        ("integer", lambda v: isinstance(v, int)),
        ("number", lambda v: isinstance(v, float)),
        ("string", lambda v: isinstance(v, str)),
        ("array", lambda v: isinstance(v, list)),
    ):
        if test(value):
            return _TYPE_NAMES[name]
    return _TYPE_NAMES["object"]


def _short(value: Any) -> str:
    text = json.dumps(value, ensure_ascii=False)
    return text if len(text) <= 60 else text[:57] + "…"


def _schema_messages(error: Any) -> Iterator[tuple[list[str | int], str]]:
    """Turn one jsonschema error into (path, Vietnamese message) pairs."""
    path: list[str | int] = list(error.absolute_path)
    kind, value, instance = error.validator, error.validator_value, error.instance
    if kind == "required":
        for name in value:
            if isinstance(instance, dict) and name not in instance:
                yield [*path, name], "thiếu trường bắt buộc"
    elif kind == "additionalProperties":
        known = set(error.schema.get("properties", {}))
        for name in sorted(set(instance) - known):
            yield [*path, name], "trường không có trong định dạng danh mục (gõ sai tên?)"
    elif kind == "type":
        yield path, f"phải là {_TYPE_NAMES.get(value, value)}, đang là {_json_type(instance)}"
    elif kind == "enum":
        allowed = ", ".join(str(v) for v in value)
        yield path, f"giá trị {_short(instance)} không hợp lệ; chỉ nhận: {allowed}"
    elif kind == "pattern":
        if value.startswith("^[0-9]{4}"):
            yield path, f"ngày {_short(instance)} phải viết dạng YYYY-MM-DD"
        elif value == "\\S":
            yield path, "không được để trống"
        elif path and path[0] == "code":
            yield path, f"mã {_short(instance)} chỉ được gồm chữ, số, dấu chấm và gạch nối"
        else:
            yield path, f"giá trị {_short(instance)} không đúng mẫu {value}"
    elif kind == "minLength":
        yield path, "không được để trống"
    elif kind in ("minimum", "exclusiveMinimum"):
        yield path, f"phải lớn hơn hoặc bằng {value}, đang là {_short(instance)}"
    elif kind == "maxLength":
        yield path, f"dài quá {value} ký tự"
    elif kind == "uniqueItems":
        yield path, "có phần tử lặp lại"
    elif kind == "oneOf":
        last = path[-1] if path else ""
        expected = {
            "effective_until": "ngày YYYY-MM-DD hoặc null",
            "amount_vnd": "số nguyên không âm (đồng) hoặc null",
            "form": "mã mẫu đơn hoặc null",
        }.get(str(last), "một giá trị hợp lệ")
        yield path, f"phải là {expected}, đang là {_short(instance)}"
    else:  # a validator the schema may gain later: keep jsonschema's own words rather than nothing
        yield path, error.message


def _entry_name(data: Any, index: int | None) -> str:
    code = data.get("code") if isinstance(data, dict) else None
    if isinstance(code, str) and code.strip():
        return code
    return f"mục #{index + 1}" if index is not None else "(không có mã)"


def _walk_strings(value: Any, path: list[str | int]) -> Iterator[tuple[list[str | int], str]]:
    if isinstance(value, str):
        yield path, value
    elif isinstance(value, dict):
        for key, item in value.items():
            yield [*path, key], key
            yield from _walk_strings(item, [*path, key])
    elif isinstance(value, list):
        for i, item in enumerate(value):
            yield from _walk_strings(item, [*path, i])


def _semantic_messages(data: dict[str, Any]) -> Iterator[tuple[list[str | int], str]]:
    """Rules beyond the schema; only run on a document the schema accepts."""
    dates: dict[str, dt.date] = {}
    for key in ("effective_from", "effective_until"):
        if data[key] is not None:
            try:
                dates[key] = dt.date.fromisoformat(data[key])
            except ValueError:
                yield [key], f"ngày {data[key]} không tồn tại"
    if len(dates) == 2 and dates["effective_from"] > dates["effective_until"]:
        yield ["effective_until"], (
            f"ngày hết hiệu lực {data['effective_until']} trước ngày có hiệu lực {data['effective_from']}"
        )
    form_ids = [f["id"] for f in data["forms"]]
    seen: set[str] = set()
    for i, form_id in enumerate(form_ids):
        if form_id in seen:
            yield ["forms", i, "id"], f"mã mẫu đơn '{form_id}' bị trùng"
        seen.add(form_id)
    for i, component in enumerate(data["components"]):
        ref = component.get("form")
        if ref is not None and ref not in seen:
            known = ", ".join(form_ids) or "không có mẫu nào"
            yield ["components", i, "form"], f"mẫu đơn '{ref}' không có trong forms (có: {known})"
    for i, form in enumerate(data["forms"]):
        field_ids: set[str] = set()
        for j, fld in enumerate(form["fields"]):
            if fld["id"] in field_ids:
                yield ["forms", i, "fields", j, "id"], f"mã ô '{fld['id']}' bị trùng trong mẫu '{form['id']}'"
            field_ids.add(fld["id"])
            if fld["type"] == "choice" and not fld.get("options"):
                yield ["forms", i, "fields", j, "options"], "ô kiểu choice phải có danh sách options"
    for i, fee in enumerate(data["fees"]):
        if fee["amount_vnd"] is None and "percent" not in fee and not fee.get("needs_confirmation", False):
            yield ["fees", i, "needs_confirmation"], (
                "mức phí chưa rõ (amount_vnd là null) thì needs_confirmation phải là true"
            )
        yield from (([ "fees", i, *path], message) for path, message in _fee_messages(fee))
    yield from _time_messages(data["processing_time"])
    if data["code"] in data.get("former_codes", ()):
        yield ["former_codes"], f"mã cũ không được trùng mã hiện tại {data['code']}"
    for i, form in enumerate(data["forms"]):
        for name in _PLACEHOLDER.findall(form.get("addressee", "")):
            if name not in ADDRESSEE_PLACEHOLDERS:
                allowed = ", ".join("{" + n + "}" for n in ADDRESSEE_PLACEHOLDERS)
                yield ["forms", i, "addressee"], f"chỗ điền {{{name}}} không có; chỉ dùng {allowed}"


ADDRESSEE_PLACEHOLDERS = ("commune", "province")
_PLACEHOLDER = re.compile(r"\{([^{}]*)\}")


def _fee_messages(fee: dict[str, Any]) -> Iterator[tuple[list[str | int], str]]:
    if "percent" in fee:
        if "base" not in fee:
            yield ["base"], "phí theo phần trăm phải nói phần trăm của gì (base, ví dụ \"giá trị hợp đồng\")"
        if fee["amount_vnd"] is not None:
            yield ["amount_vnd"], "phí theo phần trăm ghi amount_vnd là null"
        for key in ("unit", "tiers", "per"):
            if key in fee:
                yield [key], f"{key} không dùng cùng percent"
        if "floor_vnd" in fee and "cap_vnd" in fee and fee["floor_vnd"] > fee["cap_vnd"]:
            yield ["floor_vnd"], "mức tối thiểu lớn hơn mức tối đa"
        return
    for key in ("base", "floor_vnd"):
        if key in fee:
            yield [key], f"{key} chỉ dùng với phí theo phần trăm (percent)"
    counted = "unit" in fee
    for key in ("tiers", "cap_vnd", "per"):
        if key in fee and not counted:
            yield [key], f"{key} chỉ dùng khi phí tính theo đơn vị (cần trường unit)"
    starts = [tier["from"] for tier in fee.get("tiers", ())]
    if starts != sorted(set(starts)):
        yield ["tiers"], "các bậc phải có 'from' tăng dần, không trùng"


def _time_messages(time: dict[str, Any]) -> Iterator[tuple[list[str | int], str]]:
    same_day = time["unit"] == "same_day"
    if "cutoff" in time and not same_day:
        yield ["processing_time", "cutoff"], "giờ chốt (cutoff) chỉ dùng với unit same_day"
    if same_day and time["amount"] != 0:
        yield ["processing_time", "amount"], "thủ tục giải quyết trong ngày (same_day) ghi amount là 0"
    stages = time.get("stages", ())
    if stages and not same_day and all(stage["unit"] == time["unit"] for stage in stages):
        spent = sum(stage["amount"] for stage in stages)
        if spent != time["amount"]:
            yield ["processing_time", "stages"], (
                f"tổng thời hạn các bước ({spent}) khác thời hạn giải quyết ({time['amount']})"
            )


def validate_procedure(data: Any, *, file: str, index: int | None = None) -> list[Issue]:
    """All problems of one catalog entry; [] when it may be stored."""
    entry = _entry_name(data, index)
    if not isinstance(data, dict):
        return [Issue(file, entry, "", f"mỗi thủ tục phải là một đối tượng JSON, đang là {_json_type(data)}")]
    found: list[Issue] = []
    for path, text in _walk_strings(data, []):
        if unicodedata.normalize("NFC", text) != text:
            found.append(Issue(file, entry, format_path(path), "chữ chưa ở dạng Unicode dựng sẵn (NFC)"))
    schema_errors = list(_validator().iter_errors(data))
    for error in schema_errors:
        for path, message in _schema_messages(error):
            found.append(Issue(file, entry, format_path(path), message))
    if not schema_errors:
        for path, message in _semantic_messages(data):
            found.append(Issue(file, entry, format_path(path), message))
    return sorted(set(found))


def read_documents(path: Path, *, display: str | None = None) -> tuple[list[Any], list[Issue]]:
    """The entries of one JSON file: a single procedure or a list of them (as sync delivers)."""
    name = display or path.name
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except UnicodeDecodeError:
        return [], [Issue(name, "(cả tệp)", "", "tệp không phải UTF-8")]
    except json.JSONDecodeError as exc:
        where = f"dòng {exc.lineno}, cột {exc.colno}"
        return [], [Issue(name, "(cả tệp)", "", f"JSON sai cú pháp ở {where}: {exc.msg}")]
    return (data if isinstance(data, list) else [data]), []


def validate_documents(
    documents: Iterable[tuple[str, int | None, Any]],
) -> list[Issue]:
    """Validate (file, index-in-file, entry) triples together: codes must be unique across all."""
    issues: list[Issue] = []
    first_seen: dict[str, str] = {}
    for file, index, data in documents:
        issues.extend(validate_procedure(data, file=file, index=index))
        code = data.get("code") if isinstance(data, dict) else None
        if isinstance(code, str):
            if code in first_seen:
                issues.append(Issue(file, code, "code", f"mã thủ tục trùng với {first_seen[code]}"))
            else:
                first_seen[code] = file
    return issues


def _expand(paths: Iterable[Path]) -> list[Path]:
    out: list[Path] = []
    for path in paths:
        if path.is_dir():
            out.extend(p for p in sorted(path.glob("*.json")) if not p.name.endswith(".schema.json"))
        else:
            out.append(path)
    return out


def validate_paths(paths: Iterable[Path], *, check_filenames: bool = True) -> ValidationResult:
    """Validate catalog files (directories are expanded to their *.json files).

    With check_filenames, a file holding one procedure must be named after its code, as the
    catalog README requires for shipped files.
    """
    result = ValidationResult()
    triples: list[tuple[str, int | None, Any]] = []
    origin: list[Path] = []
    for path in _expand(paths):
        if not path.exists():
            result.issues.append(Issue(str(path), "(cả tệp)", "", "không tìm thấy tệp"))
            continue
        entries, problems = read_documents(path)
        result.issues.extend(problems)
        single = len(entries) == 1 and not path.read_text(encoding="utf-8").lstrip().startswith("[")
        for i, data in enumerate(entries):
            triples.append((path.name, None if single else i, data))
            origin.append(path)
            code = data.get("code") if isinstance(data, dict) else None
            if check_filenames and single and isinstance(code, str) and path.stem != code:
                result.issues.append(
                    Issue(path.name, code, "code", f"tệp phải mang tên theo mã thủ tục: {code}.json")
                )
    result.issues.extend(validate_documents(triples))
    bad = {(i.file, i.entry) for i in result.issues}
    for (file, index, data), path in zip(triples, origin, strict=True):
        if (file, _entry_name(data, index)) not in bad:
            result.documents.append((path, data))
    result.issues.sort()
    return result
