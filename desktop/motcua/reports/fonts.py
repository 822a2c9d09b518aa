"""The one place the report's PDF gets its typeface (switch fonts here and nowhere else)."""

from __future__ import annotations


def report_fonts() -> tuple[str, str]:
    """Register Liberation Serif (shipped in resources/fonts, through the forms package) and return
    the (regular, bold) face names."""
    from motcua.forms.fonts import SERIF, SERIF_BOLD, register_fonts

    register_fonts()
    return SERIF, SERIF_BOLD
