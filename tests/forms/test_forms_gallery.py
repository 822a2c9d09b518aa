"""The gallery script still runs, and the forms package's own text is NFC."""

from __future__ import annotations

import subprocess
import sys
import unicodedata
from pathlib import Path

from PIL import Image

REPO = Path(__file__).resolve().parents[2]


def test_gallery_renders_every_form_of_both_sets(tmp_path: Path) -> None:
    subprocess.run([sys.executable, str(REPO / "docs" / "forms" / "make_gallery.py"), "--out", str(tmp_path),
                    "--pdf-dir", str(tmp_path / "pdf")], check=True, capture_output=True, timeout=240)
    tt01 = sorted(p.name for p in (tmp_path / "tt01_2018").glob("*-1.png"))
    tt03 = sorted(p.name for p in (tmp_path / "tt03_2025").glob("*-1.png"))
    assert tt01 == ["01-receipt-1.png", "02-supplement-1.png", "03-refusal-1.png", "04-apology-1.png",
                    "05-control-1.png", "06-book-1.png"]
    assert tt03 == ["01-receipt-1.png", "02-supplement-1.png", "03-refusal-1.png", "04-apology-1.png",
                    "05-stop-1.png", "06-control-1.png", "07-book-1.png"]
    with Image.open(tmp_path / "tt03_2025" / "01-receipt-1.png") as receipt:
        assert receipt.size == (497, 702)  # A4 portrait at 60 dpi (210 × 297 mm)
    with Image.open(tmp_path / "tt03_2025" / "07-book-1.png") as book:
        assert book.size == (702, 497)  # landscape


def test_sources_and_data_are_nfc() -> None:
    roots = [REPO / "desktop" / "motcua" / "forms", REPO / "db" / "forms", REPO / "desktop" / "motcua" / "cli"]
    for root in roots:
        for path in root.rglob("*"):
            if path.suffix in (".py", ".json", ".md"):
                assert unicodedata.is_normalized("NFC", path.read_text(encoding="utf-8")), path
