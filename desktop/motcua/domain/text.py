"""Vietnamese text handling shared by search, validation and storage.

All text is stored NFC. Search compares *folded* text: lower case, no tone or vowel marks, and
đ/Đ mapped to d — unicode61's remove_diacritics does not fold đ, which is a separate letter.
"""

from __future__ import annotations

import re
import unicodedata

# Combining marks (the tone and vowel marks after NFD) removed by one regex pass; fold() runs on
# every projection and every search keystroke, so a per-character Python loop is too slow.
_MARKS = re.compile("[\u0300-\u036f\u1ab0-\u1aff]+")
_SPACES = re.compile(r"\s+")


def nfc(text: str) -> str:
    """Unicode NFC, the one form we store and print."""
    return unicodedata.normalize("NFC", text)


def clean(text: str) -> str:
    """NFC with runs of white space collapsed and the ends trimmed (user input, imported cells)."""
    return _SPACES.sub(" ", nfc(text)).strip()


def fold(text: str) -> str:
    """Fold for matching: lower case, diacritics removed, đ→d, white space collapsed."""
    lowered = text.lower().replace("đ", "d").replace("ð", "d")  # lower() maps Đ→đ and Ð→ð first
    return _SPACES.sub(" ", _MARKS.sub("", unicodedata.normalize("NFD", lowered))).strip()
