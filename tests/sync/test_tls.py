"""TLS: the client verifies the hub's certificate against the province CA file, and refuses anything else."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from motcua.sync.engine import sync_round
from motcua.sync.errors import CertificateRefused
from tests.hub.hubkit import HubProcess
from tests.sync.conftest import COMMUNE, DeskStore, enroll_store, hub_db
from tests.sync.tlscerts import make_ca, make_server_cert


@pytest.fixture
def tls_hub(tmp_path: Path) -> Iterator[tuple[HubProcess, Path]]:
    ca_path, ca_key, ca_cert = make_ca(tmp_path / "pki")
    cert, key = make_server_cert(tmp_path / "pki", ca_key, ca_cert)
    process = HubProcess(tmp_path / "hub", certfile=cert, keyfile=key)
    process.data_dir.mkdir(parents=True)
    process.cli("create-commune", COMMUNE, "Xã Ea Kao")
    process.start()
    yield process, ca_path
    process.stop()


def test_sync_over_tls_with_the_province_ca(store: DeskStore, tls_hub: tuple[HubProcess, Path]) -> None:
    hub, ca = tls_hub
    assert hub.url.startswith("https://localhost:")
    enroll_store(store, hub, ca_file=str(ca))
    store.new_dossier()
    assert sync_round(store.conn, store.data_dir).pushed == 5
    with hub_db(hub) as db:
        assert db.execute("SELECT count(*) FROM events").fetchone()[0] == 5


def test_untrusted_certificates_are_refused(store: DeskStore, tls_hub: tuple[HubProcess, Path],
                                            tmp_path: Path) -> None:
    hub, _ca = tls_hub
    # The system's trust store does not know the province CA.
    with pytest.raises(CertificateRefused):
        enroll_store(store, hub)
    # Nor does another CA (a man in the middle with his own CA).
    other_ca, _, _ = make_ca(tmp_path / "other", "CA giả mạo")
    with pytest.raises(CertificateRefused) as caught:
        enroll_store(store, hub, ca_file=str(other_ca))
    assert "TLS" in str(caught.value)
