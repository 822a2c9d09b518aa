"""The monthly report's canonical form and content hash, computed the same way by the desk that sends it
and the hub that stores it (a re-sent identical report is "unchanged")."""

from __future__ import annotations

import hashlib
import json
from collections.abc import Mapping
from typing import Any


def canonical(value: Any) -> str:
    return json.dumps(value, ensure_ascii=False, sort_keys=True, separators=(",", ":"))


def content_hash(payload: Mapping[str, Any]) -> str:
    """SHA-256 of the payload without its ``generated_at``: the same figures hash the same."""
    return hashlib.sha256(canonical({k: v for k, v in payload.items() if k != "generated_at"}).encode()).hexdigest()
