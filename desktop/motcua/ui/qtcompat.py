"""Work-arounds for bugs in specific Qt for Python releases, detected at run time, never assumed.

PySide6 6.12.0: ``SignalInstance.emit()`` returns ``True`` without taking a reference. Every emit from
Python therefore steals one reference to ``True``; after a few thousand emits CPython ≤ 3.11 aborts with
"Fatal Python error: bool_dealloc: deallocating True or False". Every emit in ``motcua.ui`` goes
through ``emit`` below, which gives the stolen reference back when (and only when) the bug is present.
✅ ``emit(self.changed, changes)``   ❌ ``self.changed.emit(changes)``
"""

from __future__ import annotations

import functools
import sys
from collections.abc import Callable
from typing import Any

from PySide6.QtCore import QObject, Signal, SignalInstance


@functools.cache
def _incref() -> Callable[[object], None]:
    import ctypes  # only when the bug is present (ctypes costs ~15 ms at start-up)

    incref = ctypes.pythonapi.Py_IncRef
    incref.argtypes = [ctypes.py_object]
    incref.restype = None
    return incref


class _Probe(QObject):
    ping = Signal(int)


@functools.cache
def emit_steals_reference() -> bool:
    probe = _Probe()
    before = sys.getrefcount(True)
    for _ in range(64):
        probe.ping.emit(1)
    stolen = before - sys.getrefcount(True)
    for _ in range(max(stolen, 0)):  # give back, for good, what the probe itself took
        _incref()(True)
    return stolen >= 48


# Decide now, on the importing (GUI) thread, before the writer thread exists and could disturb the count.
emit_steals_reference()


def emit(signal: SignalInstance, *args: Any) -> None:
    result = signal.emit(*args)
    if emit_steals_reference() and result is not None:
        _incref()(result)
