"""Pydantic shapes of the HTTP bodies, for the OpenAPI document and first-line validation.

The protocol's own rules live in motcua.protocol.messages (shared with the client); these models only
describe the JSON so docs/openapi.json and schemathesis see the real shapes. Events stay loose
objects here: each is validated on its own, so one bad event is quarantined, never the whole batch.
"""

from __future__ import annotations

from typing import Any, Literal

from pydantic import BaseModel, Field

from motcua.protocol.messages import MAX_PUSH_EVENTS


class ProblemOut(BaseModel):
    error: str
    detail: str


class TooManyAttemptsOut(BaseModel):
    error: Literal["too_many_attempts"]
    detail: str
    retry_after: int = Field(ge=1, description="seconds until this address may try again (as Retry-After)")


class EnrollIn(BaseModel):
    enrollment_code: str = Field(max_length=200)
    device_name: str = Field(max_length=200)
    public_key: str = Field(max_length=200, description="Ed25519 public key, base64 of 32 raw bytes")
    agency_code: str = Field("", max_length=64, description="the desk's agency code (prefix of its dossier codes)")


class EnrollOut(BaseModel):
    ack: Literal["enroll"]
    device_id: str
    token: str
    commune_code: str
    hub_public_key: str
    workstation: int = Field(ge=0, le=9, description="this device's own workstation number in its commune")
    agency_code: str = Field(description="the commune's agency code at the hub; empty while not known")


class PushIn(BaseModel):
    protocol: Literal[1]
    device_id: str = Field(max_length=64)
    client_time: str = Field(max_length=64)
    events: list[dict[str, Any]] = Field(max_length=MAX_PUSH_EVENTS,
                                         description="Event.to_wire() objects, each with device_seq")


class PushResultOut(BaseModel):
    id: str
    status: Literal["stored", "duplicate", "quarantined"]
    hub_seq: int | None
    hub_received_at: str | None
    reason: str


class PushOut(BaseModel):
    protocol: Literal[1]
    ack: Literal["push"]
    results: list[PushResultOut]
    hub_time: str


class PullItemOut(BaseModel):
    seq: int
    kind: Literal["event", "catalog", "calendar", "decision", "announcement"]
    data: dict[str, Any]


class PullOut(BaseModel):
    protocol: Literal[1]
    ack: Literal["pull"]
    items: list[PullItemOut]
    next_cursor: int
    more: bool
    hub_time: str


class MissingIn(BaseModel):
    hashes: list[str] = Field(max_length=1000)


class MissingOut(BaseModel):
    ack: Literal["missing"]
    missing: list[str]


class ChunkOut(BaseModel):
    ack: Literal["chunk", "attachment_status"]
    received: int
    complete: bool


class StatusOut(BaseModel):
    ack: Literal["status"]
    protocol: Literal[1]
    commune_code: str
    pending_quarantine: int
    last_push_at: str | None
    hub_time: str


class CommuneIn(BaseModel):
    code: str = Field(max_length=64)
    name: str = Field(max_length=300)
    agency_code: str = Field("", max_length=64, description="prefix of the commune's dossier codes, e.g. "
                             "000.17.22.H56; empty: bound by its first enrolled desk")


class AgencyIn(BaseModel):
    agency_code: str = Field(max_length=64, description="prefix of the commune's dossier codes, e.g. 000.17.22.H56")


class EnrollmentCodeIn(BaseModel):
    commune_code: str = Field(max_length=64)
    ttl_hours: int = 72


class CatalogIn(BaseModel):
    procedures: list[dict[str, Any]] = Field(max_length=1000)


class CalendarIn(BaseModel):
    entries: list[dict[str, Any]] = Field(max_length=5000)
    commune_code: str | None = None


class AnnouncementIn(BaseModel):
    title: str = Field(max_length=500)
    body_markdown: str = Field(max_length=200_000)
    commune_code: str | None = None


class DecisionIn(BaseModel):
    dossier_id: str = Field(max_length=64)
    type: str = Field(max_length=64, description="an event type of the transition table, e.g. resolved")
    actor: str = Field(max_length=200)
    payload: dict[str, Any] = Field(default_factory=dict)


class QuarantineRetryIn(BaseModel):
    commune_code: str = Field(max_length=64)
    event_id: str = Field(max_length=80)


class QuarantineResolveIn(QuarantineRetryIn):
    note: str = Field(max_length=2000)
