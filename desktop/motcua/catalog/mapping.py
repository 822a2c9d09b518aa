"""Which column means what, and what a cell's text means.

Annex tables differ between provinces and decisions, so the headers are matched folded (no
diacritics, any case) against common spellings, and a mapping file or CLI options can name any
other header. Cell parsers raise CellError with a message for the person who wrote the sheet.
"""

from __future__ import annotations

import datetime as dt
import json
import re
import tomllib
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from motcua.domain.text import clean, fold

# Target fields a column may map to. "ignore" drops a column (e.g. STT, Ghi chú).
FIELDS = (
    "code", "name", "sector", "field", "level", "processing_time", "fees", "legal_basis", "action",
    "effective_date", "publishing_decision", "result", "ignore",
)
# Fields that may also be given once for the whole file (a decision is usually about one sector).
DEFAULTABLE = ("sector", "field", "level", "effective_date", "publishing_decision", "action")

DEFAULT_HEADERS: dict[str, str] = {
    "ma tthc": "code", "ma thu tuc": "code", "ma thu tuc hanh chinh": "code", "ma so tthc": "code",
    "ma so": "code", "ma": "code",
    "ten thu tuc hanh chinh": "name", "ten thu tuc": "name", "ten tthc": "name",
    "linh vuc": "field",
    "nganh": "sector", "co quan quan ly": "sector",
    "cap thuc hien": "level", "cap giai quyet": "level", "tham quyen giai quyet": "level",
    "thoi han giai quyet": "processing_time", "thoi gian giai quyet": "processing_time",
    "phi, le phi": "fees", "phi le phi": "fees", "phi va le phi": "fees", "le phi": "fees", "phi": "fees",
    "can cu phap ly": "legal_basis", "can cu phap ly cua tthc": "legal_basis",
    "hinh thuc": "action", "hinh thuc cong bo": "action", "thao tac": "action", "hanh dong": "action",
    "loai cong bo": "action", "tinh trang": "action", "them moi / sua doi / bai bo": "action",
    "ngay hieu luc": "effective_date", "ngay co hieu luc": "effective_date",
    "hieu luc tu ngay": "effective_date",
    "quyet dinh cong bo": "publishing_decision",
    "ket qua": "result", "ket qua thuc hien": "result",
    "stt": "ignore", "tt": "ignore", "ghi chu": "ignore",
}


class CellError(ValueError):
    pass


class MappingError(ValueError):
    pass


@dataclass
class ColumnMapping:
    columns: dict[str, str] = field(default_factory=dict)  # folded header → field (added to the defaults)
    defaults: dict[str, str] = field(default_factory=dict)  # field → value for every row
    sheet: str | None = None

    def field_for(self, header: Any) -> str | None:
        key = fold(str(header)) if header is not None else ""
        key = re.sub(r"\s*\(.*?\)\s*", " ", key).strip(" :.*")  # "Phí, lệ phí (nếu có)" → "phi, le phi"
        return self.columns.get(key) or DEFAULT_HEADERS.get(key)


def _checked(columns: dict[str, str], defaults: dict[str, str]) -> ColumnMapping:
    for header, target in columns.items():
        if target not in FIELDS:
            raise MappingError(f"cột '{header}': trường '{target}' không có; chỉ nhận: {', '.join(FIELDS)}")
    for name in defaults:
        if name not in DEFAULTABLE:
            allowed = ", ".join(DEFAULTABLE)
            raise MappingError(f"giá trị mặc định '{name}' không dùng được; chỉ nhận: {allowed}")
    return ColumnMapping(
        columns={fold(h): t for h, t in columns.items()},
        defaults={k: clean(str(v)) for k, v in defaults.items()},
    )


def load_mapping(path: Path) -> ColumnMapping:
    """A mapping file, .json or .toml.

    {"columns": {header: field}, "defaults": {field: value}, "sheet": name}
    """
    try:
        text = path.read_text(encoding="utf-8")
        data = tomllib.loads(text) if path.suffix.lower() == ".toml" else json.loads(text)
    except (OSError, ValueError) as exc:
        raise MappingError(f"không đọc được tệp ánh xạ {path.name}: {exc}") from exc
    if not isinstance(data, dict):
        raise MappingError(f"tệp ánh xạ {path.name} phải là một đối tượng")
    mapping = _checked(dict(data.get("columns", {})), dict(data.get("defaults", {})))
    mapping.sheet = data.get("sheet")
    return mapping


