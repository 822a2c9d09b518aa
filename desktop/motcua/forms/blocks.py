"""Small building blocks shared by the one-stop forms: corner label, header, title, lines, signatures."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date

from reportlab.lib.units import mm
from reportlab.platypus import Flowable, HRFlowable, KeepTogether, Paragraph, Spacer, Table, TableStyle

from motcua.forms.dates import place_date_line
from motcua.forms.fonts import SERIF
from motcua.forms.formsets import TemplateSpec
from motcua.forms.header import NationalHeader
from motcua.forms.layout import Styles, esc
from motcua.forms.model import Agency, Signature
from motcua.forms.qr import QrCode

DOTS = "." * 60
SIGN_SPACE = 14 * mm


def corner_label(spec: TemplateSpec, styles: Styles) -> Paragraph:
    """"Mẫu số 01 – Thông tư số 03/2025/TT-VPCP": the template's legal basis, small, top right."""
    return Paragraph(esc(spec.label), styles.corner)


def national_header(agency: Agency, spec: TemplateSpec, number: str | None, issued_on: date | None,
                    *, dated: bool = True) -> NationalHeader:
    number_line = spec.number_line(number or "") if number is not None else ""
    date_line = place_date_line(agency.place, issued_on) if dated else ""
    return NationalHeader((agency.parent_name, agency.name), number_line, date_line)


def title_block(spec: TemplateSpec, styles: Styles) -> list[Flowable]:
    """The document's name; a subject line under it ("Về việc …") takes a short centred rule beneath
    (Nghị định 30/2020, Phụ lục I: trích yếu nội dung)."""
    blocks: list[Flowable] = [Paragraph(esc(spec.title), styles.title)]
    if spec.subtitle:
        blocks.append(Paragraph(esc(spec.subtitle), styles.subtitle))
        blocks.append(HRFlowable(width="22%", thickness=0.6, color="black", spaceBefore=0, spaceAfter=2,
                                 hAlign="CENTER"))
    blocks.append(Spacer(1, 2))
    return blocks


def keep_with_signature(flow: list[Flowable], count: int, signature_block: Flowable) -> list[Flowable]:
    """The last ``count`` flowables of the body kept on one page with the signature block, so the
    signatures never stand alone on a page."""
    tail = flow[len(flow) - count:] if count else []
    # One level of keeping: reportlab misjudges a KeepTogether nested in another and breaks the page.
    block = list(signature_block._content) if isinstance(signature_block, KeepTogether) else [signature_block]
    return [*flow[:len(flow) - len(tail)], KeepTogether([*tail, *block])]


def recipient_lines(spec: TemplateSpec, unit: str) -> tuple[str, ...]:
    """"Nơi nhận" with the drafting unit after "Lưu: VT" ("- Lưu: VT, TTPVHCC.")."""
    return tuple(item.replace("{unit}", unit) for item in spec.lines("recipients"))


def value_or_dots(value: str, dots: int = 40) -> str:
    return esc(value) if value.strip() else "." * dots


def line(label: str, value: str, styles: Styles, *, bold_value: bool = False, dots: int = 40) -> Paragraph:
    """"Label: value" on one (wrapping) line; dots stand in for an unknown value."""
    shown = value_or_dots(value, dots)
    if bold_value and value.strip():
        shown = f"<b>{shown}</b>"
    return Paragraph(f"{esc(label)} {shown}", styles.label)


def request_text(procedure_name: str, summary: str) -> str:
    """"Nội dung yêu cầu giải quyết": the procedure, then the summary unless it only repeats it."""
    summary = summary.strip()
    if not summary or summary.rstrip(".") == procedure_name:
        return procedure_name
    if summary.startswith(procedure_name):
        return summary
    return f"{procedure_name} – {summary}" if procedure_name else summary


def pair_line(first: tuple[str, str], second: tuple[str, str], styles: Styles) -> Paragraph:
    """Two short fields on one line: "Số điện thoại: … Email: …"."""
    a = f"{esc(first[0])} {value_or_dots(first[1], 25)}"
    b = f"{esc(second[0])} {value_or_dots(second[1], 25)}"
    return Paragraph(f"{a}&nbsp;&nbsp;&nbsp;&nbsp;{b}", styles.label)


def signature_cell(signature: Signature, styles: Styles) -> list[Flowable]:
    cell: list[Flowable] = [Paragraph(esc(signature.on_behalf), styles.sign_title)] if signature.on_behalf else []
    cell.append(Paragraph(esc(signature.title), styles.sign_title))
    if signature.hint:
        cell.append(Paragraph(esc(signature.hint), styles.sign_hint))
    cell.append(Spacer(1, SIGN_SPACE))
    if signature.name:
        cell.append(Paragraph(esc(signature.name), styles.sign_name))
    return cell


def signatures(items: Sequence[Signature], styles: Styles, width: float, align: str = "CENTER",
               gap: float = 6) -> Flowable:
    """Signature blocks side by side (``align`` places the group); kept on one page."""
    columns = len(items)
    table = Table([[signature_cell(s, styles) for s in items]], colWidths=[width / columns] * columns,
                  hAlign=align)
    table.setStyle(plain_style())
    return KeepTogether([Spacer(1, gap), table])


def recipients_and_signature(title: str, recipients: Sequence[str], signature: Signature, styles: Styles,
                             width: float) -> Flowable:
    """"Nơi nhận" at left (12 pt bold italic, list 11 pt), the signer at right."""
    left: list[Flowable] = [Paragraph(esc(title), styles.recipients_title)]
    left += [Paragraph(esc(item), styles.recipients) for item in recipients]
    table = Table([[left, signature_cell(signature, styles)]], colWidths=[width * 0.45, width * 0.55])
    table.setStyle(plain_style())
    return KeepTogether([Spacer(1, 8), table])


def qr_code(payload: str, size: float = 26 * mm) -> Flowable:
    """A QR code (error correction M) ``size`` points square, quiet zone included."""
    return QrCode(payload, size)


def plain_style(*commands: tuple) -> TableStyle:
    """An unruled layout table: no padding at the sides, top-aligned, our font for any text cell
    (reportlab's cell default is Helvetica, which would end up referenced but not embedded)."""
    return TableStyle([
        ("FONTNAME", (0, 0), (-1, -1), SERIF),
        ("VALIGN", (0, 0), (-1, -1), "TOP"),
        ("LEFTPADDING", (0, 0), (-1, -1), 0),
        ("RIGHTPADDING", (0, 0), (-1, -1), 0),
        *commands,
    ])


def grid_style(*commands: tuple, header_rows: int = 1) -> TableStyle:
    """Thin ruled table with bold, repeated header rows; ``commands`` adjust it."""
    return TableStyle([
        ("FONTNAME", (0, 0), (-1, -1), SERIF),
        ("GRID", (0, 0), (-1, -1), 0.5, "black"),
        ("VALIGN", (0, 0), (-1, -1), "TOP"),
        ("VALIGN", (0, 0), (-1, header_rows - 1), "MIDDLE"),
        ("LEFTPADDING", (0, 0), (-1, -1), 3),
        ("RIGHTPADDING", (0, 0), (-1, -1), 3),
        ("TOPPADDING", (0, 0), (-1, -1), 1.5),
        ("BOTTOMPADDING", (0, 0), (-1, -1), 2.5),
        *commands,
    ])
