"""Opening a real SQLite store (all migrations, via the core's open_store) for catalog and search tests."""

from __future__ import annotations

import sqlite3
from pathlib import Path

from motcua.store.db import open_store

FIXTURES = Path(__file__).parent / "fixtures"
FIXTURE_PROCEDURES = FIXTURES / "procedures"


def open_test_store(path: Path) -> sqlite3.Connection:
    return open_store(path)
