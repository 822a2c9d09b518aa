"""Reading untrusted .zip bundles without trusting them.

Refuses: member names outside an allow-list (so no path traversal, absolute paths, backslashes or
drive letters), symlinks, encrypted or duplicated members, too many members, members whose declared
or actual size is over the cap, a total over the cap, and suspicious compression ratios (zip bombs).
Sizes are checked twice: as declared in the central directory, and as actually inflated.
"""

from __future__ import annotations

import re
import stat
import zipfile
from dataclasses import dataclass
from pathlib import Path


class BundleRefused(Exception):
    """A bundle that is malformed, hostile or not acceptable; ``str()`` says why."""


@dataclass(frozen=True)
class ZipLimits:
    max_members: int = 5000
    max_member_bytes: int = 200 * 1024 * 1024
    max_total_bytes: int = 1024 * 1024 * 1024
    max_ratio: int = 200            # inflated / compressed, for members over ratio_floor
    ratio_floor: int = 1024 * 1024


def read_members(path: Path, allowed: re.Pattern[str], limits: ZipLimits | None = None) -> dict[str, bytes]:
    limits = limits or ZipLimits()
    try:
        archive = zipfile.ZipFile(path)
    except (zipfile.BadZipFile, OSError) as exc:
        raise BundleRefused(f"{path.name} is not a readable .zip: {exc}") from None
    with archive:
        infos = archive.infolist()
        if len(infos) > limits.max_members:
            raise BundleRefused(f"bundle has {len(infos)} members; at most {limits.max_members} are accepted")
        seen: set[str] = set()
        declared_total = 0
        for info in infos:
            _check_info(info, allowed, limits)
            if info.filename in seen:
                raise BundleRefused(f"member {info.filename!r} appears twice")
            seen.add(info.filename)
            declared_total += info.file_size
        if declared_total > limits.max_total_bytes:
            raise BundleRefused(f"bundle declares {declared_total} bytes; at most {limits.max_total_bytes} accepted")
        members: dict[str, bytes] = {}
        actual_total = 0
        for info in infos:
            if info.is_dir():
                continue
            data = _read_capped(archive, info, limits)
            actual_total += len(data)
            if actual_total > limits.max_total_bytes:
                raise BundleRefused(f"bundle inflates beyond {limits.max_total_bytes} bytes")
            members[info.filename] = data
    return members


def _check_info(info: zipfile.ZipInfo, allowed: re.Pattern[str], limits: ZipLimits) -> None:
    name = info.filename
    mode = info.external_attr >> 16
    if stat.S_ISLNK(mode):
        raise BundleRefused(f"member {name!r} is a symbolic link")
    if info.flag_bits & 0x1:
        raise BundleRefused(f"member {name!r} is encrypted")
    if info.is_dir():
        if name != "attachments/":
            raise BundleRefused(f"unexpected folder {name!r} in bundle")
        return
    if not allowed.fullmatch(name):
        raise BundleRefused(f"member name {name!r} is not allowed in a bundle")
    if info.file_size > limits.max_member_bytes:
        raise BundleRefused(f"member {name!r} declares {info.file_size} bytes; at most {limits.max_member_bytes}")
    if info.file_size > limits.ratio_floor and info.file_size > limits.max_ratio * max(info.compress_size, 1):
        raise BundleRefused(f"member {name!r} inflates {info.file_size // max(info.compress_size, 1)}×: "
                            "refused as a zip bomb")


def _read_capped(archive: zipfile.ZipFile, info: zipfile.ZipInfo, limits: ZipLimits) -> bytes:
    cap = min(info.file_size, limits.max_member_bytes)
    chunks, size = [], 0
    try:
        with archive.open(info) as handle:
            while True:
                block = handle.read(1 << 20)
                if not block:
                    break
                size += len(block)
                if size > cap:
                    raise BundleRefused(f"member {info.filename!r} inflates beyond its declared {info.file_size} bytes")
                chunks.append(block)
    except (zipfile.BadZipFile, EOFError, OSError, NotImplementedError) as exc:
        raise BundleRefused(f"member {info.filename!r} cannot be read: {exc}") from None
    if size != info.file_size:
        raise BundleRefused(f"member {info.filename!r} holds {size} bytes, not the {info.file_size} it declares")
    return b"".join(chunks)


def read_one(path: Path, name: str, max_bytes: int, limits: ZipLimits | None = None) -> bytes:
    """One member, read before the others (a manifest whose signature decides whether to read the rest)."""
    limits = limits or ZipLimits()
    try:
        archive = zipfile.ZipFile(path)
    except (zipfile.BadZipFile, OSError) as exc:
        raise BundleRefused(f"{path.name} is not a readable .zip: {exc}") from None
    with archive:
        infos = archive.infolist()
        if len(infos) > limits.max_members:
            raise BundleRefused(f"bundle has {len(infos)} members; at most {limits.max_members} are accepted")
        matching = [i for i in infos if i.filename == name]
        if not matching:
            raise BundleRefused(f"bundle lacks {name}")
        if len(matching) > 1:
            raise BundleRefused(f"member {name!r} appears twice")
        info = matching[0]
        if info.flag_bits & 0x1 or stat.S_ISLNK(info.external_attr >> 16):
            raise BundleRefused(f"member {name!r} is encrypted or a link")
        if info.file_size > max_bytes:
            raise BundleRefused(f"member {name!r} declares {info.file_size} bytes; at most {max_bytes}")
        return _read_capped(archive, info, ZipLimits(max_member_bytes=max_bytes))
