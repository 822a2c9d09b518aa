from datetime import date

import pytest

from motcua.domain.identifiers import InvalidIdentifier, check_citizen_id, check_phone, check_tax_code


@pytest.mark.parametrize("raw", ["066190001234", "001 203 012 345", "123456789"])
def test_valid_citizen_ids(raw):
    assert check_citizen_id(raw, today=date(2026, 11, 23)).replace(" ", "") == raw.replace(" ", "")


@pytest.mark.parametrize(("raw", "fragment"), [
    ("", "Chưa nhập"), ("06619000123", "12 chữ số"), ("06619000123A", "chỉ gồm chữ số"),
    ("999190001234", "mã tỉnh"), ("066290001234", "tương lai"),
])
def test_invalid_citizen_ids(raw, fragment):
    with pytest.raises(InvalidIdentifier, match=fragment):
        check_citizen_id(raw, today=date(2026, 11, 23))


@pytest.mark.parametrize("raw", ["0100107518", "0300588569", "0101248141-001", "0101248141001"])
def test_valid_tax_codes(raw):
    assert check_tax_code(raw)[:10] == raw[:10]


def test_tax_code_check_digit_and_branch():
    with pytest.raises(InvalidIdentifier, match="chữ số kiểm tra"):
        check_tax_code("0100107519")
    with pytest.raises(InvalidIdentifier, match="001 đến 999"):
        check_tax_code("0100107518-000")
    with pytest.raises(InvalidIdentifier, match="10 chữ số"):
        check_tax_code("12345")


@pytest.mark.parametrize(("raw", "normal"), [("0912 345 678", "0912345678"), ("+84912345678", "0912345678"),
                                             ("02623 812 345", "02623812345")])
def test_valid_phones(raw, normal):
    assert check_phone(raw) == normal


@pytest.mark.parametrize(("raw", "fragment"), [("091234567", "10 chữ số"), ("0112345678", "đầu số"),
                                               ("912345678", "bắt đầu"), ("09123x5678", "chỉ gồm")])
def test_invalid_phones(raw, fragment):
    with pytest.raises(InvalidIdentifier, match=fragment):
        check_phone(raw)
