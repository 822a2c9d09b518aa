"""The receipt's QR code as a flowable: reportlab's encoder, drawn as one filled path.

reportlab's QrCodeWidget draws every dark module as a separate shape through the graphics renderer,
which costs more than the rest of a receipt; here runs of dark modules become one rectangle each.
"""

from __future__ import annotations

from reportlab.graphics.barcode import qrencoder
from reportlab.platypus import Flowable

QUIET_ZONE = 4  # modules of white border the QR specification asks for


def qr_matrix(payload: str, level: str = "M") -> list[list[bool]]:
    """The module matrix (True = dark) for ``payload``, smallest version that fits."""
    code = qrencoder.QRCode(None, getattr(qrencoder.QRErrorCorrectLevel, level))
    code.addData(payload)
    code.make()
    count = code.getModuleCount()
    return [[bool(code.isDark(row, col)) for col in range(count)] for row in range(count)]


class QrCode(Flowable):
    """A square QR code of ``size`` points, quiet zone included."""

    def __init__(self, payload: str, size: float, level: str = "M") -> None:
        super().__init__()
        self.payload = payload
        self.size = size
        self.matrix = qr_matrix(payload, level)
        self.width = self.height = size

    def wrap(self, avail_width: float, avail_height: float) -> tuple[float, float]:
        return self.size, self.size

    def draw(self) -> None:
        count = len(self.matrix)
        module = self.size / (count + 2 * QUIET_ZONE)
        path = self.canv.beginPath()
        for row_index, row in enumerate(self.matrix):
            y = self.size - (QUIET_ZONE + row_index + 1) * module
            col = 0
            while col < count:
                if not row[col]:
                    col += 1
                    continue
                start = col
                while col < count and row[col]:
                    col += 1
                path.rect((QUIET_ZONE + start) * module, y, (col - start) * module, module)
        self.canv.saveState()
        self.canv.setFillColorRGB(0, 0, 0)
        self.canv.drawPath(path, stroke=0, fill=1)
        self.canv.restoreState()
