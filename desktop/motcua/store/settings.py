"""Key/value settings of the installation (commune, agency code, workstation, code format…)."""

from __future__ import annotations

import json
import sqlite3
from dataclasses import dataclass, fields
from typing import Any

from motcua.domain.calendar import OfficeHours
from motcua.domain.codes import DEFAULT_FORMAT, CodeScheme


@dataclass(frozen=True)
class Settings:
    province_name: str = ""
    commune_name: str = ""
    agency_code: str = ""
    agency_name: str = ""              # the governing body, top left of forms: "Ủy ban nhân dân xã …"
    workstation: int = 0
    device_id: str = ""
    code_format: str = DEFAULT_FORMAT
    code_width: int = 4
    office_hours: str = OfficeHours().format()
    form_set: str = "tt03_2025"
    lookup_url: str = ""
    return_place: str = "Trung tâm Phục vụ hành chính công"
    max_attachment_mb: int = 25
    receipt_copies: int = 1            # 2: the receipt prints in two marked copies («liên»), one kept, one given
    # What the official papers print (motcua.services.commune_settings fills the defaults).
    desk_name: str = ""                # the issuing body: "Trung tâm Phục vụ hành chính công"
    desk_short_name: str = ""          # the drafting unit after "Lưu: VT,": "TTPVHCC"
    place_name: str = ""               # the place of the date line: "Ea Kao"
    desk_phone: str = ""
    signer_title: str = ""             # who signs the letters for the issuing body
    signer_name: str = ""
    apology_signer_title: str = ""     # per paper, when another person signs it
    apology_signer_name: str = ""
    stop_signer_title: str = ""
    stop_signer_name: str = ""
    report_signer_title: str = ""
    report_signer_name: str = ""

    @property
    def initialised(self) -> bool:
        return bool(self.agency_code and self.commune_name)

    def code_scheme(self) -> CodeScheme:
        return CodeScheme(self.agency_code, self.code_format, self.code_width, self.workstation)

    def hours(self) -> OfficeHours:
        return OfficeHours.parse(self.office_hours)


_NAMES = {f.name for f in fields(Settings)}


def get_settings(conn: sqlite3.Connection) -> Settings:
    values = {row["key"]: json.loads(row["value"]) for row in conn.execute("SELECT key, value FROM settings")}
    return Settings(**{k: v for k, v in values.items() if k in _NAMES})


def get_value(conn: sqlite3.Connection, key: str, default: Any = None) -> Any:
    row = conn.execute("SELECT value FROM settings WHERE key = ?", (key,)).fetchone()
    return json.loads(row["value"]) if row else default


def put_values(conn: sqlite3.Connection, values: dict[str, Any]) -> None:
    """Write settings; call inside a transaction."""
    conn.executemany(
        "INSERT INTO settings (key, value) VALUES (?, ?) ON CONFLICT (key) DO UPDATE SET value = excluded.value",
        [(k, json.dumps(v, ensure_ascii=False)) for k, v in values.items()],
    )
