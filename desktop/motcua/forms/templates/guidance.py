"""The guidance sheet: a procedure's facts and its guidance Markdown, printed for a citizen."""

from __future__ import annotations

import re
from functools import cache

from markdown_it import MarkdownIt
from markdown_it.token import Token
from reportlab.lib.units import mm
from reportlab.platypus import Flowable, ListFlowable, ListItem, Paragraph, Spacer, Table

from motcua.forms.blocks import grid_style
from motcua.forms.dates import date_words
from motcua.forms.formsets import sheet_texts
from motcua.forms.header import upper
from motcua.forms.layout import PORTRAIT, Styles, esc, styles
from motcua.forms.model import DocumentLine, GuidanceData
from motcua.forms.words import amount_in_words, format_amount

_NUMBERED = re.compile(r"^Bước\s*\d+", re.IGNORECASE)  # a step that numbers itself («Bước 1: …»)
_INLINE_OPEN = {"strong_open": "<b>", "em_open": "<i>", "s_open": "<strike>"}
_INLINE_CLOSE = {"strong_close": "</b>", "em_close": "</i>", "s_close": "</strike>"}


@cache
def _parser() -> MarkdownIt:
    return MarkdownIt("commonmark").enable("table").enable("strikethrough")


def inline_markup(token: Token) -> str:
    """Markdown inline children → reportlab paragraph markup (escaped text, b/i, links as text)."""
    out: list[str] = []
    href = ""
    for child in token.children or []:
        if child.type == "text":
            out.append(esc(child.content))
        elif child.type == "code_inline":
            out.append(f"<font face='Courier'>{esc(child.content)}</font>")
        elif child.type in ("softbreak", "hardbreak"):
            out.append("<br/>" if child.type == "hardbreak" else " ")
        elif child.type in _INLINE_OPEN:
            out.append(_INLINE_OPEN[child.type])
        elif child.type in _INLINE_CLOSE:
            out.append(_INLINE_CLOSE[child.type])
        elif child.type == "link_open":
            href = str(child.attrs.get("href", ""))
        elif child.type == "link_close" and href:
            out.append(f" ({esc(href)})")
            href = ""
        elif child.type == "html_inline":
            out.append(esc(child.content))
    return "".join(out)


def _block(tokens: list[Token], start: int, st: Styles) -> tuple[list[Flowable], int]:
    """Flowables for the block opening at ``start``; returns them and the index after its close."""
    token = tokens[start]
    if token.type == "heading_open":
        style = st.h2 if token.tag in ("h1", "h2") else st.h3
        return [Paragraph(inline_markup(tokens[start + 1]), style)], start + 3
    if token.type == "paragraph_open":
        return [Paragraph(inline_markup(tokens[start + 1]), st.body)], start + 3
    if token.type in ("bullet_list_open", "ordered_list_open"):
        close = token.type.replace("_open", "_close")
        items: list[ListItem] = []
        index = start + 1
        while tokens[index].type != close:
            if tokens[index].type == "list_item_open":
                index += 1
                content: list[Flowable] = []
                while tokens[index].type != "list_item_close":
                    flows, index = _block(tokens, index, st)
                    content += flows
                items.append(ListItem(content))
            index += 1
        ordered = token.type == "ordered_list_open"
        start_at = int(token.attrs.get("start", 1) or 1) if ordered else 1
        lst = ListFlowable(items, bulletType="1" if ordered else "bullet", start=start_at if ordered else "–",
                           bulletFontName=st.body.fontName, bulletFontSize=st.body.fontSize,
                           leftIndent=8 * mm, bulletFormat="%s." if ordered else None)
        return [lst], index + 1
    if token.type in ("fence", "code_block"):
        return [Paragraph(esc(token.content).replace("\n", "<br/>"), st.body)], start + 1
    if token.type == "hr":
        return [Spacer(1, 6)], start + 1
    if token.type == "table_open":
        return _table(tokens, start, st)
    if token.type == "blockquote_open":
        index = start + 1
        content = []
        while tokens[index].type != "blockquote_close":
            flows, index = _block(tokens, index, st)
            content += flows
        return content, index + 1
    return [], start + 1


