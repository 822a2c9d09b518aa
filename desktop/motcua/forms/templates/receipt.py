"""Giấy tiếp nhận hồ sơ và hẹn trả kết quả (Mẫu 01 in both sets)."""

from __future__ import annotations

from reportlab.lib.units import mm
from reportlab.platypus import Flowable, LongTable, PageBreak, Paragraph, Spacer, Table

from motcua.forms.blocks import (
    corner_label,
    grid_style,
    keep_with_signature,
    line,
    national_header,
    pair_line,
    plain_style,
    qr_code,
    request_text,
    signatures,
    title_block,
)
from motcua.forms.dates import time_words
from motcua.forms.formsets import TemplateSpec
from motcua.forms.layout import PORTRAIT, Styles, build_pdf, copy_start, esc, styles
from motcua.forms.model import ReceiptData, Signature
from motcua.forms.words import amount_in_words, format_amount

QR_SIZE = 27 * mm


def _count(value: int) -> str:
    return str(value) if value else ""


TAIL_ROWS = 2  # rows carried over to the signatures' page when the table would end a page


class PageMark(Flowable):
    """Records the page it lands on (zero size), so a second pass can see where a break fell."""

    def __init__(self, marks: dict[str, int], name: str) -> None:
        super().__init__()
        self.marks, self.name = marks, name

    def wrap(self, avail_width: float, avail_height: float) -> tuple[float, float]:
        return 0, 0

    def draw(self) -> None:
        self.marks[self.name] = self.canv.getPageNumber()


def _table(rows: list[list[object]], widths: list[float]) -> LongTable:
    table = LongTable(rows, colWidths=widths, repeatRows=1)
    table.setStyle(grid_style(("TOPPADDING", (0, 1), (-1, -1), 1), ("BOTTOMPADDING", (0, 1), (-1, -1), 2)))
    return table


def documents_table(data: ReceiptData, spec: TemplateSpec, st: Styles, width: float,
                    tail_rows: int = 0) -> tuple[Flowable | None, Flowable]:
    """The documents table, its header repeated on every page. With ``tail_rows`` the last rows are
    a table of their own (header included) for the story to keep with the signatures."""
    head = [Paragraph(esc(spec.text(key)), st.cell_head)
            for key in ("col_no", "col_name", "col_original", "col_certified", "col_photocopy")]
    rows: list[list[object]] = []
    for index, doc in enumerate(data.documents, start=1):
        rows.append([
            Paragraph(str(index), st.cell_center),
            Paragraph(esc(doc.name), st.cell),
            Paragraph(_count(doc.original), st.cell_center),
            Paragraph(_count(doc.certified_copy), st.cell_center),
            Paragraph(_count(doc.photocopy), st.cell_center),
        ])
    fixed = [11 * mm, 19 * mm, 25 * mm, 19 * mm]
    widths = [fixed[0], width - sum(fixed), *fixed[1:]]
    if not tail_rows or len(rows) <= tail_rows:
        return None, _table([head, *rows], widths)
    split = len(rows) - tail_rows
    return _table([head, *rows[:split]], widths), _table([head, *rows[split:]], widths)


def _identity(data: ReceiptData, spec: TemplateSpec, st: Styles, width: float) -> Flowable:
    a = data.applicant
    left: list[Flowable] = [
        Paragraph(esc(spec.text("intro", agency=data.agency.name)), st.label),
        line(spec.text("name_label"), a.name, st, bold_value=True),
        line(spec.text("id_label"), a.id_number, st),
        line(spec.text("address_label"), a.address, st),
        pair_line((spec.text("phone_label"), a.phone), (spec.text("email_label"), a.email), st),
    ]
    right: list[Flowable] = [
        qr_code(data.qr_payload, QR_SIZE),
        Paragraph(esc(spec.text("qr_hint")), st.small),
    ]
    table = Table([[left, right]], colWidths=[width - QR_SIZE - 4 * mm, QR_SIZE + 4 * mm])
    table.setStyle(plain_style(("TOPPADDING", (0, 0), (-1, -1), 0), ("ALIGN", (1, 0), (1, 0), "RIGHT")))
    return table


