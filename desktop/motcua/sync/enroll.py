"""Enrolling this desk with the provincial hub: a one-time code in, a token and keys out.

The private key is made here and never leaves the PC; the token and key go to the OS keyring; the
database keeps only what is not secret (hub address, CA file, device id, commune, hub public key).
"""

from __future__ import annotations

import socket
import sqlite3
from pathlib import Path

from motcua.domain.clock import iso, now
from motcua.i18n import tr
from motcua.store.db import transaction
from motcua.sync.client import HubClient
from motcua.sync.credentials import save_private_key, save_token, store_uid
from motcua.sync.errors import SyncError
from motcua.sync.meta import put_meta
from motcua.sync.protocol import EnrollResponse
from motcua.sync.signing import generate_private_key, load_public_key, public_key_b64
from motcua.sync.transport import Transport


def enroll(conn: sqlite3.Connection, hub_url: str, code: str, *, device_name: str | None = None,
           ca_file: str | None = None, proxy: str | None = None) -> EnrollResponse:
    if not hub_url.startswith(("https://", "http://")):
        raise SyncError(tr("Địa chỉ máy chủ tỉnh phải bắt đầu bằng https://"))
    ca_path = str(Path(ca_file).resolve()) if ca_file else None
    key = generate_private_key()
    transport = Transport(hub_url, ca_file=ca_path, proxy=proxy)
    try:
        answer = HubClient(transport, attempts=1).enroll(code.strip(), device_name or socket.gethostname(),
                                                         public_key_b64(key))
    finally:
        transport.close()
    try:
        load_public_key(answer.hub_public_key)
    except ValueError as exc:
        raise SyncError(tr("Khóa công khai của máy chủ tỉnh không hợp lệ: {e}", e=str(exc))) from exc
    store_uid(conn)
    save_private_key(conn, key)
    save_token(conn, answer.token)
    with transaction(conn):
        put_meta(conn, {"hub_url": hub_url.rstrip("/"), "ca_file": ca_path, "hub_device_id": answer.device_id,
                        "commune_code": answer.commune_code, "hub_public_key": answer.hub_public_key, "proxy": proxy,
                        "enrolled_at": iso(now())})
    return answer
