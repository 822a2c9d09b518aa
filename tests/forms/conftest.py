"""Sample papers rendered once per test session, for both legal form sets."""

from __future__ import annotations

import json
import shutil
from collections.abc import Mapping
from pathlib import Path
from typing import Any

import pytest

from motcua.forms import samples
from motcua.forms.formsets import available_form_sets, load_form_set
from motcua.forms.render import render_form, render_guidance, render_procedure_form
from motcua.paths import install_root

SAMPLE_DATA = {
    "receipt": samples.receipt,
    "supplement": samples.supplement,
    "refusal": samples.refusal,
    "apology": samples.apology,
    "stop": samples.stop_notice,
    "control": samples.control_sheet,
    "book": lambda: samples.tracking_book(40),
}


def catalog_root(tmp_path: Path, monkeypatch: pytest.MonkeyPatch, *procedures: Mapping[str, Any]) -> Path:
    """An install root like the shipped one whose catalog holds only ``procedures``."""
    shipped_root = install_root()
    root = tmp_path / "root"
    (root / "db" / "catalog" / "procedures").mkdir(parents=True)
    for part in (("db", "forms"), ("db", "migrations"), ("resources",)):
        (root.joinpath(*part)).symlink_to(shipped_root.joinpath(*part))
    schema = shipped_root / "db" / "catalog" / "procedure.schema.json"
    (root / "db" / "catalog" / "procedure.schema.json").symlink_to(schema)
    for procedure in procedures:
        (root / "db" / "catalog" / "procedures" / f"{procedure['code']}.json").write_text(
            json.dumps(procedure, ensure_ascii=False), encoding="utf-8")
    monkeypatch.setenv("MOTCUA_ROOT", str(root))
    return root


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    if shutil.which("pdftotext") is None:  # installer/test.sh installs poppler-utils
        raise pytest.UsageError("the forms tests need poppler-utils (pdftotext, pdftoppm, pdffonts)")


@pytest.fixture(scope="session")
def papers() -> dict[tuple[str, str], bytes]:
    """(set id, kind) → PDF bytes for every template of every set."""
    out = {}
    for set_id in available_form_sets():
        form_set = load_form_set(set_id)
        for kind in form_set.templates:
            out[(set_id, kind)] = render_form(kind, SAMPLE_DATA[kind](), form_set)
    return out


@pytest.fixture(scope="session")
def extra_papers() -> dict[str, bytes]:
    return {
        "form_blank": render_procedure_form(samples.procedure_form(False)),
        "form_filled": render_procedure_form(samples.procedure_form(True)),
        "guidance": render_guidance(samples.guidance()),
    }
