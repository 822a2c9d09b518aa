"""Event types are one enum in the domain: the tables are keyed by its members and nothing compares bare strings."""

from __future__ import annotations

import ast
import json
from datetime import datetime, timedelta, timezone
from pathlib import Path

import pytest

from motcua.domain.events import Event, EventType
from motcua.domain.projection import HANDLERS
from motcua.domain.states import ACTIONS
from motcua.services.desk import _ACTION_FIELDS
from motcua.store.register import ISSUING_EVENTS

PACKAGE = Path(__file__).resolve().parents[2] / "desktop" / "motcua"
VALUES = {member.value for member in EventType}


@pytest.mark.parametrize("table", [ACTIONS, HANDLERS, ISSUING_EVENTS, _ACTION_FIELDS],
                         ids=["actions", "projection", "register", "action_fields"])
def test_tables_are_keyed_by_members(table: dict[str, object]) -> None:
    assert all(type(key) is EventType for key in table), [k for k in table if type(k) is not EventType]


def test_every_type_has_an_action_and_the_projection_handles_it() -> None:
    assert set(ACTIONS) == set(EventType)
    assert set(HANDLERS) == set(EventType)
    assert all(action.type is key for key, action in ACTIONS.items())


def test_members_travel_as_their_plain_values() -> None:
    moment = datetime(2026, 1, 5, 9, 0, tzinfo=timezone(timedelta(hours=7)))
    member = Event("e1", "d1", EventType.RECEIVED, "a", moment, {"x": 1})
    plain = Event("e1", "d1", "received", "a", moment, {"x": 1})
    assert json.dumps(member.to_wire(), sort_keys=True) == json.dumps(plain.to_wire(), sort_keys=True)
    assert Event.from_wire(member.to_wire()) == plain
    assert ACTIONS["received"] is ACTIONS[EventType.RECEIVED]


def _bare_type_literals(path: Path) -> list[str]:
    """Event-type strings compared against, or passed as the type to Event.new / Event / transition."""
    found = []
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        candidates: list[ast.expr] = []
        if isinstance(node, ast.Compare):
            for operand in [node.left, *node.comparators]:
                candidates += operand.elts if isinstance(operand, ast.Tuple | ast.List | ast.Set) else [operand]
        elif isinstance(node, ast.Call):
            name = ast.unparse(node.func)
            if name in ("Event.new", "transition") and len(node.args) > 1:
                candidates.append(node.args[1])
            elif name == "Event" and len(node.args) > 2:
                candidates.append(node.args[2])
        found += [f"{path.relative_to(PACKAGE)}:{c.lineno} {c.value!r}" for c in candidates
                  if isinstance(c, ast.Constant) and c.value in VALUES]
    return found


def test_domain_store_and_services_use_the_members() -> None:
    offenders = [hit for layer in ("domain", "store", "services")
                 for path in sorted((PACKAGE / layer).rglob("*.py")) for hit in _bare_type_literals(path)]
    assert offenders == []
