"""The changes bus: one signal carrying a frozen ``Changes`` after every write (Anki's OpChanges).

Views connect to ``changed`` and ignore what does not concern them; nobody redraws on a timer.
"""

from __future__ import annotations

from PySide6.QtCore import QObject, Signal

from motcua.services.changes import Changes
from motcua.ui.qtcompat import emit


class ChangesBus(QObject):
    changed = Signal(object)  # Changes

    def publish(self, changes: Changes) -> None:
        if changes != Changes():
            emit(self.changed, changes)
