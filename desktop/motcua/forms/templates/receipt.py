"""Giấy tiếp nhận hồ sơ và hẹn trả kết quả (Mẫu 01 in both sets)."""

from __future__ import annotations

from reportlab.lib.units import mm
from reportlab.platypus import Flowable, LongTable, Paragraph, Spacer, Table

from motcua.forms.blocks import (
    corner_label,
    grid_style,
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
from motcua.forms.layout import PORTRAIT, Styles, esc, styles
from motcua.forms.model import ReceiptData, Signature
from motcua.forms.words import amount_in_words, format_amount

QR_SIZE = 27 * mm


def _count(value: int) -> str:
    return str(value) if value else ""


def documents_table(data: ReceiptData, spec: TemplateSpec, st: Styles, width: float) -> Flowable:
    head = [Paragraph(esc(spec.text(key)), st.cell_head)
            for key in ("col_no", "col_name", "col_original", "col_certified", "col_photocopy")]
    rows: list[list[object]] = [head]
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
    table = LongTable(rows, colWidths=widths, repeatRows=1)
    table.setStyle(grid_style())
    return table


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


def story(data: ReceiptData, spec: TemplateSpec) -> list[Flowable]:
    st = styles()
    width = PORTRAIT.text_width
    issued = data.issued_on or data.received_at.date()
    request = request_text(data.procedure_name, data.summary)
    flow: list[Flowable] = [
        corner_label(spec, st),
        national_header(data.agency, spec, data.number, issued),
        *title_block(spec, st),
        Paragraph(f"{esc(spec.text('code_label'))} <b>{esc(data.dossier_code)}</b>", st.title),
        Spacer(1, 4),
        _identity(data, spec, st, width),
        line(spec.text("request_label"), request, st),
        Paragraph(esc(spec.text("documents_label")), st.label),
        documents_table(data, spec, st, width),
        Spacer(1, 4),
        line(spec.text("sets_label"), f"{data.sets:02d} {spec.text('sets_unit')}", st),
        line(spec.text("time_label"), data.processing_time, st),
        line(spec.text("received_label"), time_words(data.received_at), st),
        line(spec.text("due_label"), time_words(data.due_at), st),
        line(spec.text("place_label"), data.return_place, st),
        *fee_lines(data, spec, st),
        Paragraph(esc(spec.text("book_line_filled", volume=data.book_volume, number=data.book_number)
                      if data.book_number else spec.text("book_line")), st.label),
        signatures([
            Signature(spec.text("sign_applicant"), data.applicant.name, spec.text("sign_hint")),
            Signature(spec.text("sign_officer"), data.receiving_officer, spec.text("sign_hint")),
        ], st, width),
    ]
    return flow
