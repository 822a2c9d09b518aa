"""One dossier's events as a table: the process control sheet on screen (a few dozen rows at most)."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from PySide6.QtCore import Qt

from motcua.domain.clock import iso
from motcua.domain.events import Event, EventType
from motcua.domain.payments import PAYMENT_METHODS
from motcua.domain.states import ACTIONS
from motcua.i18n import tr
from motcua.services.desk import RETURN_CHANNELS
from motcua.ui.models.rows_table import Index, RowsTableModel
from motcua.ui.widgets import formatting

HEADERS = ("Thời điểm", "Người thực hiện", "Thao tác", "Nội dung")


def event_label(event_type: str) -> str:
    action = ACTIONS.get(event_type)
    text = tr(action.label) if action else event_type
    return text[:1].upper() + text[1:]


def event_detail(event: Event, names: Mapping[str, str] | None = None) -> str:
    """The event's content in words; ``names`` turns accounts into full names (login kept in brackets)."""
    p: Mapping[str, Any] = event.payload
    kind = event.type
    if kind == EventType.RECEIVED:
        return tr("Mã {code}; hẹn trả {due}", code=p.get("code", ""), due=formatting.moment(p.get("due_at")))
    if kind == EventType.HANDED_OVER:
        to = str(p.get("to", ""))
        full_name = (names or {}).get(to)
        text = tr("Chuyển cho {to}", to=f"{full_name} ({to})" if full_name else to)
        if p.get("to_unit"):
            text += f" ({p['to_unit']})"
        return text + (f": {p['note']}" if p.get("note") else "")
    if kind == EventType.SUPPLEMENT_REQUESTED:
        items = "; ".join(str(i) for i in p.get("items") or [])
        return str(p.get("reason", "")) + (f" — {items}" if items else "")
    if kind == EventType.FEE_REQUESTED:
        return formatting.money(int(p.get("amount", 0))) + (f" — {p['reason']}" if p.get("reason") else "")
    if kind == EventType.FEE_PAID:
        method = tr(PAYMENT_METHODS.get(str(p.get("method", "")), str(p.get("method", ""))))
        text = formatting.money(int(p.get("amount", 0) or 0)) + (f" ({method})" if method else "")
        if p.get("receipt_number"):
            text += tr(", biên lai số {n}", n=p["receipt_number"])
        return text + (f": {p['note']}" if p.get("note") else "")
    if kind == EventType.RESOLVED:
        decision = tr("Giải quyết") if p.get("decision", "approved") == "approved" else tr("Từ chối giải quyết")
        if p.get("doc_number"):
            decision += tr(" — văn bản số {n}, {signer} ký", n=p["doc_number"], signer=p.get("signer", ""))
        return decision + (f": {p['note']}" if p.get("note") else "")
    if kind == EventType.RETURNED:
        text = tr("Trả cho {to}", to=p.get("to", "")) if p.get("to") else ""
        if p.get("channel") in RETURN_CHANNELS:
            text += (" " if text else "") + tr(RETURN_CHANNELS[str(p["channel"])])
        return text + (f": {p['note']}" if p.get("note") else "")
    if kind in (EventType.WITHDRAWN, EventType.STOPPED) and p.get("requested_by"):
        return tr("{reason} (người yêu cầu: {who})", reason=p.get("reason", ""), who=p["requested_by"])
    if kind == EventType.RESCHEDULED:
        return tr("Hẹn lại {due}: {reason}", due=formatting.moment(p.get("new_due_at")), reason=p.get("reason", ""))
    if kind == EventType.ATTACHMENT_ADDED:
        return str(p.get("name", ""))
    if kind == EventType.NOTE:
        return str(p.get("text", ""))
    for key in ("reason", "note", "to"):
        if p.get(key):
            return str(p[key])
    return ""


class EventListModel(RowsTableModel[Event]):
    headers = HEADERS

    def __init__(self, parent: Any = None):
        super().__init__(parent)
        self._names: dict[str, str] = {}

    def set_events(self, events: list[Event], names: dict[str, str] | None = None) -> None:
        self._names = dict(names or {})
        self.set_rows(events)

    def event_at(self, row: int) -> Event:
        return self.rows[row]

    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid() or not 0 <= index.row() < len(self.rows):
            return None
        if role not in (Qt.ItemDataRole.DisplayRole, Qt.ItemDataRole.ToolTipRole):
            return None
        event = self.rows[index.row()]
        column = index.column()
        if column == 0:
            return formatting.moment(iso(event.occurred_at))
        if column == 1:
            name = self._names.get(event.actor)
            return f"{name} ({event.actor})" if name else event.actor
        if column == 2:
            return event_label(event.type)
        if column == 3:
            return event_detail(event, self._names)
        return None

    def flags(self, index: Index) -> Qt.ItemFlag:
        if not index.isValid():
            return Qt.ItemFlag.NoItemFlags
        return Qt.ItemFlag.ItemIsEnabled | Qt.ItemFlag.ItemIsSelectable | Qt.ItemFlag.ItemNeverHasChildren
