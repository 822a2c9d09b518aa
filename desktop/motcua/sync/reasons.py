"""The hub's quarantine reasons (written for engineers) said in plain Vietnamese for the desk."""

from __future__ import annotations

from motcua.i18n import tr

_PREFIXES: tuple[tuple[str, str], ...] = (
    ("transition refused: ", "Thao tác không hợp lệ theo thứ tự trên máy chủ tỉnh: {rest}"),
    ("malformed event: ", "Dữ liệu thao tác không đúng định dạng ({rest})."),
    ("payload not understood", "Máy chủ tỉnh không hiểu nội dung thao tác ({rest})."),
    ("dossier code: ", "Hồ sơ mới phải có mã hồ sơ."),
    ("dossier code ", "Mã hồ sơ không được máy chủ tỉnh chấp nhận ({rest})."),
    ("id not accepted", "Mã định danh của thao tác hoặc hồ sơ không dùng được cho xã này; cần tạo mã mới."),
    ("dossier ", "Hồ sơ không thuộc xã của máy này ({rest})."),
    ("event id is already used", "Mã thao tác trùng với một thao tác khác trên máy chủ tỉnh."),
    ("an event with this id but different content", "Máy chủ tỉnh đã có thao tác cùng mã nhưng khác nội dung; "
                                                     "bản trên máy chủ được giữ."),
)


def plain_reason(reason: str) -> str:
    text = reason.strip()
    if text.startswith("dossier code ") and len(text.split()) > 2:
        code = text.split()[2]
        if "is already used" in text:
            return tr("Mã hồ sơ {code} đã được một hồ sơ khác của xã dùng (hai máy cấp trùng một mã); hồ sơ này cần "
                      "được cấp mã mới. Các hồ sơ khác vẫn đồng bộ bình thường.", code=code)
        if "agency code" in text:
            return tr("Mã hồ sơ {code} không mang mã cơ quan của xã này; kiểm tra mã cơ quan trong phần cài đặt.",
                      code=code)
    for prefix, template in _PREFIXES:
        if text.startswith(prefix):
            rest = text[len(prefix):] if prefix.endswith(": ") else text
            return tr(template, rest=rest)
    return tr("Máy chủ tỉnh từ chối: {reason}", reason=text) if text else ""
