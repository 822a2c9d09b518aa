"""«Quyển số / Số thứ tự»: the receipt and the tracking book number a dossier the same way."""

from __future__ import annotations

from datetime import date

from motcua.forms import content
from motcua.forms.render import render_form
from tests.forms.forms_pdfcheck import assert_has, text
from tests.forms.test_forms_store import root, store  # noqa: F401 (the fixtures)


def test_receipt_and_book_share_the_year_and_the_order_of_reception(store) -> None:  # noqa: F811
    conn, _, code, second = store
    first = content.receipt_data(conn, code)
    assert (first.book_volume, first.book_number) == ("2026", 1)
    later = content.receipt_data(conn, second)
    assert (later.book_volume, later.book_number) == ("2026", 2)   # counted from 1 January, not per day
    assert_has(text(render_form("receipt", later, content.form_set_id(conn))),
               "Vào Sổ theo dõi hồ sơ, Quyển số: 2026 Số thứ tự: 2")
    book = content.tracking_book_data(conn, date(2026, 2, 6), date(2026, 2, 28))
    assert [(row.code, row.number) for row in book.rows] == [(second, 2)]   # the refused one takes no number
    assert book.volume == "2026"
