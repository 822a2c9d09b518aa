"""A citizen's right of access (``access-report``) and the log of prints and exports of personal data
(``disclosures``)."""

from __future__ import annotations

import argparse
import sqlite3
from pathlib import Path

from motcua.cli.common import add_command, day_argument
from motcua.cli.output import NOT_FOUND, OK, REFUSED, emit_json, fail, say
from motcua.domain.clock import VN_TZ
from motcua.privacy.access import BadIdNumber, access_report
from motcua.privacy.access_pdf import render_access_pdf
from motcua.services.disclosure import disclosure_log, record_disclosure


def register(sub: argparse._SubParsersAction) -> None:
    p = add_command(sub, "access-report", cmd_access_report,
                    "mọi thông tin đang lưu về một số định danh (quyền được biết của người dân), in ra PDF")
    p.add_argument("--id-number", required=True, help="số CCCD (12 chữ số) hoặc CMND (9 chữ số)")
    p.add_argument("-o", "--output", type=Path, help="ghi ra tệp PDF để in và trao cho người yêu cầu")
    p = add_command(sub, "disclosures", cmd_disclosures, "nhật ký các lần in hoặc xuất dữ liệu cá nhân")
    p.add_argument("--dossier", help="chỉ của hồ sơ này (mã hoặc id)")
    p.add_argument("--since", type=day_argument, help="từ ngày (YYYY-MM-DD)")
    p.add_argument("--limit", type=int, default=200)


def cmd_access_report(args: argparse.Namespace, conn: sqlite3.Connection) -> int:
    try:
        report = access_report(conn, args.id_number)
    except BadIdNumber as exc:
        return fail(str(exc), as_json=args.json, code=REFUSED)
    if not report.dossiers:
        return fail(f"Không có hồ sơ nào chứa số định danh {report.id_number}.", as_json=args.json, code=NOT_FOUND)
    if args.output:
        args.output.parent.mkdir(parents=True, exist_ok=True)
        args.output.write_bytes(render_access_pdf(conn, report))
    channel = "pdf" if args.output else ("export" if args.json else "screen")
    for held in report.dossiers:
        record_disclosure(conn, held.id, args.actor, "báo cáo thông tin cá nhân đang lưu giữ",
                          channel=channel, recipient="người có số định danh")
    if args.json:
        emit_json({**report.to_dict(), "file": str(args.output) if args.output else None})
        return OK
    say(f"Số định danh {report.id_number}: {len(report.dossiers)} hồ sơ.")
    for held in report.dossiers:
        say(f"- {held.code or held.id}: {held.procedure} — {held.status}; {len(held.timeline)} thao tác, "
            f"{len(held.files)} tệp, {len(held.disclosures)} lần in/xuất"
            + ("; đã gửi lên tỉnh" if held.sent_to_hub else ""))
    if args.output:
        say(f"Đã ghi {args.output}.")
    return OK


def cmd_disclosures(args: argparse.Namespace, conn: sqlite3.Connection) -> int:
    from datetime import datetime, time

    since = datetime.combine(args.since, time(0), VN_TZ) if args.since else None
    rows = disclosure_log(conn, since=since, dossier_ref=args.dossier, limit=max(1, args.limit))
    if args.json:
        emit_json([row.__dict__ for row in rows])
        return OK
    for row in rows:
        say(f"{row.at}  {row.actor:<14} {row.dossier_code or row.dossier_id}  {row.channel}: {row.what}"
            + (f" (cho {row.recipient})" if row.recipient else ""))
    if not rows:
        say("Chưa có lần in hoặc xuất dữ liệu cá nhân nào.")
    return OK
