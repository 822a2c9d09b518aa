"""Guidance Markdown → HTML for Qt rich text (QTextBrowser / QLabel), safely.

Catalog files and synced updates come from outside the commune, so raw HTML in them is never passed
through (it is shown as text), and links may only be http(s) or mailto. Qt renders a subset of
HTML 4: headings, paragraphs, lists, emphasis, tables and links are all within it.
"""

from __future__ import annotations

from functools import cache

from markdown_it import MarkdownIt

_SAFE_SCHEMES = ("http:", "https:", "mailto:")


def _validate_link(url: str) -> bool:
    lowered = url.strip().lower()
    return lowered.startswith(_SAFE_SCHEMES) or lowered.startswith("#")


@cache
def _renderer() -> MarkdownIt:
    md = MarkdownIt("commonmark", {"html": False, "linkify": False, "typographer": False})
    md.enable("table")
    md.enable("strikethrough")
    md.validateLink = _validate_link
    return md


def guidance_html(markdown: str) -> str:
    """Render guidance text; '' for empty guidance."""
    return _renderer().render(markdown) if markdown.strip() else ""
