"""Thông báo dừng giải quyết hồ sơ (TT 03/2025 Mẫu 05)."""

from __future__ import annotations

from reportlab.platypus import Flowable, Paragraph

from motcua.forms.blocks import (
    corner_label,
    keep_with_signature,
    line,
    national_header,
    recipient_lines,
    recipients_and_signature,
    title_block,
)
from motcua.forms.dates import date_words
from motcua.forms.formsets import TemplateSpec
from motcua.forms.layout import PORTRAIT, esc, styles
from motcua.forms.model import Signature, StopNoticeData


def story(data: StopNoticeData, spec: TemplateSpec) -> list[Flowable]:
    st = styles()
    agency = data.agency.name
    name = data.applicant.name
    flow: list[Flowable] = [
        corner_label(spec, st),
        national_header(data.agency, spec, data.number, data.issued_on),
        *title_block(spec, st),
        Paragraph(esc(spec.text("to", applicant=name)), st.addressee),
        Paragraph(esc(spec.text("received", received=date_words(data.received_at).removeprefix("ngày "),
                                agency=agency, applicant=name)), st.body_indent),
        line(spec.text("request_label"), data.procedure_name, st),
        line(spec.text("code_label"), data.dossier_code, st, bold_value=True),
        Paragraph(esc(spec.text("stop", agency=agency)), st.body_indent),
        line(spec.text("reason_label"), data.reason, st),
        Paragraph(esc(spec.text("closing")), st.body_indent),
    ]
    signature = recipients_and_signature(
        spec.text("recipients_title"), recipient_lines(spec, data.agency.short_name),
        Signature(data.signer_title, data.signer_name, spec.text("sign_hint")), st, PORTRAIT.text_width)
    return keep_with_signature(flow, 1, signature)
