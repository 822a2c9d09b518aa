"""The one place where the intake, print and guidance screens meet other branches' code.

Every function here is a thin adapter over a package another engineer owns (catalog, search, forms,
the UI shell's writer thread). When their API moves, only this module changes.
"""

from __future__ import annotations

import html
import sqlite3
from collections.abc import Callable
from datetime import datetime
from pathlib import Path
from typing import Any

from PySide6.QtCore import QCoreApplication, QDeadlineTimer, QThread

from motcua.catalog import Procedure, ProcedureNotFound, get_procedure
from motcua.domain.clock import parse_moment
from motcua.i18n import tr
from motcua.paths import store_file
from motcua.search import SearchResult, search_procedures
from motcua.services.desk import Desk
from motcua.store.db import connect, open_store
from motcua.store.settings import Settings, get_settings
from motcua.ui.auth import INTAKE, User, require
from motcua.ui.bus import ChangesBus
from motcua.ui.context import AppContext
from motcua.ui.worker import TaskRunner

__all__ = [
    "AppContext",
    "Procedure",
    "SearchResult",
    "User",
    "actor",
    "close_context",
    "find_procedures",
    "guidance_html",
    "guidance_pdf",
    "list_procedures",
    "load_procedure",
    "open_context",
    "receipt_pdf",
    "submit",
    "wait_idle",
]


# -- catalog and search --------------------------------------------------------------------------
def find_procedures(conn: sqlite3.Connection, query: str, limit: int = 30) -> list[SearchResult]:
    """Procedures matching what was typed (diacritics optional, codes too), best first."""
    try:
        return search_procedures(conn, query, limit=limit)
    except sqlite3.OperationalError:  # a query FTS cannot parse: treat as no match
        return []


def load_procedure(conn: sqlite3.Connection, code: str) -> Procedure | None:
    try:
        return get_procedure(conn, code)
    except (ProcedureNotFound, LookupError):
        return None


def guidance_html(markdown: str) -> str:
    """Guidance Markdown → HTML safe for Qt rich text (no raw HTML, only http(s)/mailto links)."""
    from motcua.catalog.guidance import guidance_html as render

    return render(markdown)


def list_procedures(conn: sqlite3.Connection, limit: int = 500) -> list[SearchResult]:
    """Every procedure in force, by field then name (the page before anything is typed)."""
    rows = conn.execute(
        "SELECT code, name, field FROM procedures WHERE effective_until IS NULL OR effective_until > date('now')"
        " ORDER BY field, name LIMIT ?", (limit,)).fetchall()
    return [SearchResult("procedure", code, name, 0.0, field, field) for code, name, field in rows]


def escape(text: str) -> str:
    return html.escape(text, quote=False)


# -- forms ---------------------------------------------------------------------------------------
def _agency(settings: Settings) -> Any:
    from motcua.forms.model import Agency

    return Agency(name=tr("Bộ phận Một cửa"), parent_name=settings.agency_name or settings.commune_name,
                  place=settings.province_name, code=settings.agency_code, lookup_url=settings.lookup_url)


def _lines(documents: list[dict[str, Any]]) -> tuple[Any, ...]:
    from motcua.forms.model import DocumentLine

    out = []
    for doc in documents:
        if not doc.get("received", True):
            continue
        kind, copies = doc.get("kind", "original"), int(doc.get("copies", 1))
        if kind in ("original", "original_or_certified_copy"):
            out.append(DocumentLine(doc["name"], original=copies))
        elif kind == "certified_copy":
            out.append(DocumentLine(doc["name"], certified_copy=copies))
        else:
            out.append(DocumentLine(doc["name"], photocopy=copies))
    return tuple(out)


