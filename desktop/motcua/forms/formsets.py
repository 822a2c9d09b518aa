"""Form sets as data: which templates a legal set has, their numbers, titles and fixed wording.

A commune's setting ``form_set`` ("tt01_2018" or "tt03_2025") picks the set; the definitions are the
JSON files under ``db/forms``. Code never spells a legal title.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from functools import cache
from types import MappingProxyType
from typing import Any

from motcua.domain.text import nfc
from motcua.forms.paths import form_sets_dir

DEFAULT_FORM_SET = "tt03_2025"
FORM_KINDS = ("receipt", "supplement", "refusal", "apology", "stop", "control", "book")


class UnknownFormSet(LookupError):
    """No definition file for the requested set."""


class FormNotInSet(LookupError):
    """The chosen legal set has no template of this kind (TT 01/2018 has no stop notice)."""


@dataclass(frozen=True)
class TemplateSpec:
    kind: str
    number: str  # "Mẫu số 01"
    title: str
    subtitle: str
    numbering: str  # "{number}/TNHS"; empty when the paper carries no "Số:"
    texts: MappingProxyType[str, Any]
    set_id: str
    set_name: str  # "Thông tư số 01/2018/TT-VPCP"
    basis: str  # "Ban hành kèm theo Thông tư số … của Văn phòng Chính phủ"

    def text(self, key: str, /, **values: object) -> str:
        raw = self.texts[key]
        return nfc(raw.format(**values) if values else raw)

    def lines(self, key: str) -> tuple[str, ...]:
        return tuple(nfc(line) for line in self.texts[key])

    def number_line(self, number: str) -> str:
        """"Số: 0012/TNHS"; dots where the number is not known."""
        if not self.numbering:
            return ""
        return "Số: " + self.numbering.format(number=number or "..........")

    @property
    def label(self) -> str:
        """"Mẫu số 01 – Thông tư số 01/2018/TT-VPCP", printed small at the top right."""
        return f"{self.number} – {self.set_name}"


@dataclass(frozen=True)
class FormSet:
    id: str
    name: str
    basis: str
    implements: str
    templates: MappingProxyType[str, TemplateSpec]

    def template(self, kind: str) -> TemplateSpec:
        try:
            return self.templates[kind]
        except KeyError:
            raise FormNotInSet(f"{self.name} không có mẫu '{kind}'") from None

    def has(self, kind: str) -> bool:
        return kind in self.templates


def available_form_sets() -> tuple[str, ...]:
    return tuple(sorted(p.stem for p in form_sets_dir().glob("*.json")))


@cache
def load_form_set(set_id: str = DEFAULT_FORM_SET) -> FormSet:
    path = form_sets_dir() / f"{set_id}.json"
    if not path.is_file():
        raise UnknownFormSet(f"không có bộ biểu mẫu '{set_id}' ({path})")
    raw = json.loads(path.read_text(encoding="utf-8"))
    templates = {
        kind: TemplateSpec(
            kind=kind,
            number=nfc(t["number"]),
            title=nfc(t["title"]),
            subtitle=nfc(t.get("subtitle", "")),
            numbering=t.get("numbering", ""),
            texts=MappingProxyType(dict(t["texts"])),
            set_id=raw["id"],
            set_name=nfc(raw["name"]),
            basis=nfc(raw["basis"]),
        )
        for kind, t in raw["templates"].items()
    }
    unknown = set(templates) - set(FORM_KINDS)
    if unknown:
        raise ValueError(f"{path.name}: unknown template kinds {sorted(unknown)}")
    return FormSet(
        id=raw["id"],
        name=nfc(raw["name"]),
        basis=nfc(raw["basis"]),
        implements=nfc(raw.get("implements", "")),
        templates=MappingProxyType(templates),
    )


@cache
def sheet_texts(sheet: str) -> MappingProxyType[str, str]:
    """Fixed wording of papers outside the legal sets (guidance sheet, procedure forms)."""
    raw = json.loads((form_sets_dir() / "sheets" / "sheets.json").read_text(encoding="utf-8"))
    return MappingProxyType({key: nfc(value) for key, value in raw[sheet].items()})
