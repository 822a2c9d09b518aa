"""Real commune stores with dated histories, built through Desk.intake / Desk.act with ``at=``."""

from __future__ import annotations

import sqlite3
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from pathlib import Path
from typing import Any

from motcua.domain.clock import VN_TZ
from motcua.domain.events import Event
from motcua.services.desk import Desk
from motcua.services.intake import parse_intake
from motcua.store.db import transaction
from motcua.store.events import commit_event
from motcua.store.settings import get_settings
from tests.conftest import new_desk as common_new_desk

PROCEDURES: dict[str, dict[str, Any]] = {
    "1.001193": {"code": "1.001193", "name": "Đăng ký khai sinh", "field": "Hộ tịch", "days": 3},
    "2.000815": {"code": "2.000815", "name": "Chứng thực bản sao từ bản chính", "field": "Chứng thực", "hours": 4},
    "1.003560": {"code": "1.003560", "name": "Cấp giấy phép bưu chính", "field": "Bưu chính", "days": 15},
}

# Each outline is a path through the transition table after intake.
OUTLINES: tuple[tuple[str, ...], ...] = (
    (),
    ("handed_over",),
    ("handed_over", "supplement_requested"),
    ("handed_over", "supplement_requested", "supplemented", "resolved"),
    ("handed_over", "supplement_requested", "supplemented", "resolved", "returned"),
    ("resolved",),
    ("handed_over", "resolved", "returned"),
    ("handed_over", "withdrawn"),
    ("stopped",),
    ("handed_over", "supplement_requested", "stopped"),
    ("handed_over", "fee_requested", "fee_paid", "resolved"),
    ("handed_over", "fee_requested"),
    ("handed_over", "rescheduled", "resolved"),   # an apology letter does not move the due moment
    ("handed_over", "note", "resolved", "note"),
)

VALUES: dict[str, dict[str, Any]] = {
    "handed_over": {"to": "cc.tuphap"},
    "supplement_requested": {"reason": "Thiếu giấy tờ"},
    "supplemented": {"note": "Đã bổ sung"},
    "fee_requested": {"amount": 50000},
    "fee_paid": {"amount": 50000, "method": "cash"},
    "withdrawn": {"reason": "Công dân xin rút"},
    "stopped": {"reason": "Dừng theo quy định"},
    "resolved": {"decision": "approved", "doc_number": "1/QĐ-UBND", "signer": "Lê Văn Hùng"},
    "returned": {"to": "Người nhận", "to_id_number": "066090001234"},
    "rescheduled": {"new_due_at": "2030-01-01T08:00:00+07:00", "reason": "Chậm"},
    "note": {"text": "Ghi chú"},
}


@dataclass(frozen=True)
class Story:
    """One dossier's history: intake moment, channel, procedure, then actions after given delays."""

    received_at: datetime
    channel: str = "desk"
    procedure: str = "1.001193"
    steps: tuple[tuple[str, timedelta], ...] = ()
    refused: bool = False


@dataclass
class Built:
    desk: Desk
    codes: list[str] = field(default_factory=list)

    @property
    def conn(self) -> sqlite3.Connection:
        return self.desk.conn


def new_desk(directory: Path) -> Desk:
    desk: Desk = common_new_desk(directory, durable=False)   # hand-overs go to the demo staff's accounts
    return desk


def intake_data(story: Story) -> dict[str, Any]:
    return {
        "procedure_code": story.procedure,
        "procedure": PROCEDURES[story.procedure],
        "applicant": {"name": "Nguyễn Thị Hoa", "id_number": "066190001234", "phone": "0912345678"},
        "summary": "Hồ sơ thử",
        "channel": story.channel,
        "received_at": story.received_at.isoformat(),
    }


def add_story(desk: Desk, story: Story) -> str:
    """Write one dossier's history; returns its code."""
    if story.refused:
        settings = get_settings(desk.conn)
        code = f"TC-{story.received_at:%y%m%d%H%M%S}-{id(story) % 100000:05d}"
        event = Event.new(Event.new("", "refused", "x").id, "refused", "tiepnhan",
                          {"code": code, "channel": story.channel, "procedure": PROCEDURES[story.procedure],
                           "reason": "Không thuộc thẩm quyền"},
                          occurred_at=story.received_at, device_id=settings.device_id)
        with transaction(desk.conn):
            commit_event(desk.conn, event)
        return code
    outcome = desk.intake(parse_intake(intake_data(story)), "tiepnhan")
    at = story.received_at
    for action, delay in story.steps:
        at = at + delay
        desk.act(outcome.record.id, action, "cc.xuly", VALUES[action], at=at)
    return str(outcome.record.code)


def build(desk: Desk, stories: list[Story]) -> Built:
    built = Built(desk)
    for story in stories:
        built.codes.append(add_story(desk, story))
    return built


@contextmanager
def store_in(directory: Path, stories: list[Story]) -> Iterator[Built]:
    desk = new_desk(directory)
    try:
        yield build(desk, stories)
    finally:
        desk.conn.close()


def moment(text: str) -> datetime:
    return datetime.fromisoformat(text).replace(tzinfo=VN_TZ)


# A small hand-made history used by the export, CLI and UI tests (February–March 2026).
SAMPLE: list[Story] = [
    Story(moment("2026-01-26 08:00"), "desk", "1.001193", (("handed_over", timedelta(hours=1)),)),   # carried over
    Story(moment("2026-01-28 09:00"), "online", "1.003560",
          (("resolved", timedelta(days=8)),)),                                   # carried over, resolved in Feb
    Story(moment("2026-01-05 09:00"), "desk", "1.001193", (("resolved", timedelta(days=2)),)),   # done in January
    Story(moment("2026-02-02 08:30"), "desk", "1.001193", (("resolved", timedelta(hours=2)),)),  # early
    Story(moment("2026-02-03 08:30"), "online", "1.001193",
          (("handed_over", timedelta(hours=1)), ("resolved", timedelta(days=20)))),                # late
    Story(moment("2026-02-04 08:00"), "post", "2.000815", (("resolved", timedelta(hours=3)),)),  # on time
    Story(moment("2026-02-05 10:00"), "online", "1.003560", (("withdrawn", timedelta(days=1)),)),
    Story(moment("2026-02-06 10:00"), "desk", "1.003560", (("stopped", timedelta(days=2)),)),
    Story(moment("2026-02-10 10:00"), "online", "1.001193",
          (("handed_over", timedelta(hours=1)), ("supplement_requested", timedelta(hours=2)))),    # paused in time
    Story(moment("2026-02-25 10:00"), "desk", "1.003560"),                                         # pending in time
    Story(moment("2026-02-12 10:00"), "desk", "1.001193", refused=True),                          # never counted
]
