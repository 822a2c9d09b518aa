"""Choices shown in the setup wizard and the settings page (labels for values kept in settings)."""

from __future__ import annotations

FORM_SETS = (
    ("tt03_2025", "Thông tư 03/2025/TT-VPCP (Nghị định 118/2025/NĐ-CP)"),
    ("tt01_2018", "Thông tư 01/2018/TT-VPCP"),
)
DEFAULT_OFFICE_HOURS = "07:00-11:30,13:30-17:00"
