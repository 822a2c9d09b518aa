"""Phiếu kiểm soát quá trình giải quyết hồ sơ (TT 01/2018 Mẫu 05, TT 03/2025 Mẫu 06)."""

from __future__ import annotations

from reportlab.lib.units import mm
from reportlab.platypus import Flowable, LongTable, Paragraph, Spacer, Table

from motcua.forms.blocks import corner_label, grid_style, line, national_header, plain_style, title_block
from motcua.forms.dates import short_datetime, time_words
from motcua.forms.formsets import TemplateSpec
from motcua.forms.layout import PORTRAIT, Styles, esc, styles
from motcua.forms.model import ControlSheetData, ControlStep

SIGN_HEIGHT = 12 * mm


def _parties(step: ControlStep, spec: TemplateSpec) -> str:
    giver = ", ".join(part for part in (step.from_unit, step.from_person) if part)
    taker = ", ".join(part for part in (step.to_unit, step.to_person) if part)
    return (f"<b>{esc(spec.text('giver'))}</b> {esc(giver)}<br/>"
            f"<b>{esc(spec.text('receiver'))}</b> {esc(taker)}")


def _time_cell(step: ControlStep, spec: TemplateSpec, st: Styles, width: float) -> list[Flowable]:
    """When the dossier changed hands, and a space for the giver and the taker to sign."""
    signs = Table([[Paragraph(esc(spec.text("giver_sign")), st.small),
                    Paragraph(esc(spec.text("taker_sign")), st.small)], ["", ""]],
                  colWidths=[(width - 6) / 2] * 2, rowHeights=[None, SIGN_HEIGHT])
    signs.setStyle(plain_style())
    return [Paragraph(esc(short_datetime(step.handed_at)), st.cell_center), Spacer(1, 2), signs]


def _two_lines(moment: str) -> str:
    """"16:00 12/02/2026" as the time over the day, to fit a narrow column."""
    return "<br/>".join(esc(part) for part in moment.split(" ", 1))


def steps_table(data: ControlSheetData, spec: TemplateSpec, st: Styles, width: float) -> Flowable:
    head = [Paragraph(esc(spec.text(key)), st.cell_head)
            for key in ("col_no", "col_parties", "col_time", "col_planned", "col_result", "col_note")]
    fixed = [11 * mm, 40 * mm, 22 * mm, 23 * mm, 26 * mm]  # STT, time, step deadline, result, note
    widths = [fixed[0], width - sum(fixed), *fixed[1:]]
    rows: list[list[object]] = [head]
    for index, step in enumerate(data.steps, start=1):
        rows.append([
            Paragraph(str(index), st.cell_center),
            Paragraph(_parties(step, spec), st.cell),
            _time_cell(step, spec, st, widths[2]),
            Paragraph(_two_lines(short_datetime(step.planned_at)), st.cell_center),
            Paragraph(esc(step.result), st.cell_center),
            Paragraph(esc(step.note), st.cell),
        ])
    table = LongTable(rows, colWidths=widths, repeatRows=1)
    table.setStyle(grid_style())
    return table


def story(data: ControlSheetData, spec: TemplateSpec) -> list[Flowable]:
    st = styles()
    width = PORTRAIT.text_width
    flow: list[Flowable] = [
        corner_label(spec, st),
        national_header(data.agency, spec, None, None, dated=False),
        *title_block(spec, st),
        Paragraph(f"{esc(spec.text('code_label'))} <b>{esc(data.dossier_code)}</b>", st.subtitle),
        Paragraph(esc(spec.text("receipt_ref", number=data.receipt_number or "..........")), st.small),
        Spacer(1, 4),
        line(spec.text("applicant_label"), data.applicant.name, st, bold_value=True),
        line(spec.text("request_label"), data.procedure_name, st),
        line(spec.text("received_label"), time_words(data.received_at), st),
        line(spec.text("due_label"), time_words(data.due_at), st),
        line(spec.text("unit_label"), data.resolving_unit, st),
        line(spec.text("coordinating_label"), data.coordinating_units, st),
        Spacer(1, 4),
    ]
    if data.steps:
        flow.append(steps_table(data, spec, st, width))
    else:
        flow.append(Paragraph(esc(spec.text("no_steps")), st.label))
    return flow
