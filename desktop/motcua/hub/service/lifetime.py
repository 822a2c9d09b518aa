"""Worker processes of `motcua-hub serve --workers N` end with their master.

uvicorn's master stops its workers on SIGTERM/SIGINT (graceful: requests in flight finish, up to the
shutdown timeout). When the master itself is killed (SIGKILL, the OOM killer), Linux is asked to send
each worker SIGTERM at that moment (prctl PR_SET_PDEATHSIG), so no orphan keeps the port and a restart
does not fail with "Address already in use". The master's pid travels in the environment: a worker that
starts after its master already died stops at once.
"""

from __future__ import annotations

import ctypes
import os
import signal
import sys

ENV_MASTER_PID = "MOTCUA_HUB_MASTER_PID"
PR_SET_PDEATHSIG = 1


def mark_master() -> None:
    """In the serving master, before the workers are started."""
    os.environ[ENV_MASTER_PID] = str(os.getpid())


def die_with_master() -> None:
    """In a worker (the app factory): ask for SIGTERM when the master goes; stop now if it is gone."""
    master = os.environ.get(ENV_MASTER_PID)
    if not master or not master.isdigit() or int(master) == os.getpid():
        return  # not started by `serve --workers` (a single process, or uvicorn run by hand)
    if sys.platform == "linux":
        libc = ctypes.CDLL(None, use_errno=True)
        if libc.prctl(PR_SET_PDEATHSIG, signal.SIGTERM, 0, 0, 0) != 0:
            raise OSError(ctypes.get_errno(), "prctl(PR_SET_PDEATHSIG) failed")
    if os.getppid() != int(master):
        os.kill(os.getpid(), signal.SIGTERM)
