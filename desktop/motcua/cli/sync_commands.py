"""``motcua sync …``: enrol this desk with the provincial hub, sync now, status, USB bundles, resync."""

from __future__ import annotations

import argparse
import sqlite3
import sys
from pathlib import Path

from motcua.cli.common import add_command
from motcua.cli.output import OK, REFUSED, USAGE, emit_json, fail, say
from motcua.i18n import tr
from motcua.store.db import transaction
from motcua.sync.errors import SyncError

UNREACHABLE = 5  # the hub could not be reached or did not acknowledge: try again later


def register(sub: argparse._SubParsersAction) -> None:
    parser = sub.add_parser("sync", help="đồng bộ với máy chủ tỉnh", description="đồng bộ với máy chủ tỉnh")
    ssub = parser.add_subparsers(dest="sync_command", metavar="<lệnh>", required=True)
    p = add_command(ssub, "enroll", cmd_enroll, "đăng ký máy này với máy chủ tỉnh bằng mã đăng ký")
    p.add_argument("--hub", required=True, help="địa chỉ máy chủ tỉnh, ví dụ https://motcua.daklak.gov.vn")
    p.add_argument("--code", required=True, help="mã đăng ký do tỉnh cấp")
    p.add_argument("--ca-file", help="tệp chứng thư CA của tỉnh (PEM) để kiểm tra máy chủ")
    p.add_argument("--name", help="tên máy (mặc định: tên máy tính)")
    p.add_argument("--proxy", help="máy chủ proxy bắt buộc của mạng tỉnh, ví dụ http://10.0.0.1:3128 (nếu có)")
    p.add_argument("--allow-http", action="store_true",
                   help="cho phép http:// không mã hóa tới máy khác (chỉ cho mạng thử nghiệm khép kín)")
    p.add_argument("--token-file", action="store_true",
                   help="máy Linux không có kho khóa: giữ khóa truy cập trong tệp chỉ tài khoản này đọc được (quyền "
                        "600; kém an toàn hơn kho khóa, xem docs/sync-client.md)")
    p = add_command(ssub, "disconnect", cmd_disconnect,
                    "ngắt kết nối máy này với máy chủ tỉnh (giữ nguyên hồ sơ và các thay đổi chưa gửi)")
    p.add_argument("--yes", action="store_true", help="không hỏi lại (bắt buộc khi không chạy trong cửa sổ lệnh)")
    add_command(ssub, "now", cmd_now, "đồng bộ ngay: gửi thao tác chờ, tệp đính kèm, nhận dữ liệu mới")
    add_command(ssub, "status", cmd_status, "tình trạng đồng bộ")
    p = add_command(ssub, "export", cmd_export, "xuất gói đồng bộ (USB) gồm mọi thứ máy chủ tỉnh chưa xác nhận")
    p.add_argument("-o", "--output", type=Path, required=True)
    p = add_command(ssub, "import", cmd_import, "nhập gói trả lời của máy chủ tỉnh (USB)")
    p.add_argument("file", type=Path)
    add_command(ssub, "resync", cmd_resync,
                "nhận lại toàn bộ dữ liệu từ máy chủ tỉnh (giữ thao tác chờ gửi và bản nháp)")
    add_command(ssub, "conflicts", cmd_conflicts, "các xung đột đồng bộ cần giải quyết")
    p = add_command(ssub, "resolve", cmd_resolve, "giải quyết một xung đột đồng bộ")
    p.add_argument("id", type=int)
    p.add_argument("how", choices=["keep_local", "apply_remote", "resend"])
    p.add_argument("--note", default="")


def _failed(exc: SyncError, as_json: bool) -> int:
    return fail(str(exc), as_json=as_json, code=UNREACHABLE if exc.retry else REFUSED)


def cmd_enroll(args: argparse.Namespace, conn: sqlite3.Connection) -> int:
    from motcua.sync.enroll import enroll

    try:
        answer = enroll(conn, args.hub, args.code, device_name=args.name, ca_file=args.ca_file, proxy=args.proxy,
                        allow_plain_http=args.allow_http, token_file=args.token_file)
    except SyncError as exc:
        return _failed(exc, args.json)
    if args.json:
        emit_json({"device_id": answer.device_id, "commune_code": answer.commune_code})
    else:
        say(tr("Đã đăng ký máy với máy chủ tỉnh (xã {c}, mã máy {d}).", c=answer.commune_code, d=answer.device_id))
    return OK


