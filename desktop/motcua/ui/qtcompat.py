"""Work-arounds for bugs in specific Qt for Python releases, detected at run time, never assumed.

PySide6 6.12.0: ``SignalInstance.emit()`` returns ``True`` without taking a reference. Every emit from
Python therefore steals one reference to ``True``; after a few thousand emits CPython ≤ 3.11 aborts with
"Fatal Python error: bool_dealloc: deallocating True or False". Every emit in ``motcua.ui`` goes
through ``emit`` below, which gives the stolen reference back when (and only when) the bug is present.
✅ ``emit(self.changed, changes)``   ❌ ``self.changed.emit(changes)``

PySide6 6.12.0 also returns ``None`` from every *void* method (``setText``, ``setHtml``, ``start`` …) without
taking a reference. ``None`` starts with a few thousand references, so a few thousand such calls abort the
interpreter ("none_dealloc: deallocating None"): opening the intake wizard on a 2,000-procedure catalog
(its list measures every row with a few void calls) did. Those calls are everywhere, so they cannot be
wrapped: when the probe below sees the bug, ``None`` gets a reference count no session can use up
(2**40, what CPython 3.12 does for every such singleton).
"""

from __future__ import annotations

import atexit
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
    if stolen > 0:  # give back, for good, what the probe itself took: at the first emit, or at exit
        _debt.append(stolen)
        atexit.register(_pay_debt)
    return stolen >= 48


_debt: list[int] = []


def _pay_debt() -> None:
    while _debt:
        for _ in range(_debt.pop()):
            _incref()(True)


@functools.cache
def void_call_steals_none() -> bool:
    probe = QObject()
    before = sys.getrefcount(None)
    for _ in range(64):
        probe.setObjectName("probe")
    return before - sys.getrefcount(None) >= 48


NONE_RESERVE = 1 << 40


def _reserve_none() -> None:
    """Give ``None`` 2**40 more references (its count is the first word of the object in CPython ≤ 3.11)."""
    import ctypes  # only when the bug is present

    ctypes.c_ssize_t.from_address(id(None)).value += NONE_RESERVE


# Decide now, on the importing (GUI) thread, before the writer thread exists and could disturb the count.
emit_steals_reference()
if sys.getrefcount(None) < NONE_RESERVE and void_call_steals_none():
    _reserve_none()


def emit(signal: SignalInstance, *args: Any) -> None:
    result = signal.emit(*args)
    if emit_steals_reference() and result is not None:
        if _debt:
            _pay_debt()
        _incref()(result)