def _table(tokens: list[Token], start: int, st: Styles) -> tuple[list[Flowable], int]:
    rows: list[list[Paragraph]] = []
    index = start + 1
    while tokens[index].type != "table_close":
        token = tokens[index]
        if token.type == "tr_open":
            rows.append([])
        elif token.type in ("th_open", "td_open"):
            style = st.cell_head if token.type == "th_open" else st.cell
            rows[-1].append(Paragraph(inline_markup(tokens[index + 1]), style))
        index += 1
    if not rows:
        return [], index + 1
    columns = max(len(row) for row in rows)
    rows = [row + [Paragraph("", st.cell)] * (columns - len(row)) for row in rows]
    table = Table(rows, colWidths=[PORTRAIT.text_width / columns] * columns, repeatRows=1)
    table.setStyle(grid_style())
    return [table], index + 1


def markdown_flowables(markdown: str, st: Styles) -> list[Flowable]:
    tokens = _parser().parse(markdown)
    flows: list[Flowable] = []
    index = 0
    while index < len(tokens):
        block, index = _block(tokens, index, st)
        flows += block
    return flows


def _component(line: DocumentLine, texts: dict[str, str]) -> str:
    kinds = [(line.original, texts["kind_original"]), (line.certified_copy, texts["kind_certified"]),
             (line.photocopy, texts["kind_photocopy"])]
    counts = ", ".join(f"{count:02d} {name}" for count, name in kinds if count)
    return f"{esc(line.name)}" + (f" <i>({esc(counts)})</i>" if counts else "")


def _lists_steps(data: GuidanceData) -> bool:
    """The procedure's steps go on the sheet unless its guidance walks through them itself; a guidance made from
    a national record only sums them up («N bước, theo mục Trình tự thực hiện của thủ tục»)."""
    own = "## Các bước" in data.markdown and "theo mục Trình tự thực hiện" not in data.markdown
    return bool(data.steps) and not own


def story(data: GuidanceData) -> list[Flowable]:
    st = styles()
    texts = dict(sheet_texts("guidance"))
    flow: list[Flowable] = []
    if data.agency.parent_name:
        flow.append(Paragraph(esc(upper(data.agency.parent_name)), st.cell_center))
    flow += [
        Paragraph(f"<b>{esc(upper(data.agency.name))}</b>", st.cell_center),
        Paragraph(esc(texts["title"]), st.title),
        Paragraph(esc(data.procedure_name), st.subtitle),
    ]
    code = f"{texts['code_label']} {data.procedure_code}"
    if data.version:
        code += f" ({texts['version_label']} {data.version})"
    flow += [Paragraph(esc(code), st.small), Spacer(1, 6)]

    if data.processing_time:
        flow.append(Paragraph(f"<b>{esc(texts['time_label'])}</b> {esc(data.processing_time)}", st.body))
    if data.fees:
        flow.append(Paragraph(f"<b>{esc(texts['fees_label'])}</b>", st.body))
        for fee in data.fees:
            if fee.amount_vnd is None:
                flow.append(Paragraph(f"– {esc(fee.name)}: {esc(fee.note or texts['fee_unknown'])}", st.bullet))
                continue
            words = f"({texts['in_words']} {amount_in_words(fee.amount_vnd)})"
            amount = esc(format_amount(fee.amount_vnd))
            note = f" – {esc(fee.note)}" if fee.note else ""
            flow.append(Paragraph(f"– {esc(fee.name)}: {amount} <i>{esc(words)}</i>{note}", st.bullet))
    else:
        flow.append(Paragraph(f"<b>{esc(texts['fees_label'])}</b> {esc(texts['fees_none'])}", st.body))
    if data.components:
        flow.append(Paragraph(f"<b>{esc(texts['components_label'])}</b>", st.body))
        flow += [Paragraph(f"{i}. {_component(c, texts)}", st.bullet)
                 for i, c in enumerate(data.components, 1)]
    if data.result:
        flow.append(Paragraph(f"<b>{esc(texts['result_label'])}</b> {esc(data.result)}", st.body))
    if _lists_steps(data):
        flow.append(Paragraph(f"<b>{esc(texts['steps_label'])}</b>", st.body))
        flow += [Paragraph(("" if _NUMBERED.match(step) else f"{i}. ") + esc(step).replace("\n", "<br/>"), st.bullet)
                 for i, step in enumerate(data.steps, 1)]
    flow += markdown_flowables(data.markdown, st)
    if data.legal_basis:
        flow.append(Paragraph(esc(texts["basis_label"]), st.h3))
        flow += [Paragraph(f"– {esc(item)}", st.bullet) for item in data.legal_basis]
    flow.append(Spacer(1, 10))
    printed = texts["printed"].format(date=date_words(data.printed_on).removeprefix("ngày "))
    flow.append(Paragraph(esc(printed), st.small))
    return flow
