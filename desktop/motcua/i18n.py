"""The one translation function for user-facing text.

Vietnamese is the source language. Strings are looked up in a catalogue when one is installed
(none yet); otherwise returned as written, normalised to NFC.
"""

from __future__ import annotations

from motcua.domain.text import nfc

_catalogue: dict[str, str] = {}


def tr(text: str, /, **values: object) -> str:
    """Translate ``text`` and fill ``{name}`` placeholders from ``values``."""
    translated = _catalogue.get(text, text)
    return nfc(translated.format(**values) if values else translated)


def install(catalogue: dict[str, str]) -> None:
    _catalogue.clear()
    _catalogue.update(catalogue)
