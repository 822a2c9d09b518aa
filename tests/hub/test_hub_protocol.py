"""Protocol v1 messages and Ed25519 helpers (shared with the desktop client)."""

from __future__ import annotations

from pathlib import Path

import pytest

from motcua.protocol.messages import (
    MAX_PUSH_EVENTS,
    BundleManifest,
    ChunkAck,
    MissingRequest,
    ProtocolError,
    PullResponse,
    PushRequest,
    PushResponse,
    PushResult,
    WireEvent,
    expect_ack,
)
from motcua.protocol.signing import (
    SigningError,
    generate_private_key,
    load_or_create_private_key,
    load_public_key,
    public_key_b64,
    sign,
    verify,
)


def test_a_captive_portal_page_is_not_an_acknowledgement() -> None:
    for body in ({}, {"ack": "pull"}, "<html>login</html>", None):
        with pytest.raises(ProtocolError):
            expect_ack(body, "push")
    with pytest.raises(ProtocolError, match="ack='push'"):
        PushResponse.from_dict({"protocol": 1, "results": [], "hub_time": "t"})


def test_round_trips() -> None:
    response = PushResponse([PushResult("e1", "stored", 3, "t", "")], "t")
    assert PushResponse.from_dict(response.to_dict()) == response
    pull = PullResponse.from_dict({"protocol": 1, "ack": "pull", "items": [{"seq": 1, "kind": "catalog",
                                                                            "data": {"code": "x"}}],
                                   "next_cursor": 1, "more": False, "hub_time": "t"})
    assert pull.items[0].kind == "catalog" and PullResponse.from_dict(pull.to_dict()) == pull
    assert ChunkAck.from_dict({"ack": "chunk", "received": 5, "complete": False}) == ChunkAck(5, False)
    manifest = BundleManifest("push", "A", "d", "t", {"push.json": "0" * 64}, 7)
    assert BundleManifest.from_dict(manifest.to_dict()) == manifest


def test_validation_messages_are_precise() -> None:
    with pytest.raises(ProtocolError, match="protocol must be 1"):
        PushRequest.from_dict({"protocol": 2, "device_id": "d", "client_time": "t", "events": []})
    with pytest.raises(ProtocolError, match=f"at most {MAX_PUSH_EVENTS}"):
        PushRequest.from_dict({"protocol": 1, "device_id": "d", "client_time": "t",
                               "events": [{}] * (MAX_PUSH_EVENTS + 1)})
    with pytest.raises(ProtocolError, match=r"event\.payload must be a JSON object"):
        WireEvent.from_dict({"id": "i", "dossier_id": "d", "type": "x", "actor": "a", "occurred_at": "t",
                             "payload": []})
    with pytest.raises(ProtocolError, match="device_seq"):
        WireEvent.from_dict({"id": "i", "dossier_id": "d", "type": "x", "actor": "a", "occurred_at": "t",
                             "device_seq": -1})
    with pytest.raises(ProtocolError, match="SHA-256"):
        MissingRequest.from_dict({"hashes": ["ABC"]})


def test_signatures(tmp_path: Path) -> None:
    key = load_or_create_private_key(tmp_path / "k.pem")
    assert public_key_b64(load_or_create_private_key(tmp_path / "k.pem")) == public_key_b64(key)
    assert (tmp_path / "k.pem").stat().st_mode & 0o777 == 0o600
    signature = sign(key, b"manifest")
    assert verify(public_key_b64(key), b"manifest", signature)
    assert not verify(public_key_b64(key), b"manifest!", signature)
    assert not verify(public_key_b64(generate_private_key()), b"manifest", signature)
    for bad in ("not base64!", "AAAA"):
        with pytest.raises(SigningError):
            load_public_key(bad)
