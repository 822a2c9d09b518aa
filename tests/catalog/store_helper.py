"""Opening a real SQLite store for catalog and search tests (shared by tests/test_search.py).

Uses the core's open_store (all migrations) when it exists; before the core lands on this branch,
a minimal dossiers table stands in for migration 0001 so that 0002 can be applied on top.
"""

from __future__ import annotations

import sqlite3
from pathlib import Path

from motcua.catalog.locate import data_root

FIXTURES = Path(__file__).parent / "fixtures"
FIXTURE_PROCEDURES = FIXTURES / "procedures"

_MINIMAL_DOSSIERS = """
CREATE TABLE dossiers (
    id TEXT PRIMARY KEY, code TEXT UNIQUE NOT NULL, procedure_code TEXT, procedure_version INTEGER,
    procedure_name TEXT, applicant_name TEXT, applicant_id_number TEXT, applicant_phone TEXT,
    summary TEXT, status INTEGER, received_at TEXT, due_at TEXT, search_text TEXT
);
"""


def open_test_store(path: Path) -> sqlite3.Connection:
    try:
        from motcua.store.db import open_store
    except ImportError:
        conn = sqlite3.connect(path, isolation_level=None)
        conn.row_factory = sqlite3.Row
        conn.execute("PRAGMA foreign_keys = ON")
        conn.executescript(_MINIMAL_DOSSIERS)
        conn.executescript((data_root() / "migrations" / "0002_catalog.sql").read_text(encoding="utf-8"))
        return conn
    return open_store(path)
