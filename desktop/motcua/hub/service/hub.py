"""The running hub: configuration, database (migrated), attachment store and the hub's signing key."""

from __future__ import annotations

from dataclasses import dataclass

from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey

from motcua.hub.service.config import HubConfig
from motcua.hub.store.attachments import AttachmentStore
from motcua.hub.store.database import HubDatabase
from motcua.hub.store.migrations import migrate
from motcua.protocol.signing import load_or_create_private_key, public_key_b64


@dataclass
class Hub:
    config: HubConfig
    db: HubDatabase
    attachments: AttachmentStore
    key: Ed25519PrivateKey

    @property
    def public_key(self) -> str:
        return public_key_b64(self.key)

    def close(self) -> None:
        self.db.dispose()


def open_hub(config: HubConfig) -> Hub:
    config.data_dir.mkdir(parents=True, exist_ok=True)
    db = HubDatabase(config.database_url)
    migrate(db)
    key = load_or_create_private_key(config.key_path)
    store = AttachmentStore(db, config.attachments_dir, config.max_attachment_bytes)
    return Hub(config, db, store, key)
