"""Checks for the identifiers an applicant gives: citizen ID, tax code, phone number.

Each check returns the normalised value or raises InvalidIdentifier with a Vietnamese message saying
exactly what is wrong.
"""

from __future__ import annotations

import re
from datetime import date

from motcua.i18n import tr

# Province-of-registration codes used in the first three digits of a CCCD (Thông tư 59/2021/TT-BCA).
CCCD_PROVINCE_CODES = frozenset(
    [
        "001",
        "002",
        "004",
        "006",
        "008",
        "010",
        "011",
        "012",
        "014",
        "015",
        "017",
        "019",
        "020",
        "022",
        "024",
        "025",
        "026",
        "027",
        "030",
        "031",
        "033",
        "034",
        "035",
        "036",
        "037",
        "038",
        "040",
        "042",
        "044",
        "045",
        "046",
        "048",
        "049",
        "051",
        "052",
        "054",
        "056",
        "058",
        "060",
        "062",
        "064",
        "066",
        "067",
        "068",
        "070",
        "072",
        "074",
        "075",
        "077",
        "079",
        "080",
        "082",
        "083",
        "084",
        "086",
        "087",
        "089",
        "091",
        "092",
        "093",
        "094",
        "095",
        "096",
    ]
)
_TAX_WEIGHTS = (31, 29, 23, 19, 17, 13, 7, 5, 3)
_MOBILE_PREFIXES = ("03", "05", "07", "08", "09")


class InvalidIdentifier(ValueError):
    pass


def _digits_only(raw: str) -> str:
    return re.sub(r"[\s.\-]", "", raw.strip())


def check_citizen_id(raw: str, today: date | None = None) -> str:
    """A 12-digit CCCD (province, century+sex, birth year) or a 9-digit CMND."""
    value = _digits_only(raw)
    if not value:
        raise InvalidIdentifier(tr("Chưa nhập số định danh cá nhân (CCCD/CMND)."))
    if not value.isdigit():
        raise InvalidIdentifier(tr("Số CCCD/CMND chỉ gồm chữ số; «{v}» có ký tự khác.", v=raw.strip()))
    if len(value) == 9:
        return value
    if len(value) != 12:
        raise InvalidIdentifier(tr("Số CCCD phải có 12 chữ số (CMND cũ: 9 chữ số); đã nhập {n} chữ số.", n=len(value)))
    if value[:3] not in CCCD_PROVINCE_CODES:
        raise InvalidIdentifier(tr("Ba chữ số đầu «{p}» không phải mã tỉnh nơi đăng ký khai sinh.", p=value[:3]))
    century = 1900 + 100 * (int(value[3]) // 2)
    birth_year = century + int(value[4:6])
    if birth_year > (today or date.today()).year:
        raise InvalidIdentifier(
            tr("Chữ số thứ 4–6 cho năm sinh {y}, là năm trong tương lai: kiểm tra lại số CCCD.", y=birth_year)
        )
    return value


def check_tax_code(raw: str) -> str:
    """A 10-digit enterprise tax code with its check digit, or a 13-digit branch code ``0101234567-001``."""
    value = raw.strip().replace(" ", "")
    match = re.fullmatch(r"(\d{10})(?:-?(\d{3}))?", value)
    if not match:
        raise InvalidIdentifier(
            tr("Mã số thuế gồm 10 chữ số, hoặc 13 chữ số với đơn vị phụ thuộc (ví dụ 0101234567-001).")
        )
    head, branch = match.groups()
    weighted = sum(int(d) * w for d, w in zip(head[:9], _TAX_WEIGHTS, strict=True))
    if (10 - weighted % 11) != int(head[9]):
        raise InvalidIdentifier(tr("Mã số thuế «{v}» sai chữ số kiểm tra: kiểm tra lại từng chữ số.", v=head))
    if branch is not None and branch == "000":
        raise InvalidIdentifier(tr("Mã đơn vị phụ thuộc phải từ 001 đến 999."))
    return f"{head}-{branch}" if branch else head


def check_phone(raw: str) -> str:
    """Vietnamese phone: mobile 10 digits (03/05/07/08/09…), landline 11 digits (02…); +84 accepted."""
    value = re.sub(r"[\s.\-()]", "", raw.strip())
    if value.startswith("+84"):
        value = "0" + value[3:]
    elif value.startswith("84") and len(value) in (11, 12):
        value = "0" + value[2:]
    if not value.isdigit():
        raise InvalidIdentifier(tr("Số điện thoại chỉ gồm chữ số; «{v}» có ký tự khác.", v=raw.strip()))
    if not value.startswith("0"):
        raise InvalidIdentifier(tr("Số điện thoại phải bắt đầu bằng số 0 (hoặc +84)."))
    if value.startswith("02"):
        if len(value) != 11:
            raise InvalidIdentifier(tr("Số điện thoại cố định phải có 11 chữ số; đã nhập {n}.", n=len(value)))
        return value
    if len(value) != 10:
        raise InvalidIdentifier(tr("Số điện thoại di động phải có 10 chữ số; đã nhập {n}.", n=len(value)))
    if not value.startswith(_MOBILE_PREFIXES):
        raise InvalidIdentifier(tr("Đầu số «{p}» không phải đầu số di động Việt Nam.", p=value[:3]))
    return value


def check_email(raw: str) -> str:
    value = raw.strip()
    if not re.fullmatch(r"[^@\s]+@[^@\s]+\.[^@\s]+", value):
        raise InvalidIdentifier(tr("Địa chỉ thư điện tử «{v}» không hợp lệ.", v=value))
    return value
