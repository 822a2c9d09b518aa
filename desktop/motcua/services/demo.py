"""Realistic Vietnamese sample dossiers for `motcua demo` and the benchmarks' generators."""

from __future__ import annotations

import json
import random
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from motcua.domain.clock import iso, now
from motcua.domain.events import EventType
from motcua.paths import shipped
from motcua.services.accounts import hash_password

# The demo commune's staff: one account per role (and a second desk officer), with full names, so a
# demo store can be signed into as each role and a hand-over always has someone to choose.
DEMO_STAFF: tuple[tuple[str, str, tuple[str, ...]], ...] = (
    ("quantri", "Đỗ Minh Quân", ("admin",)),
    ("tiepnhan01", "Nguyễn Thị Hoa", ("receiver",)),
    ("tiepnhan02", "Lê Thị Thu", ("receiver",)),
    ("cc.tuphap", "Trần Văn Tư", ("specialist",)),
    ("cc.diachinh", "Phạm Văn Địa", ("specialist",)),
    ("cc.vanhoa", "Hoàng Thị Vân", ("specialist",)),
    ("lanhdao01", "Vũ Đình Lâm", ("leader",)),
)
DEMO_PASSWORD = "motcua-demo-2026"
DEMO_RECEIVER, DEMO_LEADER = "tiepnhan01", "lanhdao01"


def add_demo_staff(conn: Any, password_hash: str | None = None) -> list[str]:
    """Add the demo staff that are missing (call inside a transaction); the names added.

    Every account gets the password ``DEMO_PASSWORD`` (or the given hash: tests pass a cheap one)."""
    hashed = password_hash or hash_password(DEMO_PASSWORD)
    added = []
    for username, full_name, roles in DEMO_STAFF:
        if conn.execute("SELECT 1 FROM users WHERE username = ?", (username,)).fetchone():
            continue
        conn.execute("INSERT INTO users (username, full_name, role, password_hash, active, created_at)"
                     " VALUES (?, ?, ?, ?, 1, ?)", (username, full_name, roles[0], hashed, iso(now())))
        conn.executemany("INSERT INTO user_roles (username, role) VALUES (?, ?)", [(username, r) for r in roles])
        added.append(username)
    return added


def demo_actor(event_type: str, holder: str) -> str:
    """Who does ``event_type`` in the demo: the leader decides, the holder hands over and asks for
    supplements, the desk does the rest."""
    if event_type == EventType.RESOLVED:
        return DEMO_LEADER
    if event_type in (EventType.HANDED_OVER, EventType.SUPPLEMENT_REQUESTED, EventType.FEE_REQUESTED) and holder:
        return holder
    return DEMO_RECEIVER


@dataclass(frozen=True)
class SampleMaterial:
    family_names: list[str]
    middle_names: list[str]
    given_names: list[str]
    hamlets: list[str]
    id_province_codes: list[str]
    procedures: list[dict[str, Any]]
    summaries: list[str]

    @classmethod
    def load(cls) -> SampleMaterial:
        data = json.loads(shipped("db", "demo", "sample.json").read_text(encoding="utf-8"))
        data.pop("_comment", None)
        return cls(**data)


