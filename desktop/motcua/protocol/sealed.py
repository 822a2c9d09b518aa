"""Sealed files: a small public header, then the content encrypted in chunks, optionally signed.

Layout: ``MAGIC | u32 header length | header (JSON) | chunks | [sha256(chunks) | Ed25519 signature]``.

The header names who can open the file (``recipients``: the random data key wrapped for each reader, see
keys.py) and whatever the sender chooses to say in clear (a bundle's commune code and count; a backup's
date). The content is AES-256-GCM in chunks of ``chunk`` bytes (STREAM construction: the nonce is the chunk's
number and a flag on the last one, the header's hash is every chunk's associated data), so a large file is
never held in memory, and a swapped, truncated or altered chunk or header is refused. A signed file ends with
the ciphertext's SHA-256 and the sender's signature over the header's and the ciphertext's hashes: a reader
checks the signature first (cheap: a forged file is refused before anything is read or decrypted), then the
hash while streaming, and only then decrypts.
"""

from __future__ import annotations

import hashlib
import json
import os
import stat
import struct
import tempfile
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from pathlib import Path
from typing import Any, BinaryIO

from cryptography.exceptions import InvalidSignature, InvalidTag
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey, Ed25519PublicKey
from cryptography.hazmat.primitives.ciphers.aead import AESGCM

from motcua.protocol.sealing_keys import SealError

MAGIC = b"MCSEAL\x00\x01"
CHUNK = 1 << 20
TAG = 16
MAX_HEADER = 256 * 1024
TRAILER = 32 + 64
_READ = 1 << 20


class NotSealed(SealError):
    """The file is not a sealed file at all (a plain backup, a plain bundle, something else)."""


class Tampered(SealError):
    """The file is sealed but its bytes are not the ones that were sealed (altered, cut, or forged)."""


@dataclass(frozen=True)
class SealedFile:
    path: Path
    header: dict[str, Any]
    header_digest: bytes          # SHA-256 of MAGIC + length + header: every chunk's associated data
    body_offset: int
    body_length: int
    trailer: bytes                # b"" when unsigned

    @property
    def recipients(self) -> list[dict[str, Any]]:
        value = self.header.get("recipients")
        return [r for r in value if isinstance(r, dict)] if isinstance(value, list) else []


def _nonce(index: int, last: bool) -> bytes:
    return index.to_bytes(11, "big") + (b"\x01" if last else b"\x00")


def _signed_message(header_digest: bytes, body_digest: bytes) -> bytes:
    return b"motcua sealed file v1\x00" + header_digest + body_digest


def write_sealed(target: Path, source: BinaryIO, header: dict[str, Any], data_key: bytes,
                 signer: Ed25519PrivateKey | None = None, *, durable: bool = True) -> int:
    """Encrypt ``source`` (read to its end) into ``target`` atomically; returns the bytes written."""
    header = {**header, "cipher": "aes-256-gcm-stream", "chunk": CHUNK, "signed": signer is not None}
    header_bytes = json.dumps(header, ensure_ascii=False, sort_keys=True).encode("utf-8")
    prefix = MAGIC + struct.pack(">I", len(header_bytes)) + header_bytes
    header_digest = hashlib.sha256(prefix).digest()
    aead = AESGCM(data_key)
    target.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp_name = tempfile.mkstemp(dir=target.parent, prefix=f".{target.name}.", suffix=".partial")
    body = hashlib.sha256() if signer is not None else None   # only a signed file carries the body's hash
    try:
        with os.fdopen(fd, "wb") as out:
            out.write(prefix)
            index = 0
            block = _read_full(source, CHUNK)
            while True:
                following = _read_full(source, CHUNK) if len(block) == CHUNK else b""
                last = not following
                sealed = aead.encrypt(_nonce(index, last), block, header_digest)
                if body is not None:
                    body.update(sealed)
                out.write(sealed)
                if last:
                    break
                block, index = following, index + 1
            if signer is not None and body is not None:
                out.write(body.digest() + signer.sign(_signed_message(header_digest, body.digest())))
            out.flush()
            if durable:
                os.fsync(out.fileno())
        os.replace(tmp_name, target)
    except BaseException:
        Path(tmp_name).unlink(missing_ok=True)
        raise
    return target.stat().st_size


def _read_full(source: BinaryIO, size: int) -> bytes:
    parts, got = [], 0
    while got < size:
        data = source.read(size - got)
        if not data:
            break
        parts.append(data)
        got += len(data)
    return b"".join(parts)


def regular_file_size(path: Path, max_bytes: int) -> int:
    """The size of ``path`` if it is a regular file no larger than ``max_bytes``; SealError otherwise.
    Checked without opening it, so a FIFO or a device never blocks or streams forever."""
    try:
        info = os.stat(path)
    except OSError as exc:
        raise SealError(f"cannot read {path.name}: {exc.strerror}") from None
    if not stat.S_ISREG(info.st_mode):
        raise SealError(f"{path.name} is not a regular file")
    if info.st_size > max_bytes:
        raise SealError(f"{path.name} has {info.st_size} bytes; at most {max_bytes} are accepted")
    return info.st_size


