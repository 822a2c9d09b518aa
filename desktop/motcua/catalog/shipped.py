"""Loading the reviewed catalog files shipped with the application (db/catalog/procedures/*.json).

Idempotent: run at every start. A file whose version is stored with the same content does
nothing; a higher version is added and becomes current; the same version with different content
is reported as a conflict and not applied (a reviewed file must bump its version to change).
"""

from __future__ import annotations

import json
import sqlite3
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from motcua.catalog.locate import procedures_dir
from motcua.catalog.model import content_hash
from motcua.catalog.repository import add_version, current_version, list_versions, retire_code
from motcua.catalog.validate import Issue, validate_paths
from motcua.store.db import transaction


@dataclass
class LoadReport:
    added: list[str] = field(default_factory=list)  # codes new to this store
    upgraded: list[tuple[str, int, int]] = field(default_factory=list)  # (code, from, to)
    unchanged: list[str] = field(default_factory=list)
    conflicts: list[str] = field(default_factory=list)  # human-readable, one per refused file
    older: list[str] = field(default_factory=list)  # file older than the store's current version
    retired: list[tuple[str, str]] = field(default_factory=list)  # (former code, the code replacing it)
    invalid: list[Issue] = field(default_factory=list)

    @property
    def changed(self) -> bool:
        return bool(self.added or self.upgraded)


def load_shipped(conn: sqlite3.Connection, directory: Path | None = None) -> LoadReport:
    """Load every valid shipped file; invalid files are reported and skipped, the rest load."""
    directory = directory or procedures_dir()
    report = LoadReport()
    if not directory.is_dir():
        return report
    known, changed = _split_known(conn, sorted(directory.glob("*.json")))
    report.unchanged.extend(code for code, _former in known)
    result = validate_paths(changed)
    report.invalid = result.issues
    with transaction(conn):
        for path, data in result.documents:
            code, version = data["code"], data["version"]
            stored = {v.version: v for v in list_versions(conn, code)}
            current = current_version(conn, code)
            source = f"shipped:{path.name}"
            if version in stored:
                if stored[version].content_hash == content_hash(data):
                    report.unchanged.append(code)
                else:
                    report.conflicts.append(
                        f"{path.name}: phiên bản {version} của {code} đã có trong kho với nội dung khác;"
                        " không áp dụng — hãy tăng số phiên bản"
                    )
            elif current is None:
                add_version(conn, data, source)
                report.added.append(code)
            elif version > current:
                add_version(conn, data, source)
                report.upgraded.append((code, current, version))
            else:
                # An older version the store never saw (e.g. the commune imported a newer one first):
                # keep it in history without touching the current row.
                add_version(conn, data, source, make_current=False)
                report.older.append(code)
        # A former code that is itself shipped is a procedure of its own (a code once used by mistake).
        shipped_codes = {data["code"] for _path, data in result.documents} | {code for code, _f in known}
        formers = [(data["code"], data) for _path, data in result.documents]
        formers += [(code, former_data) for code, former_data in known if former_data.get("former_codes")]
        for _code, data in formers:
            for former in data.get("former_codes", ()):
                if former not in shipped_codes and retire_code(conn, former, data, only_source="shipped:"):
                    report.retired.append((former, data["code"]))
    return report



def _split_known(conn: sqlite3.Connection, paths: list[Path]) -> tuple[list[tuple[str, dict[str, Any]]], list[Path]]:
    """Files whose exact content the store already holds (validated when first loaded) and the rest.

    Reading and hashing is cheap; validating hundreds of files against the schema at every start is
    not, so only new or edited files are validated.
    """
    stored = {(code, version): digest for code, version, digest in
              conn.execute("SELECT code, version, content_hash FROM procedure_versions")}
    known: list[tuple[str, dict[str, Any]]] = []
    changed: list[Path] = []
    for path in paths:
        try:
            data = json.loads(path.read_text(encoding="utf-8"))
        except (OSError, UnicodeDecodeError, json.JSONDecodeError):
            changed.append(path)  # validate_paths reports it precisely
            continue
        if (isinstance(data, dict) and path.stem == data.get("code")
                and stored.get((data.get("code"), data.get("version"))) == content_hash(data)):
            known.append((str(data["code"]), data))
        else:
            changed.append(path)
    return known, changed
