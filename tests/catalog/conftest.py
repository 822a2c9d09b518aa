"""Fixtures for the catalog tests: real SQLite stores in tmp_path."""

from __future__ import annotations

import sqlite3
from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.catalog.store_helper import FIXTURE_PROCEDURES, open_test_store


@pytest.fixture
def conn(tmp_path: Path) -> Iterator[sqlite3.Connection]:
    connection = open_test_store(tmp_path / "store.sqlite3")
    yield connection
    connection.close()


@pytest.fixture
def loaded(conn: sqlite3.Connection) -> sqlite3.Connection:
    """A store holding the fixture catalog."""
    from motcua.catalog.shipped import load_shipped

    report = load_shipped(conn, FIXTURE_PROCEDURES)
    assert not report.invalid, report.invalid
    assert len(report.added) == 7
    return conn