def is_sealed(path: Path) -> bool:
    try:
        if not stat.S_ISREG(os.stat(path).st_mode):
            return False
        with open(path, "rb") as handle:
            return handle.read(len(MAGIC)) == MAGIC
    except OSError:
        return False


def read_sealed(path: Path, max_bytes: int = 1 << 40) -> SealedFile:
    """The public header of a sealed file, after checking it is a regular file of a plausible shape."""
    size = regular_file_size(path, max_bytes)
    with open(path, "rb") as handle:
        if not stat.S_ISREG(os.fstat(handle.fileno()).st_mode):
            raise SealError(f"{path.name} is not a regular file")
        magic = handle.read(len(MAGIC))
        if magic != MAGIC:
            raise NotSealed(f"{path.name} is not a sealed file")
        raw_length = handle.read(4)
        if len(raw_length) != 4:
            raise Tampered("the header is cut short")
        (length,) = struct.unpack(">I", raw_length)
        if length > MAX_HEADER or len(MAGIC) + 4 + length > size:
            raise Tampered("the header length is implausible")
        header_bytes = handle.read(length)
        trailer = b""
        try:
            header = json.loads(header_bytes.decode("utf-8"))
        except (UnicodeDecodeError, json.JSONDecodeError):
            raise Tampered("the header is not readable") from None
        if not isinstance(header, dict) or header.get("chunk") != CHUNK:
            raise Tampered("the header is not a sealed file's header")
        offset = len(MAGIC) + 4 + length
        body_length = size - offset
        if header.get("signed") is True:
            if body_length < TRAILER + TAG:
                raise Tampered("the file is cut short")
            handle.seek(size - TRAILER)
            trailer = handle.read(TRAILER)
            body_length -= TRAILER
        if body_length < TAG:
            raise Tampered("the file is cut short")
    prefix_digest = hashlib.sha256(MAGIC + struct.pack(">I", length) + header_bytes).digest()
    return SealedFile(path, header, prefix_digest, offset, body_length, trailer)


def verify_signature(sealed: SealedFile, public_key: Ed25519PublicKey) -> None:
    """Signature first (no reading of the body), then the body's hash while streaming it."""
    if not sealed.trailer:
        raise Tampered("the file is not signed")
    claimed, signature = sealed.trailer[:32], sealed.trailer[32:]
    try:
        public_key.verify(signature, _signed_message(sealed.header_digest, claimed))
    except InvalidSignature:
        raise Tampered("the signature does not verify with the sender's key") from None
    digest = hashlib.sha256()
    for block in _body_blocks(sealed, _READ):
        digest.update(block)
    if digest.digest() != claimed:
        raise Tampered("the content does not match its signed hash")


def _body_blocks(sealed: SealedFile, size: int) -> Iterable[bytes]:
    with open(sealed.path, "rb") as handle:
        handle.seek(sealed.body_offset)
        left = sealed.body_length
        while left:
            block = handle.read(min(size, left))
            if not block:
                raise Tampered("the file is cut short")
            left -= len(block)
            yield block


def open_data_key(sealed: SealedFile, opener: Callable[[dict[str, Any]], bytes | None]) -> bytes:
    """The data key from the first recipient entry ``opener`` can open (it returns None to skip one)."""
    last_error: SealError | None = None
    for entry in sealed.recipients:
        try:
            key = opener(entry)
        except SealError as exc:
            last_error = exc
            continue
        if key is not None:
            if len(key) != 32:
                raise Tampered("the wrapped key has the wrong size")
            return key
    raise last_error or SealError("no key in this file is meant for the given key")


def decrypt_to(sealed: SealedFile, data_key: bytes, out: BinaryIO, max_plain: int | None = None) -> int:
    """Decrypt chunk by chunk into ``out``; Tampered at the first chunk that does not authenticate.
    What was written before a refusal must be discarded by the caller (it is never applied)."""
    aead = AESGCM(data_key)
    block_size = CHUNK + TAG
    total_blocks = -(-sealed.body_length // block_size)
    written = 0
    for index, block in enumerate(_body_blocks(sealed, block_size)):
        last = index == total_blocks - 1
        try:
            plain = aead.decrypt(_nonce(index, last), block, sealed.header_digest)
        except InvalidTag:
            raise Tampered(f"chunk {index + 1} of {total_blocks} does not authenticate") from None
        written += len(plain)
        if max_plain is not None and written > max_plain:
            raise SealError(f"the content is larger than {max_plain} bytes")
        out.write(plain)
    return written
