"""Bearer tokens and one-time enrollment codes: made at random, stored only as SHA-256 hashes."""

from __future__ import annotations

import hashlib
import hmac
import secrets

from motcua.protocol.messages import ENROLLMENT_CODE_ALPHABET, ENROLLMENT_CODE_LENGTH


def hash_secret(value: str) -> str:
    return hashlib.sha256(value.encode("utf-8")).hexdigest()


def new_token() -> str:
    return secrets.token_urlsafe(32)


def new_enrollment_code() -> str:
    chars = "".join(secrets.choice(ENROLLMENT_CODE_ALPHABET) for _ in range(ENROLLMENT_CODE_LENGTH))
    return "-".join(chars[i:i + 4] for i in range(0, ENROLLMENT_CODE_LENGTH, 4))


def normalise_code(code: str) -> str:
    return code.strip().upper().replace(" ", "")


def same_secret(given: str, expected: str) -> bool:
    return bool(expected) and hmac.compare_digest(given.encode("utf-8"), expected.encode("utf-8"))
