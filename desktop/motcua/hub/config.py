"""Hub settings: command-line options over environment variables over defaults."""

from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path

ENV_DATABASE_URL = "MOTCUA_HUB_DATABASE_URL"
ENV_DATA_DIR = "MOTCUA_HUB_DATA_DIR"
ENV_ADMIN_TOKEN = "MOTCUA_HUB_ADMIN_TOKEN"
DEFAULT_MAX_ATTACHMENT_BYTES = 200 * 1024 * 1024


@dataclass(frozen=True)
class HubConfig:
    data_dir: Path
    database_url: str
    admin_token: str = ""                 # empty: the province API is closed
    max_attachment_bytes: int = DEFAULT_MAX_ATTACHMENT_BYTES

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
        return cls(directory, url, token)