def cmd_disconnect(args: argparse.Namespace, conn: sqlite3.Connection) -> int:
    """Stop talking to this hub: the enrolment and the keyring secrets go, every local record stays."""
    from motcua.sync.disconnect import disconnect, traces, unsent_count

    if not traces(conn).any:
        return fail(tr("Máy này chưa kết nối với hệ thống của tỉnh nên không có gì để ngắt kết nối."),
                    as_json=args.json, code=REFUSED)
    if not args.yes:
        if not sys.stdin.isatty():
            return fail(tr("Ngắt kết nối cần xác nhận: chạy lại với --yes."), as_json=args.json, code=USAGE)
        sys.stdout.write(tr("Ngắt kết nối máy này với máy chủ tỉnh? {n} thay đổi chưa gửi sẽ được giữ lại và gửi khi "
                            "kết nối lại. Gõ «co» để đồng ý: ", n=unsent_count(conn)))
        sys.stdout.flush()
        if sys.stdin.readline().strip().lower() not in ("co", "có", "c", "y", "yes"):
            return fail(tr("Đã hủy: máy vẫn kết nối với tỉnh."), as_json=args.json, code=REFUSED)
    try:
        result = disconnect(conn)
    except SyncError as exc:
        return fail(str(exc), as_json=args.json, code=REFUSED)
    if args.json:
        emit_json(result.as_dict())
        return OK
    if result.hub_url:
        say(tr("Đã ngắt kết nối với máy chủ tỉnh {url} (xã {c}, mã máy {d}).", url=result.hub_url,
               c=result.commune_code or "", d=result.device_id or ""))
    else:
        say(tr("Đã xóa nốt khóa truy cập còn sót trong kho khóa của hệ điều hành."))
    say(tr("Giữ lại {n} thay đổi chưa gửi: sẽ được gửi khi máy kết nối lại.", n=result.unsent))
    if result.resend:
        say(tr("{n} thay đổi đã gửi cho máy chủ cũ sẽ được gửi lại khi kết nối; máy chủ tỉnh tự nhận ra những gì "
               "đã có, không bị trùng.", n=result.resend))
    if result.device_id:
        say(tr("Hãy báo tỉnh thu hồi mã máy cũ {d} (motcua-hub revoke).", d=result.device_id))
    return OK


def cmd_now(args: argparse.Namespace, conn: sqlite3.Connection) -> int:
    from motcua.sync.engine import sync_round

    try:
        result = sync_round(conn, args.data_dir_path)
    except SyncError as exc:
        return _failed(exc, args.json)
    if args.json:
        emit_json({"pushed": result.pushed, "quarantined": result.quarantined, "pulled": result.pulled,
                   "uploaded_files": result.uploaded_files, "bytes_sent": result.bytes_sent,
                   "bytes_received": result.bytes_received})
    else:
        say(tr("Đã gửi {p} thao tác ({q} bị giữ lại), {f} tệp đính kèm; nhận {n} mục mới.",
               p=result.pushed, q=result.quarantined, f=result.uploaded_files, n=result.pulled))
    return OK


def cmd_status(args: argparse.Namespace, conn: sqlite3.Connection) -> int:
    from motcua.sync.reports_upload import describe, last_report
    from motcua.sync.status import overview

    view = overview(conn)
    if args.json:
        emit_json({**view.as_dict(), "report": last_report(conn)})
        return OK
    say(view.headline)
    say(tr("Chờ gửi: {p} · Đã gửi: {s} · Bị giữ lại: {q} · Nhận từ tỉnh: {r} · Tệp chờ gửi: {f} · Xung đột: {c}",
           p=view.pending, s=view.sent, q=view.quarantined, r=view.remote, f=view.files_waiting, c=view.open_conflicts))
    for warning in view.warnings:
        say("⚠ " + warning)
    for line in describe(conn):
        say(line)
    return OK


def cmd_export(args: argparse.Namespace, conn: sqlite3.Connection) -> int:
    from motcua.sync.bundle import export_bundle

    try:
        result = export_bundle(conn, args.data_dir_path, args.output)
    except SyncError as exc:
        return _failed(exc, args.json)
    if args.json:
        emit_json({"file": str(result.path), "events": result.events, "attachments": result.attachments,
                   "bytes": result.bytes, "remaining": result.remaining})
    else:
        for line in result.summary():
            say(line)
    return OK


def cmd_import(args: argparse.Namespace, conn: sqlite3.Connection) -> int:
    from motcua.sync.bundle import import_reply

    try:
        result = import_reply(conn, args.file)
    except SyncError as exc:
        return _failed(exc, args.json)
    if args.json:
        emit_json({"acknowledged": result.acknowledged, "quarantined": result.quarantined, "pulled": result.pulled,
                   "conflicts": result.conflicts})
    else:
        say(result.summary())
    return OK


def cmd_resync(args: argparse.Namespace, conn: sqlite3.Connection) -> int:
    from motcua.sync.engine import sync_round
    from motcua.sync.resync import reset_for_resync

    reset_for_resync(conn)
    try:
        result = sync_round(conn, args.data_dir_path)
    except SyncError as exc:
        return _failed(exc, args.json)
    if args.json:
        emit_json({"pulled": result.pulled, "pushed": result.pushed})
    else:
        say(tr("Đã nhận lại {n} mục từ máy chủ tỉnh; thao tác chờ gửi và bản nháp được giữ nguyên.", n=result.pulled))
    return OK


def cmd_conflicts(args: argparse.Namespace, conn: sqlite3.Connection) -> int:
    from motcua.sync.conflicts import open_conflicts

    conflicts = open_conflicts(conn)
    if args.json:
        emit_json([{"id": c.id, "dossier_id": c.dossier_id, "kind": c.kind, "event_type": c.event.get("type"),
                    "description": c.description, "created_at": c.created_at} for c in conflicts])
        return OK
    if not conflicts:
        say(tr("Không có xung đột đồng bộ nào."))
    for c in conflicts:
        say(f"#{c.id} {c.dossier_id}: {c.description}")
    return OK


def cmd_resolve(args: argparse.Namespace, conn: sqlite3.Connection) -> int:
    from motcua.sync.conflicts import ConflictError
    from motcua.sync.resolution import resolve

    try:
        with transaction(conn):
            conflict = resolve(conn, args.id, args.how, args.actor, args.note)
    except ConflictError as exc:
        return fail(str(exc), as_json=args.json, code=REFUSED)
    if args.json:
        emit_json({"id": conflict.id, "resolution": conflict.resolution})
    else:
        say(tr("Đã giải quyết xung đột #{id}: {r}.", id=conflict.id, r=conflict.resolution))
    return OK
