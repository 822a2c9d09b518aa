"""Disconnecting this desk from the provincial hub («Ngắt kết nối với tỉnh»): the counterpart of ``enroll``.

For field support rescuing an installation enrolled against a test hub or the wrong commune. The
caller stops the background scheduler first; this module does not touch threads or the network (the
hub is not told: the desk may be disconnected precisely because that hub is wrong or unreachable; the
province revokes the old device with ``motcua-hub revoke``, and the result names it).

Kept: every dossier, event, draft, attachment file, conflict, quarantined event, announcement and the
sync log. Cleared, in ONE store transaction: the enrolment (hub address, CA file, proxy, device id,
commune, hub public key), the pull cursor, the last round's times and error, the clock skew measured
against that hub, the monthly reports' "already sent" memory, and the uploads' "the hub has this file"
memory. Acknowledgements of the old hub are turned back into ``pending`` (``sent`` → ``pending``, its
``hub_seq`` forgotten): the next hub, the same or another, is offered every local event again and
answers each one it already holds with its stored result (``duplicate`` and the original ``hub_seq``),
so nothing is lost on a new hub and nothing is stored twice on the old one. The cursor goes back to 0:
pulled events are recognised by id and never applied twice. Then the keyring secrets are forgotten.

Crash safety: the store transaction comes first, the keyring second (the mirror of ``enroll``, which
keeps the secrets before it writes the store). A crash in between leaves a desk that says "not enrolled"
with stale secrets in the keyring, which nothing reads; running ``disconnect`` again finds them and
forgets them, so a re-run converges. Only a desk with neither enrolment in the store nor secrets in the
keyring is refused (``NotEnrolled``).
"""

from __future__ import annotations

import contextlib
import json
import sqlite3
from dataclasses import dataclass

import keyring
import keyring.errors

from motcua.domain.clock import iso, now
from motcua.i18n import tr
from motcua.store.db import transaction
from motcua.sync.credentials import SERVICE, secret_backend
from motcua.sync.errors import KeyringUnavailable, NotEnrolled
from motcua.sync.meta import all_meta, get_meta, put_meta
from motcua.sync.reports_upload import ERROR_KEY, LAST_KEY, SENT_KEY

# What enrolment writes (enroll.py), and what talking to that hub wrote since (engine, pull, clock_watch,
# reports_upload). ``store_uid`` stays: it names this store's keyring entries, for this and later enrolments;
# ``clock_last_seen`` / ``clock_backwards`` stay: they are about this PC's clock, not the hub's.
ENROLMENT_KEYS = ("hub_url", "ca_file", "proxy", "hub_device_id", "commune_code", "hub_public_key", "enrolled_at")
HUB_STATE_KEYS = ("cursor", "last_success", "last_attempt", "last_error", "last_error_retried", "clock_skew_seconds",
                  "clock_skew_measured_at", SENT_KEY, LAST_KEY, ERROR_KEY)
SECRET_NAMES = ("token", "private_key")
FORMER_KEY = "former_enrolments"  # the last 20 hubs this desk left, for support (which device to revoke)


@dataclass(frozen=True)
class Disconnected:
    """What ``disconnect`` did; the former hub's names so support can ask the province to revoke the device."""

    hub_url: str | None            # None when only leftover keyring secrets were forgotten (a re-run)
    commune_code: str | None
    device_id: str | None
    unsent: int                    # changes never acknowledged by the hub: kept, sent after the next enrolment
    resend: int                    # changes the old hub acknowledged: offered again to the next hub
    quarantined: int               # refused by the old hub: kept with their conflicts for an official
    open_conflicts: int
    secrets_forgotten: int         # keyring entries removed

    def as_dict(self) -> dict[str, object]:
        return {"hub_url": self.hub_url, "commune_code": self.commune_code, "device_id": self.device_id,
                "unsent": self.unsent, "resend": self.resend, "quarantined": self.quarantined,
                "open_conflicts": self.open_conflicts, "secrets_forgotten": self.secrets_forgotten}


@dataclass(frozen=True)
class EnrolmentTraces:
    """Where an enrolment (or the remains of one) is: in the store, in the keyring, or both."""

    in_store: bool
    secrets: tuple[str, ...]       # keyring account names present

    @property
    def any(self) -> bool:
        return self.in_store or bool(self.secrets)


def _accounts(conn: sqlite3.Connection) -> list[str]:
    row = conn.execute("SELECT value FROM sync_meta WHERE key = 'store_uid'").fetchone()
    if row is None:  # never enrolled: no keyring entry can be ours (and nothing is written to find out)
        return []
    uid = json.loads(row[0])
    return [f"{uid}:{name}" for name in SECRET_NAMES]


