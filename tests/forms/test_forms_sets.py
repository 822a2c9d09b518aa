"""Form sets are data: both legal sets load, carry their basis, and agree on wording keys."""

from __future__ import annotations

import json
import unicodedata

import pytest

from motcua.forms.formsets import FormNotInSet, UnknownFormSet, available_form_sets, load_form_set
from motcua.forms.paths import form_sets_dir


def test_both_legal_sets_ship() -> None:
    assert set(available_form_sets()) >= {"tt01_2018", "tt03_2025"}


def test_tt01_2018_has_six_forms_in_order() -> None:
    s = load_form_set("tt01_2018")
    numbers = {kind: spec.number for kind, spec in s.templates.items()}
    assert numbers == {"receipt": "Mẫu số 01", "supplement": "Mẫu số 02", "refusal": "Mẫu số 03",
                       "apology": "Mẫu số 04", "control": "Mẫu số 05", "book": "Mẫu số 06"}
    assert "01/2018/TT-VPCP" in s.basis
    with pytest.raises(FormNotInSet):
        s.template("stop")


def test_tt03_2025_has_seven_forms_in_order() -> None:
    s = load_form_set("tt03_2025")
    numbers = {kind: spec.number for kind, spec in s.templates.items()}
    assert numbers == {"receipt": "Mẫu số 01", "supplement": "Mẫu số 02", "refusal": "Mẫu số 03",
                       "apology": "Mẫu số 04", "stop": "Mẫu số 05", "control": "Mẫu số 06", "book": "Mẫu số 07"}
    assert "03/2025/TT-VPCP" in s.basis and "118/2025/NĐ-CP" in s.implements
    assert s.template("apology").title == "VĂN BẢN XIN LỖI VÀ ĐỀ NGHỊ GIA HẠN THỜI GIAN GIẢI QUYẾT"


def test_every_template_records_its_legal_basis() -> None:
    for set_id in available_form_sets():
        for spec in load_form_set(set_id).templates.values():
            assert spec.set_name and spec.basis and spec.number.startswith("Mẫu số ")
            assert spec.label.startswith(spec.number)


def test_the_sets_share_wording_keys_per_template() -> None:
    a, b = load_form_set("tt01_2018"), load_form_set("tt03_2025")
    for kind in set(a.templates) & set(b.templates):
        assert set(a.template(kind).texts) == set(b.template(kind).texts), kind


def test_definition_files_are_nfc() -> None:
    for path in form_sets_dir().rglob("*.json"):
        raw = path.read_text(encoding="utf-8")
        assert unicodedata.is_normalized("NFC", raw), path
        json.loads(raw)


def test_unknown_set_is_refused() -> None:
    with pytest.raises(UnknownFormSet):
        load_form_set("tt99_2099")


def test_number_line_uses_the_sets_numbering() -> None:
    spec = load_form_set("tt03_2025").template("receipt")
    assert spec.number_line("0007") == "Số: 0007/TNHS"
    assert spec.number_line("").startswith("Số: ....")
    assert load_form_set("tt03_2025").template("control").number_line("1") == ""