def fee_lines(data: ReceiptData, spec: TemplateSpec, st: Styles) -> list[Flowable]:
    if not data.fees:
        return [line(spec.text("fees_label"), spec.text("fees_none"), st)]
    if len(data.fees) == 1 and data.fees[0].amount_vnd is not None:  # one amount: on the label's line
        fee = data.fees[0]
        words = f"({spec.text('in_words')} {amount_in_words(fee.amount_vnd or 0)})"
        return [Paragraph(f"{esc(spec.text('fees_label'))} {esc(fee.name)}: {esc(format_amount(fee.amount_vnd or 0))}"
                          f" <i>{esc(words)}</i>.", st.label)]
    out: list[Flowable] = [Paragraph(esc(spec.text("fees_label")), st.label)]
    for fee in data.fees:
        if fee.amount_vnd is None:
            out.append(Paragraph(f"- {esc(fee.name)}: {esc(fee.note or spec.text('fee_unknown'))}", st.bullet))
            continue
        words = f"({spec.text('in_words')} {amount_in_words(fee.amount_vnd)})"
        out.append(Paragraph(
            f"- {esc(fee.name)}: {esc(format_amount(fee.amount_vnd))} <i>{esc(words)}</i>.", st.bullet))
    known = [fee.amount_vnd for fee in data.fees if fee.amount_vnd is not None]
    if len(known) > 1:
        total = sum(known)
        words = f"({spec.text('in_words')} {amount_in_words(total)})"
        out.append(Paragraph(f"- Tổng cộng: <b>{esc(format_amount(total))}</b> <i>{esc(words)}</i>.",
                             st.bullet))
    return out


def story(data: ReceiptData, spec: TemplateSpec, marks: dict[str, int] | None = None,
          tail_rows: int = 0) -> list[Flowable]:
    """The receipt. ``marks`` learns the pages where the table ends and the signatures' block starts;
    ``tail_rows`` moves that many last rows of the table into the signatures' block."""
    st = styles()
    width = PORTRAIT.text_width
    issued = data.issued_on or data.received_at.date()
    request = request_text(data.procedure_name, data.summary)
    flow: list[Flowable] = [
        corner_label(spec, st),
        national_header(data.agency, spec, data.number, issued),
        *title_block(spec, st),
        Paragraph(f"{esc(spec.text('code_label'))} <b>{esc(data.dossier_code)}</b>", st.title),
        _identity(data, spec, st, width),
        line(spec.text("request_label"), request, st),
        Paragraph(esc(spec.text("documents_label")), st.label),
    ]
    body, tail = documents_table(data, spec, st, width, tail_rows)
    marks = {} if marks is None else marks
    after: list[Flowable] = [PageMark(marks, "after")]
    if body is None:
        flow += [tail, PageMark(marks, "table_end")]
    else:
        flow.append(body)
        after.append(tail)
    # What follows the table stays on one page with the signatures; when that block does not fit
    # under the table, ``build`` renders again with the table's last rows in it, so the page
    # breaks inside the table (header repeated), never between the table and the signatures.
    after += [
        Spacer(1, 3),
        line(spec.text("sets_label"), f"{data.sets:02d} {spec.text('sets_unit')}", st),
        line(spec.text("time_label"), data.processing_time, st),
        line(spec.text("received_label"), time_words(data.received_at), st),
        line(spec.text("due_label"), time_words(data.due_at), st),
        line(spec.text("place_label"), data.return_place, st),
        *fee_lines(data, spec, st),
        Paragraph(esc(spec.text("book_line_filled", volume=data.book_volume, number=data.book_number)
                      if data.book_number else spec.text("book_line")), st.label),
    ]
    signature = signatures([
        Signature(spec.text("sign_applicant"), data.applicant.name, spec.text("sign_hint")),
        Signature(spec.text("sign_officer"), data.receiving_officer, spec.text("sign_hint")),
    ], st, width, gap=0)  # the last line's own spacing stands before the signatures
    flow += keep_with_signature(after, len(after), signature)
    return flow


def build(data: ReceiptData, spec: TemplateSpec, copies: int = 1) -> bytes:
    """The receipt as PDF bytes; a second pass only when the first left the table's end alone. With two copies
    («liên»: one kept with the control sheet, one for the applicant) both are in the PDF, each from a new page,
    marked in the top margin and numbered on its own."""
    marks: dict[str, int] = {}
    tail_rows = 0
    pdf = build_pdf(story(data, spec, marks), page=PORTRAIT, title=spec.title, subject=spec.label)
    if marks.get("after", 0) > marks.get("table_end", 0) and len(data.documents) > TAIL_ROWS:
        tail_rows = TAIL_ROWS
        pdf = build_pdf(story(data, spec, tail_rows=tail_rows), page=PORTRAIT, title=spec.title,
                        subject=spec.label)
    if copies < 2:
        return pdf
    flow: list[Flowable] = []
    for number in (1, 2):
        if flow:
            flow.append(PageBreak())
        flow += [copy_start(spec.text(f"copy_mark_{number}")), *story(data, spec, tail_rows=tail_rows)]
    return build_pdf(flow, page=PORTRAIT, title=spec.title, subject=spec.label)
