"""Flowables for forms filled by hand: "Label: ……" on dotted lines, tick boxes."""

from __future__ import annotations

from reportlab.lib.units import mm
from reportlab.pdfbase.pdfmetrics import stringWidth
from reportlab.platypus import Flowable

from motcua.domain.text import nfc
from motcua.forms.fonts import SERIF

SIZE = 13
LEAD = SIZE * 1.55  # room for handwriting
BOX = 3.4 * mm


def _wrap(words: list[str], first_width: float, width: float, size: float) -> list[str]:
    lines: list[str] = []
    current = ""
    limit = first_width
    for word in words:
        trial = f"{current} {word}" if current else word
        if stringWidth(trial, SERIF, size) <= limit or not current:
            current = trial
        else:
            lines.append(current)
            current = word
            limit = width
    if current:
        lines.append(current)
    return lines


class DottedField(Flowable):
    """"Label: value" with a dotted writing line to the right margin; ``min_lines`` lines at least."""

    def __init__(self, label: str, value: str = "", min_lines: int = 1, size: float = SIZE) -> None:
        super().__init__()
        self.label = nfc(label)
        self.value = nfc(value)
        self.min_lines = min_lines
        self.size = size
        self._lines: list[str] = []

    def wrap(self, avail_width: float, avail_height: float) -> tuple[float, float]:
        self.width = avail_width
        self._label_w = stringWidth(self.label + " ", SERIF, self.size) if self.label else 0.0
        self._lines = _wrap(self.value.split(), avail_width - self._label_w, avail_width, self.size)
        self._count = max(self.min_lines, len(self._lines), 1)
        self.height = self._count * LEAD
        return self.width, self.height

    def draw(self) -> None:
        c = self.canv
        c.setFont(SERIF, self.size)
        for index in range(self._count):
            baseline = self.height - (index + 1) * LEAD + self.size * 0.45
            x = 0.0
            if index == 0 and self.label:
                c.drawString(0, baseline, self.label)
                x = self._label_w
            if index < len(self._lines):
                c.drawString(x + 1, baseline, self._lines[index])
            c.saveState()
            c.setDash(0.6, 2.2)
            c.setLineWidth(0.6)
            c.line(x, baseline - 2.2, self.width, baseline - 2.2)
            c.restoreState()


class TickBox(Flowable):
    """A square to tick, followed by its label; drawn ticked when ``checked``."""

    def __init__(self, label: str, checked: bool = False, indent: float = 0.0, size: float = SIZE) -> None:
        super().__init__()
        self.label = nfc(label)
        self.checked = checked
        self.indent = indent
        self.size = size

    def wrap(self, avail_width: float, avail_height: float) -> tuple[float, float]:
        self.width = avail_width
        self.height = self.size * 1.45
        return self.width, self.height

    def draw(self) -> None:
        c = self.canv
        y = (self.height - BOX) / 2
        c.setLineWidth(0.7)
        c.rect(self.indent, y, BOX, BOX)
        if self.checked:
            c.line(self.indent + 0.6, y + 0.6, self.indent + BOX - 0.6, y + BOX - 0.6)
            c.line(self.indent + 0.6, y + BOX - 0.6, self.indent + BOX - 0.6, y + 0.6)
        c.setFont(SERIF, self.size)
        c.drawString(self.indent + BOX + 2 * mm, y + BOX / 2 - self.size * 0.32, self.label)
