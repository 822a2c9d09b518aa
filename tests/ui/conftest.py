"""Fixtures for the desktop shell's tests: a real store, a synchronous writer, signed-in users."""

from __future__ import annotations

import sqlite3
import sys
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest

sys.path.insert(0, str(Path(__file__).resolve().parent))

from ui_helpers import PASSWORD, add_users  # noqa: F401 (test_idle_lock imports PASSWORD from here)

from tests.conftest import open_desk_store

# The sync tests' fixtures: ``hub`` (a real hub process with the test commune) and ``memory_keyring``
# (autouse: no UI test ever reaches the OS keyring of the machine running it).
from tests.sync.conftest import hub, memory_keyring  # noqa: F401


@dataclass
class UiStore:
    data_dir: Path
    path: Path
    conn: sqlite3.Connection   # the write connection (tests hand it to a SyncRunner)

    def reader(self) -> sqlite3.Connection:
        from motcua.store.db import connect

        return connect(self.path, readonly=True)


@pytest.fixture
def ui_store(tmp_path: Path) -> Iterator[UiStore]:
    from motcua.paths import store_file

    data_dir = tmp_path / "data"
    conn = open_desk_store(data_dir, accounts=add_users)
    path = store_file(data_dir)
    yield UiStore(data_dir, path, conn)
    conn.close()


@pytest.fixture
def make_context(ui_store: UiStore):
    """Build an AppContext with a synchronous writer, signed in as ``username``."""
    from motcua.services import accounts as auth
    from motcua.ui.bus import ChangesBus
    from motcua.ui.context import AppContext
    from motcua.ui.worker import SyncRunner

    made: list[AppContext] = []

    def make(username: str = "lanhdao01") -> AppContext:
        bus = ChangesBus()
        user = auth.get_user(ui_store.conn, username)
        context = AppContext(ui_store.data_dir, ui_store.reader(), SyncRunner(ui_store.conn, bus), bus, user)
        made.append(context)
        return context

    yield make
    for context in made:
        context.reader.close()
