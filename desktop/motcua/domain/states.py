"""Dossier states (the provincial systems' codes 1–10) and which event may move a dossier where.

The transition table is the single authority: the services, the CLI, the UI's action buttons and the
hub's validation all ask it.
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import IntEnum

from motcua.domain.events import EventType
from motcua.i18n import tr


class Status(IntEnum):
    REGISTERED = 1
    RECEIVED = 2
    NOT_RECEIVED = 3
    PROCESSING = 4
    SUPPLEMENT_REQUESTED = 5
    FINANCIAL_OBLIGATION = 6
    WITHDRAWN = 7
    STOPPED = 8
    RESOLVED = 9
    RETURNED = 10

    @property
    def label(self) -> str:
        return tr(STATUS_LABELS[self])


STATUS_LABELS: dict[Status, str] = {
    Status.REGISTERED: "Mới đăng ký",
    Status.RECEIVED: "Được tiếp nhận",
    Status.NOT_RECEIVED: "Không được tiếp nhận",
    Status.PROCESSING: "Đang xử lý",
    Status.SUPPLEMENT_REQUESTED: "Yêu cầu bổ sung giấy tờ",
    Status.FINANCIAL_OBLIGATION: "Yêu cầu thực hiện nghĩa vụ tài chính",
    Status.WITHDRAWN: "Công dân yêu cầu rút hồ sơ",
    Status.STOPPED: "Dừng xử lý",
    Status.RESOLVED: "Đã xử lý xong",
    Status.RETURNED: "Đã trả kết quả",
}

# The clock stops while the dossier waits for the applicant (DOMAIN.md: supplements; the same rule is
# applied to financial obligations, which also wait on the applicant).
CLOCK_STOPPED = frozenset({Status.SUPPLEMENT_REQUESTED, Status.FINANCIAL_OBLIGATION})
FINAL = frozenset({Status.NOT_RECEIVED, Status.WITHDRAWN, Status.STOPPED, Status.RETURNED})
OPEN = frozenset({Status.RECEIVED, Status.PROCESSING, Status.SUPPLEMENT_REQUESTED, Status.FINANCIAL_OBLIGATION})
_ANY_LIVE = frozenset(Status) - FINAL


@dataclass(frozen=True)
class Action:
    """One kind of event: where it may happen and where it leads (``None`` = status unchanged)."""

    type: EventType
    label: str
    allowed_from: frozenset[Status | None]
    leads_to: Status | None
    creates: bool = False
    # Moves that differ from ``leads_to`` for some starting states (e.g. a payment ends a financial
    # obligation but leaves any other state as it is).
    moves: tuple[tuple[Status, Status], ...] = ()


_actions = [
    Action(EventType.REGISTERED, "đăng ký trực tuyến", frozenset({None}), Status.REGISTERED, creates=True),
    Action(EventType.RECEIVED, "tiếp nhận", frozenset({None, Status.REGISTERED}), Status.RECEIVED, creates=True),
    # Refused at the desk (Mẫu 03): instead of receiving, or right after the intake was recorded, before
    # the dossier went anywhere (still «Được tiếp nhận»).
    Action(EventType.REFUSED, "từ chối tiếp nhận", frozenset({None, Status.REGISTERED, Status.RECEIVED}),
           Status.NOT_RECEIVED, creates=True),
    Action(EventType.HANDED_OVER, "chuyển xử lý", frozenset({Status.RECEIVED, Status.PROCESSING}), Status.PROCESSING),
    Action(EventType.SUPPLEMENT_REQUESTED, "yêu cầu bổ sung hồ sơ",
           frozenset({Status.RECEIVED, Status.PROCESSING}), Status.SUPPLEMENT_REQUESTED),
    Action(EventType.SUPPLEMENTED, "nhận hồ sơ bổ sung", frozenset({Status.SUPPLEMENT_REQUESTED}), Status.PROCESSING),
    Action(EventType.FEE_REQUESTED, "yêu cầu thực hiện nghĩa vụ tài chính",
           frozenset({Status.PROCESSING}), Status.FINANCIAL_OBLIGATION),
    # A payment (the fee computed at intake, or a financial obligation asked for later) may be recorded
    # whenever the dossier is live and not waiting for a supplement, and when the result is handed back;
    # it ends a financial obligation, and leaves any other state unchanged.
    Action(EventType.FEE_PAID, "ghi nhận thu phí, lệ phí",
           frozenset({Status.RECEIVED, Status.PROCESSING, Status.FINANCIAL_OBLIGATION, Status.RESOLVED}), None,
           moves=((Status.FINANCIAL_OBLIGATION, Status.PROCESSING),)),
    Action(EventType.WITHDRAWN, "rút hồ sơ", frozenset(OPEN), Status.WITHDRAWN),
    Action(EventType.STOPPED, "dừng xử lý", frozenset(OPEN), Status.STOPPED),
    Action(EventType.RESOLVED, "hoàn thành xử lý", frozenset({Status.RECEIVED, Status.PROCESSING}), Status.RESOLVED),
    Action(EventType.RETURNED, "trả kết quả", frozenset({Status.RESOLVED}), Status.RETURNED),
    Action(EventType.RESCHEDULED, "xin lỗi và hẹn lại ngày trả", frozenset(OPEN), None),
    Action(EventType.DOCUMENTS_UPDATED, "cập nhật giấy tờ", frozenset(OPEN), None),
    Action(EventType.ATTACHMENT_ADDED, "đính kèm tệp", frozenset(_ANY_LIVE | FINAL), None),
    Action(EventType.NOTE, "ghi chú", frozenset(_ANY_LIVE | FINAL), None),
]
# Keyed by the EventType members; typed by str, their base, since callers look up the type an event carries.
ACTIONS: dict[str, Action] = {a.type: a for a in _actions}


class TransitionRefused(Exception):
    """An event that the dossier's current state does not allow."""


def transition(current: Status | None, event_type: str) -> Status | None:
    """The status after ``event_type`` happens in ``current``; raise TransitionRefused if it cannot."""
    action = ACTIONS.get(event_type)
    if action is None:
        raise TransitionRefused(tr("Không có thao tác «{type}».", type=event_type))
    if current not in action.allowed_from:
        where = tr("chưa có hồ sơ") if current is None else tr("«{label}»", label=current.label)
        raise TransitionRefused(
            tr("Không thể {action} khi hồ sơ đang ở trạng thái {where}.", action=action.label, where=where)
        )
    for start, end in action.moves:
        if current is start:
            return end
    return action.leads_to if action.leads_to is not None else current


def actions_available(current: Status | None) -> list[Action]:
    return [a for a in _actions if current in a.allowed_from]
