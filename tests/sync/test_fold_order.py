"""The hub's order, without a hub: pulled pages fold a dossier by hub sequence with local work after it, however
the events arrive, and a long run of hub events in front of local work stays one step each (issue 17 #11)."""

from __future__ import annotations

import ast
from datetime import timedelta
from pathlib import Path

from motcua.domain.clock import iso, now
from motcua.domain.events import Event
from motcua.domain.projection import project
from motcua.store.check import check_store
from motcua.store.db import transaction
from motcua.store.events import events_of, load_record, row_to_event
from motcua.store.fold import fold_order_ids
from motcua.sync.outbox import apply_acknowledgements, pending_batch
from motcua.sync.pull import PullSummary, apply_page
from tests.sync.conftest import DeskStore


def _pushed(store: DeskStore) -> int:
    rows = pending_batch(store.conn)
    with transaction(store.conn):
        apply_acknowledgements(store.conn, [{"id": r["id"], "status": "stored", "hub_seq": n,
                                             "hub_received_at": iso(now())} for n, r in enumerate(rows, 1)])
    return len(rows)


def _note(dossier_id: str, n: int) -> dict:
    return Event.new(dossier_id, "note", "tinh.daklak", {"text": f"Ghi chú {n}"},
                     occurred_at=now() + timedelta(seconds=n), device_id="desk-b").to_wire()


def _expected(store: DeskStore, dossier_id: str) -> object:
    """The fold the rules give: hub sequence first, then local events by local order."""
    rows = store.conn.execute("SELECT * FROM events WHERE dossier_id = ?", (dossier_id,)).fetchall()
    ordered = sorted(rows, key=lambda r: (r["hub_seq"] is None, r["hub_seq"] or 0, r["seq"]))
    return project(row_to_event(r) for r in ordered)


def test_many_hub_events_before_local_work_fold_in_hub_order(store: DeskStore) -> None:
    dossier = store.new_dossier(extra_events=1)
    last = _pushed(store)
    store.desk.act(dossier, "note", "cc.tuphap", {"text": "Chưa gửi"})       # a local tail, never sent
    local = store.conn.execute("SELECT id FROM events WHERE sync_state = 'pending'").fetchone()[0]
    notes = [_note(dossier, n) for n in range(1200)]
    items = [{"seq": last + 1 + n, "kind": "event", "data": w} for n, w in enumerate(notes)]
    # The pages arrive out of order (the second before the first): the hub's sequence still decides.
    broken = {"seq": last + 5000, "kind": "event", "data": {"id": "x", "dossier_id": dossier}}  # held, not fatal
    apply_page(store.conn, items[600:], last + 1200, PullSummary())
    summary = PullSummary()
    apply_page(store.conn, [*items[:300], broken, *items[300:600]], last + 1200, summary)
    assert (summary.applied, summary.conflicts) == (600, 1)
    record = load_record(store.conn, dossier)
    assert record == _expected(store, dossier)
    assert record is not None and record.last_event_id == local and record.event_count == 1203
    assert fold_order_ids(store.conn, dossier)[-1] == local
    # the timeline and the papers read the events in the order the row was folded, not in arrival order
    assert [e.id for e in events_of(store.conn, dossier)] == fold_order_ids(store.conn, dossier)
    assert [e.id for e in events_of(store.conn, dossier)][-3:-1] == [notes[-2]["id"], notes[-1]["id"]]
    assert check_store(store.conn, store.data_dir).ok
    before = record
    apply_page(store.conn, items, last + 1200, PullSummary())                  # pulled again: nothing changes
    assert load_record(store.conn, dossier) == before


def test_sync_modules_import_no_cycle() -> None:
    """No cycle between the desk's sync modules, counting imports inside functions (issue 15 part 3)."""
    package = Path(__file__).resolve().parents[2] / "desktop" / "motcua" / "sync"
    graph: dict[str, set[str]] = {}
    for path in package.glob("*.py"):
        names = set()
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.ImportFrom) and node.module and node.module.startswith("motcua.sync."):
                names.add(node.module.removeprefix("motcua.sync."))
        graph[path.stem] = names

    def reaches(start: str, goal: str, seen: set[str]) -> bool:
        return any(nxt == goal or reaches(nxt, goal, seen | {nxt}) for nxt in graph.get(start, set()) - seen)

    assert [m for m in sorted(graph) if reaches(m, m, set())] == []
