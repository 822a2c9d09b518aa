"""Phiếu yêu cầu bổ sung, hoàn thiện hồ sơ (Mẫu 02)."""

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
from motcua.forms.model import Signature, SupplementData


def story(data: SupplementData, spec: TemplateSpec) -> list[Flowable]:
    st = styles()
    a = data.applicant
    flow: list[Flowable] = [
        corner_label(spec, st),
        national_header(data.agency, spec, data.number, data.issued_on),
        *title_block(spec, st),
        line(spec.text("applicant_label"), a.name, st, bold_value=True),
        line(spec.text("code_label"), data.dossier_code, st, bold_value=True),
        line(spec.text("request_label"),
             request_text(data.procedure_name, data.summary), st),
        line(spec.text("address_label"), a.address, st),
        pair_line((spec.text("phone_label"), a.phone), (spec.text("email_label"), a.email), st),
    ]
    if data.items:  # no list at all rather than an introduction with nothing under it
        flow.append(Paragraph(esc(spec.text("items_intro")), st.label))
        flow += [Paragraph(f"{index}. {esc(item)}", st.bullet) for index, item in enumerate(data.items, 1)]
    flow.append(line(spec.text("reason_label"), data.reason, st))
    flow.append(Paragraph(esc(spec.text("contact", officer=data.officer or "...........",
                                        phone=data.contact_phone or "...........")), st.body_indent))
    signature = signatures([Signature(spec.text("sign"), data.officer, spec.text("sign_hint"))], st,
                           PORTRAIT.text_width / 2, align="RIGHT")
    return keep_with_signature(flow, 1, signature)