def mapping_from_options(
    columns: list[str], defaults: list[str], base: ColumnMapping | None = None
) -> ColumnMapping:
    """CLI options "Header=field" and "field=value" on top of a mapping file (options win)."""

    def pairs(items: list[str], what: str) -> dict[str, str]:
        out = {}
        for item in items:
            if "=" not in item:
                raise MappingError(f"{what} '{item}' phải có dạng A=B")
            key, value = item.split("=", 1)
            out[key.strip()] = value.strip()
        return out

    extra = _checked(pairs(columns, "cột"), pairs(defaults, "giá trị"))
    base = base or ColumnMapping()
    return ColumnMapping({**base.columns, **extra.columns}, {**base.defaults, **extra.defaults}, base.sheet)


# ---- cell parsers -------------------------------------------------------------------------------

_CODE = re.compile(r"[0-9A-Za-z][0-9A-Za-z.\-]*")


def parse_code(value: Any) -> str:
    if isinstance(value, float):
        # A code typed into a number cell ("1.003560" became 1.00356): restore the six digits.
        return f"{value:.6f}"
    text = re.sub(r"\s+", "", clean(str(value))) if value is not None else ""
    if not text:
        raise CellError("thiếu mã TTHC")
    if not _CODE.fullmatch(text):
        raise CellError(f"mã TTHC '{text}' chỉ được gồm chữ, số, dấu chấm và gạch nối")
    return text


def parse_text(value: Any, what: str) -> str:
    text = clean(str(value)) if value is not None else ""
    if not text:
        raise CellError(f"thiếu {what}")
    return text


def parse_level(value: Any) -> str:
    text = fold(str(value)) if value is not None else ""
    if not text:
        raise CellError("thiếu cấp thực hiện")
    words = set(re.findall(r"[a-z]+", text))
    if "lien thong" in text or {"xa", "tinh"} <= words:  # "Cấp xã tiếp nhận, cấp tỉnh giải quyết"
        return "commune_receives_province_decides"
    if "tinh" in words or text.startswith("so "):
        return "province"
    if words & {"xa", "phuong"} or "dac khu" in text:
        return "commune"
    shown = clean(str(value))
    raise CellError(f"cấp thực hiện '{shown}' không rõ; ghi 'Cấp xã', 'Cấp tỉnh' hoặc 'Liên thông'")


_TIME = re.compile(r"(\d+(?:[.,]\d+)?)\s*(ngay lam viec|ngay|gio lam viec|gio)")


_CUTOFF = re.compile(r"sau\s+(\d{1,2})\s*(?:gio|h)\s*(\d{2})?")


def parse_processing_time(value: Any) -> dict[str, Any]:
    text = clean(str(value)) if value is not None else ""
    if not text:
        raise CellError("thiếu thời hạn giải quyết")
    folded = fold(text)
    if "trong ngay" in folded and not re.search(r"\d+\s*ngay", folded):
        # "Trong ngày", "Ngay trong ngày làm việc; sau 15 giờ thì ngày làm việc tiếp theo"
        time: dict[str, Any] = {"amount": 0, "unit": "same_day", "text": text}
        cutoff = _CUTOFF.search(folded)
        if cutoff is not None and int(cutoff.group(1)) < 24 and int(cutoff.group(2) or 0) < 60:
            time["cutoff"] = f"{int(cutoff.group(1)):02d}:{int(cutoff.group(2) or 0):02d}"
        return time
    found = _TIME.search(folded)
    if found is None:
        raise CellError(f"không hiểu thời hạn '{text}'; ghi ví dụ '05 ngày làm việc' hoặc '8 giờ làm việc'")
    number = float(found.group(1).replace(",", "."))
    unit_words = found.group(2)
    if unit_words.startswith("gio"):
        if not number.is_integer():
            raise CellError(f"số giờ '{found.group(1)}' phải là số nguyên")
        return {"amount": int(number), "unit": "working_hours", "text": text}
    # "ngày" alone is a calendar day in Vietnamese law (Bộ luật Dân sự); "ngày làm việc" is not.
    unit = "working_days" if unit_words == "ngay lam viec" else "calendar_days"
    if number.is_integer():
        return {"amount": int(number), "unit": unit, "text": text}
    if unit == "working_days":  # half days: counted in hours at 8 working hours a day
        return {"amount": round(number * 8), "unit": "working_hours", "text": text}
    raise CellError(f"số ngày '{found.group(1)}' phải là số nguyên")


