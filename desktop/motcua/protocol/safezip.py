"""Reading an untrusted .zip bundle without trusting it — the same rules on the desk and on the hub.

Refused before anything is read or applied: too many members; names that are empty, too long, hold a NUL,
are absolute, carry a drive letter or a backslash, or have a ``..``, ``.`` or empty part; names outside the
caller's allow-list; folders (unless the caller allows that folder); symbolic links and every other file
that is not a regular file; encrypted or duplicated members; a member or a total whose declared size is
over the limits; compression ratios only a zip bomb has. Sizes in the archive's directory are not trusted:
reads stop at the declared size and at the limits, and a member that inflates to another size than it
declares is refused. Nothing is ever written to disk by a name from the archive.

``UnsafeZip`` carries an English message (the hub's logs and answers) and a ``code`` with ``params`` from
which the desk words its own message for the official.
"""

from __future__ import annotations

import re
import stat
import zipfile
import zlib
from collections.abc import Collection
from dataclasses import dataclass
from pathlib import Path
from typing import Any

_DRIVE = re.compile(r"^[A-Za-z]:")


class UnsafeZip(Exception):
    """A bundle that is not a readable zip or breaks one of the rules; ``str()`` says why in English."""

    def __init__(self, code: str, message: str, **params: Any) -> None:
        super().__init__(message)
        self.code = code
        self.params = params


@dataclass(frozen=True)
class ZipLimits:
    max_members: int = 5000
    max_member_bytes: int = 200 * 1024 * 1024
    max_total_bytes: int = 1024 * 1024 * 1024
    max_ratio: int = 200             # inflated ÷ compressed, for members over ratio_floor
    ratio_floor: int = 1_000_000
    max_name_length: int = 255


class SafeZip:
    """An archive whose directory passed every check; ``read`` returns a member's bytes within the limits."""

    def __init__(self, path: Path, limits: ZipLimits | None = None, *, allowed: re.Pattern[str] | None = None,
                 allowed_dirs: Collection[str] = ()) -> None:
        self.limits = limits or ZipLimits()
        self._zip = _open(path)
        self.names: list[str] = []
        self._infos: dict[str, zipfile.ZipInfo] = {}
        self._read_total = 0
        try:
            self._check_directory(allowed, allowed_dirs)
        except UnsafeZip:
            self._zip.close()
            raise

    def close(self) -> None:
        self._zip.close()

    def __enter__(self) -> SafeZip:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def _check_directory(self, allowed: re.Pattern[str] | None, allowed_dirs: Collection[str]) -> None:
        infos = self._zip.infolist()
        _check_count(infos, self.limits)
        declared_total = 0
        for info in infos:
            name = info.filename
            if name in self._infos:
                raise UnsafeZip("duplicate", f"member {name!r} appears twice", name=name)
            if info.is_dir():
                if name not in allowed_dirs:
                    raise UnsafeZip("folder", f"unexpected folder {name!r} in bundle", name=name)
                self._infos[name] = info
                continue
            _check_name(name, self.limits)
            _check_member(info, self.limits.max_member_bytes, self.limits)
            if allowed is not None and not allowed.fullmatch(name):
                raise UnsafeZip("unlisted_name", f"member name {name!r} is not allowed in a bundle", name=name)
            declared_total += info.file_size
            self._infos[name] = info
            self.names.append(name)
        if declared_total > self.limits.max_total_bytes:
            raise UnsafeZip("total_too_big", f"bundle declares {declared_total} bytes; at most "
                            f"{self.limits.max_total_bytes} accepted", size=declared_total)

    def read(self, name: str, limit: int | None = None) -> bytes:
        """The member's bytes, never more than its declared size, ``limit`` or the limits."""
        info = self._infos.get(name)
        if info is None or info.is_dir():
            raise UnsafeZip("missing", f"bundle lacks {name}", name=name)
        cap = min(limit or self.limits.max_member_bytes, self.limits.max_member_bytes)
        data = _read_capped(self._zip, info, cap)
        self._read_total += len(data)
        if self._read_total > self.limits.max_total_bytes:
            raise UnsafeZip("inflates", f"bundle inflates beyond {self.limits.max_total_bytes} bytes", name=name)
        return data


