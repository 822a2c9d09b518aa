"""A procedure's own đơn / tờ khai, drawn from the catalog's ``forms[].fields``: blank or filled."""

from __future__ import annotations

from reportlab.lib.enums import TA_CENTER
from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import mm
from reportlab.platypus import Flowable, KeepTogether, Paragraph, Spacer, Table

from motcua.forms.blocks import keep_with_signature, plain_style, signature_cell
from motcua.forms.dates import place_date_line
from motcua.forms.fill_lines import DottedField, TickBox
from motcua.forms.fonts import SERIF_ITALIC
from motcua.forms.formsets import sheet_texts
from motcua.forms.header import CentredNation
from motcua.forms.layout import PORTRAIT, Styles, esc, styles
from motcua.forms.model import FormField, ProcedureFormData, Signature

_TRUE = {"1", "x", "true", "có", "yes", "on"}
_MIN_LINES = {"textarea": 4}


def _field(number: int, field: FormField, value: str, st: Styles) -> list[Flowable]:
    label = f"{number}. {field.label}"
    if field.type == "checkbox":
        return [TickBox(field.label, value.strip().lower() in _TRUE)]
    if field.type == "choice" and field.options:
        out: list[Flowable] = [Paragraph(esc(label + ":"), st.label)]
        out += [TickBox(option, value == option, indent=8 * mm) for option in field.options]
        return out
    return [DottedField(label + ":", value, _MIN_LINES.get(field.type, 1))]


def story(data: ProcedureFormData) -> list[Flowable]:
    st = styles()
    texts = sheet_texts("procedure_form")
    date_style = ParagraphStyle("form_date", parent=st.label, fontName=SERIF_ITALIC, alignment=TA_CENTER)
    flow: list[Flowable] = []
    if data.basis:
        flow.append(Paragraph(esc(data.basis), st.corner))
    flow += [
        CentredNation(),
        Spacer(1, 6),
        Paragraph(esc(data.title), st.title),
        Spacer(1, 4),
        Paragraph(esc(texts["to"].format(addressee=data.addressee or "." * 40)), st.subtitle),
        Spacer(1, 4),
    ]
    checkbox_number = 0
    for number, field in enumerate(data.fields, start=1):
        if field.type == "checkbox":
            checkbox_number += 1
        flow += _field(number - checkbox_number, field, data.value(field.id), st)
    filled_name = data.value(next((f.id for f in data.fields if f.source == "applicant.name"), ""))
    signer = Signature(data.signer_title or texts["sign_title"], filled_name, texts["sign_hint"])
    cell = [Paragraph(esc(place_date_line(data.place, data.issued_on)), date_style),
            *signature_cell(signer, st)]
    width = PORTRAIT.text_width
    table = Table([[cell]], colWidths=[width * 0.55], hAlign="RIGHT")
    table.setStyle(plain_style())
    # The last field goes over with the date and signature: never a signature alone on a page.
    return keep_with_signature(flow, 1, KeepTogether([Spacer(1, 8), table]))
