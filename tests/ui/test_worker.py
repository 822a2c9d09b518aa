"""The one writer: jobs run on the writer thread, answers come back on the GUI thread."""

from __future__ import annotations

import threading

from PySide6.QtCore import QThread
from PySide6.QtWidgets import QApplication

from motcua.services.changes import Changes
from motcua.store.db import connect
from motcua.ui.bus import ChangesBus
from motcua.ui.worker import SyncRunner, TaskRunner


def test_jobs_run_on_the_writer_thread_and_answer_on_the_gui_thread(qtbot, ui_store) -> None:
    bus = ChangesBus()
    runner = TaskRunner(lambda: connect(ui_store.path), bus)
    seen: dict[str, object] = {}

    def job(conn):
        seen["job_thread"] = threading.get_ident()
        conn.execute("BEGIN IMMEDIATE")
        conn.execute("INSERT INTO settings (key, value) VALUES ('lookup_url', '\"https://tra.cuu\"')")
        conn.execute("COMMIT")
        return Changes(settings=True)

    def done(result):
        seen["done_thread"] = QThread.currentThread()
        seen["result"] = result

    try:
        with qtbot.waitSignal(bus.changed, timeout=5000) as published:
            runner.submit(job, on_done=done)
        qtbot.waitUntil(lambda: "result" in seen, timeout=5000)
    finally:
        runner.shutdown()
    assert seen["job_thread"] != threading.get_ident()
    assert seen["done_thread"] is QApplication.instance().thread()
    assert published.args == [Changes(settings=True)]


def test_errors_and_progress_come_back_as_signals(qtbot, ui_store) -> None:
    runner = TaskRunner(lambda: connect(ui_store.path), ChangesBus())
    errors: list[BaseException] = []
    steps: list[tuple[int, int]] = []
    runner.progress.connect(lambda _label, done, total, _text: steps.append((done, total)))

    def counting(conn, report):
        for n in range(1, 4):
            report(n, 3, "")
        return n

    def broken(conn):
        raise ValueError("hỏng")

    try:
        with qtbot.waitSignal(runner.busy, timeout=5000, check_params_cb=lambda busy: not busy):
            runner.submit(counting, progress=True, label="đếm")
            runner.submit(broken, on_error=errors.append)
    finally:
        runner.shutdown()
    assert steps == [(1, 3), (2, 3), (3, 3)]
    assert [str(e) for e in errors] == ["hỏng"]


def test_unhandled_errors_are_reported_not_swallowed(qtbot, ui_store) -> None:
    runner = SyncRunner(ui_store.conn, ChangesBus())
    with qtbot.waitSignal(runner.unhandled_error, timeout=1000) as blocker:
        runner.submit(lambda conn: 1 / 0)
    assert isinstance(blocker.args[0], ZeroDivisionError)


def test_emitting_many_signals_keeps_python_alive() -> None:
    """PySide6 6.12.0's emit() steals a reference to True; ``qtcompat.emit`` gives it back."""
    import sys

    from motcua.ui.qtcompat import emit

    bus = ChangesBus()
    bus.changed.connect(lambda _c: None)
    before = sys.getrefcount(True)
    for _ in range(5000):
        emit(bus.changed, Changes(dossiers=True))
    assert abs(sys.getrefcount(True) - before) < 50
