"""How CLI commands speak: exit codes, JSON for scripts, plain lines for people."""

from __future__ import annotations

import json
import sys
from typing import Any

OK = 0
REFUSED = 1       # validation failed or the action is not allowed in the dossier's state
USAGE = 2         # argparse's own code for bad arguments
NOT_FOUND = 3
STORE_PROBLEM = 4  # the store is damaged, too new, or a check found problems


def emit_json(value: Any) -> None:
    sys.stdout.write(json.dumps(value, ensure_ascii=False, indent=None, default=str) + "\n")
    sys.stdout.flush()


def say(line: str = "") -> None:
    # A file name in another encoding reaches here as lone surrogates: shown as «�», never a traceback.
    sys.stdout.write(line.encode("utf-8", "surrogateescape").decode("utf-8", "replace") + "\n")
    sys.stdout.flush()


def fail(message: str, *, as_json: bool, code: int, errors: dict[str, str] | None = None) -> int:
    if as_json:
        emit_json({"error": message, "errors": errors or {}})
    else:
        sys.stderr.write(f"motcua: {message}\n")
        for key, text in (errors or {}).items():
            sys.stderr.write(f"  - {key}: {text}\n")
    return code
