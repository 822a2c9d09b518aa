"""The commune's settings, validated once for every entry point (``motcua init``/``settings set``, the
setup wizard, Cài đặt), and the defaults of what the official papers print.

Papers read the issuing body, its parent, the place, the desk's phone and the signers only through
:func:`paper_settings`; a value not set falls back to a default that fits Nghị định 118/2025/NĐ-CP (the
commune's Trung tâm Phục vụ hành chính công, under the commune's Ủy ban nhân dân).
"""

from __future__ import annotations

import re
import sqlite3
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import Any

from motcua.domain.calendar import OfficeHours
from motcua.domain.codes import CodeScheme, check_agency_code
from motcua.domain.text import clean
from motcua.forms.formsets import available_form_sets
from motcua.i18n import tr
from motcua.services.validation import Collector, ValidationFailed
from motcua.store.db import transaction
from motcua.store.settings import Settings, get_settings, put_values

DEFAULT_DESK_NAME = "Trung tâm Phục vụ hành chính công"
DEFAULT_SIGNER_TITLE = "GIÁM ĐỐC"
DEFAULT_REPORT_SIGNER = "CHỦ TỊCH"
MAX_TEXT = 200

# Signers per paper: key prefix → what the paper is (the letters signed for the issuing body).
SIGNED_PAPERS = {"apology": "văn bản xin lỗi", "stop": "thông báo dừng giải quyết", "report": "báo cáo định kỳ"}

_UNIT_WORDS = ("xã", "phường", "đặc khu", "thị trấn")
_PHONE = re.compile(r"^\+?[0-9 .()-]+$")


@dataclass(frozen=True)
class SettingKey:
    key: str
    label: str
    kind: str = "text"  # text | int


# Every key a person may set, in the order the CLI lists them.
KEYS: tuple[SettingKey, ...] = (
    SettingKey("province_name", "Tỉnh / thành phố"),
    SettingKey("commune_name", "Xã / phường"),
    SettingKey("agency_code", "Mã cơ quan"),
    SettingKey("agency_name", "Cơ quan chủ quản (in trên biểu mẫu)"),
    SettingKey("desk_name", "Cơ quan ban hành (in trên biểu mẫu)"),
    SettingKey("desk_short_name", "Tên viết tắt của cơ quan ban hành (dòng «Lưu: VT, …»)"),
    SettingKey("place_name", "Địa danh (dòng «…, ngày … tháng … năm …»)"),
    SettingKey("desk_phone", "Số điện thoại của bộ phận tiếp nhận"),
    SettingKey("signer_title", "Chức vụ người ký"),
    SettingKey("signer_name", "Họ tên người ký"),
    *(SettingKey(f"{paper}_signer_{part}", f"{'Chức vụ' if part == 'title' else 'Họ tên'} người ký {label}")
      for paper, label in SIGNED_PAPERS.items() for part in ("title", "name")),
    SettingKey("return_place", "Nơi trả kết quả"),
    SettingKey("office_hours", "Giờ làm việc"),
    SettingKey("form_set", "Bộ biểu mẫu"),
    SettingKey("workstation", "Số máy trạm", "int"),
    SettingKey("code_format", "Mẫu mã hồ sơ"),
    SettingKey("code_width", "Số chữ số của số thứ tự", "int"),
    SettingKey("lookup_url", "Địa chỉ tra cứu hồ sơ (mã QR)"),
    SettingKey("max_attachment_mb", "Dung lượng tối đa một tệp đính kèm (MB)", "int"),
    SettingKey("receipt_copies", "Số liên giấy tiếp nhận hồ sơ (1 hoặc 2)", "int"),
)
KEY_NAMES = {k.key: k for k in KEYS}
_REQUIRED_TEXT = ("commune_name", "return_place")
# What the papers print: empty means "the default" (paper_settings fills it in).
PAPER_KEYS = ("agency_name", "desk_name", "desk_short_name", "place_name", "desk_phone", "signer_title", "signer_name",
              *(f"{p}_signer_{part}" for p in SIGNED_PAPERS for part in ("title", "name")))
_OPTIONAL_TEXT = ("province_name", "desk_phone", "desk_short_name", "signer_title", "signer_name", "lookup_url",
                  *(f"{p}_signer_{part}" for p in SIGNED_PAPERS for part in ("title", "name")))