def traces(conn: sqlite3.Connection) -> EnrolmentTraces:
    """Read-only: what ``disconnect`` would clear."""
    in_store = bool(all_meta(conn).get("hub_url"))
    present = []
    for account in _accounts(conn):
        try:
            if secret_backend(conn).get_password(SERVICE, account) is not None:
                present.append(account)
        except keyring.errors.KeyringError:
            if in_store:  # the store part can still be done; the keyring is reported when it is forgotten
                present.append(account)
    return EnrolmentTraces(in_store, tuple(present))


def unsent_count(conn: sqlite3.Connection) -> int:
    return int(conn.execute("SELECT count(*) FROM events WHERE sync_state = 'pending'").fetchone()[0])


def disconnect(conn: sqlite3.Connection) -> Disconnected:
    """Clear the enrolment from the store (one transaction), then forget the keyring secrets.

    Raises NotEnrolled (Vietnamese) when there is nothing to disconnect, KeyringUnavailable when the
    store part was done but the keyring would not let go of the secrets (run it again).
    """
    found = traces(conn)
    if not found.any:
        raise NotEnrolled(tr("Máy này chưa kết nối với hệ thống của tỉnh nên không có gì để ngắt kết nối."))
    with transaction(conn):
        meta = all_meta(conn)
        counts = dict(conn.execute("SELECT sync_state, count(*) FROM events GROUP BY sync_state").fetchall())
        conflicts = conn.execute("SELECT count(*) FROM sync_conflicts WHERE resolved_at IS NULL").fetchone()[0]
        if meta.get("hub_url"):
            _clear_store(conn, meta)
            resend = int(counts.get("sent", 0))
        else:  # a re-run after a crash: the store part is already done
            resend = 0
    forgotten = _forget_secrets(conn)
    return Disconnected(meta.get("hub_url"), meta.get("commune_code"), meta.get("hub_device_id"),
                        int(counts.get("pending", 0)), resend, int(counts.get("quarantined", 0)), int(conflicts),
                        forgotten)


def _clear_store(conn: sqlite3.Connection, meta: dict[str, object]) -> None:
    """Inside the caller's transaction: the desk is no longer enrolled, and owes its next hub everything."""
    from motcua.sync.engine import log_entry

    keys = ENROLMENT_KEYS + HUB_STATE_KEYS
    conn.execute(f"DELETE FROM sync_meta WHERE key IN ({','.join('?' * len(keys))})", keys)
    conn.execute("UPDATE events SET sync_state = 'pending', sync_error = '', hub_seq = NULL, hub_received_at = NULL"
                 " WHERE sync_state = 'sent'")
    conn.execute("DELETE FROM sync_uploaded")
    conn.execute("DELETE FROM sync_upload_progress")
    former = list(meta.get(FORMER_KEY) or [])  # type: ignore[call-overload]
    former.append({"hub_url": meta.get("hub_url"), "commune_code": meta.get("commune_code"),
                   "device_id": meta.get("hub_device_id"), "enrolled_at": meta.get("enrolled_at"),
                   "disconnected_at": iso(now())})
    put_meta(conn, {FORMER_KEY: former[-20:]})
    moment = iso(now())
    log_entry(conn, "disconnect", moment, moment, True)


def _forget_secrets(conn: sqlite3.Connection) -> int:
    forgotten = 0
    for account in _accounts(conn):
        try:
            with contextlib.suppress(keyring.errors.PasswordDeleteError):  # already gone: nothing to do
                secret_backend(conn).delete_password(SERVICE, account)
                forgotten += 1
        except keyring.errors.KeyringError as exc:
            raise KeyringUnavailable(tr(
                "Đã ngắt kết nối trong dữ liệu của máy, nhưng chưa xóa được khóa truy cập khỏi kho khóa của hệ điều "
                "hành ({e}). Hãy thực hiện «Ngắt kết nối» lại sau khi khắc phục.",
                e=str(exc) or type(exc).__name__)) from exc
    return forgotten


def make_room_for_another_hub(conn: sqlite3.Connection, hub_url: str) -> None:
    """Inside an enrolment's transaction: items pulled from the hub this desk left are keyed by that
    hub's sequence numbers. When the new hub is another one, move them below every key, so that none
    of the new hub's announcements or inbox items is dropped as already there. Re-enrolling with the
    same hub keeps them, and its items, replayed from 0, then fall on the same keys."""
    former = get_meta(conn, FORMER_KEY) or []
    if not former or former[-1].get("hub_url") == hub_url:
        return
    for table in ("announcements", "sync_inbox"):
        lowest = conn.execute(f"SELECT COALESCE(MIN(hub_seq), 0) FROM {table}").fetchone()[0]
        conn.execute(f"UPDATE {table} SET hub_seq = -(hub_seq + ?) WHERE hub_seq > 0", (-min(lowest, 0),))
