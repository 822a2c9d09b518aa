"""Which national records a commune People's Committee handles (the scope of the shipped catalog).

Kept: records whose level includes "Cấp xã", of the ministries below, except the fields and agencies
that other bodies handle at commune level (police residence and identity, tax, customs, treasury,
the social-insurance agency) and the procedures a single province published for itself.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from typing import Any

# crawl folder → sector (ngành) as the catalog writes it
MINISTRIES = {
    "bo-tu-phap": "Tư pháp",
    "bo-xay-dung": "Xây dựng",
    "bo-tai-chinh": "Tài chính",
    "bo-nong-nghiep-mt": "Nông nghiệp và Môi trường",
    # the portal's own names (departmentPromulgateName, the co_quan_ban_hanh of the crawl's index); the
    # extract is db/catalog/national/portal_extract.json (duynghiaqn/Crawler-TTHC)
    "Bộ Tư pháp": "Tư pháp",
    "Bộ Xây dựng": "Xây dựng",
    "Bộ Tài chính": "Tài chính",
    "Bộ Nông nghiệp và Môi trường": "Nông nghiệp và Môi trường",
    "Bộ Y tế": "Y tế",
    "Bộ Giáo dục và Đào tạo": "Giáo dục và Đào tạo",
    "Bộ Nội vụ": "Nội vụ",
    "Bộ Văn hóa, Thể thao và Du lịch": "Văn hóa, Thể thao và Du lịch",
    "Bộ Dân tộc và Tôn giáo": "Dân tộc và Tôn giáo",
    "Bộ Khoa học và Công nghệ": "Khoa học và Công nghệ",
    "Bộ Quốc phòng": "Quốc phòng",          # chế độ chính sách, nghĩa vụ quân sự (the commune's military command)
    "Bộ Công Thương": "Công Thương",
    "Bộ Công thương": "Công Thương",        # as the portal's index spells it
}
# whole crawl folders left out: other bodies' procedures
OTHER_BODIES = {"bo-cong-an": "Công an", "ngan-hang-nha-nuoc": "Ngân hàng Nhà nước",
                "toa-an-nhan-dan": "Tòa án", "Bảo hiểm xã hội Việt Nam": "Bảo hiểm xã hội"}
_EXCLUDED_FIELDS = re.compile(r"thuế|hải quan|kho bạc|bhxh|bhyt|bảo hiểm", re.IGNORECASE)
_EXCLUDED_AGENCY = re.compile(
    r"^(công an|cơ quan thuế|thuế|bảo hiểm xã hội|kho bạc|cơ sở trợ giúp xã hội|cơ sở giáo dục"
    r"|đội thủ tục|đồn biên phòng|bộ đội biên phòng)", re.IGNORECASE)  # border guards' own desks too
# "(TPCT)", "- tỉnh Quảng Trị": a procedure one province published for itself
_PROVINCE_OWN = re.compile(r"\((?:[A-ZĐ]{2,6})\)\s*$|[-–]\s*(?:tỉnh|thành phố)\s+[A-ZĐ]", re.UNICODE)


def excluded_reason(record: Mapping[str, Any], ministry: str) -> str:
    """Why a record is not shipped ("" when it is)."""
    if ministry in OTHER_BODIES:
        return OTHER_BODIES[ministry]
    if ministry not in MINISTRIES:
        return "ngoài phạm vi"
    if "Cấp xã" not in str(record.get("cap_thuc_hien", "")):
        return "không có cấp xã"
    field = str(record.get("linh_vuc", ""))
    if _EXCLUDED_FIELDS.search(field):
        return "thuế, hải quan, kho bạc, bảo hiểm xã hội"
    agency = str(record.get("co_quan_thuc_hien", "")).strip(" ,")
    if _EXCLUDED_AGENCY.match(agency):
        return "cơ quan khác thực hiện"
    if _PROVINCE_OWN.search(str(record.get("ten_thu_tuc", ""))) or _PROVINCE_OWN.search(agency):
        return "thủ tục riêng của một tỉnh"
    return ""


def in_scope(record: Mapping[str, Any], ministry: str) -> bool:
    return not excluded_reason(record, ministry)
