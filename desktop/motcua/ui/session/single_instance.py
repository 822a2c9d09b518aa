"""One running copy of the desk app per store: a second start hands over to the first and quits.

The first copy holds a lock file next to the store (``QLockFile``: a copy that crashed leaves a stale lock,
which the next start recognises by its process id) and listens on a local socket named after the store's
path. A second copy finds the lock taken, connects to that socket, says ``show``, and exits; the first
brings its window (or its sign-in dialog) to the front. Two stores on one machine are two different names.
"""

from __future__ import annotations

import hashlib
from pathlib import Path

from PySide6.QtCore import QLockFile, QObject, Signal
from PySide6.QtNetwork import QLocalServer, QLocalSocket

from motcua.ui.qtcompat import emit

MESSAGE = b"show\n"
WAIT_MS = 1500   # how long a second copy tries to reach the first (which may be starting up itself)


def server_name(store: Path) -> str:
    digest = hashlib.sha256(str(store.resolve()).encode("utf-8")).hexdigest()[:20]
    return f"motcua-desktop-{digest}"


class SingleInstance(QObject):
    """``claim()``: True for the first copy (it then listens); False when another copy was told to show."""

    activate_requested = Signal()

    def __init__(self, store: Path, parent: QObject | None = None):
        super().__init__(parent)
        self.name = server_name(store)
        store.parent.mkdir(parents=True, exist_ok=True)
        self.lock = QLockFile(str(store.with_name(store.name + ".desktop-lock")))
        self.lock.setStaleLockTime(0)  # only a dead process's lock is stale, however old
        self.server: QLocalServer | None = None
        self.answered = False  # a second copy: whether the first one answered

    def claim(self) -> bool:
        if self.lock.tryLock(100):
            QLocalServer.removeServer(self.name)  # a socket file left by a copy that crashed (Unix)
            self.server = QLocalServer(self)
            self.server.setSocketOptions(QLocalServer.SocketOption.UserAccessOption)
            self.server.newConnection.connect(self._connected)
            self.server.listen(self.name)
            return True
        self.answered = self.notify_running()
        return False

    def notify_running(self) -> bool:
        """Tell the running copy to come to the front; False if none answered."""
        socket = QLocalSocket()
        for _ in range(max(1, WAIT_MS // 100)):
            socket.connectToServer(self.name)
            if socket.waitForConnected(100):
                socket.write(MESSAGE)
                socket.waitForBytesWritten(500)
                socket.disconnectFromServer()
                return True
        return False

    def release(self) -> None:
        if self.server is not None:
            self.server.close()
            self.server = None
        self.lock.unlock()

    def _connected(self) -> None:
        assert self.server is not None
        while (socket := self.server.nextPendingConnection()) is not None:
            # The other copy writes as soon as it is connected: its few bytes are here or about to be.
            ready = socket.bytesAvailable() or socket.waitForReadyRead(500)
            message = bytes(socket.readAll().data()) if ready else b""
            socket.abort()
            socket.deleteLater()
            if message.startswith(MESSAGE.strip()):
                emit(self.activate_requested)