class SampleFactory:
    def __init__(self, seed: int = 2026, commune: str = "xã Ea Kao", procedures: list[dict[str, Any]] | None = None):
        self.rng = random.Random(seed)
        self.material = SampleMaterial.load()
        self.commune = commune
        self.procedures = procedures or self.material.procedures

    def person_name(self) -> str:
        m, r = self.material, self.rng
        return f"{r.choice(m.family_names)} {r.choice(m.middle_names)} {r.choice(m.given_names)}"

    def citizen_id(self) -> str:
        r = self.rng
        year = r.randint(1950, 2005)
        century_sex = (0 if year < 2000 else 2) + r.randint(0, 1)
        return f"{r.choice(self.material.id_province_codes)}{century_sex}{year % 100:02d}{r.randint(0, 999999):06d}"

    def phone(self) -> str:
        r = self.rng
        return f"0{r.choice('3579')}{r.randint(0, 99_999_999):08d}"

    def intake(self, received_at: datetime | None = None) -> dict[str, Any]:
        weights = [p.get("weight", 1) for p in self.procedures]
        proc = self.rng.choices(self.procedures, weights=weights)[0]
        data: dict[str, Any] = {
            "procedure_code": proc["code"],
            "applicant": {
                "name": self.person_name(),
                "id_number": self.citizen_id(),
                "kind": 1,
                "phone": self.phone(),
                "address": f"{self.rng.choice(self.material.hamlets)}, {self.commune}",
            },
            "summary": f"{proc['name']}. {self.rng.choice(self.material.summaries)}",
            "documents": proc.get("documents")
            or [
                {"name": "Tờ khai theo mẫu", "kind": "original", "copies": 1},
                {"name": "Căn cước công dân", "kind": "photocopy_with_original", "copies": 1},
            ],
        }
        if not proc.get("from_catalog"):  # otherwise the desk takes name and time from the catalog
            data["procedure"] = {k: proc[k] for k in ("code", "name", "field", "amount", "unit")}
        if received_at is not None:
            data["received_at"] = received_at.isoformat()
        return data

    def office_moment(self, day: datetime) -> datetime:
        minutes = self.rng.choice([self.rng.randint(0, 269), self.rng.randint(390, 599)])  # inside office hours
        return day.replace(hour=7, minute=0, second=0, microsecond=0) + timedelta(minutes=minutes)

    def lifecycle(self, applicant: str) -> list[tuple[str, dict[str, Any]]]:
        """A plausible sequence of actions after intake (possibly empty: still just received); the result
        goes back to ``applicant``."""
        r = self.rng
        roll = r.random()
        steps: list[tuple[str, dict[str, Any]]] = []
        if roll < 0.15:
            return steps
        steps.append(
            (
                EventType.HANDED_OVER,
                {
                    "to": r.choice(["cc.tuphap", "cc.diachinh", "cc.vanhoa"]),
                    "note": "Chuyển công chức chuyên môn xử lý",
                },
            )
        )
        if roll < 0.30:
            return steps
        if r.random() < 0.15:
            steps.append((EventType.SUPPLEMENT_REQUESTED, {"reason": "Thiếu bản sao giấy tờ chứng minh nơi cư trú"}))
            steps.append((EventType.SUPPLEMENTED, {"note": "Công dân đã bổ sung"}))
        if roll < 0.40:
            return steps
        if r.random() < 0.03:
            steps.append((EventType.WITHDRAWN, {"reason": "Công dân xin rút hồ sơ"}))
            return steps
        steps.append((EventType.RESOLVED, {"decision": "approved" if r.random() < 0.96 else "denied",
                                   "doc_number": f"{r.randint(1, 999)}/QĐ-UBND", "signer": "Vũ Đình Lâm"}))
        if r.random() < 0.8:
            steps.append((EventType.RETURNED, {"to": applicant, "channel": "desk",
                                       "note": "Đã trả kết quả trực tiếp"}))
        return steps


def catalog_samples(conn: Any) -> list[dict[str, Any]]:
    """The store's catalog as sample procedures, everyday commune procedures weighted up; [] if none."""
    from motcua.catalog import get_procedure
    from motcua.catalog.repository import all_codes

    samples = []
    for code in all_codes(conn):
        procedure = get_procedure(conn, code)
        if procedure.time_unset:
            continue  # not receivable until the province sets its time
        samples.append({
            "code": procedure.code, "name": procedure.name, "from_catalog": True,
            "weight": 6 if procedure.level == "commune" else 1,
            "documents": [{"name": c.name, "kind": c.kind, "copies": c.copies}
                          for c in procedure.components if c.required],
        })
    return samples
