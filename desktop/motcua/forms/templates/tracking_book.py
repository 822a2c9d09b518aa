"""Sổ theo dõi hồ sơ (TT 01/2018 Mẫu 06, TT 03/2025 Mẫu 07): landscape, header repeated on each page."""

from __future__ import annotations

from reportlab.lib.units import mm
from reportlab.platypus import Flowable, LongTable, Paragraph, Spacer

from motcua.forms.blocks import corner_label, grid_style
from motcua.forms.dates import date_words, short_date
from motcua.forms.formsets import TemplateSpec
from motcua.forms.header import upper
from motcua.forms.layout import LANDSCAPE, Styles, esc, styles
from motcua.forms.model import TrackingBookData

# Column widths in mm (landscape text width is 252 mm); the summary column takes what is left. The
# code column fits "000.17.22.H56-260105-0004" on one line at 9 pt.
_WIDTHS = {"no": 9, "code": 40, "owner": 24, "address": 33, "summary": 0, "received": 17, "due": 17,
           "returned": 17, "sets": 8, "officer": 20, "area": 17, "status": 19}
BOOK_BODY_SIZE = 10  # cells are one point smaller


def _header_rows(spec: TemplateSpec, st: Styles) -> list[list[object]]:
    def head(key: str) -> Paragraph:
        return Paragraph(esc(spec.text(key)), st.cell_head)

    first = [head("col_no"), head("col_code"), head("col_owner"), head("col_address"), head("col_summary"),
             head("col_dates"), "", "", head("col_sets"), head("col_officer"), head("col_area"),
             head("col_status")]
    second = ["", "", "", "", "", head("col_received"), head("col_due"), head("col_returned"), "", "", "", ""]
    return [first, second]


def _address(address: str, phone: str, spec: TemplateSpec) -> str:
    """Address and phone share a column: "Thôn 4, xã Ea Tu; ĐT: 0905123456"."""
    if not phone:
        return esc(address)
    return f"{esc(address)}; {esc(spec.text('phone_prefix'))} {esc(phone)}" if address else esc(phone)


def story(data: TrackingBookData, spec: TemplateSpec) -> list[Flowable]:
    st = styles(BOOK_BODY_SIZE)
    page_width = LANDSCAPE.text_width
    widths = [value * mm for value in _WIDTHS.values()]
    summary_index = list(_WIDTHS).index("summary")
    widths[summary_index] = page_width - sum(widths)

    rows = _header_rows(spec, st)
    cell, centre = st.cell, st.cell_center
    for index, row in enumerate(data.rows, start=1):
        rows.append([
            Paragraph(str(index), centre), Paragraph(esc(row.code), cell), Paragraph(esc(row.owner), cell),
            Paragraph(_address(row.address, row.phone, spec), cell),
            Paragraph(esc(row.summary), cell),
            Paragraph(esc(short_date(row.received_at)), centre),
            Paragraph(esc(short_date(row.due_at)), centre),
            Paragraph(esc(short_date(row.returned_at)), centre), Paragraph(str(row.sets), centre),
            Paragraph(esc(row.receiving_officer), cell), Paragraph(esc(row.area), cell),
            Paragraph(esc(row.status), cell),
        ])
    table = LongTable(rows, colWidths=widths, repeatRows=2)
    style = grid_style(header_rows=2)
    dates = (5, 6, 7)
    for column in range(len(_WIDTHS)):
        if column not in dates:
            style.add("SPAN", (column, 0), (column, 1))
    style.add("SPAN", (dates[0], 0), (dates[-1], 0))
    style.add("BACKGROUND", (0, 0), (-1, 1), "#eeeeee")
    table.setStyle(style)

    flow: list[Flowable] = [
        corner_label(spec, st),
        Paragraph(f"<b>{esc(upper(data.agency.name))}</b>", st.cell_head),
        Paragraph(esc(spec.title), st.title),
        Paragraph(esc(spec.text("range", start=date_words(data.date_from), end=date_words(data.date_to))),
                  st.small),
    ]
    if data.volume:
        flow.append(Paragraph(esc(spec.text("volume", volume=data.volume)), st.small))
    flow += [Spacer(1, 6), table, Spacer(1, 6),
             Paragraph(esc(spec.text("total", count=len(data.rows))), st.label)]
    return flow
