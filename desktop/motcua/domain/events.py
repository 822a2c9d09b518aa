"""The append-only event: the one source of truth about a dossier.

The same events are the audit trail, the process control sheet and the unit of sync.
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import datetime
from enum import StrEnum
from typing import Any

from motcua.domain.clock import iso, now, parse_moment
from motcua.domain.ids import uuid7


class EventType(StrEnum):
    """What happened to a dossier: the ``type`` of every event. Members equal their values, which are what
    the store, the wire and the hub hold, so ``event.type == EventType.RECEIVED`` for an event read back."""

    REGISTERED = "registered"
    RECEIVED = "received"
    REFUSED = "refused"
    HANDED_OVER = "handed_over"
    SUPPLEMENT_REQUESTED = "supplement_requested"
    SUPPLEMENTED = "supplemented"
    FEE_REQUESTED = "fee_requested"
    FEE_PAID = "fee_paid"
    WITHDRAWN = "withdrawn"
    STOPPED = "stopped"
    RESOLVED = "resolved"
    RETURNED = "returned"
    RESCHEDULED = "rescheduled"
    DOCUMENTS_UPDATED = "documents_updated"
    ATTACHMENT_ADDED = "attachment_added"
    NOTE = "note"


@dataclass(frozen=True)
class Event:
    id: str
    dossier_id: str
    type: str
    actor: str
    occurred_at: datetime
    payload: Mapping[str, Any] = field(default_factory=dict)
    device_id: str = ""

    @classmethod
    def new(cls, dossier_id: str, type: str, actor: str, payload: Mapping[str, Any] | None = None,
            *, occurred_at: datetime | None = None, device_id: str = "") -> Event:
        return cls(uuid7(), dossier_id, type, actor, occurred_at or now(), dict(payload or {}), device_id)

    def payload_json(self) -> str:
        return canonical_json(self.payload)

    def to_wire(self) -> dict[str, Any]:
        return {"id": self.id, "dossier_id": self.dossier_id, "type": self.type, "actor": self.actor,
                "occurred_at": iso(self.occurred_at), "payload": dict(self.payload), "device_id": self.device_id}

    @classmethod
    def from_wire(cls, data: Mapping[str, Any]) -> Event:
        payload = data.get("payload") or {}
        if isinstance(payload, str):
            payload = json.loads(payload)
        return cls(str(data["id"]), str(data["dossier_id"]), str(data["type"]), str(data["actor"]),
                   parse_moment(str(data["occurred_at"])), payload, str(data.get("device_id") or ""))


def canonical_json(value: Any) -> str:
    """Stable JSON (sorted keys, real UTF-8) so identical payloads are identical bytes everywhere."""
    return json.dumps(value, ensure_ascii=False, sort_keys=True, separators=(",", ":"))
