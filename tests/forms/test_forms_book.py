"""The tracking book: landscape A4, hundreds of rows, its header repeated on every page."""

from __future__ import annotations

import pytest

from motcua.forms import samples
from motcua.forms.formsets import load_form_set
from motcua.forms.render import render_form
from tests.forms.forms_pdfcheck import A4, assert_has, assert_margins, page_sizes, text, words


@pytest.fixture(scope="module")
def book() -> bytes:
    return render_form("book", samples.tracking_book(300), "tt03_2025")


def test_book_is_landscape_a4_within_margins(book: bytes) -> None:
    assert all(abs(w - A4[1]) < 0.5 and abs(h - A4[0]) < 0.5 for w, h in page_sizes(book))
    assert_margins(book)


HEADINGS = ("STT", "Mã hồ sơ", "Chủ hồ sơ", "Địa chỉ, số điện thoại", "Nội dung yêu cầu", "Ngày, tháng, năm",
            "Nhận hồ sơ", "Hẹn trả kết quả", "Trả kết quả", "Số bộ", "Người tiếp nhận", "Lĩnh vực", "Trạng thái")


def test_header_repeats_on_every_page(book: bytes) -> None:
    pages = words(book)
    assert len(pages) >= 10
    for number, page in enumerate(pages, start=1):
        stt = next(w for w in page.words if w.text == "STT")
        first_row = min(w.y0 for w in page.words if w.text.startswith("000.17.22.H56-"))
        band = {w.text for w in page.words if stt.y0 - 30 < w.y0 < first_row}
        for heading in HEADINGS:
            assert set(heading.split()) <= band, f"page {number} lacks the heading {heading!r}"


def test_every_row_is_printed_once_in_order(book: bytes) -> None:
    data = samples.tracking_book(300)
    numbers = []
    for page in words(book):
        left = min(w.x0 for w in page.words)
        column = sorted((w for w in page.words if w.text.isdigit() and w.x0 < left + 30 and w.y0 > 80),
                        key=lambda w: w.y0)
        numbers += [int(w.text) for w in column]
    assert numbers == list(range(1, 301))
    content = text(book)
    first, last = data.rows[0], data.rows[-1]
    assert_has(content, first.code, last.code, "05/01/2026", "Tổng số: 300 hồ sơ.")


def test_page_numbers_from_page_two(book: bytes) -> None:
    from tests.forms.forms_pdfcheck import is_page_number

    pages = words(book)
    assert not any(is_page_number(w, pages[0], 0) for w in pages[0].words)
    assert all(any(is_page_number(w, p, i) for w in p.words) for i, p in enumerate(pages) if i > 0)


def test_book_title_and_range_in_both_sets() -> None:
    for set_id, number in (("tt01_2018", "Mẫu số 06"), ("tt03_2025", "Mẫu số 07")):
        pdf = render_form("book", samples.tracking_book(5), set_id)
        assert_has(text(pdf), number, load_form_set(set_id).template("book").title,
                   "Từ ngày 05 tháng 01 năm 2026 đến ngày 05 tháng 01 năm 2026")


def test_empty_book_still_prints_its_header() -> None:
    pdf = render_form("book", samples.tracking_book(0), "tt03_2025")
    assert_has(text(pdf), "SỔ THEO DÕI HỒ SƠ", "Mã hồ sơ", "Tổng số: 0 hồ sơ.")
