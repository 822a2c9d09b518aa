"""Issue 16: per form and set, the fixed wording printed on the PDF (read back with pdftotext) is the
wording recorded in ``db/forms/<set>.json`` — NFC-exact, in the printed lines' order: a fixed text is a run
of consecutive pdftotext lines (a wrapped paragraph), or the text of its table cell read down the cell's
column. Nothing on paper differs from the record, so the record is the one place to correct when the
official annex is found (what the record rests on, and what is unverified: docs/forms/SOURCES.md)."""

from __future__ import annotations

import dataclasses
import re
import subprocess
import unicodedata
from collections.abc import Iterator

import pytest

from motcua.forms import samples
from motcua.forms.formsets import TemplateSpec, available_form_sets, load_form_set
from motcua.forms.model import FeeLine
from motcua.forms.render import render_form
from tests.forms.conftest import SAMPLE_DATA
from tests.forms.forms_pdfcheck import PageWords, Word, words

# Texts printed only in another situation than the sample's: (kind, key) → the sample that prints it.
VARIANTS = {
    ("receipt", "fees_none"): lambda: dataclasses.replace(samples.receipt(), fees=()),
    ("receipt", "fee_unknown"): lambda: dataclasses.replace(
        samples.receipt(), fees=(FeeLine("Lệ phí đăng ký", None), FeeLine("Phí thẩm định", 50_000))),
    ("control", "no_steps"): lambda: dataclasses.replace(samples.control_sheet(), steps=()),
}
# Printed only when the receipt is made in two copies («liên»).
TWO_COPIES = {("receipt", "copy_mark_1"), ("receipt", "copy_mark_2")}
# Printed with the reading's own value instead: "Vào Sổ theo dõi hồ sơ, Quyển số: 01 Số thứ tự: 0007".
NOT_IN_SAMPLE = {("receipt", "book_line")}
CELL_GAP = 7.0  # points between the last word of a table cell and the next cell's first word, at least


def _lines(pdf: bytes) -> list[str]:
    out = subprocess.run(["pdftotext", "-enc", "UTF-8", "-", "-"], input=pdf, capture_output=True,
                         check=True).stdout.decode("utf-8")
    assert unicodedata.is_normalized("NFC", out), "pdftotext output is not NFC"
    return [re.sub(r"\s+", " ", line).strip() for line in out.splitlines() if line.strip()]


def _in_lines(fixed: str, lines: list[str]) -> bool:
    """``fixed`` within a run of consecutive lines (joined as one paragraph)."""
    for start in range(len(lines)):
        joined = ""
        for line in lines[start:start + 12]:
            joined = f"{joined} {line}".strip()
            if fixed in joined:
                return True
    return False


def _reads_down(page: PageWords, start: Word, tokens: list[str]) -> bool:
    """The words from ``start`` read ``tokens`` in order: each next word follows on the same line (no
    wider apart than a space), or begins the next line of the same cell (the leftmost word of the
    nearest line below that overlaps the cell's width so far)."""
    current, low, high = start, start.x0, start.x1
    for token in tokens[1:]:
        same = [w for w in page.words if abs(w.y0 - current.y0) < 1 and 0 <= w.x0 - current.x1 <= CELL_GAP]
        if same:
            following = min(same, key=lambda w: w.x0)
        else:
            below = [w for w in page.words if 3 < w.y0 - current.y0 <= 20
                     and w.x0 < high + CELL_GAP and w.x1 > low - CELL_GAP]
            if not below:
                return False
            top = min(w.y0 for w in below)
            following = min((w for w in below if abs(w.y0 - top) < 1), key=lambda w: w.x0)
        if following.text != token:
            return False
        current, low, high = following, min(low, following.x0), max(high, following.x1)
    return True


def _in_a_cell(fixed: str, pdf: bytes) -> bool:
    """``fixed`` read down a table cell (or any narrow column), word by word, from a word it starts with."""
    tokens = fixed.split()
    return any(_reads_down(page, word, tokens) for page in words(pdf) for word in page.words
               if word.text == tokens[0])


def _fixed_texts(spec: TemplateSpec) -> Iterator[tuple[str, str]]:
    """(key, text) for each fixed wording of the template; a text with placeholders up to the first."""
    yield "title", spec.title
    yield "label", spec.label
    if spec.subtitle:
        yield "subtitle", spec.subtitle
    for key, value in spec.texts.items():
        for n, item in enumerate([value] if isinstance(value, str) else value):
            fixed = item.split("{", 1)[0].strip()
            if len(fixed) > 1:
                yield (key if isinstance(value, str) else f"{key}[{n}]"), fixed


def _cases() -> Iterator[tuple[str, str]]:
    for set_id in available_form_sets():
        for kind in load_form_set(set_id).templates:
            yield set_id, kind


@pytest.mark.parametrize(("set_id", "kind"), list(_cases()))
def test_printed_fixed_text_is_the_recorded_text(set_id: str, kind: str) -> None:
    form_set = load_form_set(set_id)
    spec = form_set.template(kind)
    rendered: dict[str, tuple[bytes, list[str]]] = {}

    def paper(key: str) -> tuple[bytes, list[str]]:
        copies = 2 if (kind, key) in TWO_COPIES else 1
        variant = "copies" if copies == 2 else key if (kind, key) in VARIANTS else ""
        if variant not in rendered:
            data = VARIANTS[(kind, key)]() if (kind, key) in VARIANTS else SAMPLE_DATA[kind]()
            pdf = render_form(kind, data, form_set, copies=copies)
            rendered[variant] = (pdf, _lines(pdf))
        return rendered[variant]

    checked, missing = 0, []
    for key, fixed in _fixed_texts(spec):
        if (kind, key.split("[")[0]) in NOT_IN_SAMPLE:
            continue
        want = unicodedata.normalize("NFC", re.sub(r"\s+", " ", fixed))
        assert want == re.sub(r"\s+", " ", fixed), f"{set_id}/{kind}/{key}: the record is not NFC"
        pdf, lines = paper(key.split("[")[0])
        checked += 1
        if not (_in_lines(want, lines) or _in_a_cell(want, pdf)):
            missing.append((key, want))
    assert not missing, f"{set_id}/{kind}: recorded text not printed as recorded: {missing}"
    assert checked >= 8, f"{set_id}/{kind}: only {checked} fixed texts"


def test_the_book_line_prints_as_recorded_when_the_book_number_is_unknown() -> None:
    for set_id in available_form_sets():
        form_set = load_form_set(set_id)
        spec = form_set.template("receipt")
        data = dataclasses.replace(samples.receipt(), book_number="", book_volume="")
        assert _in_lines(spec.text("book_line"), _lines(render_form("receipt", data, form_set))), set_id
