"""Console entry points that need optional extras: say what to install instead of a traceback."""

from __future__ import annotations

import sys

_EXTRAS = {"hub": {"fastapi", "uvicorn", "sqlalchemy", "psycopg", "starlette", "pydantic"},
           "ui": {"PySide6", "shiboken6"}}


def _missing(extra: str, program: str, error: ImportError) -> int:
    if (error.name or "").split(".")[0] not in _EXTRAS[extra]:
        raise error  # a real bug in our code, not a missing extra: show it
    sys.stderr.write(
        f"{program}: thiếu gói «{error.name}». Cài thêm bằng: pip install \"motcua[{extra}]\"\n"
        f"{program}: missing package {error.name!r}; install the extra: pip install \"motcua[{extra}]\"\n"
    )
    return 2


def hub() -> int:
    try:
        from motcua.hub.cli import main
    except ImportError as error:
        return _missing("hub", "motcua-hub", error)
    return int(main() or 0)


def desktop() -> int:
    try:
        from motcua.ui.app import main
    except ImportError as error:
        return _missing("ui", "motcua-desktop", error)
    return int(main() or 0)
