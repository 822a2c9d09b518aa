"""The hub's database: one SQLAlchemy Core code path for SQLite (default) and PostgreSQL (production).

``HubDatabase.write()`` is one write transaction (SQLite: BEGIN IMMEDIATE, so concurrent writers queue
instead of failing on a lock upgrade); ``read()`` is a read-only snapshot.
"""

from __future__ import annotations

import threading
from collections.abc import Iterator
from contextlib import contextmanager, nullcontext
from typing import Any

from sqlalchemy import Connection, Engine, create_engine, event, update

from motcua.hub.store import tables as t

SQLITE_BUSY_TIMEOUT_S = 30


class HubDatabaseError(Exception):
    """The hub database cannot be used as asked (newer than the code, migration failed…)."""


def make_engine(url: str) -> Engine:
    if url.startswith("sqlite"):
        engine = create_engine(url, connect_args={"timeout": SQLITE_BUSY_TIMEOUT_S, "check_same_thread": False},
                               pool_size=8, max_overflow=32)

        @event.listens_for(engine, "connect")
        def _configure(dbapi_conn: Any, _record: Any) -> None:
            dbapi_conn.isolation_level = None  # we issue BEGIN ourselves (below)
            cursor = dbapi_conn.cursor()
            cursor.execute("PRAGMA journal_mode = WAL")
            cursor.execute("PRAGMA synchronous = FULL")  # an acknowledged push survives a power cut
            cursor.execute("PRAGMA foreign_keys = ON")
            cursor.close()

        @event.listens_for(engine, "begin")
        def _begin(conn: Connection) -> None:
            mode = "IMMEDIATE" if conn.get_execution_options().get("hub_write") else "DEFERRED"
            conn.exec_driver_sql(f"BEGIN {mode}")

        return engine
    if url.startswith("postgresql://"):
        url = "postgresql+psycopg://" + url.removeprefix("postgresql://")
    return create_engine(url, pool_size=10, max_overflow=20, pool_pre_ping=True)


class HubDatabase:
    def __init__(self, url: str) -> None:
        self.url = url
        self.engine = make_engine(url)
        # SQLite has one writer: queue this process's writers on a lock instead of on SQLite's busy
        # handler, which sleeps in coarse steps and wastes most of the time under contention.
        self._writer = threading.Lock() if self.is_sqlite else None

    @property
    def is_sqlite(self) -> bool:
        return self.engine.dialect.name == "sqlite"

    @contextmanager
    def write(self) -> Iterator[Connection]:
        with self._writer or nullcontext(), self.engine.connect() as conn:
            conn = conn.execution_options(hub_write=True)
            with conn.begin():
                yield conn

    @contextmanager
    def read(self) -> Iterator[Connection]:
        """A read transaction on one snapshot: PostgreSQL's default READ COMMITTED gives every statement
        a new snapshot, so a read of the feed and then of its counter could straddle a commit.
        Read-only REPEATABLE READ transactions never fail to serialize."""
        with self.engine.connect() as conn:
            if conn.dialect.name == "postgresql":
                conn = conn.execution_options(isolation_level="REPEATABLE READ")
            with conn.begin():
                yield conn

    def dispose(self) -> None:
        self.engine.dispose()


def lock_commune(conn: Connection, commune_code: str, **values: Any) -> bool:
    """Take one commune's row lock for this transaction (setting ``values`` on the row, if any); False
    when there is no such commune.

    Whatever checks a commune's state (its dossiers' transitions in hub order, its dossier codes, its
    agency code) holds this lock from its first read to its commit, so two writers of one commune run one
    after the other while writers of different communes run side by side. Take it before ``lock_feed``:
    the locks are always taken in that order, so writers cannot deadlock."""
    column = t.communes.c.code
    changed = conn.execute(update(t.communes).where(column == commune_code).values(values or {"code": column}))
    return changed.rowcount == 1


def lock_feed(conn: Connection) -> int:
    """Take the feed counter's row lock for this transaction and return the last allocated seq.

    Every writer that appends to the feed goes through here, so seqs commit in order (a pull cursor can
    never jump over a row that commits later). The lock is held until commit: take it last, once the
    transaction has done its reading and checking, and write only the numbered rows after it."""
    value = conn.execute(
        update(t.hub_counters).where(t.hub_counters.c.name == "feed").values(value=t.hub_counters.c.value)
        .returning(t.hub_counters.c.value)
    ).scalar_one()
    return int(value)


def take_seqs(conn: Connection, count: int) -> int:
    """Allocate ``count`` seqs in one statement, taking the feed lock until commit; returns the last seq
    allocated before them (the new rows are that + 1 … that + count). The short final step of a push:
    one round trip instead of ``lock_feed`` then ``set_feed``."""
    value = conn.execute(
        update(t.hub_counters).where(t.hub_counters.c.name == "feed").values(value=t.hub_counters.c.value + count)
        .returning(t.hub_counters.c.value)
    ).scalar_one()
    return int(value) - count


def set_feed(conn: Connection, value: int) -> None:
    conn.execute(update(t.hub_counters).where(t.hub_counters.c.name == "feed").values(value=value))
