"""Numbers and money amounts read out in Vietnamese words ("Bằng chữ: …" on fee lines).

Rules of the spoken form that a written amount follows:

* groups of three digits named nghìn, triệu, tỷ; a thousand billions is "nghìn tỷ" and so on;
* inside a group that follows another group, a zero hundreds digit is read "không trăm"
  (1 050 000 → "một triệu không trăm năm mươi nghìn"); groups that are all zeros are skipped;
* a zero tens digit before a non-zero unit is read "linh" (or "lẻ"): 105 → "một trăm linh năm";
* tens: 10–19 use "mười", 20 and up "… mươi";
* units: 1 after "… mươi" is "mốt" (21 "hai mươi mốt") but "một" after "mười" and "linh";
  5 after any tens digit is "lăm" (15 "mười lăm", 25 "hai mươi lăm") but "năm" after "linh";
  4 after "… mươi" is "tư" (24 "hai mươi tư"), "bốn" elsewhere.
"""

from __future__ import annotations

from typing import Literal

DIGITS = ("không", "một", "hai", "ba", "bốn", "năm", "sáu", "bảy", "tám", "chín")
_GROUP_NAMES = ("", "nghìn", "triệu")
_BILLION = 1_000_000_000

ZeroTens = Literal["linh", "lẻ"]


def _read_triplet(value: int, *, full: bool, zero_tens: ZeroTens) -> list[str]:
    """Words for 0 < value < 1000; ``full`` reads a leading zero hundreds digit ("không trăm")."""
    hundreds, rest = divmod(value, 100)
    tens, units = divmod(rest, 10)
    words: list[str] = []
    if hundreds or full:
        words += [DIGITS[hundreds], "trăm"]
    if tens == 0:
        if units:
            if words:
                words.append(zero_tens)
            words.append(DIGITS[units])
        return words
    if tens == 1:
        words.append("mười")
    else:
        words += [DIGITS[tens], "mươi"]
    if units == 1:
        words.append("một" if tens == 1 else "mốt")
    elif units == 5:
        words.append("lăm")
    elif units == 4:
        words.append("bốn" if tens == 1 else "tư")
    elif units:
        words.append(DIGITS[units])
    return words


def _read_below_billion(value: int, *, full: bool, zero_tens: ZeroTens) -> list[str]:
    """Words for 0 <= value < 10^9; ``full`` when a higher group precedes (zero hundreds spoken)."""
    groups: list[int] = []
    while value:
        value, group = divmod(value, 1000)
        groups.append(group)
    words: list[str] = []
    for index in range(len(groups) - 1, -1, -1):
        group = groups[index]
        if not group:
            continue
        leading = not words and not full
        words += _read_triplet(group, full=not leading, zero_tens=zero_tens)
        if _GROUP_NAMES[index]:
            words.append(_GROUP_NAMES[index])
    return words


def _read(value: int, *, full: bool, zero_tens: ZeroTens) -> list[str]:
    billions, rest = divmod(value, _BILLION)
    words: list[str] = []
    if billions:
        words += _read(billions, full=full, zero_tens=zero_tens)
        words.append("tỷ")
    words += _read_below_billion(rest, full=full or bool(billions), zero_tens=zero_tens)
    return words


def number_in_words(value: int, *, zero_tens: ZeroTens = "linh") -> str:
    """Lower-case Vietnamese reading of a non-negative integer: 105 → "một trăm linh năm"."""
    if isinstance(value, bool) or not isinstance(value, int):
        raise TypeError("number_in_words takes an int")
    if value < 0:
        raise ValueError("number_in_words takes a non-negative amount")
    if value == 0:
        return DIGITS[0]
    return " ".join(_read(value, full=False, zero_tens=zero_tens))


def amount_in_words(amount_vnd: int, *, zero_tens: ZeroTens = "linh") -> str:
    """An amount of đồng in words, capitalised: 12500000 → "Mười hai triệu năm trăm nghìn đồng"."""
    text = f"{number_in_words(amount_vnd, zero_tens=zero_tens)} đồng"
    return text[0].upper() + text[1:]


def format_amount(amount_vnd: int) -> str:
    """Digits grouped the Vietnamese way: 12500000 → "12.500.000 đồng"."""
    return f"{amount_vnd:,} đồng".replace(",", ".")
