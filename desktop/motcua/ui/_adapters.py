"""Thin helpers the intake, print and guidance screens share over the catalog, search, forms and writer.

Every function here is a thin adapter over a package another engineer owns (catalog, search, forms,
the UI shell's writer thread). When their API moves, only this module changes.
"""

from __future__ import annotations

import html
import sqlite3
from collections.abc import Callable
from pathlib import Path
from typing import Any

from PySide6.QtCore import QCoreApplication, QDeadlineTimer, QThread

from motcua.catalog import Procedure, ProcedureNotFound, get_procedure
from motcua.i18n import tr
from motcua.paths import store_file
from motcua.search import SearchResult, has_close_match, search_procedures
from motcua.services.accounts import INTAKE, User, require
from motcua.services.desk import Desk
from motcua.store.db import connect, open_store
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
    "has_close_match",
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
    except ProcedureNotFound:
        return None


def guidance_html(markdown: str) -> str:
    """Guidance Markdown → HTML safe for Qt rich text (no raw HTML, only http(s)/mailto links)."""
    from motcua.catalog.guidance import guidance_html as render

    return render(markdown)


def list_procedures(conn: sqlite3.Connection, limit: int = 2000) -> list[SearchResult]:
    """Every procedure in force as a commune desk wants them before anything is typed: its own
    (commune) procedures first, then those it receives for the province, then the province's own;
    within each, the most used (dossiers received) first, then by field and name. The second line
    says the field, and the level when it is not the commune's."""
    rows = conn.execute(
        "SELECT p.code, p.name, p.field, p.level, coalesce(u.n, 0) AS used FROM procedures p"
        " LEFT JOIN (SELECT procedure_code, count(*) AS n FROM dossiers GROUP BY procedure_code) u"
        "   ON u.procedure_code = p.code"
        " WHERE p.effective_until IS NULL OR p.effective_until > date('now')"
        " ORDER BY CASE p.level WHEN 'commune' THEN 0 WHEN 'commune_receives_province_decides' THEN 1"
        "   ELSE 2 END, used DESC, p.field, p.name LIMIT ?", (limit,)).fetchall()
    marks = {"commune_receives_province_decides": tr("xã tiếp nhận, tỉnh giải quyết"), "province": tr("cấp tỉnh")}
    out = []
    for code, name, field, level, used in rows:
        line = " · ".join(x for x in (field, marks.get(level, ""),
                                       tr("{n} hồ sơ", n=used) if used else "") if x)
        out.append(SearchResult("procedure", code, name, float(used), line, line))
    return out


def escape(text: str) -> str:
    return html.escape(text, quote=False)


# -- forms ---------------------------------------------------------------------------------------
def receipt_pdf(conn: sqlite3.Connection, dossier_id: str) -> bytes:
    """The receipt (Giấy tiếp nhận hồ sơ và hẹn trả kết quả) of a saved dossier, in the commune's form set."""
    from motcua.services.papers import dossier_paper_pdf

    return dossier_paper_pdf(conn, "receipt", dossier_id)  # in the commune's form set and number of copies


def guidance_pdf(conn: sqlite3.Connection, procedure: Procedure) -> bytes:
    """The printable guidance sheet of a procedure."""
    from motcua.forms.content import guidance_data
    from motcua.forms.render import render_guidance

    return render_guidance(guidance_data(conn, procedure.code))


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
