"""The catalog tables of migration 0002: every version kept, one current row per procedure.

Functions here do not open transactions of their own when they write (add_version); the callers
(shipped.load_shipped, importer.apply_plan) wrap a whole batch in one, so a batch lands entirely
or not at all.
"""

from __future__ import annotations

import datetime as dt
import json
import re
import sqlite3
from dataclasses import dataclass
from typing import Any

from motcua.catalog.model import Procedure, canonical_json, content_hash, procedure_from_dict
from motcua.domain.text import fold


class ProcedureNotFound(LookupError):
    def __init__(self, code: str, version: int | None = None) -> None:
        self.code, self.version = code, version
        what = f"{code} phiên bản {version}" if version is not None else code
        super().__init__(f"Không có thủ tục {what} trong danh mục")


@dataclass(frozen=True)
class VersionInfo:
    code: str
    version: int
    content_hash: str
    imported_at: str
    source: str


def _now() -> str:
    return dt.datetime.now(dt.UTC).isoformat(timespec="seconds")


def current_version(conn: sqlite3.Connection, code: str) -> int | None:
    row = conn.execute("SELECT current_version FROM procedures WHERE code = ?", (code,)).fetchone()
    return None if row is None else int(row[0])


def list_versions(conn: sqlite3.Connection, code: str) -> list[VersionInfo]:
    rows = conn.execute(
        "SELECT code, version, content_hash, imported_at, source FROM procedure_versions"
        " WHERE code = ? ORDER BY version",
        (code,),
    ).fetchall()
    return [VersionInfo(*row) for row in rows]


def get_document(conn: sqlite3.Connection, code: str, version: int | None = None) -> dict[str, Any]:
    """The stored JSON of one version (the current one when version is None)."""
    if version is None:
        version = current_version(conn, code)
        if version is None:
            raise ProcedureNotFound(code)
    row = conn.execute(
        "SELECT data FROM procedure_versions WHERE code = ? AND version = ?", (code, version)
    ).fetchone()
    if row is None:
        raise ProcedureNotFound(code, version)
    return json.loads(row[0])


def get_procedure(conn: sqlite3.Connection, code: str, version: int | None = None) -> Procedure:
    """A procedure as the intake service and the forms see it; the current version by default.

    A dossier keeps the version it was received under, so pass that version to read it back.
    """
    return procedure_from_dict(get_document(conn, code, version))


def all_codes(conn: sqlite3.Connection) -> list[str]:
    return [row[0] for row in conn.execute("SELECT code FROM procedures ORDER BY code")]


_MARKUP = re.compile(r"^\s*(#+|[-+*]|>)\s+|\*\*|__|`", re.MULTILINE)


def _display_guidance(markdown: str) -> str:
    """Guidance without Markdown markup, for snippets. Only punctuation goes, never a word, so the
    word positions stay those of the indexed text."""
    return _MARKUP.sub("", markdown)


def _search_columns(data: dict[str, Any]) -> dict[str, str]:
    components = "\n".join(c["name"] for c in data["components"])
    return {
        "name": data["name"],
        "sector": data["sector"],
        "field": data["field"],
        "level": data["level"],
        "effective_from": data["effective_from"],
        "effective_until": data["effective_until"],
        "components": components,
        "guidance": _display_guidance(data["guidance"]),
        "code_folded": fold(data["code"]),
        "name_folded": fold(data["name"]),
        "field_folded": fold(data["field"]),
        "components_folded": fold(components),
        "guidance_folded": fold(data["guidance"]),
    }


def _write_current(conn: sqlite3.Connection, data: dict[str, Any]) -> None:
    columns = {"code": data["code"], "current_version": data["version"], **_search_columns(data)}
    columns["updated_at"] = _now()
    names = ", ".join(columns)
    marks = ", ".join(f":{n}" for n in columns)
    # ON CONFLICT DO UPDATE (not INSERT OR REPLACE): it fires the update trigger that keeps the
    # FTS index in step, and keeps the row's id, which the index points at.
    updates = ", ".join(f"{n} = excluded.{n}" for n in columns if n != "code")
    conn.execute(
        f"INSERT INTO procedures ({names}) VALUES ({marks}) ON CONFLICT (code) DO UPDATE SET {updates}",
        columns,
    )


def add_version(
    conn: sqlite3.Connection, data: dict[str, Any], source: str, *, make_current: bool = True
) -> None:
    """Store a validated document as a new version; the caller holds the transaction."""
    conn.execute(
        "INSERT INTO procedure_versions (code, version, data, content_hash, imported_at, source)"
        " VALUES (?, ?, ?, ?, ?, ?)",
        (data["code"], data["version"], canonical_json(data), content_hash(data), _now(), source),
    )
    if make_current:
        _write_current(conn, data)


def reindex_procedures(conn: sqlite3.Connection) -> None:
    """Recompute the folded columns and rebuild the procedure index; the caller holds the transaction.

    FTS 'rebuild' must not be used: it would index the unfolded display columns.
    """
    for code, version in conn.execute("SELECT code, current_version FROM procedures").fetchall():
        data = get_document(conn, code, version)
        columns = _search_columns(data)
        sets = ", ".join(f"{n} = :{n}" for n in columns)
        conn.execute(f"UPDATE procedures SET {sets} WHERE code = :code", {**columns, "code": code})
    # The update triggers ran against whatever the index held; start it again from the rows.
    conn.execute("INSERT INTO procedures_fts (procedures_fts) VALUES ('delete-all')")
    conn.execute(
        "INSERT INTO procedures_fts (rowid, code, name, field, components, guidance)"
        " SELECT id, code_folded, name_folded, field_folded, components_folded, guidance_folded"
        " FROM procedures"
    )


def retire_code(conn: sqlite3.Connection, former: str, successor: dict[str, Any], *, only_source: str = "") -> bool:
    """Abolish ``former`` (a placeholder or renumbered code) in favour of ``successor``, keeping its history.

    Dossiers received under the former code keep pointing at its versions; search and intake stop
    offering it. With ``only_source`` (e.g. "shipped:"), a former code whose current version came from
    elsewhere — the province imported a real procedure under that code — is left alone. True when a
    retiring version was added; False when there is nothing (left) to do.
    """
    version = current_version(conn, former)
    if version is None:
        return False
    source = conn.execute("SELECT source FROM procedure_versions WHERE code = ? AND version = ?",
                          (former, version)).fetchone()[0]
    if only_source and not str(source).startswith(only_source):
        return False
    old = get_document(conn, former, version)
    if old["effective_until"] is not None:
        return False
    retired = dict(old)
    retired["version"] = version + 1
    retired["effective_until"] = max(successor["effective_from"], old["effective_from"])
    note = f"Thay bằng thủ tục mã {successor['code']}."
    provenance = dict(old["provenance"])
    provenance["note"] = f"{provenance.get('note', '')} {note}".strip()
    retired["provenance"] = provenance
    add_version(conn, retired, f"retired-by:{successor['code']}")
    return True
