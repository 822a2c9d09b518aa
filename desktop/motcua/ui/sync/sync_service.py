"""Background sync for the desktop: the client's scheduler, with its rounds reported on the GUI thread.

The scheduler runs on its own thread with its own connection and retries with backoff whether or not
the official does anything (docs/sync-client.md). Each round's Changes reach the views through a queued
signal and the one Changes bus, so widgets are only ever touched on the GUI thread.
"""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import QObject, Signal

from motcua.sync.errors import NotEnrolled
from motcua.ui.context import AppContext
from motcua.ui.qtcompat import emit


class SyncService(QObject):
    round_finished = Signal(object, object)  # RoundResult | None, Exception | None

    def __init__(self, context: AppContext, parent: QObject | None = None, *, interval: float = 120.0):
        super().__init__(parent)
        self.context = context
        self.scheduler: Any = None
        self.interval = interval
        self.last_error: Exception | None = None
        self.round_finished.connect(self._on_round)

    @classmethod
    def of(cls, context: AppContext) -> SyncService:
        """The context's service, made on first use (it outlives a sign-out and the next window)."""
        if context.sync_service is None:
            context.sync_service = cls(context)
        service: SyncService = context.sync_service
        return service

    @staticmethod
    def enrolled(context: AppContext) -> bool:
        from motcua.sync.engine import hub_config

        try:
            hub_config(context.reader)
        except NotEnrolled:
            return False
        return True

    def start(self) -> bool:
        """Start the background loop if this desk is enrolled; True when it runs."""
        if self.scheduler is not None or not self.enrolled(self.context):
            return self.scheduler is not None
        from motcua.sync.scheduler import SyncScheduler

        self.scheduler = SyncScheduler(self.context.data_dir, interval=self.interval,
                                       on_round=lambda result, error: emit(self.round_finished, result, error))
        self.scheduler.start()
        return True

    def sync_now(self) -> bool:
        if not self.start():
            return False
        self.scheduler.sync_now()
        return True

    def stop(self) -> None:
        if self.scheduler is not None:
            self.scheduler.stop(timeout=10.0)
            self.scheduler = None

    def _on_round(self, result: Any, error: Exception | None) -> None:
        self.last_error = error
        from motcua.services.changes import Changes

        changes = result.changes() if result is not None else Changes(sync=True)
        self.context.bus.publish(changes)
