"""The dossier row as a pure fold over its events.

``project(events)`` gives exactly what the store keeps in ``dossiers``; ``motcua check`` and the
tests rebuild every row this way and compare. Everything a row holds comes from event payloads
(including due dates computed at the time with the calendar then in force), never from the current
calendar or settings, so a rebuild is reproducible years later.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Iterable, Mapping
from dataclasses import asdict, dataclass, fields
from typing import Any

from motcua.domain.calendar import Timeliness, classify
from motcua.domain.clock import iso, parse_moment
from motcua.domain.events import Event, EventType, canonical_json
from motcua.domain.states import Status, TransitionRefused, transition
from motcua.domain.steps import PROCESS, RECEIVE, RETURN
from motcua.domain.text import fold


@dataclass(frozen=True)
class DossierRecord:
    id: str
    code: str | None = None
    status: int = 0
    channel: str = "desk"
    procedure_code: str = ""
    procedure_version: int | None = None
    procedure_name: str = ""
    field_name: str = ""
    processing_amount: float | None = None
    processing_unit: str = ""
    applicant_name: str = ""
    applicant_id_number: str = ""
    applicant_kind: int = 1
    applicant_phone: str = ""
    applicant_email: str = ""
    applicant_address: str = ""
    summary: str = ""
    documents: str = "[]"          # canonical JSON list of {name, kind, copies, received}
    sets: int = 1
    return_place: str = ""
    fee_total: int = 0
    receiving_officer: str = ""
    assigned_to: str = ""          # who holds the dossier now (an account; an agency at the province step)
    step: str = ""                 # the processing step it is at (domain.steps); '' when closed
    step_due_at: str | None = None  # that step's own deadline
    received_at: str | None = None
    due_at: str | None = None
    rescheduled_due_at: str | None = None
    paused_since: str | None = None
    paused_seconds: int = 0
    supplement_rounds: int = 0
    resolved_at: str | None = None
    decision: str = ""
    timeliness: str = ""
    returned_at: str | None = None
    closed_at: str | None = None
    closing_reason: str = ""
    attachment_count: int = 0
    created_at: str = ""
    updated_at: str = ""
    last_event_id: str = ""
    event_count: int = 0
    search_text: str = ""

    def as_row(self) -> dict[str, Any]:
        # Every field is a str, an int, a float or None: a shallow copy is the deep one, without deepcopy's cost.
        return {name: getattr(self, name) for name in COLUMNS}

    @property
    def state(self) -> Status | None:
        return Status(self.status) if self.status else None

    def document_list(self) -> list[dict[str, Any]]:
        documents: list[dict[str, Any]] = json.loads(self.documents)
        return documents

    def return_timeliness(self) -> Timeliness | None:
        """Whether the result was handed back early, on time or late against the due moment (moved only
        by the paused time; an apology's new date does not make a late return on time)."""
        if not self.returned_at or not self.due_at:
            return None
        return classify(parse_moment(self.returned_at), parse_moment(self.due_at))


COLUMNS: tuple[str, ...] = tuple(f.name for f in fields(DossierRecord))
_EMPTY: dict[str, Any] = asdict(DossierRecord(id=""))


def _creation_fields(payload: Mapping[str, Any]) -> dict[str, Any]:
    procedure = payload.get("procedure") or {}
    applicant = payload.get("applicant") or {}
    return {
        "code": payload.get("code"),
        "channel": payload.get("channel", "desk"),
        "procedure_code": procedure.get("code", ""),
        "procedure_version": procedure.get("version"),
        "procedure_name": procedure.get("name", ""),
        "field_name": procedure.get("field", ""),
        "processing_amount": procedure.get("amount"),
        "processing_unit": procedure.get("unit", ""),
        "applicant_name": applicant.get("name", ""),
        "applicant_id_number": applicant.get("id_number", ""),
        "applicant_kind": int(applicant.get("kind", 1)),
        "applicant_phone": applicant.get("phone", ""),
        "applicant_email": applicant.get("email", ""),
        "applicant_address": applicant.get("address", ""),
        "summary": payload.get("summary", ""),
        "documents": canonical_json(payload.get("documents") or []),
        "sets": int(payload.get("sets", 1)),
        "return_place": payload.get("return_place", ""),
        "fee_total": int(payload.get("fee_total", 0)),
        "due_at": payload.get("due_at"),
    }


# What each kind of event does to the row, beyond the status (which the transition table decides) and the
# times every event moves. Handlers get (row, event, status before the event, the event's moment as text).
_Handler = Callable[[dict[str, Any], Event, Status | None, str], None]
_CREATING = frozenset({EventType.REGISTERED, EventType.RECEIVED, EventType.REFUSED})


def _received(state: dict[str, Any], event: Event, current: Status | None, at: str) -> None:
    state["received_at"] = at
    state["receiving_officer"] = event.actor
    if current is not None and event.payload.get("due_at"):
        state["due_at"] = event.payload["due_at"]
    state["assigned_to"] = event.actor   # the desk holds it until it hands it over
    state["step"] = RECEIVE
    state["step_due_at"] = None


def _paused(state: dict[str, Any], event: Event, current: Status | None, at: str) -> None:
    state["paused_since"] = at
    if event.type == EventType.SUPPLEMENT_REQUESTED:
        state["supplement_rounds"] += 1


def _resumed(state: dict[str, Any], event: Event, current: Status | None, at: str) -> None:
    payload = event.payload
    state["paused_since"] = None
    state["paused_seconds"] += int(payload.get("paused_seconds", 0))
    if payload.get("due_at"):
        if state["step_due_at"] is not None and state["step_due_at"] == state["due_at"]:
            state["step_due_at"] = payload["due_at"]   # the step's deadline was the dossier's: it moves too
        state["due_at"] = payload["due_at"]
    if "documents" in payload:
        state["documents"] = canonical_json(payload["documents"])


def _fee_paid(state: dict[str, Any], event: Event, current: Status | None, at: str) -> None:
    # A payment while the clock runs (the intake fee): nothing on the row changes but the times.
    if current is Status.FINANCIAL_OBLIGATION:
        _resumed(state, event, current, at)


def _handed_over(state: dict[str, Any], event: Event, current: Status | None, at: str) -> None:
    payload = event.payload
    state["assigned_to"] = payload.get("to") or payload.get("to_unit", "")
    state["step"] = payload.get("step") or PROCESS
    state["step_due_at"] = _moment_text(payload.get("step_due_at")) or _effective_due(state)


def _resolved(state: dict[str, Any], event: Event, current: Status | None, at: str) -> None:
    state["step"] = RETURN                          # back to the desk that received it
    state["assigned_to"] = state["receiving_officer"]
    state["step_due_at"] = _effective_due(state)
    state["resolved_at"] = at
    state["decision"] = event.payload.get("decision", "approved")
    if state["due_at"]:
        state["timeliness"] = classify(event.occurred_at, parse_moment(state["due_at"])).value


def _returned(state: dict[str, Any], event: Event, current: Status | None, at: str) -> None:
    state["returned_at"] = at
    state["step"], state["step_due_at"] = "", None


def _closed(state: dict[str, Any], event: Event, current: Status | None, at: str) -> None:
    if event.type == EventType.REFUSED:  # refused right after the intake was recorded: it was never received
        state["received_at"] = None
    state["step"], state["step_due_at"] = "", None
    state["closed_at"] = at
    state["closing_reason"] = event.payload.get("reason", "")
    state["paused_since"] = None


def _rescheduled(state: dict[str, Any], event: Event, current: Status | None, at: str) -> None:
    if state["step_due_at"] is not None and state["step_due_at"] == _effective_due(state):
        state["step_due_at"] = event.payload.get("new_due_at")
    state["rescheduled_due_at"] = event.payload.get("new_due_at")


def _documents_updated(state: dict[str, Any], event: Event, current: Status | None, at: str) -> None:
    state["documents"] = canonical_json(event.payload.get("documents") or [])


def _attachment_added(state: dict[str, Any], event: Event, current: Status | None, at: str) -> None:
    state["attachment_count"] += 1


def _nothing(state: dict[str, Any], event: Event, current: Status | None, at: str) -> None:
    """Registered online, or a note: only the status and the times move."""


# Keyed by the EventType members (typed by str, their base: an event read back carries a plain str).
HANDLERS: dict[str, _Handler] = {
    EventType.REGISTERED: _nothing,
    EventType.RECEIVED: _received,
    EventType.REFUSED: _closed,
    EventType.HANDED_OVER: _handed_over,
    EventType.SUPPLEMENT_REQUESTED: _paused,
    EventType.SUPPLEMENTED: _resumed,
    EventType.FEE_REQUESTED: _paused,
    EventType.FEE_PAID: _fee_paid,
    EventType.WITHDRAWN: _closed,
    EventType.STOPPED: _closed,
    EventType.RESOLVED: _resolved,
    EventType.RETURNED: _returned,
    EventType.RESCHEDULED: _rescheduled,
    EventType.DOCUMENTS_UPDATED: _documents_updated,
    EventType.ATTACHMENT_ADDED: _attachment_added,
    EventType.NOTE: _nothing,
}


def _step(state: dict[str, Any] | None, event: Event) -> dict[str, Any]:
    """Fold one event into a row held as a dict (mutated and returned; a new one for the first event).

    Working on a plain dict and building the frozen record once keeps a full rebuild of a million
    events fast; ``apply`` and ``project`` share this one definition of what each event means."""
    current = Status(state["status"]) if state and state["status"] else None
    new_status = transition(current, event.type)   # refuses an unknown type before HANDLERS is looked up
    at = iso(event.occurred_at)
    if state is None:
        state = dict(_EMPTY, id=event.dossier_id, created_at=at)
    if event.type in _CREATING and current is None:
        state.update(_creation_fields(event.payload))
        state["receiving_officer"] = event.actor
        state["search_text"] = None  # recomputed when the record is built
    HANDLERS[event.type](state, event, current, at)
    state["status"] = int(new_status) if new_status is not None else 0
    state["updated_at"] = at
    state["last_event_id"] = event.id
    state["event_count"] += 1
    return state


def _effective_due(state: dict[str, Any]) -> str | None:
    due = state["rescheduled_due_at"] or state["due_at"]
    return str(due) if due else None


def _moment_text(value: Any) -> str | None:
    """A step deadline as stored ISO text (older events may carry «dd/mm/yyyy hh:mm»); None if unreadable."""
    if not isinstance(value, str) or not value.strip():
        return None
    try:
        return iso(parse_moment(value))
    except ValueError:
        return None


def _build(state: dict[str, Any]) -> DossierRecord:
    if state["search_text"] is None:
        state["search_text"] = search_text_of(DossierRecord(**dict(state, search_text="")))
    return DossierRecord(**state)


def apply(record: DossierRecord | None, event: Event) -> DossierRecord:
    """The record after ``event``; raises TransitionRefused when the event is not allowed."""
    return _build(_step(record.as_row() if record else None, event))


_SEARCHED = frozenset({"code", "applicant_name", "applicant_id_number", "applicant_phone", "procedure_code",
                       "procedure_name", "summary"})


def search_text_of(record: DossierRecord) -> str:
    parts = (record.code or "", record.applicant_name, record.applicant_id_number, record.applicant_phone,
             record.procedure_code, record.procedure_name, record.summary)
    return fold(" ".join(p for p in parts if p))


def project(events: Iterable[Event]) -> DossierRecord | None:
    state: dict[str, Any] | None = None
    for event in events:
        state = _step(state, event)
    return _build(state) if state is not None else None



class Folding:
    """A fold in progress: events go in one by one and an event refused where it stands is left out (a local
    action the hub's order overtook). ``copy`` branches it cheaply, so a caller can keep the fold of a prefix and
    add events after it without folding from the first event again."""

    __slots__ = ("_state",)

    def __init__(self, state: dict[str, Any] | None = None) -> None:
        self._state = state

    def add(self, event: Event) -> TransitionRefused | None:
        """Fold ``event`` in; when it is refused here, the row stays as it was and the refusal is returned.
        (``_step`` checks the transition before it changes anything.)"""
        try:
            self._state = _step(self._state, event)
        except TransitionRefused as exc:
            return exc
        return None

    def copy(self) -> Folding:
        return Folding(dict(self._state) if self._state is not None else None)

    def record(self) -> DossierRecord | None:
        return _build(dict(self._state)) if self._state is not None else None


def fold_events(events: Iterable[Event]) -> tuple[DossierRecord | None, list[Event]]:
    """The row after ``events`` in this order, leaving out each event refused where it stands; returns the row
    and the events left out."""
    folding = Folding()
    refused = [event for event in events if folding.add(event) is not None]
    return folding.record(), refused
