"""The official 2025 administrative divisions (34 provinces, 3,321 communes) from `vietnam-provinces`.

The package's names sometimes carry a stray double space ("Xã  Bắc Đông Quan"): collapse it.
"""

from __future__ import annotations

import functools
from dataclasses import dataclass

from motcua.domain.text import fold

_PREFIXES = ("thanh pho ", "tinh ", "xa ", "phuong ", "dac khu ")


def tidy(name: str) -> str:
    return " ".join(name.split())


def sort_key(name: str) -> str:
    folded = fold(name)
    for prefix in _PREFIXES:
        if folded.startswith(prefix):
            return folded[len(prefix):]
    return folded


@dataclass(frozen=True)
class Division:
    code: int
    name: str
    folded: str


@functools.cache
def provinces() -> tuple[Division, ...]:
    from vietnam_provinces import Province

    found = [Division(int(p.code), tidy(p.name), fold(tidy(p.name))) for p in Province.iter_all()]
    return tuple(sorted(found, key=lambda d: sort_key(d.name)))


@functools.cache
def communes(province_code: int) -> tuple[Division, ...]:
    from vietnam_provinces import Ward

    found = [Division(int(w.code), tidy(w.name), fold(tidy(w.name))) for w in Ward.iter_all()
             if int(w.province_code) == province_code]
    return tuple(sorted(found, key=lambda d: sort_key(d.name)))


def agency_name_for(commune: str) -> str:
    """What the top left of the forms says: "UBND XÃ EA KAO"."""
    return f"UBND {tidy(commune).upper()}"
