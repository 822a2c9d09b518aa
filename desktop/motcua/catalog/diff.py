"""Field-level differences between two versions of a procedure, in words a desk officer reads.

Components are matched by name, fees by kind and name, forms by id: a renamed component shows
as one removed and one added, which is what it is for the applicant.
"""

from __future__ import annotations

import difflib
import sqlite3
from collections.abc import Callable, Iterator, Mapping
from dataclasses import dataclass
from typing import Any

from motcua.catalog.repository import get_document
from motcua.domain.text import fold

LABELS = {
    "name": "Tên thủ tục",
    "sector": "Ngành",
    "field": "Lĩnh vực",
    "level": "Cấp thực hiện",
    "processing_time": "Thời hạn giải quyết",
    "fees": "Phí, lệ phí",
    "components": "Thành phần hồ sơ",
    "sets": "Số bộ hồ sơ",
    "channels": "Cách thức thực hiện",
    "steps": "Trình tự thực hiện",
    "result": "Kết quả",
    "legal_basis": "Căn cứ pháp lý",
    "publishing_decision": "Quyết định công bố",
    "effective_from": "Ngày có hiệu lực",
    "effective_until": "Ngày hết hiệu lực",
    "guidance": "Hướng dẫn nghiệp vụ",
    "forms": "Mẫu đơn, tờ khai",
    "provenance": "Nguồn",
}
_COMPONENT_ATTRS = {
    "kind": "loại bản", "copies": "số bản", "required": "bắt buộc", "form": "mẫu", "note": "ghi chú",
}
_FEE_ATTRS = {"amount_vnd": "mức thu", "note": "ghi chú", "needs_confirmation": "cần xác nhận"}
_FORM_ATTRS = {"title": "tiêu đề", "basis": "căn cứ", "addressee": "kính gửi"}
_FIELD_ATTRS = {
    "label": "nhãn", "type": "kiểu", "required": "bắt buộc", "source": "lấy từ", "options": "lựa chọn",
}
Key = Callable[[dict[str, Any]], str]


@dataclass(frozen=True)
class Change:
    area: str  # "text" | "time" | "fee" | "component" | "list" | "form"
    path: str  # "components[Tờ khai …].copies", "fees[le_phi:Lệ phí …]", "name"
    kind: str  # "added" | "removed" | "changed"
    old: Any = None
    new: Any = None
    label: str = ""  # Vietnamese, e.g. "Thành phần hồ sơ «Tờ khai …»: số bản"

    def __str__(self) -> str:
        if self.kind == "added":
            return f"+ {self.label}: {_show(self.new)}"
        if self.kind == "removed":
            return f"- {self.label}: {_show(self.old)}"
        return f"~ {self.label}: {_show(self.old)} → {_show(self.new)}"


def _show(value: Any) -> str:
    if value is None:
        return "(không có)"
    if isinstance(value, bool):
        return "có" if value else "không"
    if isinstance(value, int):
        return f"{value:,}".replace(",", ".")
    if isinstance(value, Mapping):
        if "amount_vnd" in value:  # a fee
            amount = "chưa rõ" if value["amount_vnd"] is None else f"{_show(value['amount_vnd'])} đồng"
            return f"{value['name']} ({amount})"
        if "copies" in value:  # a component
            return f"{value['name']} ({value['kind']}, {value['copies']} bản)"
        if "unit" in value:  # processing time
            return f"{value['text']} [{value['amount']} {value['unit']}]"
        if "sources" in value:  # provenance
            return "; ".join(value["sources"]) + (f" — {value['note']}" if value.get("note") else "")
        if "label" in value:  # a form field
            return f"{value['id']}: {value['label']} ({value['type']})"
        if "title" in value:  # a form
            return f"{value['id']}: {value['title']}"
        return str(dict(value))
    if isinstance(value, list | tuple):
        return "; ".join(_show(v) for v in value) or "(trống)"
    text = str(value)
    return text if len(text) <= 200 else text[:199] + "…"


