"""The report as a PDF in the official layout (Nghị định 30/2020, Phụ lục I), A4 landscape for the table.

National header (the commune at left, the nation and motto at right, the italic place-and-date line),
title, the table per field with its total line, and the signature block. Layout pieces (margins,
styles, header) are the forms package's, so every paper the desk prints looks the same.
"""

from __future__ import annotations

import sqlite3
from datetime import date
from pathlib import Path

from reportlab.lib import colors
from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import mm
from reportlab.platypus import Flowable, Paragraph, Spacer, Table, TableStyle

from motcua.domain.clock import now
from motcua.forms.blocks import recipients_and_signature
from motcua.forms.content import agency
from motcua.forms.dates import place_date_line
from motcua.forms.header import NationalHeader
from motcua.forms.layout import LANDSCAPE, build_pdf, esc, styles
from motcua.forms.model import Signature
from motcua.i18n import tr
from motcua.reports.figures import Figures, Report, total
from motcua.reports.fonts import report_fonts
from motcua.reports.layout import cell_text, columns, first_heading, subtitle, title, total_label, unnamed_field
from motcua.services.commune_settings import DEFAULT_REPORT_SIGNER
from motcua.store.settings import get_settings

TABLE_SIZE = 9.5


def _cell_styles() -> tuple[ParagraphStyle, ParagraphStyle, ParagraphStyle]:
    regular, bold = report_fonts()
    base = ParagraphStyle("report_cell", fontName=regular, fontSize=TABLE_SIZE, leading=TABLE_SIZE * 1.2)
    head = ParagraphStyle("report_head", parent=base, fontName=bold, alignment=1)
    number = ParagraphStyle("report_number", parent=base, alignment=2)
    return base, head, number


def figures_table(rows: list[tuple[str, Figures]], width: float, heading: str | None = None) -> Table:
    """The official table: two heading rows (groups, columns), one row per item, the total line."""
    base, head, number = _cell_styles()
    cols = columns()
    first, name = first_heading()
    top: list[object] = [Paragraph(esc(first), head), Paragraph(esc(heading or name), head)]
    second: list[object] = ["", ""]
    spans: list[tuple[str, tuple[int, int], tuple[int, int]]] = [
        ("SPAN", (0, 0), (0, 1)), ("SPAN", (1, 0), (1, 1))]
    index = 0
    while index < len(cols):
        group = cols[index].group
        span = 1
        while group and index + span < len(cols) and cols[index + span].group == group:
            span += 1
        start = 2 + index
        if group:
            top.append(Paragraph(esc(group), head))
            top.extend([""] * (span - 1))
            second.extend(Paragraph(esc(cols[index + k].heading), head) for k in range(span))
            spans.append(("SPAN", (start, 0), (start + span - 1, 0)))
        else:
            top.append(Paragraph(esc(cols[index].heading), head))
            second.append("")
            spans.append(("SPAN", (start, 0), (start, 1)))
        index += span
    numbers = [Paragraph(f"({i})", head) for i in range(1, len(cols) + 3)]
    data: list[list[object]] = [top, second, numbers]
    for position, (label, figures) in enumerate(rows, start=1):
        data.append([Paragraph(str(position), head), Paragraph(esc(label), base),
                     *(Paragraph(cell_text(figures, c), number) for c in cols)])
    grand = total(f for _, f in rows)
    bold_number = ParagraphStyle("report_total", parent=number, fontName=head.fontName)
    data.append(["", Paragraph(esc(total_label()), head), *(Paragraph(cell_text(grand, c), bold_number) for c in cols)])
    first_w, name_w = 9 * mm, 44 * mm
    data_w = (width - first_w - name_w) / len(cols)
    table = Table(data, colWidths=[first_w, name_w, *([data_w] * len(cols))], repeatRows=3)
    table.setStyle(TableStyle([
        ("FONTNAME", (0, 0), (-1, -1), base.fontName),
        ("GRID", (0, 0), (-1, -1), 0.5, colors.black),
        ("VALIGN", (0, 0), (-1, -1), "MIDDLE"),
        ("LEFTPADDING", (0, 0), (-1, -1), 2),
        ("RIGHTPADDING", (0, 0), (-1, -1), 2),
        *spans,
    ]))
    return table


def report_story(report: Report, *, unit: tuple[str, str], place: str, issued_on: date,
                 signer_title: str, signer_name: str = "", drafting_unit: str = "",
                 on_behalf: str = "") -> list[Flowable]:
    page_styles = styles()
    width = LANDSCAPE.text_width
    header = NationalHeader(unit, tr("Số: ……/BC-UBND"), place_date_line(place, issued_on))
    scope = report.period.label
    if report.field_name:
        scope += " — " + tr("lĩnh vực {name}", name=report.field_name)
    if report.procedure_code:
        scope += " — " + tr("thủ tục {code}", code=report.procedure_code)
    story: list[Flowable] = [
        header,
        Spacer(1, 6 * mm),
        Paragraph(esc(title()), page_styles.title),
        Paragraph(esc(subtitle()), page_styles.subtitle),
        Paragraph(f"<i>{esc(scope)}</i>", page_styles.subtitle),
        Spacer(1, 3 * mm),
        figures_table([(name or unnamed_field(), f) for name, f in report.by_field], width),
        Spacer(1, 3 * mm),
        Paragraph(esc(tr("Số liệu tính từ nhật ký sự kiện của hồ sơ, theo quy tắc đếm tại tài liệu "
                         "«Thống kê và báo cáo» của phần mềm Một Cửa Xã.")), page_styles.small),
        recipients_and_signature(tr("Nơi nhận:"), [tr("- UBND tỉnh (để báo cáo);"),
                                                   tr("- Lưu: VT, {unit}.", unit=drafting_unit) if drafting_unit
                                                   else tr("- Lưu: VT.")],
                                 Signature(signer_title, signer_name, hint="", on_behalf=on_behalf), page_styles,
                                 width),
    ]
    return story


def render_report_pdf(conn: sqlite3.Connection, report: Report, *, issued_on: date | None = None,
                      signer_title: str | None = None, signer_name: str = "") -> bytes:
    """The PDF bytes for ``report``, with the commune's names, place and signer taken from the settings.

    The report is the commune People's Committee's («/BC-UBND»): it heads the page alone and its
    chair (or whom the settings name) signs for it («TM. ỦY BAN NHÂN DÂN»)."""
    issuer = agency(conn)
    settings = get_settings(conn)
    story = report_story(report, unit=("", issuer.parent_name), place=issuer.place,
                         issued_on=issued_on or now().date(),
                         signer_title=(signer_title or settings.report_signer_title or DEFAULT_REPORT_SIGNER).upper(),
                         signer_name=signer_name or settings.report_signer_name, drafting_unit=issuer.short_name,
                         on_behalf=tr("TM. ỦY BAN NHÂN DÂN"))
    return build_pdf(story, page=LANDSCAPE, title=f"{title()} {report.period.label}", subject=subtitle())


def export_pdf(conn: sqlite3.Connection, report: Report, path: Path, **options: object) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(render_report_pdf(conn, report, **options))  # type: ignore[arg-type]
    return path