def key_label(key: str) -> str:
    spec = KEY_NAMES.get(key)
    return tr(spec.label) if spec else key


# -- defaults -------------------------------------------------------------------------------------

def commune_in_sentence(commune: str) -> str:
    """"Xã Ea Kao" → "xã Ea Kao": the unit word in lower case inside a name."""
    name = clean(commune)
    lowered = name[:1].lower() + name[1:]
    return lowered if any(lowered.startswith(w + " ") for w in _UNIT_WORDS) else name


def default_agency_name(commune: str) -> str:
    """The governing body: "Ủy ban nhân dân xã Ea Kao" (printed in capitals)."""
    return tr("Ủy ban nhân dân {commune}", commune=commune_in_sentence(commune)) if clean(commune) else ""


def default_place_name(commune: str) -> str:
    """The place of the date line (Nghị định 30/2020, Phụ lục I, II.4.a): the proper name of the
    commune where the office sits, without its unit word, except a unit named by a number
    ("Phường 1" stays whole)."""
    name = clean(commune)
    lowered = name.lower()
    for word in _UNIT_WORDS:
        if lowered.startswith(word + " "):
            rest = name[len(word) + 1:]
            return name if rest[:1].isdigit() else rest
    return name


def initials(name: str) -> str:
    """"Trung tâm Phục vụ hành chính công" → "TTPVHCC": the usual abbreviation of a unit's name."""
    return "".join(word[0] for word in clean(name).split() if word[0].isalpha()).upper()


@dataclass(frozen=True)
class Signer:
    title: str
    name: str


@dataclass(frozen=True)
class PaperSettings:
    """What the official papers print about the issuing side, defaults filled in."""

    desk_name: str
    short_name: str
    parent_name: str
    place: str
    phone: str
    signers: Mapping[str, Signer]

    def signer(self, paper: str) -> Signer:
        return self.signers.get(paper) or self.signers["default"]


def paper_settings(conn: sqlite3.Connection, settings: Settings | None = None) -> PaperSettings:
    return paper_settings_of(settings or get_settings(conn))


def paper_settings_of(s: Settings) -> PaperSettings:
    default = Signer((s.signer_title or DEFAULT_SIGNER_TITLE).upper(), s.signer_name)
    signers = {"default": default}
    for paper in SIGNED_PAPERS:
        title, name = getattr(s, f"{paper}_signer_title"), getattr(s, f"{paper}_signer_name")
        if title or name:
            signers[paper] = Signer((title or default.title).upper(), name)
    return PaperSettings(
        desk_name=s.desk_name or DEFAULT_DESK_NAME,
        short_name=s.desk_short_name or initials(s.desk_name or DEFAULT_DESK_NAME),
        parent_name=s.agency_name or default_agency_name(s.commune_name),
        place=s.place_name or default_place_name(s.commune_name) or s.province_name,
        phone=s.desk_phone,
        signers=signers,
    )


def printed_defaults(settings: Settings) -> dict[str, str]:
    """What each paper key prints when left empty (shown greyed in Cài đặt)."""
    blank = Settings(commune_name=settings.commune_name, province_name=settings.province_name,
                     desk_name=settings.desk_name, signer_title=settings.signer_title,
                     signer_name=settings.signer_name)
    paper = paper_settings_of(blank)
    default = paper.signer("default")
    out = {"agency_name": paper.parent_name, "desk_name": DEFAULT_DESK_NAME, "desk_short_name": paper.short_name,
           "place_name": paper.place, "signer_title": DEFAULT_SIGNER_TITLE}
    for name in SIGNED_PAPERS:
        out[f"{name}_signer_title"] = default.title
        out[f"{name}_signer_name"] = default.name
    # The periodic report is the People's Committee's, signed for it by its chair.
    out["report_signer_title"], out["report_signer_name"] = DEFAULT_REPORT_SIGNER, ""
    return out


def first_run_defaults(commune: str) -> dict[str, str]:
    """What the setup wizard proposes for a commune (each can be edited there and later)."""
    return {"agency_name": default_agency_name(commune), "desk_name": DEFAULT_DESK_NAME,
            "place_name": default_place_name(commune), "signer_title": DEFAULT_SIGNER_TITLE,
            "return_place": DEFAULT_DESK_NAME}


