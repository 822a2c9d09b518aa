"""USB bundles sealed to their reader: a push bundle opens only with the hub's key, a reply only with the device's.

The bundle's zip (manifest.json, manifest.sig, push.json or ack.json/pull.json, attachments) is sealed whole
(sealed.py) for one reader, the X25519 twin of the Ed25519 key the reader pinned at enrolment (the hub's key
the device got back, the device's key the hub stored), and signed by the sender's Ed25519 key. The clear header
says only the format, the kind, the commune code, the device id, the time and a count: whoever finds the stick
learns no more about a citizen.

Opening checks, in this order and before anything is decrypted or unzipped: a regular file no larger than the
limit; the header; the sender's signature over the header and the body's hash; the body's hash (streamed);
then the key; then the body is decrypted chunk by chunk into a private temporary file, bounded in size.
"""

from __future__ import annotations

import os
import tempfile
from dataclasses import dataclass
from pathlib import Path

from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey, Ed25519PublicKey

from motcua.protocol.sealed import (
    SealedFile,
    Tampered,
    decrypt_to,
    open_data_key,
    read_sealed,
    verify_signature,
    write_sealed,
)
from motcua.protocol.sealing_keys import (
    SealError,
    ed25519_private_to_x25519,
    ed25519_public_to_x25519,
    unwrap_with_private_key,
    wrap_for_public_key,
)

FORMAT = "motcua-bundle"


class WrongReader(SealError):
    """The bundle is sealed for another reader (another hub, another device)."""


@dataclass(frozen=True)
class BundleHeader:
    kind: str
    commune_code: str
    device_id: str
    created_at: str
    count: int

    @classmethod
    def from_sealed(cls, sealed: SealedFile) -> BundleHeader:
        h = sealed.header
        if h.get("format") != FORMAT:
            raise Tampered("this sealed file is not a bundle")
        values = (h.get("kind"), h.get("commune_code"), h.get("device_id"), h.get("created_at"))
        if not all(isinstance(v, str) and 0 < len(v) <= 200 for v in values) or not isinstance(h.get("count"), int):
            raise Tampered("the bundle's header is incomplete")
        return cls(*values, h["count"])  # type: ignore[arg-type]


def seal_bundle(inner_zip: Path, target: Path, header: BundleHeader, reader_public: Ed25519PublicKey,
                signer: Ed25519PrivateKey) -> int:
    data_key = os.urandom(32)
    public = {"format": FORMAT, "kind": header.kind, "commune_code": header.commune_code,
              "device_id": header.device_id, "created_at": header.created_at, "count": header.count,
              "recipients": [wrap_for_public_key(data_key, ed25519_public_to_x25519(reader_public))]}
    with open(inner_zip, "rb") as source:
        return write_sealed(target, source, public, data_key, signer)


def read_bundle_header(path: Path, max_bytes: int) -> tuple[SealedFile, BundleHeader]:
    sealed = read_sealed(path, max_bytes)
    return sealed, BundleHeader.from_sealed(sealed)


def open_bundle(sealed: SealedFile, sender: Ed25519PublicKey, reader: Ed25519PrivateKey, workdir: Path,
                max_plain: int) -> Path:
    """The bundle's zip in a new temporary file under ``workdir`` (the caller deletes it), after the checks."""
    verify_signature(sealed, sender)
    mine = ed25519_private_to_x25519(reader)
    try:
        data_key = open_data_key(sealed, lambda entry: unwrap_with_private_key(entry, mine))
    except Tampered:
        raise
    except SealError:
        raise WrongReader("the bundle is sealed for another reader") from None
    workdir.mkdir(parents=True, exist_ok=True)
    fd, name = tempfile.mkstemp(dir=workdir, prefix=".motcua-bundle-open-", suffix=".zip")
    try:
        with os.fdopen(fd, "wb") as out:
            decrypt_to(sealed, data_key, out, max_plain)
    except BaseException:
        Path(name).unlink(missing_ok=True)
        raise
    return Path(name)
