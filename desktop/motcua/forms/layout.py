"""Page geometry, paragraph styles and the document builder shared by every form.

Nghị định 30/2020/NĐ-CP, Phụ lục I: A4; margins top and bottom 20–25 mm, left 30–35 mm, right
15–20 mm; page numbers centred in the top margin, not shown on the first page.
"""

from __future__ import annotations

import io
from collections.abc import Sequence
from dataclasses import dataclass
from functools import cache
from typing import Any
from xml.sax.saxutils import escape

from reportlab.lib.enums import TA_CENTER, TA_JUSTIFY, TA_LEFT, TA_RIGHT
from reportlab.lib.pagesizes import A4, landscape
from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import mm
from reportlab.pdfgen.canvas import Canvas
from reportlab.platypus import BaseDocTemplate, Flowable, Frame, PageTemplate
from reportlab.platypus.flowables import CallerMacro

from motcua.domain.text import nfc
from motcua.forms.fonts import SERIF, SERIF_BOLD, SERIF_ITALIC, register_fonts

TOP_MARGIN = 20 * mm
BOTTOM_MARGIN = 20 * mm
LEFT_MARGIN = 30 * mm
RIGHT_MARGIN = 15 * mm
PAGE_NUMBER_SIZE = 13
PARAGRAPH_GAP = 6  # points between paragraphs: "tối thiểu là 6pt" (Nghị định 30/2020, Phụ lục I)


@dataclass(frozen=True)
class Page:
    width: float
    height: float

    @property
    def text_width(self) -> float:
        return self.width - LEFT_MARGIN - RIGHT_MARGIN

    @property
    def text_height(self) -> float:
        return self.height - TOP_MARGIN - BOTTOM_MARGIN


PORTRAIT = Page(*A4)
LANDSCAPE = Page(*landscape(A4))


def esc(text: object) -> str:
    """NFC text made safe for a reportlab Paragraph (which reads a small XML dialect)."""
    return escape(nfc(str(text)))


@dataclass(frozen=True)
class Styles:
    body: ParagraphStyle
    body_indent: ParagraphStyle
    label: ParagraphStyle
    title: ParagraphStyle
    addressee: ParagraphStyle
    subtitle: ParagraphStyle
    corner: ParagraphStyle
    cell: ParagraphStyle
    cell_center: ParagraphStyle
    cell_head: ParagraphStyle
    small: ParagraphStyle
    sign_title: ParagraphStyle
    sign_hint: ParagraphStyle
    sign_name: ParagraphStyle
    recipients_title: ParagraphStyle
    recipients: ParagraphStyle
    h2: ParagraphStyle
    h3: ParagraphStyle
    bullet: ParagraphStyle


@cache
def styles(body_size: float = 13) -> Styles:
    register_fonts()
    leading = body_size * 1.17
    body = ParagraphStyle("body", fontName=SERIF, fontSize=body_size, leading=leading,
                          alignment=TA_JUSTIFY, spaceAfter=PARAGRAPH_GAP)
    cell_size = body_size - 1
    cell = ParagraphStyle("cell", fontName=SERIF, fontSize=cell_size, leading=cell_size * 1.18,
                          alignment=TA_LEFT)
    return Styles(
        body=body,
        body_indent=ParagraphStyle("body_indent", parent=body, firstLineIndent=10 * mm),
        label=ParagraphStyle("label", parent=body, alignment=TA_LEFT),
        title=ParagraphStyle("title", fontName=SERIF_BOLD, fontSize=14, leading=17, alignment=TA_CENTER,
                             spaceBefore=6, spaceAfter=2),
        addressee=ParagraphStyle("addressee", fontName=SERIF, fontSize=14, leading=17, alignment=TA_CENTER,
                                 spaceBefore=4, spaceAfter=PARAGRAPH_GAP),
        subtitle=ParagraphStyle("subtitle", fontName=SERIF_BOLD, fontSize=13, leading=16,
                                alignment=TA_CENTER, spaceAfter=4),
        corner=ParagraphStyle("corner", fontName=SERIF_ITALIC, fontSize=10, leading=12, alignment=TA_RIGHT,
                              spaceAfter=2),
        cell=cell,
        cell_center=ParagraphStyle("cell_center", parent=cell, alignment=TA_CENTER),
        cell_head=ParagraphStyle("cell_head", parent=cell, fontName=SERIF_BOLD, alignment=TA_CENTER),
        small=ParagraphStyle("small", fontName=SERIF_ITALIC, fontSize=10, leading=12, alignment=TA_CENTER),
        sign_title=ParagraphStyle("sign_title", fontName=SERIF_BOLD, fontSize=13, leading=16,
                                  alignment=TA_CENTER),
        sign_hint=ParagraphStyle("sign_hint", fontName=SERIF_ITALIC, fontSize=12, leading=14,
                                 alignment=TA_CENTER),
        sign_name=ParagraphStyle("sign_name", fontName=SERIF_BOLD, fontSize=13, leading=16,
                                 alignment=TA_CENTER),
        recipients_title=ParagraphStyle("recipients_title", fontName="MotcuaSerif-BoldItalic", fontSize=12,
                                        leading=14),
        recipients=ParagraphStyle("recipients", fontName=SERIF, fontSize=11, leading=13),
        h2=ParagraphStyle("h2", fontName=SERIF_BOLD, fontSize=body_size + 1, leading=(body_size + 1) * 1.25,
                          spaceBefore=8, spaceAfter=3),
        h3=ParagraphStyle("h3", fontName=SERIF_BOLD, fontSize=body_size, leading=leading, spaceBefore=6,
                          spaceAfter=2),
        bullet=ParagraphStyle("bullet", parent=body, leftIndent=7 * mm, bulletIndent=2 * mm),
    )