_FREE = {"", "khong", "khong co", "mien phi", "khong thu", "mien", "khong quy dinh", "-"}
_AMOUNT = re.compile(r"(\d{1,3}(?:[.,]\d{3})+|\d+)\s*(?:dong|d\b|vnd|vn d)")
_FEE_NAME = re.compile(r"^(.*?)\s*[:：]")


def parse_fees(value: Any) -> list[dict[str, Any]]:
    text = clean(str(value)) if value is not None else ""
    if fold(text).strip(" .") in _FREE:
        return []
    fees = []
    for part in re.split(r"[;\n]", str(value)):
        part = clean(part).strip(" -+•")
        folded = fold(part)
        if not part or folded.strip(" .") in _FREE or folded.startswith(("mien", "khong thu")):
            continue  # "Miễn lệ phí", "Không thu phí": free
        kind = "le_phi" if "le phi" in folded else "phi"
        named = _FEE_NAME.match(part)
        name = named.group(1).strip() if named else ("Lệ phí" if kind == "le_phi" else "Phí")
        amount = _AMOUNT.search(folded)
        if amount is None and re.fullmatch(r"\d{1,3}(?:[.,]\d{3})+|\d+", folded):
            amount = re.match(r"(.+)", folded)  # a bare number: đồng by convention
        # Unreadable amounts ("theo quy định của HĐND tỉnh") are kept as text for the province to confirm.
        vnd = None if amount is None else int(re.sub(r"[.,]", "", amount.group(1)))
        fees.append(
            {"kind": kind, "name": name, "amount_vnd": vnd, "note": part, "needs_confirmation": vnd is None}
        )
    return fees


def parse_list(value: Any) -> list[str]:
    """Legal bases: one per line or separated by ';', bullets removed."""
    text = str(value) if value is not None else ""
    items = [clean(x).lstrip("-+•* ").strip() for x in re.split(r"[;\n]", text)]
    return [x for x in items if x]


_ACTIONS = (
    ("abolish", ("bai bo", "huy bo", "bo", "abolish")),
    ("amend", ("sua doi", "sua doi, bo sung", "sua doi bo sung", "thay the", "sua", "amend")),
    ("add", ("them moi", "them", "moi", "ban hanh moi", "moi ban hanh", "cong bo moi", "add")),
)


def parse_action(value: Any) -> str | None:
    """None for an empty cell (then the store decides: a known code is an amendment)."""
    text = fold(str(value)).strip(" .") if value is not None else ""
    if not text:
        return None
    for action, words in _ACTIONS:
        if text in words:
            return action
    for action, words in _ACTIONS:  # "Sửa đổi, bổ sung theo Nghị định 133" and the like
        if any(len(w) > 3 and w in text for w in words):
            return action
    raise CellError(f"hình thức '{clean(str(value))}' không rõ; ghi 'Thêm mới', 'Sửa đổi' hoặc 'Bãi bỏ'")


def heading_action(text: str) -> str | None:
    folded = fold(text)
    if "bai bo" in folded:
        return "abolish"
    if "sua doi" in folded or "thay the" in folded:
        return "amend"
    if "ban hanh moi" in folded or "moi ban hanh" in folded or "them moi" in folded:
        return "add"
    return None


def heading_field(text: str) -> str | None:
    """"I. Lĩnh vực Bưu chính" → "Bưu chính"."""
    words = clean(text).split(" ")
    folded = [fold(w).strip(":.") for w in words]
    for i in range(len(words) - 1):
        if folded[i] == "linh" and folded[i + 1] == "vuc":
            rest = " ".join(words[i + 2 :]).strip(" :.-")
            return rest[:1].upper() + rest[1:] if rest else None
    return None


def parse_date(value: Any) -> str:
    if isinstance(value, dt.datetime):
        return value.date().isoformat()
    if isinstance(value, dt.date):
        return value.isoformat()
    text = clean(str(value)) if value is not None else ""
    for fmt in ("%d/%m/%Y", "%Y-%m-%d", "%d-%m-%Y", "%d.%m.%Y"):
        try:
            return dt.datetime.strptime(text, fmt).date().isoformat()
        except ValueError:
            continue
    raise CellError(f"ngày '{text}' không hợp lệ; ghi dạng dd/mm/yyyy")
