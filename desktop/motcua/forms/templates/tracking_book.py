"""Sổ theo dõi hồ sơ (TT 01/2018 Mẫu 06, TT 03/2025 Mẫu 07): landscape, header repeated on each page."""

from __future__ import annotations

from reportlab.lib.units import mm
from reportlab.platypus import Flowable, LongTable, PageBreak, Paragraph, Spacer, Table, TableStyle

from motcua.domain.text import nfc
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


def _style() -> TableStyle:
    style = grid_style(header_rows=2)
    dates = (5, 6, 7)
    for column in range(len(_WIDTHS)):
        if column not in dates:
            style.add("SPAN", (column, 0), (column, 1))
    style.add("SPAN", (dates[0], 0), (dates[-1], 0))
    style.add("BACKGROUND", (0, 0), (-1, 1), "#eeeeee")
    # Plain-string cells: the cell font (the paragraphs carry their own), centred but for the code.
    style.add("FONTSIZE", (0, 2), (-1, -1), BOOK_BODY_SIZE - 1)
    style.add("LEADING", (0, 2), (-1, -1), (BOOK_BODY_SIZE - 1) * 1.18)
    for column in (0, 5, 6, 7, 8):
        style.add("ALIGN", (column, 2), (column, -1), "CENTER")
    return style


def _height(flowables: list[Flowable], width: float) -> float:
    total = 0.0
    for flowable in flowables:
        total += flowable.wrap(width, LANDSCAPE.text_height)[1]
        total += flowable.getSpaceBefore() + flowable.getSpaceAfter()
    return total


def paginate(row_heights: list[float], header: float, first_page: float, other_pages: float) -> list[range]:
    """Split body rows into runs that fit a page under the repeated two-row header."""
    pages: list[range] = []
    start, used, room = 0, header, first_page
    for index, height in enumerate(row_heights):
        if used + height > room and index > start:
            pages.append(range(start, index))
            start, used, room = index, header, other_pages
        used += height
    pages.append(range(start, len(row_heights)))
    return pages


def story(data: TrackingBookData, spec: TemplateSpec) -> list[Flowable]:
    """One table per page, each with the header rows: the rows are measured once and paginated here
    (a single LongTable re-measures every remaining row at each page break, quadratic in the rows)."""
    st = styles(BOOK_BODY_SIZE)
    page_width = LANDSCAPE.text_width
    widths = [value * mm for value in _WIDTHS.values()]
    summary_index = list(_WIDTHS).index("summary")
    widths[summary_index] = page_width - sum(widths)

    header = _header_rows(spec, st)
    cell = st.cell
    body: list[list[object]] = []
    for index, row in enumerate(data.rows, start=1):
        # Cells that never wrap (number, code, dates, sets) are plain strings: a Paragraph costs an XML
        # parse and a line-breaking pass each, which dominates a book of hundreds of rows.
        body.append([
            str(row.number or index), nfc(row.code), Paragraph(esc(row.owner), cell),
            Paragraph(_address(row.address, row.phone, spec), cell),
            Paragraph(esc(row.summary), cell),
            short_date(row.received_at), short_date(row.due_at), short_date(row.returned_at), str(row.sets),
            Paragraph(esc(row.receiving_officer), cell), Paragraph(esc(row.area), cell),
            Paragraph(esc(row.status), cell),
        ])

    title: list[Flowable] = [
        corner_label(spec, st),
        Paragraph(f"<b>{esc(upper(data.agency.name))}</b>", st.subtitle),
        Paragraph(esc(spec.title), st.title),
        Paragraph(esc(spec.text("range", start=date_words(data.date_from), end=date_words(data.date_to))),
                  st.small),
    ]
    if data.volume:
        title.append(Paragraph(esc(spec.text("volume", volume=data.volume)), st.small))
    title.append(Spacer(1, 6))

    measure = Table(header + body, colWidths=widths)
    measure.setStyle(_style())
    measure.wrap(page_width, 1e9)  # a tall page: every row measured, none skipped
    heights = list(measure._rowHeights)
    slack = 4  # rounding in the frame's arithmetic
    pages = paginate(heights[2:], sum(heights[:2]),
                     LANDSCAPE.text_height - _height(title, page_width) - slack, LANDSCAPE.text_height - slack)

    flow: list[Flowable] = list(title)
    for number, rows in enumerate(pages):
        if number:
            flow.append(PageBreak())
        # A LongTable still: should a page be misjudged, it splits and repeats the header itself.
        table = LongTable(header + body[rows.start:rows.stop], colWidths=widths, repeatRows=2,
                          rowHeights=heights[:2] + heights[2 + rows.start:2 + rows.stop])
        table.setStyle(_style())
        flow.append(table)
    flow += [Spacer(1, 6), Paragraph(esc(spec.text("total", count=len(data.rows))), st.label)]
    return flow