def _keyed(
    area: str, path: str, label: str, old: list[dict[str, Any]], new: list[dict[str, Any]], key: Key,
    attrs: dict[str, str],
) -> Iterator[Change]:
    before = {key(item): item for item in old}
    after = {key(item): item for item in new}
    for k, item in before.items():
        if k not in after:
            yield Change(area, f"{path}[{k}]", "removed", item, None, label)
    for k, item in after.items():
        if k not in before:
            yield Change(area, f"{path}[{k}]", "added", None, item, label)
            continue
        for attr, word in attrs.items():
            a, b = before[k].get(attr), item.get(attr)
            if a != b:
                title = item.get("name") or item.get("label") or item.get("title") or k
                yield Change(area, f"{path}[{k}].{attr}", "changed", a, b, f"{label} «{title}»: {word}")


def _forms(old: list[dict[str, Any]], new: list[dict[str, Any]]) -> Iterator[Change]:
    yield from _keyed("form", "forms", LABELS["forms"], old, new, lambda f: f["id"], _FORM_ATTRS)
    before = {f["id"]: f for f in old}
    for form in new:
        if form["id"] in before:
            yield from _keyed(
                "form", f"forms[{form['id']}].fields", f"Ô của mẫu «{form['id']}»",
                before[form["id"]]["fields"], form["fields"], lambda x: x["id"], _FIELD_ATTRS,
            )


def _text(name: str, a: Any, b: Any) -> Iterator[Change]:
    if a == b:
        return
    if name == "guidance" and a and b:
        lines = list(difflib.unified_diff(a.splitlines(), b.splitlines(), lineterm="", n=0))
        plus = sum(1 for x in lines if x.startswith("+") and not x.startswith("+++"))
        minus = sum(1 for x in lines if x.startswith("-") and not x.startswith("---"))
        yield Change("text", name, "changed", f"{minus} dòng cũ", f"{plus} dòng mới", LABELS[name])
        return
    yield Change("time" if name == "processing_time" else "text", name, "changed", a, b, LABELS[name])


def _list(name: str, a: list[str], b: list[str]) -> Iterator[Change]:
    if a == b:
        return
    removed = [x for x in a if x not in b]
    added = [x for x in b if x not in a]
    for item in removed:
        yield Change("list", name, "removed", item, None, LABELS[name])
    for item in added:
        yield Change("list", name, "added", None, item, LABELS[name])
    if not removed and not added:
        yield Change("list", name, "changed", a, b, f"{LABELS[name]} (thứ tự)")


def diff_documents(old: Mapping[str, Any], new: Mapping[str, Any]) -> list[Change]:
    """What changed from old to new, field by field (the version number itself is not a change)."""
    changes: list[Change] = []
    for name in ("name", "sector", "field", "level", "processing_time", "sets", "result",
                 "publishing_decision", "effective_from", "effective_until", "guidance", "provenance"):
        changes.extend(_text(name, old.get(name), new.get(name)))
    for name in ("channels", "steps", "legal_basis"):
        changes.extend(_list(name, list(old.get(name, [])), list(new.get(name, []))))
    changes.extend(
        _keyed("fee", "fees", LABELS["fees"], old.get("fees", []), new.get("fees", []),
               lambda f: f"{f['kind']}:{fold(f['name'])}", _FEE_ATTRS)
    )
    changes.extend(
        _keyed("component", "components", LABELS["components"], old.get("components", []),
               new.get("components", []),
               lambda c: fold(c["name"]), _COMPONENT_ATTRS)
    )
    changes.extend(_forms(old.get("forms", []), new.get("forms", [])))
    return changes


def diff(conn: sqlite3.Connection, code: str, v1: int, v2: int) -> list[Change]:
    """Changes from version v1 to version v2 of one procedure (raises ProcedureNotFound)."""
    return diff_documents(get_document(conn, code, v1), get_document(conn, code, v2))


def format_changes(changes: list[Change], *, title: str = "") -> str:
    lines = [title] if title else []
    lines.extend(str(c) for c in changes)
    if not changes:
        lines.append("Không có thay đổi.")
    return "\n".join(lines)
