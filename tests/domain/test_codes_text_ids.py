from datetime import date

import pytest

from motcua.domain.codes import CodeFormatError, CodeScheme, check_agency_code
from motcua.domain.ids import uuid7
from motcua.domain.text import clean, fold, nfc


def test_default_code_format():
    assert CodeScheme("000.17.22.H56").format(date(2021, 5, 31), 1) == "000.17.22.H56-210531-0001"
    assert CodeScheme("000.17.22.H56").format(date(2021, 5, 31), 12345) == "000.17.22.H56-210531-12345"


def test_workstation_prefix_keeps_ranges_apart():
    one, two = CodeScheme("000.17.22.H56", workstation=1), CodeScheme("000.17.22.H56", workstation=2)
    day = date(2026, 2, 12)
    codes_one = {one.format(day, n) for n in range(1, 2001)}
    codes_two = {two.format(day, n) for n in range(1, 2001)}
    assert one.format(day, 1).endswith("-1001") and len(codes_one) == 2000
    assert not codes_one & codes_two


def test_configurable_format_is_checked():
    scheme = CodeScheme("H56.22", template="{agency}.{date:%Y%m%d}.{seq}", width=5)
    assert scheme.format(date(2026, 1, 25), 7) == "H56.22.20260125.00007"
    with pytest.raises(CodeFormatError):
        CodeScheme("X", template="{agency}-{seq}")
    with pytest.raises(CodeFormatError):
        CodeScheme("X", width=3)
    with pytest.raises(CodeFormatError):
        check_agency_code("abc")
    assert check_agency_code(" 000.17.22.h56 ") == "000.17.22.H56"


def test_fold_handles_diacritics_and_d_stroke():
    assert fold("Đăng ký KHAI SINH") == "dang ky khai sinh"
    assert fold("Giấy phép bưu chính") == fold("giay phep buu chinh")
    assert fold("Ðồng") == "dong"  # U+00D0, sometimes typed for Đ
    decomposed = "Nguye\u0302\u0303n"
    assert nfc(decomposed) == "Nguyễn" and fold(decomposed) == "nguyen"
    assert clean("  Lê   Thị\tHoa ") == "Lê Thị Hoa"


def test_uuid7_is_time_ordered_and_version_7():
    ids = [uuid7() for _ in range(5000)]
    assert ids == sorted(ids) and len(set(ids)) == 5000
    assert all(i[14] == "7" for i in ids)
