"""Keys for sealing files: X25519 recipients, scrypt passphrases, and Ed25519 keys used as X25519.

A data key (32 random bytes) is wrapped once per reader:
- for an X25519 public key: an ephemeral X25519 key, HKDF-SHA256 of the shared secret → a ChaCha20-Poly1305
  key that encrypts the data key;
- for a passphrase: scrypt → a ChaCha20-Poly1305 key that encrypts the secret.

Devices and the hub already hold pinned Ed25519 keys (exchanged at enrolment); they are converted to their
X25519 twins (the birational map RFC 7748 §4.1 describes, as libsodium's crypto_sign_ed25519_pk_to_curve25519
and age's ssh-ed25519 recipients do), so sealing to a reader needs no new exchange.
"""

from __future__ import annotations

import base64
import binascii
import hashlib
import os
from dataclasses import dataclass
from typing import Any

from cryptography.exceptions import InvalidTag
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey, Ed25519PublicKey
from cryptography.hazmat.primitives.asymmetric.x25519 import X25519PrivateKey, X25519PublicKey
from cryptography.hazmat.primitives.ciphers.aead import ChaCha20Poly1305
from cryptography.hazmat.primitives.kdf.hkdf import HKDF
from cryptography.hazmat.primitives.kdf.scrypt import Scrypt

_P = 2**255 - 19
SCRYPT_N = 2**17          # 128 MiB, about half a second: a passphrase guessed offline costs that much per try
SCRYPT_R = 8
SCRYPT_P = 1
MAX_SCRYPT_N = 2**20


class SealError(ValueError):
    """A key, passphrase or wrapped key that does not open; ``str()`` says which."""


def b64(data: bytes) -> str:
    return base64.b64encode(data).decode("ascii")


def unb64(text: Any, what: str, size: int | None = None) -> bytes:
    if not isinstance(text, str):
        raise SealError(f"{what}: not base64 text")
    try:
        raw = base64.b64decode(text.encode("ascii"), validate=True)
    except (binascii.Error, UnicodeEncodeError, ValueError):
        raise SealError(f"{what}: not base64") from None
    if size is not None and len(raw) != size:
        raise SealError(f"{what}: {len(raw)} bytes, {size} expected")
    return raw


def x25519_public_raw(key: X25519PrivateKey | X25519PublicKey) -> bytes:
    public = key.public_key() if isinstance(key, X25519PrivateKey) else key
    return public.public_bytes(serialization.Encoding.Raw, serialization.PublicFormat.Raw)


def x25519_private_raw(key: X25519PrivateKey) -> bytes:
    return key.private_bytes(serialization.Encoding.Raw, serialization.PrivateFormat.Raw,
                             serialization.NoEncryption())


def ed25519_private_to_x25519(key: Ed25519PrivateKey) -> X25519PrivateKey:
    seed = key.private_bytes(serialization.Encoding.Raw, serialization.PrivateFormat.Raw,
                             serialization.NoEncryption())
    return X25519PrivateKey.from_private_bytes(hashlib.sha512(seed).digest()[:32])


def ed25519_public_to_x25519(key: Ed25519PublicKey | bytes) -> X25519PublicKey:
    raw = key if isinstance(key, bytes) else key.public_bytes(serialization.Encoding.Raw,
                                                              serialization.PublicFormat.Raw)
    y = int.from_bytes(raw, "little") & ((1 << 255) - 1)
    if y >= _P or (1 - y) % _P == 0:
        raise SealError("not an Ed25519 public key usable for encryption")
    u = (1 + y) * pow(1 - y, _P - 2, _P) % _P
    return X25519PublicKey.from_public_bytes(u.to_bytes(32, "little"))


def _kek(shared: bytes, ephemeral: bytes, recipient: bytes) -> bytes:
    return HKDF(algorithm=hashes.SHA256(), length=32, salt=ephemeral + recipient,
                info=b"motcua sealed file key v1").derive(shared)


