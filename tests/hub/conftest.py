"""Fixtures: a real hub process per test, on SQLite and on a throwaway PostgreSQL cluster."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from .hubkit import HubProcess, PostgresCluster, postgres_bin, postgres_cluster

NO_POSTGRES = ("PostgreSQL binaries not found under /usr/lib/postgresql/*/bin "
               "(install the Debian package 'postgresql'; installer/test.sh does)")


@pytest.fixture(scope="session")
def pg() -> Iterator[PostgresCluster]:
    if postgres_bin() is None:
        pytest.skip(NO_POSTGRES)
    with postgres_cluster() as cluster:
        yield cluster


@pytest.fixture(params=["sqlite", pytest.param("postgres", marks=pytest.mark.postgres)])
def database_url(request: pytest.FixtureRequest, tmp_path: Path) -> str:
    if request.param == "sqlite":
        return f"sqlite:///{tmp_path / 'hub.sqlite3'}"
    cluster: PostgresCluster = request.getfixturevalue("pg")
    return cluster.new_database()


@pytest.fixture
def hub(database_url: str, tmp_path: Path) -> Iterator[HubProcess]:
    process = HubProcess(tmp_path / "hub-data", database_url).start()
    try:
        yield process
    finally:
        process.stop()
