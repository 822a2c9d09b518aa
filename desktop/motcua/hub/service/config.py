"""Hub settings: command-line options over environment variables over defaults."""

from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path

ENV_DATABASE_URL = "MOTCUA_HUB_DATABASE_URL"
ENV_DATA_DIR = "MOTCUA_HUB_DATA_DIR"
ENV_ADMIN_TOKEN = "MOTCUA_HUB_ADMIN_TOKEN"
ENV_ENROLL_MAX_FAILURES = "MOTCUA_HUB_ENROLL_MAX_FAILURES"
ENV_ENROLL_WINDOW_SECONDS = "MOTCUA_HUB_ENROLL_WINDOW_SECONDS"
DEFAULT_MAX_ATTACHMENT_BYTES = 200 * 1024 * 1024
DEFAULT_ENROLL_MAX_FAILURES = 10          # failed POST /api/v1/enroll per client address …
DEFAULT_ENROLL_WINDOW_SECONDS = 600.0     # … within this many seconds; then 429 until the oldest one ages out


@dataclass(frozen=True)
class HubConfig:
    data_dir: Path
    database_url: str
    admin_token: str = ""                 # empty: the province API is closed
    max_attachment_bytes: int = DEFAULT_MAX_ATTACHMENT_BYTES
    enroll_max_failures: int = DEFAULT_ENROLL_MAX_FAILURES   # 0: no limit
    enroll_window_seconds: float = DEFAULT_ENROLL_WINDOW_SECONDS

    @property
    def key_path(self) -> Path:
        return self.data_dir / "hub_key.pem"

    @property
    def attachments_dir(self) -> Path:
        return self.data_dir / "attachments"

    @classmethod
    def load(cls, data_dir: str | None = None, database_url: str | None = None,
             admin_token: str | None = None) -> HubConfig:
        directory = Path(data_dir or os.environ.get(ENV_DATA_DIR) or "hub-data").expanduser().resolve()
        url = database_url or os.environ.get(ENV_DATABASE_URL) or f"sqlite:///{directory / 'hub.sqlite3'}"
        token = admin_token if admin_token is not None else os.environ.get(ENV_ADMIN_TOKEN, "")
        max_failures = int(_number(ENV_ENROLL_MAX_FAILURES, DEFAULT_ENROLL_MAX_FAILURES, whole=True))
        window = _number(ENV_ENROLL_WINDOW_SECONDS, DEFAULT_ENROLL_WINDOW_SECONDS, whole=False)
        if window <= 0:
            raise ValueError(f"{ENV_ENROLL_WINDOW_SECONDS} must be more than 0 seconds")
        return cls(directory, url, token, enroll_max_failures=max_failures, enroll_window_seconds=window)


def _number(name: str, default: float, *, whole: bool) -> float:
    text = os.environ.get(name, "").strip()
    if not text:
        return default
    try:
        value = int(text) if whole else float(text)
    except ValueError:
        raise ValueError(f"{name}={text!r} is not {'a whole number' if whole else 'a number'}") from None
    if value < 0:
        raise ValueError(f"{name} must not be negative")
    return value
