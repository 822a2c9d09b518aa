"""Phiếu từ chối tiếp nhận giải quyết hồ sơ (Mẫu 03)."""

from __future__ import annotations

from reportlab.platypus import Flowable, Paragraph

from motcua.forms.blocks import (
    corner_label,
    keep_with_signature,
    line,
    national_header,
    pair_line,
    request_text,
    signatures,
    title_block,
)
from motcua.forms.formsets import TemplateSpec
from motcua.forms.layout import PORTRAIT, esc, styles
from motcua.forms.model import RefusalData, Signature


def story(data: RefusalData, spec: TemplateSpec) -> list[Flowable]:
    st = styles()
    a = data.applicant
    flow: list[Flowable] = [
        corner_label(spec, st),
        national_header(data.agency, spec, data.number, data.issued_on),
        *title_block(spec, st),
        Paragraph(esc(spec.text("intro", agency=data.agency.name)), st.label),
        line(spec.text("name_label"), a.name, st, bold_value=True),
        line(spec.text("code_label"), data.dossier_code, st, bold_value=True),
        line(spec.text("address_label"), a.address, st),
        pair_line((spec.text("phone_label"), a.phone), (spec.text("email_label"), a.email), st),
        line(spec.text("request_label"),
             request_text(data.procedure_name, data.summary), st),
        Paragraph(esc(spec.text("reason_intro", agency=data.agency.name)), st.body_indent),
    ]
    flow += [Paragraph(esc(part), st.body_indent) for part in data.reason.splitlines() if part.strip()]
    flow.append(Paragraph(esc(spec.text("closing")), st.body_indent))
    width = PORTRAIT.text_width
    signature = signatures([Signature(spec.text("sign"), data.officer, spec.text("sign_hint"))], st,
                           width / 2, align="RIGHT")
    return keep_with_signature(flow, 1, signature)
