"""Helpers shared by the shell's UI tests (a unique module name: ``conftest`` is ambiguous across folders)."""

from __future__ import annotations

import sqlite3
import sys
from pathlib import Path

REPO = Path(__file__).resolve().parents[2]
if str(REPO / "bench") not in sys.path:
    sys.path.insert(0, str(REPO / "bench"))

PASSWORD = "matkhau-123"
USERS = (("tiepnhan01", "Nguyễn Thị Hoa", "receiver"), ("chuyenvien01", "Trần Văn Bình", "specialist"),
         ("lanhdao01", "Lê Minh Quân", "leader"), ("quantri", "Phạm Thu Hà", "admin"))


def add_users(conn: sqlite3.Connection) -> None:
    """The accounts the window tests sign in with, each with a real hash of ``PASSWORD`` (in a transaction)."""
    from motcua.services import accounts as auth

    for username, name, role in USERS:
        conn.execute(
            "INSERT INTO users (username, full_name, role, password_hash, active, created_at)"
            " VALUES (?, ?, ?, ?, 1, '2026-01-01T00:00:00+07:00')",
            (username, name, role, auth.hash_password(PASSWORD, salt=username.encode().ljust(16, b"_")[:16])),
        )

def add_dossiers(conn: sqlite3.Connection, count: int, **kwargs: object) -> None:
    from bulk_store import generate

    generate(conn, count, **kwargs)  # type: ignore[arg-type]


def intake_one(conn: sqlite3.Connection, data_dir: Path, **overrides: object) -> str:
    from motcua.services.desk import Desk
    from motcua.services.intake import parse_intake

    data = {
        "procedure_code": "1.001193",
        "procedure": {"code": "1.001193", "name": "Đăng ký khai sinh", "field": "Hộ tịch", "days": 3},
        "applicant": {"name": "Nguyễn Thị Hoa", "id_number": "066190001234", "phone": "0912345678",
                      "address": "Thôn 2, xã Ea Kao"},
        "summary": "Đăng ký khai sinh cho con",
        "documents": [{"name": "Tờ khai đăng ký khai sinh", "kind": "original", "copies": 1},
                      {"name": "Giấy chứng sinh", "kind": "original", "copies": 1}],
    }
    data.update(overrides)
    return Desk(conn, data_dir).intake(parse_intake(data), "tiepnhan01").record.id


def form_rows(form: object) -> dict[str, str]:
    """A QFormLayout of label → value QLabels, as text (the Đồng bộ page's status card)."""
    from PySide6.QtWidgets import QFormLayout

    assert isinstance(form, QFormLayout)
    rows = {}
    for row in range(form.rowCount()):
        label = form.itemAt(row, QFormLayout.ItemRole.LabelRole)
        value = form.itemAt(row, QFormLayout.ItemRole.FieldRole)
        if label is not None and value is not None:
            rows[label.widget().text()] = value.widget().text()
    return rows
