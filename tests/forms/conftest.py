"""Sample papers rendered once per test session, for both legal form sets."""

from __future__ import annotations

import shutil

import pytest

from motcua.forms import samples
from motcua.forms.formsets import available_form_sets, load_form_set
from motcua.forms.render import render_form, render_guidance, render_procedure_form

SAMPLE_DATA = {
    "receipt": samples.receipt,
    "supplement": samples.supplement,
    "refusal": samples.refusal,
    "apology": samples.apology,
    "stop": samples.stop_notice,
    "control": samples.control_sheet,
    "book": lambda: samples.tracking_book(40),
}


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