MARK_SIZE = 10  # the copy mark («Liên 1: Lưu») in the top margin


def copy_start(mark: str) -> Flowable:
    """Where one copy («liên») of a paper begins, in a PDF that holds several: its pages are numbered from
    here, and its mark stands small in the top margin of its first page (so the body's layout is untouched)."""
    text = nfc(mark)

    def draw(flowable: Any) -> None:
        canvas = flowable.canv
        doc = canvas._doctemplate  # set by reportlab while it builds
        doc.copy_first_page = canvas.getPageNumber()
        width, height = doc.pagesize
        origin_x, origin_y = canvas.absolutePosition(0, 0)  # the frame moved the origin to where this flows
        canvas.saveState()
        canvas.setFont(SERIF_ITALIC, MARK_SIZE)
        canvas.drawRightString(width - RIGHT_MARGIN - origin_x, height - TOP_MARGIN / 2 - MARK_SIZE / 3 - origin_y,
                               text)
        canvas.restoreState()

    return CallerMacro(drawCallable=draw)  # zero size: takes no room in the story


def _number_pages(canvas: Canvas, doc: BaseDocTemplate) -> None:
    """From the second page of a paper (of each copy, when the PDF holds several), its number, top centre.
    Called at the end of the page, when a copy that starts on it has said so."""
    page = canvas.getPageNumber() - doc.copy_first_page + 1
    if page < 2:
        return
    canvas.saveState()
    canvas.setFont(SERIF, PAGE_NUMBER_SIZE)
    width, height = doc.pagesize
    canvas.drawCentredString(LEFT_MARGIN + (width - LEFT_MARGIN - RIGHT_MARGIN) / 2,
                             height - TOP_MARGIN / 2 - PAGE_NUMBER_SIZE / 3, str(page))
    canvas.restoreState()


def build_pdf(story: Sequence[Flowable], *, page: Page = PORTRAIT, title: str = "",
              subject: str = "") -> bytes:
    """Lay the flowables out on A4 with the decree's margins and return the PDF bytes."""
    register_fonts()
    buffer = io.BytesIO()
    doc = BaseDocTemplate(
        buffer,
        pagesize=(page.width, page.height),
        leftMargin=LEFT_MARGIN, rightMargin=RIGHT_MARGIN, topMargin=TOP_MARGIN, bottomMargin=BOTTOM_MARGIN,
        title=nfc(title), subject=nfc(subject), author="Một Cửa Xã", creator="Một Cửa Xã",
        lang="vi-VN",
        initialFontName=SERIF,  # else the canvas opens with Helvetica, an unembedded font in the file
        initialFontSize=13,
    )
    frame = Frame(LEFT_MARGIN, BOTTOM_MARGIN, page.text_width, page.text_height, id="body",
                  leftPadding=0, rightPadding=0, topPadding=0, bottomPadding=0)
    doc.copy_first_page = 1  # a second copy («liên») moves it to its own first page (copy_start)
    doc.addPageTemplates([PageTemplate(id="page", frames=[frame], onPageEnd=_number_pages)])
    doc.build(list(story))
    return buffer.getvalue()
