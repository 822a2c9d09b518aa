"""What a dossier owes and what was paid: the fee computed at intake, the financial obligations asked for
later, and the payments recorded (``fee_paid`` events). Pure: read off the dossier's events."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from motcua.domain.clock import iso
from motcua.domain.events import Event, EventType
from motcua.domain.text import fold

# How a payment was made: stored value → label (the label is source text for tr()).
PAYMENT_METHODS: dict[str, str] = {"cash": "tiền mặt", "transfer": "chuyển khoản", "other": "khác"}


def payment_method(text: str) -> str | None:
    """The stored value for a method typed as its code or its Vietnamese words (with or without marks)."""
    wanted = fold(text).strip()
    for value, label in PAYMENT_METHODS.items():
        if wanted in (value, fold(label)):
            return value
    return None


@dataclass(frozen=True)
class Payment:
    at: str
    amount: int
    method: str
    receipt_number: str
    actor: str


@dataclass(frozen=True)
class FeeAccount:
    charged: int                 # the fee computed at intake plus every financial obligation asked for
    payments: tuple[Payment, ...]

    @property
    def paid(self) -> int:
        return sum(p.amount for p in self.payments)

    @property
    def due(self) -> int:
        """What is still to be paid (never below zero)."""
        return max(self.charged - self.paid, 0)


def fee_account(events: Iterable[Event]) -> FeeAccount:
    charged = 0
    payments: list[Payment] = []
    for event in events:
        payload = event.payload
        if event.type in (EventType.RECEIVED, EventType.REGISTERED) and "fee_total" in payload:
            charged = _amount(payload.get("fee_total"))
        elif event.type == EventType.FEE_REQUESTED:
            charged += _amount(payload.get("amount"))
        elif event.type == EventType.FEE_PAID:
            payments.append(Payment(iso(event.occurred_at), _amount(payload.get("amount")),
                                    str(payload.get("method", "")), str(payload.get("receipt_number", "")),
                                    event.actor))
    return FeeAccount(charged, tuple(payments))


def _amount(value: object) -> int:
    if not isinstance(value, (int, float, str)):
        return 0
    try:
        return max(int(value), 0)
    except ValueError:
        return 0
