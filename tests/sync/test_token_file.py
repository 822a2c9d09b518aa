"""A Linux desk without a Secret Service keyring (issue 17 item 10): told plainly at enrolment and at
start, and able to sync with the token in a file only its account can read (0600)."""

from __future__ import annotations

import os
import stat
from collections.abc import Iterator

import keyring
import pytest
from keyring.backends import fail

from motcua.cli import main as motcua_main
from motcua.sync.engine import sync_round
from motcua.sync.enroll import enroll
from motcua.sync.errors import KeyringUnavailable
from motcua.sync.meta import get_meta
from motcua.sync.secret_file import secret_file_path
from motcua.sync.status import overview
from tests.hub.hubkit import HubProcess
from tests.sync.conftest import COMMUNE, DeskStore


@pytest.fixture
def no_keyring(memory_keyring: object) -> Iterator[None]:
    keyring.set_keyring(fail.Keyring())
    yield


def test_without_a_keyring_enrolment_says_what_to_do(store: DeskStore, hub: HubProcess, no_keyring: None) -> None:
    code = hub.cli("enroll-code", COMMUNE)["enrollment_code"]  # type: ignore[index]
    with pytest.raises(KeyringUnavailable, match="--token-file"):
        enroll(store.conn, hub.url, code)
    assert get_meta(store.conn, "hub_url") is None          # nothing stored, the code not spent
    assert not secret_file_path(store.conn).exists()


def test_the_token_file_fallback_syncs(store: DeskStore, hub: HubProcess, no_keyring: None,
                                       capsys: pytest.CaptureFixture[str]) -> None:
    code = hub.cli("enroll-code", COMMUNE)["enrollment_code"]  # type: ignore[index]
    assert motcua_main(["--data-dir", str(store.data_dir), "sync", "enroll", "--hub", hub.url, "--code", code,
                        "--token-file"]) == 0
    path = secret_file_path(store.conn)
    assert stat.S_IMODE(path.stat().st_mode) == 0o600 and path.stat().st_uid == os.getuid()
    store.new_dossier(extra_events=1)
    assert sync_round(store.conn, store.data_dir).pushed == 2
    assert overview(store.conn).warnings == []

    path.chmod(0o644)                                        # readable by others: refused, with the fix
    with pytest.raises(KeyringUnavailable, match="chmod 600"):
        sync_round(store.conn, store.data_dir)
    path.chmod(0o600)
    sync_round(store.conn, store.data_dir)


def test_a_keyring_gone_since_enrolment_is_said_at_start(store: DeskStore, hub: HubProcess,
                                                         memory_keyring: object) -> None:
    code = hub.cli("enroll-code", COMMUNE)["enrollment_code"]  # type: ignore[index]
    enroll(store.conn, hub.url, code)
    keyring.set_keyring(fail.Keyring())
    assert any("--token-file" in w for w in overview(store.conn).warnings)
    with pytest.raises(KeyringUnavailable, match="kho khóa"):
        sync_round(store.conn, store.data_dir)
