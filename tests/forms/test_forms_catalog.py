"""Every form and guidance text of the shipped catalog prints within the margins, diacritics intact."""

from __future__ import annotations

import json
import re
from datetime import date
from pathlib import Path

import pytest

from motcua.catalog.fees import describe
from motcua.catalog.model import fee_from_dict
from motcua.forms import content, samples
from motcua.forms.render import render_guidance, render_procedure_form
from motcua.paths import shipped
from tests.forms.forms_pdfcheck import assert_has, assert_margins, text

CATALOG = sorted(shipped("db", "catalog", "procedures").glob("*.json"))
WITH_FORMS = [p for p in CATALOG if json.loads(p.read_text(encoding="utf-8")).get("forms")]


def test_the_catalog_ships_with_forms() -> None:
    assert len(CATALOG) >= 40 and len(WITH_FORMS) >= 10


@pytest.mark.parametrize("path", WITH_FORMS, ids=lambda p: p.stem)
def test_shipped_procedure_forms_print(path: Path) -> None:
    definition = json.loads(path.read_text(encoding="utf-8"))
    for form in definition["forms"]:
        blank = render_procedure_form(content.procedure_form_view(definition, form["id"]))
        assert_margins(blank)
        assert_has(text(blank, layout=False), form["title"], *(f["label"] for f in form["fields"]))
        values = {"applicant.name": "Nguyễn Thị Hồng Nhung", "applicant.id_number": "066195001234",
                  "applicant.address": "Buôn Ea Kao, xã Ea Kao, tỉnh Đắk Lắk", "applicant.phone": "0905123456",
                  "applicant.email": "nhung@example.vn", "dossier.summary": "Đề nghị giải quyết theo quy định",
                  "dossier.code": "000.17.22.H56-260205-0001", "commune.name": "Xã Ea Kao"}
        filled = render_procedure_form(content.procedure_form_view(definition, form["id"], values,
                                                                   place="Ea Kao", issued_on=date(2026, 2, 5)))
        used = {f["source"] for f in form["fields"] if f.get("source")}
        assert_has(text(filled, layout=False), *(values[s] for s in used), "Ea Kao, ngày 05 tháng 02 năm 2026")


def test_shipped_guidance_sheets_print() -> None:
    for path in CATALOG:
        definition = json.loads(path.read_text(encoding="utf-8"))
        pdf = render_guidance(content.guidance_view(definition, samples.AGENCY, date(2026, 2, 5)))
        assert_margins(pdf)
        extracted = text(pdf, layout=False)
        # pdftotext drops a hyphen that ends a line ("Lao động -⏎Thương binh" → "Lao động Thương binh")
        dash = re.compile(r"\s-\s")
        assert_has(dash.sub(" ", extracted), dash.sub(" ", definition["name"]), f"Mã thủ tục: {definition['code']}")
        for fee in definition["fees"]:
            if fee.get("percent") is not None:  # a rate, said as the rate
                assert_has(extracted, describe(fee_from_dict(fee)))
            elif fee["amount_vnd"] is None and fee.get("note"):
                assert_has(extracted, fee["note"])


def test_print_from_the_catalog_loaded_into_the_store(tmp_path: Path) -> None:
    """`motcua init` loads the shipped catalog into the store; the papers then read it from there."""
    from motcua.catalog import load_shipped
    from motcua.cli import main
    from motcua.store.db import open_store, transaction
    from motcua.store.settings import put_values

    definition = json.loads(WITH_FORMS[0].read_text(encoding="utf-8"))
    conn = open_store(tmp_path / "motcua.sqlite3")
    with transaction(conn):
        put_values(conn, {"commune_name": "Xã Ea Kao", "province_name": "Đắk Lắk", "agency_code": "000.17.22.H56",
                          "agency_name": "UBND XÃ EA KAO"})
    load_shipped(conn)
    assert content.procedure_definition(conn, definition["code"])["name"] == definition["name"]
    conn.close()
    guidance = tmp_path / "g.pdf"
    form = tmp_path / "f.pdf"
    base = ["--data-dir", str(tmp_path), "print"]
    assert main([*base, "guidance", definition["code"], "-o", str(guidance)]) == 0
    assert main([*base, "procedure-form", definition["forms"][0]["id"], "--procedure", definition["code"],
                 "-o", str(form)]) == 0
    assert_has(text(guidance.read_bytes(), layout=False), definition["name"], "UBND XÃ EA KAO")
    assert_has(text(form.read_bytes(), layout=False), definition["forms"][0]["title"])
