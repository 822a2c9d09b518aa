"""The desk's tests start the hub the one way the hub's tests do (``tests.hub.hubkit.HubProcess``)."""

from __future__ import annotations

from tests.hub.hubkit import WORKTREE, HubProcess, free_port

ROOT = WORKTREE
DESKTOP = ROOT / "desktop"

__all__ = ["DESKTOP", "ROOT", "HubProcess", "free_port"]
