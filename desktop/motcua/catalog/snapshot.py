"""The shipped snapshots of national procedure records (db/catalog/national/).

snapshot.json.gz: the records of seven ministries (chatbot-tthc/chatbot_tthc); portal_extract.json: an
extract of the portal's list for ministries that crawl lacks (duynghiaqn/Crawler-TTHC). A record may be
in the flattened shape the crawls keep or in the portal's own JSON (motcua.catalog.portal).

Read, never fetched: the snapshot is taken by hand with db/catalog/national/make_snapshot.py from a
public crawl and shipped with its source, commit and date. It completes the rows of a bare list
(code, name, field, level) and is the source of the generated commune procedures.
"""

from __future__ import annotations

import functools
import gzip
import json
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from motcua.catalog import national, portal
from motcua.catalog.locate import national_snapshot_path, portal_extract_path
from motcua.catalog.national import NATIONAL_SOURCE, index_records
from motcua.catalog.national_scope import MINISTRIES


@dataclass(frozen=True)
class Snapshot:
    source: str
    commit: str
    date: str  # ISO date of the crawl's commit
    index: tuple[tuple[str, str, str, str, str], ...]  # (code, name, level, field, ministry), every record
    records: tuple[Mapping[str, Any], ...]  # full text of the records in scope
    extent: str = ""  # what part of the source's list the snapshot keeps, when not all of it

    @property
    def label(self) -> str:
        day = "/".join(reversed(self.date.split("-")))
        commit = f", commit {self.commit[:10]}" if self.commit else ""
        return f"bản sao ngày {day} ({self.source}{commit})"

    def by_code(self) -> dict[str, Mapping[str, Any]]:
        return index_records(self.records)

    def document(self, code: str) -> dict[str, Any] | None:
        """The catalog entry for a code of the snapshot (None when the snapshot has no full record)."""
        record = self.by_code().get(code)
        if record is None:
            return None
        if portal.is_portal(record):
            sector = MINISTRIES.get(portal.ministry(record), "")
            copied = str(record.get("_source") or "")  # a detail record copied from the crawl names its file
            source = f"{self.label}; bản ghi chi tiết {copied}" if copied else self.label
            doc = portal.to_document(record, sector=sector, source=source, effective=self.date)
        else:
            sector = MINISTRIES.get(str(record.get("bo", "")), "")
            doc = national.to_document(record, sector=sector, source=self.label, effective=self.date)
        if doc is not None and not sector:
            doc["provenance"]["needs_confirmation"] = sorted({*doc["provenance"]["needs_confirmation"], "sector"})
        return doc


def snapshot_from_dict(data: Mapping[str, Any]) -> Snapshot:
    """A snapshot as make_snapshot.py writes it; a bare list of records gets an index made from them."""
    records = tuple(data["records"])
    index = data.get("index") or [
        portal.index_row(r) if portal.is_portal(r) else
        [r.get("ma_thu_tuc", ""), r.get("ten_thu_tuc", ""), r.get("cap_thuc_hien", ""), r.get("linh_vuc", ""),
         r.get("bo", "")] for r in records]
    return Snapshot(str(data.get("source", "")), str(data.get("commit", "")), str(data["date"]),
                    tuple(tuple(row) for row in index), records, str(data.get("extent", "")))


def read_snapshot(path: Path) -> Snapshot:
    """A snapshot file: .json.gz as make_snapshot.py writes it, or plain .json."""
    if path.name.lower().endswith(".gz"):
        with gzip.open(path, "rt", encoding="utf-8") as f:
            return snapshot_from_dict(json.load(f))
    return snapshot_from_dict(json.loads(path.read_text(encoding="utf-8")))


@functools.cache
def shipped_snapshot() -> Snapshot:
    return read_snapshot(national_snapshot_path())


@functools.cache
def portal_extract() -> Snapshot:
    return read_snapshot(portal_extract_path())


def shipped_snapshots() -> tuple[Snapshot, ...]:
    """Every shipped snapshot, the main one first (its record wins when both have a code)."""
    return (shipped_snapshot(), portal_extract())


def generated_documents(snapshot: Snapshot | None = None) -> list[dict[str, Any]]:
    """Every in-scope record of the snapshot (of every shipped one by default) as a catalog entry, by code."""
    docs: dict[str, dict[str, Any]] = {}
    for snap in (snapshot,) if snapshot is not None else shipped_snapshots():
        for code in sorted(snap.by_code()):
            doc = snap.document(code)
            if doc is not None:
                docs.setdefault(code, doc)
    return [docs[c] for c in sorted(docs)]


def is_generated(doc: Mapping[str, Any]) -> bool:
    """A catalog entry written from a national record (not by hand)."""
    sources = doc.get("provenance", {}).get("sources") or [""]
    return str(sources[0]).startswith(NATIONAL_SOURCE)
