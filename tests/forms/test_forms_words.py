"""Amounts in Vietnamese words, as printed after "Bằng chữ:"."""

from __future__ import annotations

import pytest

from motcua.forms.words import amount_in_words, format_amount, number_in_words


def test_the_brief_example() -> None:
    assert amount_in_words(12_500_000) == "Mười hai triệu năm trăm nghìn đồng"


@pytest.mark.parametrize(("value", "words"), [
    (0, "không"),
    (1, "một"),
    (4, "bốn"),
    (5, "năm"),
    (10, "mười"),
    (11, "mười một"),         # "một" after mười, never "mốt"
    (14, "mười bốn"),         # "bốn" after mười
    (15, "mười lăm"),         # "lăm" after a tens digit
    (20, "hai mươi"),
    (21, "hai mươi mốt"),     # "mốt" after … mươi
    (24, "hai mươi tư"),      # "tư" after … mươi
    (25, "hai mươi lăm"),
    (55, "năm mươi lăm"),
    (90, "chín mươi"),
    (99, "chín mươi chín"),
    (100, "một trăm"),
    (101, "một trăm linh một"),   # "một" after linh
    (104, "một trăm linh bốn"),   # "bốn" after linh
    (105, "một trăm linh năm"),   # "năm" after linh, not "lăm"
    (110, "một trăm mười"),
    (115, "một trăm mười lăm"),
    (121, "một trăm hai mươi mốt"),
    (1_000, "một nghìn"),
    (1_001, "một nghìn không trăm linh một"),
    (1_010, "một nghìn không trăm mười"),
    (1_015, "một nghìn không trăm mười lăm"),
    (1_050, "một nghìn không trăm năm mươi"),
    (1_100, "một nghìn một trăm"),
    (10_000, "mười nghìn"),
    (15_000, "mười lăm nghìn"),
    (21_000, "hai mươi mốt nghìn"),
    (105_000, "một trăm linh năm nghìn"),
    (1_000_000, "một triệu"),
    (1_000_500, "một triệu năm trăm"),            # an all-zero group is skipped…
    (1_000_050, "một triệu không trăm năm mươi"),  # …and the next group is read in full
    (1_050_000, "một triệu không trăm năm mươi nghìn"),
    (2_005_000, "hai triệu không trăm linh năm nghìn"),
    (1_000_000_000, "một tỷ"),
    (1_000_000_005, "một tỷ không trăm linh năm"),
    (2_500_000_000, "hai tỷ năm trăm triệu"),
    (1_000_000_000_000, "một nghìn tỷ"),
    (1_234_567_891_011, "một nghìn hai trăm ba mươi tư tỷ năm trăm sáu mươi bảy triệu tám trăm chín mươi "
                        "mốt nghìn không trăm mười một"),
])
def test_number_in_words(value: int, words: str) -> None:
    assert number_in_words(value) == words


@pytest.mark.parametrize(("amount", "words"), [
    (0, "Không đồng"),
    (50_000, "Năm mươi nghìn đồng"),
    (150_000, "Một trăm năm mươi nghìn đồng"),
    (305_000, "Ba trăm linh năm nghìn đồng"),
    (1_500_000, "Một triệu năm trăm nghìn đồng"),
    (21_500, "Hai mươi mốt nghìn năm trăm đồng"),
    (45_000, "Bốn mươi lăm nghìn đồng"),
    (14_000, "Mười bốn nghìn đồng"),
    (24_000, "Hai mươi tư nghìn đồng"),
])
def test_amount_in_words(amount: int, words: str) -> None:
    assert amount_in_words(amount) == words


def test_le_instead_of_linh() -> None:
    assert number_in_words(105, zero_tens="lẻ") == "một trăm lẻ năm"
    assert amount_in_words(2_005_000, zero_tens="lẻ") == "Hai triệu không trăm lẻ năm nghìn đồng"


def test_refuses_what_is_not_an_amount() -> None:
    with pytest.raises(ValueError):
        amount_in_words(-1)
    with pytest.raises(TypeError):
        amount_in_words(1.5)  # type: ignore[arg-type]
    with pytest.raises(TypeError):
        amount_in_words(True)  # type: ignore[arg-type]


def test_every_amount_up_to_a_million_reads_without_gaps() -> None:
    """Structural rules over a wide range: no double spaces, no "mươi một"/"mươi năm"/"linh lăm"."""
    for value in range(0, 1_000_001, 7):
        words = number_in_words(value)
        assert "  " not in words and words == words.strip()
        for wrong in ("mươi một", "mươi năm", "linh lăm", "linh mốt", "mười mốt", "mươi bốn", "không mươi"):
            assert wrong not in words, (value, words)


def test_format_amount_groups_thousands_with_dots() -> None:
    assert format_amount(12_500_000) == "12.500.000 đồng"
    assert format_amount(0) == "0 đồng"
