"""The one writer: a thread that owns the write connection and runs jobs ``fn(conn) -> result``.

Results and errors come back to the GUI thread only through queued signals; jobs never touch widgets.
A job that reports progress takes a second argument, ``report(done, total, text)``.
``SyncRunner`` offers the same interface, running jobs at once on the caller's thread (tests, scripts).
"""

from __future__ import annotations

import itertools
import sqlite3
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from PySide6.QtCore import QObject, QThread, Signal, Slot

from motcua.services.changes import Changes
from motcua.ui.bus import ChangesBus
from motcua.ui.qtcompat import emit

Job = Callable[..., Any]
Done = Callable[[Any], None]
Failed = Callable[[BaseException], None]
Report = Callable[[int, int, str], None]


@dataclass
class _Pending:
    label: str
    on_done: Done | None
    on_error: Failed | None


def changes_of(result: Any) -> Changes | None:
    """The Changes a job's result carries: a Changes, or anything with a ``changes`` attribute."""
    if isinstance(result, Changes):
        return result
    changes = getattr(result, "changes", None)
    return changes if isinstance(changes, Changes) else None


class _Writer(QObject):
    """Lives in the writer thread; the only object that ever uses the write connection."""

    finished = Signal(int, object)
    failed = Signal(int, object)
    progress = Signal(int, int, int, str)

    def __init__(self, connect: Callable[[], sqlite3.Connection]):
        super().__init__()
        self._connect = connect
        self._conn: sqlite3.Connection | None = None

    @Slot(int, object, bool)
    def run(self, job_id: int, fn: Job, wants_progress: bool) -> None:
        try:
            if self._conn is None:
                self._conn = self._connect()
            if wants_progress:
                def report(done: int, total: int, text: str = "") -> None:
                    emit(self.progress, job_id, done, total, text)

                result = fn(self._conn, report)
            else:
                result = fn(self._conn)
        except Exception as exc:  # every failure goes back to the GUI thread, none is swallowed
            emit(self.failed, job_id, exc)
        else:
            emit(self.finished, job_id, result)

    @Slot()
    def close(self) -> None:
        if self._conn is not None:
            self._conn.close()
            self._conn = None


class RunnerBase(QObject):
    """What pages see: ``submit`` a job, get called back on the GUI thread."""

    busy = Signal(bool)
    progress = Signal(str, int, int, str)  # label, done, total, text
    unhandled_error = Signal(object)       # a failure with no on_error: the window shows a dialog

    def __init__(self, bus: ChangesBus, parent: QObject | None = None):
        super().__init__(parent)
        self.bus = bus
        self._ids = itertools.count(1)
        self._pending: dict[int, _Pending] = {}

    def submit(self, fn: Job, *, on_done: Done | None = None, on_error: Failed | None = None,
               progress: bool = False, label: str = "") -> int:
        raise NotImplementedError

    def shutdown(self) -> None:
        """Finish queued jobs and close the write connection."""

    @property
    def is_busy(self) -> bool:
        return bool(self._pending)

    def _register(self, label: str, on_done: Done | None, on_error: Failed | None) -> int:
        job_id = next(self._ids)
        was_idle = not self._pending
        self._pending[job_id] = _Pending(label, on_done, on_error)
        if was_idle:
            emit(self.busy, True)
        return job_id

    def _finish(self, job_id: int, result: Any) -> None:
        pending = self._pending.pop(job_id, None)
        changes = changes_of(result)
        if changes is not None:
            self.bus.publish(changes)
        if pending is not None and pending.on_done is not None:
            pending.on_done(result)
        if not self._pending:
            emit(self.busy, False)

    def _fail(self, job_id: int, error: BaseException) -> None:
        pending = self._pending.pop(job_id, None)
        if pending is not None and pending.on_error is not None:
            pending.on_error(error)
        else:
            emit(self.unhandled_error, error)
        if not self._pending:
            emit(self.busy, False)

    def _progress(self, job_id: int, done: int, total: int, text: str) -> None:
        pending = self._pending.get(job_id)
        emit(self.progress, pending.label if pending else "", done, total, text)


class TaskRunner(RunnerBase):
    """The application's writer thread. Create on the GUI thread; call ``shutdown`` before exit."""

    _submit = Signal(int, object, bool)
    _close = Signal()

    def __init__(self, connect: Callable[[], sqlite3.Connection], bus: ChangesBus, parent: QObject | None = None):
        super().__init__(bus, parent)
        self._thread = QThread()
        self._thread.setObjectName("motcua-writer")
        self._writer = _Writer(connect)
        self._writer.moveToThread(self._thread)
        self._submit.connect(self._writer.run)
        self._close.connect(self._writer.close)
        self._writer.finished.connect(self._finish)
        self._writer.failed.connect(self._fail)
        self._writer.progress.connect(self._progress)
        self._thread.start()

    def submit(self, fn: Job, *, on_done: Done | None = None, on_error: Failed | None = None,
               progress: bool = False, label: str = "") -> int:
        job_id = self._register(label, on_done, on_error)
        emit(self._submit, job_id, fn, progress)
        return job_id

    def shutdown(self) -> None:
        if self._thread.isRunning():
            emit(self._close)
            self._thread.quit()
            self._thread.wait()


class SyncRunner(RunnerBase):
    """Runs each job immediately on the calling thread with one connection (tests, the bench)."""

    def __init__(self, conn: sqlite3.Connection, bus: ChangesBus, parent: QObject | None = None):
        super().__init__(bus, parent)
        self.conn = conn

    def submit(self, fn: Job, *, on_done: Done | None = None, on_error: Failed | None = None,
               progress: bool = False, label: str = "") -> int:
        job_id = self._register(label, on_done, on_error)
        try:
            if progress:
                def report(done: int, total: int, text: str = "") -> None:
                    self._progress(job_id, done, total, text)

                result = fn(self.conn, report)
            else:
                result = fn(self.conn)
        except Exception as exc:
            self._fail(job_id, exc)
        else:
            self._finish(job_id, result)
        return job_id
