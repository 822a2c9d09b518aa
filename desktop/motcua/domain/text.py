"""Vietnamese text handling shared by search, validation and storage.

All text is stored NFC. Search compares *folded* text: lower case, no tone or vowel marks, and
đ/Đ mapped to d — unicode61's remove_diacritics does not fold đ, which is a separate letter.
"""

from __future__ import annotations

import re
import unicodedata

_D_MAP = str.maketrans({"đ": "d", "Đ": "d", "ð": "d"})
_SPACES = re.compile(r"\s+")


def nfc(text: str) -> str:
    """Unicode NFC, the one form we store and print."""
    return unicodedata.normalize("NFC", text)


def clean(text: str) -> str:
    """NFC with runs of white space collapsed and the ends trimmed (user input, imported cells)."""
    return _SPACES.sub(" ", nfc(text)).strip()


def fold(text: str) -> str:
    """Fold for matching: lower case, diacritics removed, đ→d, white space collapsed."""
    decomposed = unicodedata.normalize("NFD", text.translate(_D_MAP).lower())
    stripped = "".join(ch for ch in decomposed if not unicodedata.combining(ch))
    return _SPACES.sub(" ", stripped.translate(_D_MAP)).strip()