# -- validation -----------------------------------------------------------------------------------

def _phone(value: str) -> str:
    digits = sum(c.isdigit() for c in value)
    if not _PHONE.match(value) or not 8 <= digits <= 15:
        raise ValueError(tr("Số điện thoại «{phone}» không hợp lệ (8–15 chữ số).", phone=value))
    return value


def _form_set(value: str) -> str:
    if value not in available_form_sets():
        raise ValueError(tr("Không có bộ biểu mẫu «{value}» (có: {sets}).", value=value,
                            sets=", ".join(available_form_sets())))
    return value


def _url(value: str) -> str:
    if not value.startswith(("http://", "https://")):
        raise ValueError(tr("Địa chỉ tra cứu phải bắt đầu bằng http:// hoặc https://."))
    return value


def _hours(value: str) -> str:
    try:
        return OfficeHours.parse(value).format()
    except ValueError:
        raise ValueError(tr("Giờ làm việc ghi dạng 07:00-11:30,13:30-17:00 (các buổi tăng dần).")) from None


_CHECKS: dict[str, Callable[[str], str]] = {
    "agency_code": check_agency_code, "desk_phone": _phone, "form_set": _form_set, "lookup_url": _url,
    "office_hours": _hours,
}
_RANGES = {"workstation": (0, 9), "code_width": (4, 9), "max_attachment_mb": (1, 500), "receipt_copies": (1, 2)}


def check_settings(values: Mapping[str, Any], current: Settings | None = None) -> dict[str, Any]:
    """The values cleaned and checked, or ``ValidationFailed`` naming every bad field. Only the keys
    given are checked; ``current`` completes the code scheme (format, width, workstation)."""
    errors = Collector()
    out: dict[str, Any] = {}
    for key, raw in values.items():
        spec = KEY_NAMES.get(key)
        if spec is None:
            if key == "device_id":  # set by the program, never by a person
                out[key] = raw
                continue
            errors.add(key, tr("Không có cài đặt «{key}».", key=key))
            continue
        if spec.kind == "int":
            try:
                number = int(str(raw).strip())
            except ValueError:
                errors.add(key, tr("{label} phải là số nguyên.", label=key_label(key)))
                continue
            low, high = _RANGES[key]
            if not low <= number <= high:
                errors.add(key, tr("{label} phải từ {low} đến {high}.", label=key_label(key), low=low, high=high))
                continue
            out[key] = number
            continue
        text = clean(str(raw if raw is not None else ""))
        if len(text) > MAX_TEXT:
            errors.add(key, tr("{label} dài quá {n} ký tự.", label=key_label(key), n=MAX_TEXT))
            continue
        if key in _REQUIRED_TEXT and not text:
            errors.add(key, tr("Chưa nhập {label}.", label=key_label(key).lower()))
            continue
        if text and key in _CHECKS:
            text = errors.check(key, text, _CHECKS[key])
        elif not text and key in _CHECKS and key not in _OPTIONAL_TEXT:
            errors.add(key, tr("Chưa nhập {label}.", label=key_label(key).lower()))
            continue
        out[key] = text
    base = current or Settings()
    if {"agency_code", "code_format", "code_width", "workstation"} & set(out) and "agency_code" not in errors.errors:
        try:
            CodeScheme(out.get("agency_code", base.agency_code) or "000.00.00.H00",
                       out.get("code_format", base.code_format), out.get("code_width", base.code_width),
                       out.get("workstation", base.workstation))
        except ValueError as exc:
            errors.add("code_format", str(exc))
    errors.raise_if_any()
    return out


def save_settings(conn: sqlite3.Connection, values: Mapping[str, Any]) -> dict[str, Any]:
    """Check and write in one transaction; nothing is written when any value is refused."""
    checked = check_settings(values, get_settings(conn))
    with transaction(conn):
        put_values(conn, checked)
    return checked


__all__ = ["KEYS", "PaperSettings", "Signer", "ValidationFailed", "check_settings", "first_run_defaults",
           "paper_settings", "save_settings"]
