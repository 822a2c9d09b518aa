"""Fixtures: a real hub process per test, on SQLite and on a throwaway PostgreSQL cluster."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from .hubkit import HubProcess, PostgresCluster, database_url_for, postgres_or_skip, running_hub


@pytest.fixture(scope="session")
def pg() -> Iterator[PostgresCluster]:
    with postgres_or_skip() as cluster:
        yield cluster


@pytest.fixture(params=["sqlite", pytest.param("postgres", marks=pytest.mark.postgres)])
def database_url(request: pytest.FixtureRequest, tmp_path: Path) -> str:
    cluster = request.getfixturevalue("pg") if request.param == "postgres" else None
    return database_url_for(request.param, tmp_path, cluster)


@pytest.fixture
def hub(database_url: str, tmp_path: Path) -> Iterator[HubProcess]:
    with running_hub(database_url, tmp_path) as process:
        yield process
