"""Read-only work off the GUI thread (reports over a year of dossiers take seconds when cold).

Writes never come here: they go through the one writer (``worker.TaskRunner``). A job runs on a pool
thread; its result (or error) comes back to the GUI thread through a queued signal, and only there is
``done`` called, so callbacks may touch widgets.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from PySide6.QtCore import QObject, QThreadPool, Signal
from PySide6.QtWidgets import QWidget

from motcua.ui.qtcompat import emit


class BackgroundReads(QObject):
    _finished = Signal(object, object, object)  # done, result, error

    def __init__(self, parent: QWidget | None = None):
        super().__init__(parent)
        self._parent = parent
        self.pool = QThreadPool(self)
        self.pool.setMaxThreadCount(1)  # one connection per page: its jobs run one at a time
        self._finished.connect(self._deliver)

    def __call__(self, job: Callable[[], Any], done: Callable[[Any], None]) -> None:
        def work() -> None:
            try:
                result, error = job(), None
            except Exception as exc:  # reported to the user on the GUI thread
                result, error = None, exc
            emit(self._finished, done, result, error)

        self.pool.start(work)

    def wait(self, msecs: int = 30_000) -> bool:
        return self.pool.waitForDone(msecs)

    def _deliver(self, done: Callable[[Any], None], result: Any, error: BaseException | None) -> None:
        if error is not None:
            from motcua.ui.widgets.dialogs import show_error

            show_error(self._parent, error)
            return
        done(result)