def wrap_for_public_key(data_key: bytes, recipient: X25519PublicKey) -> dict[str, str]:
    ephemeral = X25519PrivateKey.generate()
    eph_raw, rec_raw = x25519_public_raw(ephemeral), x25519_public_raw(recipient)
    nonce = os.urandom(12)
    wrapped = ChaCha20Poly1305(_kek(ephemeral.exchange(recipient), eph_raw, rec_raw)).encrypt(nonce, data_key, None)
    return {"type": "x25519", "recipient": b64(rec_raw), "ephemeral": b64(eph_raw), "nonce": b64(nonce),
            "wrapped": b64(wrapped)}


def unwrap_with_private_key(entry: dict[str, Any], key: X25519PrivateKey) -> bytes:
    """The data key, or SealError when this key is not the one it was wrapped for."""
    eph_raw = unb64(entry.get("ephemeral"), "ephemeral", 32)
    rec_raw = x25519_public_raw(key)
    try:
        shared = key.exchange(X25519PublicKey.from_public_bytes(eph_raw))
        return ChaCha20Poly1305(_kek(shared, eph_raw, rec_raw)).decrypt(
            unb64(entry.get("nonce"), "nonce", 12), unb64(entry.get("wrapped"), "wrapped"), None)
    except (InvalidTag, ValueError):
        raise SealError("this key does not open the file") from None


@dataclass(frozen=True)
class ScryptParams:
    salt: bytes
    n: int = SCRYPT_N
    r: int = SCRYPT_R
    p: int = SCRYPT_P

    def to_dict(self) -> dict[str, Any]:
        return {"salt": b64(self.salt), "n": self.n, "r": self.r, "p": self.p}

    @classmethod
    def from_dict(cls, d: Any) -> ScryptParams:
        if not isinstance(d, dict):
            raise SealError("scrypt parameters missing")
        n, r, p = d.get("n"), d.get("r"), d.get("p")
        if not (isinstance(n, int) and isinstance(r, int) and isinstance(p, int)) or min(n, r, p) <= 0 \
                or n > MAX_SCRYPT_N or r > 32 or p > 16:
            raise SealError("scrypt parameters out of range")
        return cls(unb64(d.get("salt"), "salt", 16), n, r, p)

    def derive(self, passphrase: str) -> bytes:
        return Scrypt(salt=self.salt, length=32, n=self.n, r=self.r, p=self.p).derive(passphrase.encode("utf-8"))


def seal_with_passphrase(secret: bytes, passphrase: str, n: int = SCRYPT_N) -> dict[str, Any]:
    params = ScryptParams(os.urandom(16), n)
    nonce = os.urandom(12)
    sealed = ChaCha20Poly1305(params.derive(passphrase)).encrypt(nonce, secret, None)
    return {"scrypt": params.to_dict(), "nonce": b64(nonce), "sealed": b64(sealed)}


def open_with_passphrase(entry: Any, passphrase: str) -> bytes:
    if not isinstance(entry, dict):
        raise SealError("no passphrase entry")
    params = ScryptParams.from_dict(entry.get("scrypt"))
    try:
        return ChaCha20Poly1305(params.derive(passphrase)).decrypt(
            unb64(entry.get("nonce"), "nonce", 12), unb64(entry.get("sealed"), "sealed"), None)
    except InvalidTag:
        raise SealError("wrong passphrase") from None


def private_key_pem(key: X25519PrivateKey) -> bytes:
    return key.private_bytes(serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8,
                             serialization.NoEncryption())


def load_x25519_private_pem(data: bytes) -> X25519PrivateKey:
    try:
        key = serialization.load_pem_private_key(data, password=None)
    except (ValueError, TypeError) as exc:
        raise SealError(f"not a PEM private key: {exc}") from None
    if not isinstance(key, X25519PrivateKey):
        raise SealError("the private key is not an X25519 key")
    return key


def load_x25519_public(text: str) -> X25519PublicKey:
    return X25519PublicKey.from_public_bytes(unb64(text.strip(), "public key", 32))
