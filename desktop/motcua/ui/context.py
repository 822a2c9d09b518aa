"""What every page is given: where the data lives, a read connection, the writer, the bus, the user."""

from __future__ import annotations

import sqlite3
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from motcua.domain.events import EventType
from motcua.domain.states import ACTIONS
from motcua.services.accounts import User, acting_user, require
from motcua.store.settings import Settings, get_settings
from motcua.ui.bus import ChangesBus
from motcua.ui.worker import Done, Failed, RunnerBase


@dataclass
class AppContext:
    data_dir: Path
    reader: sqlite3.Connection     # GUI-thread reads only (autocommit: every query sees the latest commit)
    runner: RunnerBase             # every write goes through here
    bus: ChangesBus
    user: User | None = None
    sync_service: Any = None       # ui.sync.sync_service.SyncService once the main window runs

    @property
    def signed_in(self) -> User:
        if self.user is None:
            raise RuntimeError("no user is signed in")
        return self.user

    def settings(self) -> Settings:
        return get_settings(self.reader)

    def act(self, ref: str, event_type: str, values: Mapping[str, Any] | None = None, *,
            on_done: Done | None = None, on_error: Failed | None = None) -> int:
        """Record a lifecycle action as the signed-in user, through the writer."""
        user = self.signed_in
        require(user, event_type)
        data_dir = self.data_dir
        values = dict(values or {})

        def job(conn: sqlite3.Connection) -> Any:
            from motcua.services.desk import Desk

            acting_user(conn, user.username, event_type)   # re-read: an account locked meanwhile cannot act
            return Desk(conn, data_dir).act(ref, event_type, user.username, values)

        return self.runner.submit(job, on_done=on_done, on_error=on_error, label=ACTIONS[event_type].label)

    def attach(self, ref: str, path: Path, *, on_done: Done | None = None, on_error: Failed | None = None) -> int:
        user = self.signed_in
        require(user, EventType.ATTACHMENT_ADDED)
        data_dir = self.data_dir

        def job(conn: sqlite3.Connection) -> Any:
            from motcua.services.desk import Desk

            return Desk(conn, data_dir).attach(ref, path, user.username)

        return self.runner.submit(job, on_done=on_done, on_error=on_error,
                                  label=ACTIONS[EventType.ATTACHMENT_ADDED].label)

    def write(self, fn: Callable[[sqlite3.Connection], Any], *, on_done: Done | None = None,
              on_error: Failed | None = None, label: str = "") -> int:
        return self.runner.submit(fn, on_done=on_done, on_error=on_error, label=label)
