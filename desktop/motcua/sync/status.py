"""What the desk shows about sync: overall and per dossier, in plain Vietnamese.

Read-only; derived from the events' acknowledgement columns and the sync tables, never from a
"sending" flag. The UI polls ``overview()`` (cheap: a few counts) and ``dossier_status()``.
"""

from __future__ import annotations

import sqlite3
from dataclasses import asdict, dataclass, field
from typing import Any

from motcua.i18n import tr
from motcua.sync.clock_watch import SKEW_LIMIT_SECONDS, ClockReading, reading
from motcua.sync.credentials import keyring_warning
from motcua.sync.meta import all_meta
from motcua.sync.reasons import plain_reason


@dataclass(frozen=True)
class Overview:
    state: str                      # not_enrolled | synced | pending | error | attention
    headline: str
    enrolled: bool
    hub_url: str | None
    commune_code: str | None
    pending: int
    sent: int
    quarantined: int
    remote: int
    open_conflicts: int
    files_waiting: int
    last_success: str | None
    last_attempt: str | None
    last_error: str
    cursor: int
    clock: ClockReading
    warnings: list[str] = field(default_factory=list)

    def as_dict(self) -> dict[str, Any]:
        return asdict(self)


@dataclass(frozen=True)
class DossierSync:
    dossier_id: str
    state: str                      # synced | pending | quarantined | conflict | local
    label: str
    pending: int
    sent: int
    quarantined: int
    conflicts: int
    reasons: list[str]


def _counts(conn: sqlite3.Connection, where: str = "", args: tuple[Any, ...] = ()) -> dict[str, int]:
    counts = {"pending": 0, "sent": 0, "quarantined": 0, "remote": 0}
    for row in conn.execute(f"SELECT sync_state, count(*) FROM events {where} GROUP BY sync_state", args):
        counts[row[0]] = row[1]
    return counts


def overview(conn: sqlite3.Connection) -> Overview:
    meta = all_meta(conn)
    counts = _counts(conn)
    conflicts = conn.execute("SELECT count(*) FROM sync_conflicts WHERE resolved_at IS NULL").fetchone()[0]
    files = conn.execute(
        "SELECT count(DISTINCT json_extract(payload, '$.sha256')) FROM events WHERE sync_state = 'pending'"
        " AND type = 'attachment_added' AND json_extract(payload, '$.sha256') NOT IN (SELECT sha256 FROM sync_uploaded)"
    ).fetchone()[0]
    clock = reading(conn)
    enrolled = bool(meta.get("hub_url"))
    last_error = str(meta.get("last_error") or "")
    warnings = clock_warnings(clock)
    if keyring_warning(conn):
        warnings.append(keyring_warning(conn))
    if conflicts:
        warnings.append(tr("Có {n} xung đột đồng bộ cần cán bộ xem và quyết định.", n=conflicts))
    if not enrolled:
        state, headline = "not_enrolled", tr("Chưa kết nối máy chủ tỉnh (chưa đăng ký máy).")
    elif last_error and meta.get("last_error_retried", True) is False:
        state = "error"
        headline = tr("Chưa đồng bộ được: {reason} Còn {n} thao tác chờ gửi; phần mềm không tự thử lại cho đến khi "
                      "nguyên nhân được khắc phục.", reason=_sentence(last_error), n=counts["pending"])
    elif last_error:
        state = "error"
        headline = tr("Chưa đồng bộ được: {reason} Còn {n} thao tác chờ gửi; phần mềm sẽ tự thử lại.",
                      reason=_sentence(last_error), n=counts["pending"])
    elif not meta.get("last_success"):
        state, headline = "pending", tr("Chưa đồng bộ lần nào với máy chủ tỉnh; còn {n} thao tác chờ gửi.",
                                        n=counts["pending"])
    elif counts["pending"]:
        state, headline = "pending", tr("Còn {n} thao tác chờ gửi lên máy chủ tỉnh.", n=counts["pending"])
    else:
        state, headline = "synced", tr("Đã đồng bộ đầy đủ với máy chủ tỉnh.")
    if state in ("synced", "pending") and (conflicts or counts["quarantined"] or warnings):
        state = "attention"
    if meta.get("last_success"):
        headline += " " + tr("Lần đồng bộ thành công gần nhất: {at}.", at=_moment(meta["last_success"]))
    elif enrolled and last_error:
        headline += " " + tr("Chưa đồng bộ thành công lần nào.")
    return Overview(state, headline, enrolled, meta.get("hub_url"), meta.get("commune_code"), counts["pending"],
                    counts["sent"], counts["quarantined"], counts["remote"], conflicts, files,
                    meta.get("last_success"), meta.get("last_attempt"), last_error, int(meta.get("cursor") or 0),
                    clock, warnings)


def clock_warnings(clock: ClockReading) -> list[str]:
    warnings = []
    if clock.skewed and clock.skew_seconds is not None:
        minutes = round(abs(clock.skew_seconds) / 60)
        direction = tr("nhanh") if clock.skew_seconds > 0 else tr("chậm")
        warnings.append(tr("Đồng hồ máy này {direction} hơn máy chủ tỉnh khoảng {m} phút (cho phép {limit} phút): "
                           "hãy chỉnh lại giờ máy tính để giờ tiếp nhận và hạn trả đúng.",
                           direction=direction, m=minutes, limit=SKEW_LIMIT_SECONDS // 60))
    if clock.went_backwards:
        warnings.append(tr("Đồng hồ máy này đã bị lùi lại (từ {a} về {b}): kiểm tra giờ máy tính; các thao tác "
                           "ghi trong khoảng này có thể sai giờ.", a=_moment(clock.backwards_from or ""),
                           b=_moment(clock.backwards_to or "")))
    return warnings


def dossier_status(conn: sqlite3.Connection, dossier_id: str) -> DossierSync:
    counts = _counts(conn, "WHERE dossier_id = ?", (dossier_id,))
    conflicts = conn.execute("SELECT reason FROM sync_conflicts WHERE dossier_id = ? AND resolved_at IS NULL",
                             (dossier_id,)).fetchall()
    quarantined = conn.execute("SELECT type, sync_error FROM events WHERE dossier_id = ?"
                               " AND sync_state = 'quarantined'", (dossier_id,)).fetchall()
    reasons = [tr("Máy chủ tỉnh không nhận thao tác «{t}»: {r}", t=r[0], r=plain_reason(r[1])) for r in quarantined]
    reasons += [r[0] for r in conflicts if r[0] not in {q[1] for q in quarantined}]
    if conflicts:
        state, label = "conflict", tr("Có xung đột cần giải quyết")
    elif counts["quarantined"]:
        state, label = "quarantined", tr("Máy chủ tỉnh không nhận {n} thao tác", n=counts["quarantined"])
    elif counts["pending"]:
        state, label = "pending", tr("Chờ gửi {n} thao tác", n=counts["pending"])
    elif counts["sent"] or counts["remote"]:
        state, label = "synced", tr("Đã đồng bộ")
    else:
        state, label = "local", tr("Chưa có trên máy chủ tỉnh")
    return DossierSync(dossier_id, state, label, counts["pending"], counts["sent"], counts["quarantined"],
                       len(conflicts), reasons)


def _moment(text: str) -> str:
    """'2026-02-05T14:03:00+07:00' → '14:03 05/02/2026'."""
    if len(text) >= 16 and text[4] == "-" and text[10] == "T":
        return f"{text[11:16]} {text[8:10]}/{text[5:7]}/{text[0:4]}"
    return text


def _sentence(text: str) -> str:
    text = text.strip()
    return text if text.endswith((".", "!", "?", "»")) else text + "."
