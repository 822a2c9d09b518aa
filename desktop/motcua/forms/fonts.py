"""The one typeface: Liberation Serif (metric-compatible with Times New Roman), embedded as subsets.

The files ship under ``resources/fonts`` (Liberation 2.x, SIL OFL 1.1: the 1.x files that Debian's
fonts-liberation carries lack the Vietnamese letters ơ, ư and the stacked tone marks).
"""

from __future__ import annotations

from functools import cache

from reportlab.lib.fonts import addMapping
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.ttfonts import TTFont

from motcua.forms.paths import fonts_dir

SERIF = "MotcuaSerif"
SERIF_BOLD = "MotcuaSerif-Bold"
SERIF_ITALIC = "MotcuaSerif-Italic"
SERIF_BOLD_ITALIC = "MotcuaSerif-BoldItalic"

_FILES = {
    SERIF: "LiberationSerif-Regular.ttf",
    SERIF_BOLD: "LiberationSerif-Bold.ttf",
    SERIF_ITALIC: "LiberationSerif-Italic.ttf",
    SERIF_BOLD_ITALIC: "LiberationSerif-BoldItalic.ttf",
}


@cache
def register_fonts() -> str:
    """Register the family once per process; returns the regular face's name."""
    directory = fonts_dir()
    for name, filename in _FILES.items():
        pdfmetrics.registerFont(TTFont(name, str(directory / filename)))
    addMapping(SERIF, 0, 0, SERIF)
    addMapping(SERIF, 1, 0, SERIF_BOLD)
    addMapping(SERIF, 0, 1, SERIF_ITALIC)
    addMapping(SERIF, 1, 1, SERIF_BOLD_ITALIC)
    return SERIF