def read_members(path: Path, allowed: re.Pattern[str], limits: ZipLimits | None = None, *,
                 allowed_dirs: Collection[str] = ()) -> dict[str, bytes]:
    """Every file of the archive, by name, once its whole directory passed the checks."""
    with SafeZip(path, limits, allowed=allowed, allowed_dirs=allowed_dirs) as archive:
        return {name: archive.read(name) for name in archive.names}


def read_one(path: Path, name: str, max_bytes: int, limits: ZipLimits | None = None) -> bytes:
    """One member, read before the others (a manifest whose signature decides whether to read the rest)."""
    limits = limits or ZipLimits()
    with _open(path) as archive:
        infos = archive.infolist()
        _check_count(infos, limits)
        matching = [info for info in infos if info.filename == name]
        if not matching:
            raise UnsafeZip("missing", f"bundle lacks {name}", name=name)
        if len(matching) > 1:
            raise UnsafeZip("duplicate", f"member {name!r} appears twice", name=name)
        _check_member(matching[0], min(max_bytes, limits.max_member_bytes), limits)
        return _read_capped(archive, matching[0], max_bytes)


def _open(path: Path) -> zipfile.ZipFile:
    try:
        return zipfile.ZipFile(path)
    except (zipfile.BadZipFile, OSError) as exc:
        raise UnsafeZip("unreadable", f"{path.name} is not a readable .zip: {exc}", name=path.name) from None


def _check_count(infos: list[zipfile.ZipInfo], limits: ZipLimits) -> None:
    if len(infos) > limits.max_members:
        raise UnsafeZip("too_many", f"bundle has {len(infos)} members; at most {limits.max_members} are accepted",
                        count=len(infos))


def _check_name(name: str, limits: ZipLimits) -> None:
    if not name or len(name) > limits.max_name_length or "\x00" in name:
        raise UnsafeZip("bad_name", "a member name is not allowed: empty, too long or holding a NUL", name=name)
    if name.startswith(("/", "\\")) or _DRIVE.match(name) or "\\" in name:
        raise UnsafeZip("absolute_name", f"member name {name!r} is not allowed: absolute, with a drive letter "
                        "or a backslash", name=name)
    if any(part in ("..", ".", "") for part in name.split("/")):
        raise UnsafeZip("dot_name", f"member name {name!r} is not allowed: it has a '..', '.' or empty part",
                        name=name)


def _check_member(info: zipfile.ZipInfo, max_bytes: int, limits: ZipLimits) -> None:
    name = info.filename
    mode = info.external_attr >> 16
    if stat.S_ISLNK(mode):
        raise UnsafeZip("special_file", f"member {name!r} is a symbolic link", name=name)
    if stat.S_IFMT(mode) not in (0, stat.S_IFREG):
        raise UnsafeZip("special_file", f"member {name!r} is not a regular file", name=name)
    if info.flag_bits & 0x1:
        raise UnsafeZip("encrypted", f"member {name!r} is encrypted", name=name)
    if info.file_size > max_bytes:
        raise UnsafeZip("member_too_big", f"member {name!r} declares {info.file_size} bytes; at most {max_bytes}",
                        name=name)
    if info.file_size > limits.ratio_floor and info.file_size > limits.max_ratio * max(info.compress_size, 1):
        raise UnsafeZip("zip_bomb", f"member {name!r} inflates {info.file_size // max(info.compress_size, 1)}×: "
                        "refused as a zip bomb", name=name)


def _read_capped(archive: zipfile.ZipFile, info: zipfile.ZipInfo, limit: int) -> bytes:
    name = info.filename
    cap = min(info.file_size, limit)
    chunks, size = [], 0
    try:
        with archive.open(info) as handle:
            while True:
                block = handle.read(min(1 << 20, cap + 1 - size))
                if not block:
                    break
                size += len(block)
                if size > cap:
                    raise UnsafeZip("inflates", f"member {name!r} inflates beyond {cap} bytes", name=name)
                chunks.append(block)
    except (zipfile.BadZipFile, zlib.error, EOFError, OSError, NotImplementedError) as exc:
        raise UnsafeZip("corrupt", f"member {name!r} cannot be read: {exc}", name=name, error=str(exc)) from None
    if size != info.file_size:
        raise UnsafeZip("size_mismatch", f"member {name!r} holds {size} bytes, not the {info.file_size} it "
                        "declares", name=name)
    return b"".join(chunks)