def receipt_pdf(conn: sqlite3.Connection, dossier_id: str, officer: str) -> bytes:
    """The receipt (Giấy tiếp nhận hồ sơ và hẹn trả kết quả) of a saved dossier, as PDF bytes."""
    import json

    from motcua.forms.model import Applicant, FeeLine, ReceiptData
    from motcua.forms.render import render_form
    from motcua.store.queries import find_dossier

    record = find_dossier(conn, dossier_id)
    if record is None:
        raise LookupError(dossier_id)
    settings = get_settings(conn)
    procedure = load_procedure(conn, record.procedure_code)
    time_text = procedure.processing_time.text if procedure else ""
    fees = tuple(FeeLine(f.name, int(f.amount_vnd)) for f in (procedure.fees if procedure else ())
                 if f.amount_vnd)
    code = record.code or ""
    qr = f"{settings.lookup_url}?code={code}" if settings.lookup_url else code
    data = ReceiptData(
        agency=_agency(settings), number=code.rsplit("-", 1)[-1], dossier_code=code, qr_payload=qr,
        applicant=Applicant(record.applicant_name, record.applicant_address, record.applicant_phone,
                            record.applicant_email, record.applicant_id_number),
        procedure_name=record.procedure_name, summary=record.summary,
        documents=_lines(json.loads(record.documents or "[]")), sets=record.sets,
        processing_time=time_text, received_at=_moment(record.received_at),
        due_at=_moment(record.due_at) if record.due_at else None, return_place=record.return_place,
        receiving_officer=officer, fees=fees, procedure_code=record.procedure_code,
    )
    return render_form("receipt", data, settings.form_set)


def guidance_pdf(conn: sqlite3.Connection, procedure: Procedure) -> bytes:
    """The printable guidance sheet of a procedure."""
    from motcua.forms.model import FeeLine, GuidanceData
    from motcua.forms.render import render_guidance

    comps = [{"name": c.name, "kind": c.kind, "copies": c.copies} for c in procedure.components]
    data = GuidanceData(
        agency=_agency(get_settings(conn)), procedure_code=procedure.code, procedure_name=procedure.name,
        markdown=procedure.guidance, processing_time=procedure.processing_time.text,
        fees=tuple(FeeLine(f.name, int(f.amount_vnd)) for f in procedure.fees if f.amount_vnd),
        components=_lines(comps), result=procedure.result, legal_basis=procedure.legal_basis,
        version=procedure.version, printed_on=datetime.now().date(),
    )
    return render_guidance(data)


def _moment(text: str | None) -> datetime:
    return parse_moment(text or "")


# -- the shell's context, writer thread and user ------------------------------------------------
DeskJob = Callable[[Desk], Any]


def submit(context: AppContext, job: DeskJob, done: Callable[[Any], None] | None = None,
           failed: Callable[[BaseException], None] | None = None, label: str = "") -> int:
    """Run ``job(desk)`` on the writer thread; ``done``/``failed`` are called on the GUI thread."""
    data_dir = context.data_dir
    return context.runner.submit(lambda conn: job(Desk(conn, data_dir)), on_done=done, on_error=failed,
                                 label=label)


def wait_idle(context: AppContext, timeout_ms: int = 10_000) -> bool:
    """Process events until every submitted write has reported back (closing the window, tests)."""
    deadline = QDeadlineTimer(timeout_ms)
    while context.runner.is_busy and not deadline.hasExpired():
        QCoreApplication.processEvents()
        QThread.msleep(5)
    return not context.runner.is_busy


def actor(context: AppContext) -> tuple[str, str]:
    """(username recorded on events, full name printed on papers) of the signed-in user."""
    user = context.signed_in
    return user.username, user.full_name or user.username


def check_may_intake(context: AppContext) -> None:
    require(context.signed_in, INTAKE)


def open_context(data_dir: Path, user: User) -> AppContext:
    """A context with a real writer thread, for scripts and tests (the app builds its own)."""
    path = store_file(data_dir)
    open_store(path).close()  # migrations, once, before the reader and the writer connect
    bus = ChangesBus()
    return AppContext(data_dir, connect(path), TaskRunner(lambda: connect(path), bus), bus, user)


def close_context(context: AppContext) -> None:
    wait_idle(context)
    context.runner.shutdown()
    context.reader.close()
