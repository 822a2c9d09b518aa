"""Dossier codes: ``{agency}-{yyMMdd}-{sequence}``, the format being configurable data.

The daily sequence restarts each day per agency. Several workstations of one desk work offline, so
each gets its own range at setup: its number (1–9) is the sequence's first digit. The allocation
itself (one counter per agency, day and workstation, taken inside the intake's write transaction) lives
in the store; this module only formats and parses.
"""

from __future__ import annotations

import re
import string
from dataclasses import dataclass
from datetime import date

from motcua.i18n import tr

DEFAULT_FORMAT = "{agency}-{date:%y%m%d}-{seq}"
_AGENCY_CODE = re.compile(r"^[0-9A-Z]{2,4}(\.[0-9A-Z]{2,4}){2,5}$")


class CodeFormatError(ValueError):
    pass


def check_agency_code(code: str) -> str:
    """National agency codes look like ``000.17.22.H56``: dot-separated groups of digits/capitals."""
    code = code.strip().upper()
    if not _AGENCY_CODE.match(code):
        raise CodeFormatError(
            tr("Mã cơ quan «{code}» không đúng định dạng (ví dụ: 000.17.22.H56).", code=code)
        )
    return code


@dataclass(frozen=True)
class CodeScheme:
    agency: str
    template: str = DEFAULT_FORMAT
    width: int = 4          # total digits of the sequence (at least 4)
    workstation: int = 0    # 0: a single workstation; 1–9: the sequence's leading digit

    def __post_init__(self) -> None:
        if self.width < 4:
            raise CodeFormatError(tr("Số thứ tự trong mã hồ sơ phải có ít nhất 4 chữ số."))
        if not 0 <= self.workstation <= 9:
            raise CodeFormatError(tr("Số máy trạm phải từ 1 đến 9 (0 nếu chỉ có một máy)."))
        fields = {name for _, name, _, _ in string.Formatter().parse(self.template) if name}
        if fields - {"agency", "date", "seq"} or "seq" not in fields or "date" not in fields:
            raise CodeFormatError(
                tr("Mẫu mã hồ sơ «{t}» phải chứa {{seq}} và {{date}}, chỉ dùng {{agency}}, {{date}}, {{seq}}.",
                   t=self.template)
            )

    def sequence_text(self, number: int) -> str:
        """The n-th code of the day at this workstation (n ≥ 1) as the sequence field."""
        if number < 1:
            raise ValueError("sequence numbers start at 1")
        if self.workstation:
            return f"{self.workstation}{number:0{self.width - 1}d}"
        return f"{number:0{self.width}d}"

    def format(self, day: date, number: int) -> str:
        return self.template.format(agency=self.agency, date=day, seq=self.sequence_text(number))
