"""Reading a bundle that came on a USB stick as hostile input.

Refused before anything is extracted or applied: absolute or drive-letter names, ``..`` anywhere,
backslashes, symlinks and other special files, duplicate names, too many members, a member or a
total larger than the limits, and compression ratios only a zip bomb has. Sizes in the archive's
directory are not trusted: reads stop at the limit whatever the header says. Nothing is ever
written to disk by name from the archive.
"""

from __future__ import annotations

import re
import stat
import zipfile
import zlib
from dataclasses import dataclass
from pathlib import Path

from motcua.i18n import tr
from motcua.sync.errors import BundleRefused

_DRIVE = re.compile(r"^[A-Za-z]:")


@dataclass(frozen=True)
class Limits:
    max_members: int = 20_000
    max_member_bytes: int = 64 * 1024 * 1024
    max_total_bytes: int = 4 * 1024 * 1024 * 1024
    max_ratio: int = 200             # uncompressed ÷ compressed, for members over 1 MB
    max_name_length: int = 255


class SafeZip:
    def __init__(self, path: Path, limits: Limits | None = None):
        self.limits = limits or Limits()
        try:
            self._zip = zipfile.ZipFile(path)
        except (zipfile.BadZipFile, OSError) as exc:
            raise BundleRefused(tr("Tệp {name} không phải gói đồng bộ hợp lệ (không đọc được zip).",
                                   name=path.name)) from exc
        self.names: list[str] = []
        self._infos: dict[str, zipfile.ZipInfo] = {}
        self._read_total = 0
        try:
            self._check_directory()
        except BundleRefused:
            self._zip.close()
            raise

    def close(self) -> None:
        self._zip.close()

    def __enter__(self) -> SafeZip:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def _refuse(self, why: str) -> BundleRefused:
        return BundleRefused(tr("Gói đồng bộ bị từ chối vì không an toàn: {why}", why=why))

    def _check_directory(self) -> None:
        infos = self._zip.infolist()
        if len(infos) > self.limits.max_members:
            raise self._refuse(tr("quá nhiều tệp bên trong ({n}).", n=len(infos)))
        declared_total = 0
        for info in infos:
            name = info.filename
            if not name or len(name) > self.limits.max_name_length or "\x00" in name:
                raise self._refuse(tr("tên tệp bên trong không hợp lệ."))
            if name.startswith(("/", "\\")) or _DRIVE.match(name) or "\\" in name:
                raise self._refuse(tr("tên tệp tuyệt đối hoặc có dấu \\ ({name}).", name=name))
            if any(part in ("..", ".", "") for part in name.split("/")):
                raise self._refuse(tr("tên tệp có «..» hoặc thành phần rỗng ({name}).", name=name))
            mode = info.external_attr >> 16
            if info.is_dir() or (mode and not stat.S_ISREG(mode) and stat.S_IFMT(mode) != 0):
                raise self._refuse(tr("có liên kết tượng trưng hoặc thư mục/tệp đặc biệt ({name}).", name=name))
            if info.flag_bits & 0x1:
                raise self._refuse(tr("có tệp được mã hóa ({name}).", name=name))
            if name in self._infos:
                raise self._refuse(tr("tên tệp bị lặp ({name}).", name=name))
            if info.file_size > self.limits.max_member_bytes:
                raise self._refuse(tr("tệp {name} quá lớn.", name=name))
            if info.file_size > 1_000_000 and info.file_size > self.limits.max_ratio * max(1, info.compress_size):
                raise self._refuse(tr("tỉ lệ nén bất thường ở {name} (nghi «bom zip»).", name=name))
            declared_total += info.file_size
            self._infos[name] = info
            self.names.append(name)
        if declared_total > self.limits.max_total_bytes:
            raise self._refuse(tr("tổng dung lượng giải nén quá lớn."))

    def read(self, name: str, limit: int | None = None) -> bytes:
        """The member's bytes, never more than the limits whatever its header claims."""
        info = self._infos.get(name)
        if info is None:
            raise BundleRefused(tr("Gói đồng bộ thiếu tệp {name}.", name=name))
        cap = min(limit or self.limits.max_member_bytes, self.limits.max_member_bytes)
        chunks = []
        size = 0
        try:
            with self._zip.open(info) as handle:
                while True:
                    block = handle.read(min(1 << 20, cap + 1 - size))
                    if not block:
                        break
                    size += len(block)
                    self._read_total += len(block)
                    if size > cap or self._read_total > self.limits.max_total_bytes:
                        raise self._refuse(tr("tệp {name} giải nén ra lớn hơn giới hạn.", name=name))
                    chunks.append(block)
        except (zipfile.BadZipFile, zlib.error, EOFError, NotImplementedError) as exc:
            raise self._refuse(tr("tệp {name} bị hỏng ({e}).", name=name, e=str(exc))) from exc
        return b"".join(chunks)
