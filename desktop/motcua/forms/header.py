"""The two header blocks every administrative paper opens with (Nghị định 30/2020, Phụ lục I).

Left: the governing body (regular caps) and the issuing unit (bold caps) with a short centred rule
under it, then "Số: …". Right: "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM" (bold caps), "Độc lập - Tự do -
Hạnh phúc" (bold) with a rule as long as the line beneath it, then the italic place-and-date line.
"""

from __future__ import annotations

from reportlab.lib.units import mm
from reportlab.lib.utils import simpleSplit
from reportlab.pdfbase.pdfmetrics import stringWidth
from reportlab.platypus import Flowable

from motcua.domain.text import nfc
from motcua.forms.fonts import SERIF, SERIF_BOLD, SERIF_ITALIC

NATION = "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM"
MOTTO = "Độc lập - Tự do - Hạnh phúc"

AGENCY_SIZE = 12
NATION_SIZE = 12
MOTTO_SIZE = 13
NUMBER_SIZE = 13
DATE_SIZE = 13.5
RULE_WIDTH = 0.6
BLOCK_GAP = 4 * mm  # between the agency block and the national block


def upper(text: str) -> str:
    return nfc(text).upper()


def balanced_lines(text: str, font: str, size: float, width: float) -> list[str]:
    """Wrap ``text`` to ``width``; a name that takes two lines is broken where both halves are most
    even ("TRUNG TÂM PHỤC VỤ / HÀNH CHÍNH CÔNG", not "… HÀNH / CHÍNH CÔNG")."""
    lines: list[str] = list(simpleSplit(text, font, size, width))
    if len(lines) != 2:
        return lines
    words = text.split()
    best = lines
    best_width = max(stringWidth(line, font, size) for line in lines)
    for cut in range(1, len(words)):
        pair = [" ".join(words[:cut]), " ".join(words[cut:])]
        widest = max(stringWidth(line, font, size) for line in pair)
        if widest <= width and widest < best_width:
            best, best_width = pair, widest
    return best


class NationalHeader(Flowable):
    """Both header blocks side by side; lines are laid out from the top down."""

    def __init__(self, agency_lines: tuple[str, str], number_line: str, date_line: str) -> None:
        super().__init__()
        self.parent_name = upper(agency_lines[0])
        self.agency_name = upper(agency_lines[1])
        self.number_line = nfc(number_line)
        self.date_line = nfc(date_line)
        self._texts: list[tuple[float, float, str, float, str]] = []
        self._rules: list[tuple[float, float, float]] = []

    def wrap(self, avail_width: float, avail_height: float) -> tuple[float, float]:
        # Positions are baselines measured downwards from the top of the block.
        self.width = avail_width
        # The national block takes what its widest line needs; the agency block gets the rest.
        right_w = stringWidth(NATION, SERIF_BOLD, NATION_SIZE) + BLOCK_GAP
        left_w = avail_width - right_w
        left_c = left_w / 2
        right_c = left_w + right_w / 2
        texts: list[tuple[float, float, str, float, str]] = []
        rules: list[tuple[float, float, float]] = []

        cursor = 0.0
        lead = AGENCY_SIZE * 1.2
        for line in balanced_lines(self.parent_name, SERIF, AGENCY_SIZE, left_w - BLOCK_GAP):
            texts.append((left_c, cursor + AGENCY_SIZE * 0.9, line, AGENCY_SIZE, SERIF))
            cursor += lead
        widest = 0.0
        for line in balanced_lines(self.agency_name, SERIF_BOLD, AGENCY_SIZE, left_w - BLOCK_GAP):
            texts.append((left_c, cursor + AGENCY_SIZE * 0.9, line, AGENCY_SIZE, SERIF_BOLD))
            widest = max(widest, stringWidth(line, SERIF_BOLD, AGENCY_SIZE))
            cursor += lead
        left_rule = cursor - AGENCY_SIZE * 0.3 + 5
        rule = widest * 0.4  # a third to a half of the line it underlines
        rules.append((left_c - rule / 2, left_c + rule / 2, left_rule))

        nation_base = NATION_SIZE * 0.9
        motto_base = NATION_SIZE * 1.2 + MOTTO_SIZE * 0.9
        texts.append((right_c, nation_base, NATION, NATION_SIZE, SERIF_BOLD))
        texts.append((right_c, motto_base, MOTTO, MOTTO_SIZE, SERIF_BOLD))
        right_rule = motto_base + 5
        motto_w = stringWidth(MOTTO, SERIF_BOLD, MOTTO_SIZE)
        rules.append((right_c - motto_w / 2, right_c + motto_w / 2, right_rule))

        # "Số: …" and the date line stand on one level under the two rules.
        base = max(left_rule + NUMBER_SIZE * 1.7, right_rule + DATE_SIZE * 1.7)
        bottom = max(left_rule, right_rule)
        if self.number_line:
            texts.append((left_c, base, self.number_line, NUMBER_SIZE, SERIF))
            bottom = base
        if self.date_line:
            for line in simpleSplit(self.date_line, SERIF_ITALIC, DATE_SIZE, right_w):
                texts.append((right_c, base, line, DATE_SIZE, SERIF_ITALIC))
                bottom = max(bottom, base)
                base += DATE_SIZE * 1.2
        self.height = bottom + DATE_SIZE * 0.3
        self._texts = texts
        self._rules = rules
        return self.width, self.height

    def draw(self) -> None:
        canvas = self.canv
        for x, y, text, size, font in self._texts:
            canvas.setFont(font, size)
            canvas.drawCentredString(x, self.height - y, text)
        canvas.setLineWidth(RULE_WIDTH)
        for x0, x1, y in self._rules:
            canvas.line(x0, self.height - y, x1, self.height - y)


class CentredNation(Flowable):
    """Only the right block, centred: the opening of a citizen's đơn or tờ khai."""

    def wrap(self, avail_width: float, avail_height: float) -> tuple[float, float]:
        self.width = avail_width
        self.height = NATION_SIZE * 1.2 + MOTTO_SIZE * 1.2 + 8
        return self.width, self.height

    def draw(self) -> None:
        canvas = self.canv
        x = self.width / 2
        y = self.height - NATION_SIZE
        canvas.setFont(SERIF_BOLD, NATION_SIZE)
        canvas.drawCentredString(x, y, NATION)
        y -= MOTTO_SIZE * 1.2
        canvas.setFont(SERIF_BOLD, MOTTO_SIZE)
        canvas.drawCentredString(x, y, MOTTO)
        motto_w = stringWidth(MOTTO, SERIF_BOLD, MOTTO_SIZE)
        canvas.setLineWidth(RULE_WIDTH)
        canvas.line(x - motto_w / 2, y - 3.5, x + motto_w / 2, y - 3.5)
