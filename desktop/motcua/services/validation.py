"""Validation results shared by every entry point: field → message in plain Vietnamese."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from motcua.i18n import tr


class ValidationFailed(ValueError):
    """Input that cannot be accepted; ``errors`` maps each field to what is wrong with it."""

    def __init__(self, errors: dict[str, str]):
        self.errors = errors
        super().__init__("; ".join(f"{k}: {v}" for k, v in errors.items()))


class Collector:
    """Gathers every problem of one input, so the user fixes them all at once."""

    def __init__(self) -> None:
        self.errors: dict[str, str] = {}

    def require(self, key: str, value: Any, label: str) -> None:
        if value is None or (isinstance(value, str) and not value.strip()):
            self.errors[key] = tr("Chưa nhập {label}.", label=label)

    def check(self, key: str, value: str, checker: Callable[[str], str]) -> str:
        try:
            return checker(value)
        except ValueError as exc:
            self.errors[key] = str(exc)
            return value

    def add(self, key: str, message: str) -> None:
        self.errors[key] = message

    def raise_if_any(self) -> None:
        if self.errors:
            raise ValidationFailed(self.errors)
