"""Hub migrations on both engines, the table descriptions matching the migrated schema."""

from __future__ import annotations

from pathlib import Path

import pytest
from sqlalchemy import inspect, text

from motcua.hub.store import tables as t
from motcua.hub.store.database import HubDatabase, HubDatabaseError
from motcua.hub.store.migrations import available, migrate, statements


def test_migrations_are_idempotent_and_match_the_table_descriptions(database_url: str) -> None:
    db = HubDatabase(database_url)
    try:
        assert migrate(db) == [m.name for m in available()]
        assert migrate(db) == []
        inspector = inspect(db.engine)
        for table in t.metadata.sorted_tables:
            actual = {c["name"]: c["nullable"] for c in inspector.get_columns(table.name)}
            described = {c.name: c.nullable for c in table.columns}
            assert set(actual) == set(described), table.name
            for name, nullable in described.items():
                if not table.c[name].primary_key:
                    assert actual[name] == nullable, f"{table.name}.{name}"
    finally:
        db.dispose()


def test_refuses_a_database_newer_than_the_code(tmp_path: Path) -> None:
    db = HubDatabase(f"sqlite:///{tmp_path / 'hub.sqlite3'}")
    migrate(db)
    with db.write() as conn:
        conn.execute(text("INSERT INTO hub_schema_version VALUES (999, '0999_future', 'x')"))
    with pytest.raises(HubDatabaseError, match="newer than this code"):
        migrate(db)
    db.dispose()


def test_statement_splitter_drops_comments() -> None:
    sql = "-- heading\nCREATE TABLE a (x TEXT); -- trailing\nINSERT INTO a VALUES ('y');\n"
    assert statements(sql) == ["CREATE TABLE a (x TEXT)", "INSERT INTO a VALUES ('y')"]


def test_docs_openapi_json_is_current() -> None:
    from motcua.hub.api.openapi import render
    from motcua.paths import install_root

    committed = (install_root() / "docs" / "openapi.json").read_text(encoding="utf-8")
    assert committed == render(), "docs/openapi.json is stale: run python -m motcua.hub.api.openapi"
