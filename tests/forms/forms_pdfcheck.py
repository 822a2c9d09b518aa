"""Looking at real PDFs with real tools: poppler's pdftotext/pdftoppm/pdffonts, pypdf, zxing-cpp."""

from __future__ import annotations

import io
import re
import subprocess
import tempfile
import unicodedata
import xml.etree.ElementTree as ET
from dataclasses import dataclass

import pypdf
from PIL import Image

MM = 72 / 25.4
A4 = (595.2756, 841.8898)
# Nghị định 30/2020: top and bottom 20–25 mm, left 30–35 mm, right 15–20 mm.
MIN_MARGINS = {"top": 20 * MM, "bottom": 20 * MM, "left": 30 * MM, "right": 15 * MM}
MAX_MARGINS = {"top": 25 * MM, "bottom": 25 * MM, "left": 35 * MM, "right": 20 * MM}


def _run(args: list[str], data: bytes) -> bytes:
    return subprocess.run([*args], input=data, capture_output=True, check=True).stdout


def text(pdf: bytes, *, layout: bool = True, page: int | None = None) -> str:
    args = ["pdftotext", "-enc", "UTF-8"]
    if layout:
        args.append("-layout")
    if page is not None:
        args += ["-f", str(page), "-l", str(page)]
    return _run([*args, "-", "-"], pdf).decode("utf-8")


def flat(value: str) -> str:
    """Whitespace runs (line breaks of wrapped paragraphs included) made single spaces."""
    return re.sub(r"\s+", " ", value).strip()


def pages_text(pdf: bytes) -> list[str]:
    """Layout text per page (pdftotext separates pages by form feeds)."""
    return text(pdf).split("\f")[: page_count(pdf)]


def assert_has(pdf_text: str, *expected: str) -> None:
    assert unicodedata.is_normalized("NFC", pdf_text), "pdftotext output is not NFC"
    haystack = flat(pdf_text)
    for item in expected:
        want = flat(unicodedata.normalize("NFC", item))
        assert want in haystack, f"{want!r} not found in the PDF text"


@dataclass(frozen=True)
class Word:
    text: str
    x0: float
    y0: float  # from the top of the page
    x1: float
    y1: float


@dataclass(frozen=True)
class PageWords:
    width: float
    height: float
    words: tuple[Word, ...]


def words(pdf: bytes) -> list[PageWords]:
    raw = _run(["pdftotext", "-bbox", "-enc", "UTF-8", "-", "-"], pdf).decode("utf-8")
    body = raw[raw.index("<body>"): raw.index("</body>") + len("</body>")]
    root = ET.fromstring(body)
    out = []
    for page in root.iter("page"):
        found = tuple(Word(w.text or "", float(w.get("xMin")), float(w.get("yMin")), float(w.get("xMax")),
                           float(w.get("yMax"))) for w in page.iter("word"))
        out.append(PageWords(float(page.get("width")), float(page.get("height")), found))
    return out


def page_count(pdf: bytes) -> int:
    return len(pypdf.PdfReader(io.BytesIO(pdf)).pages)


def page_sizes(pdf: bytes) -> list[tuple[float, float]]:
    reader = pypdf.PdfReader(io.BytesIO(pdf))
    return [(float(p.mediabox.width), float(p.mediabox.height)) for p in reader.pages]


def is_page_number(word: Word, page: PageWords, index: int) -> bool:
    """The page number sits centred in the top margin (pages 2 onwards), and is allowed there."""
    centre = (word.x0 + word.x1) / 2
    text_centre = MIN_MARGINS["left"] + (page.width - MIN_MARGINS["left"] - MIN_MARGINS["right"]) / 2
    return (word.text == str(index + 1) and word.y1 <= MIN_MARGINS["top"] + 0.5
            and abs(centre - text_centre) < 3)


def content_boxes(pdf: bytes) -> list[tuple[float, float, float, float] | None]:
    """Per page, the bounding box of all text except the page number: (left, top, right, bottom)."""
    boxes: list[tuple[float, float, float, float] | None] = []
    for index, page in enumerate(words(pdf)):
        body = [w for w in page.words if not is_page_number(w, page, index)]
        if not body:
            boxes.append(None)
            continue
        boxes.append((min(w.x0 for w in body), min(w.y0 for w in body), max(w.x1 for w in body),
                      max(w.y1 for w in body)))
    return boxes


def assert_margins(pdf: bytes, *, tolerance: float = 0.6) -> None:
    """Every word lies inside the decree's margins on every page."""
    for index, (page, box) in enumerate(zip(words(pdf), content_boxes(pdf), strict=True)):
        if box is None:
            continue
        left, top, right, bottom = box
        where = f"page {index + 1}"
        assert left >= MIN_MARGINS["left"] - tolerance, f"{where}: text at x={left:.1f} pt, inside the left margin"
        assert top >= MIN_MARGINS["top"] - tolerance, f"{where}: text at y={top:.1f} pt, inside the top margin"
        assert page.width - right >= MIN_MARGINS["right"] - tolerance, f"{where}: text into the right margin"
        assert page.height - bottom >= MIN_MARGINS["bottom"] - tolerance, f"{where}: text into the bottom margin"


def fonts(pdf: bytes) -> list[dict[str, str]]:
    with tempfile.NamedTemporaryFile(suffix=".pdf") as handle:
        handle.write(pdf)
        handle.flush()
        out = subprocess.run(["pdffonts", handle.name], capture_output=True, check=True).stdout
    rows = []
    for line in out.decode().splitlines()[2:]:
        parts = line.split()
        # name type... encoding emb sub uni object ID: the last five columns are fixed.
        rows.append({"name": parts[0], "emb": parts[-5], "sub": parts[-4], "uni": parts[-3]})
    return rows


def render(pdf: bytes, *, dpi: int, page: int = 1) -> Image.Image:
    png = _run(["pdftoppm", "-r", str(dpi), "-f", str(page), "-l", str(page), "-png", "-"], pdf)
    return Image.open(io.BytesIO(png)).convert("L")


def column_text(pdf: bytes, *, page: int, x0: float, x1: float, dpi: int = 72) -> str:
    """The text of a vertical strip of a page (a table column), in reading order."""
    height = 2000
    args = ["pdftotext", "-enc", "UTF-8", "-r", str(dpi), "-f", str(page), "-l", str(page),
            "-x", str(int(x0)), "-y", "0", "-W", str(int(x1 - x0)), "-H", str(height), "-", "-"]
    return _run(args, pdf).decode("utf-8")
