"""Store care: backup, restore, check, rebuild, and the demo dataset."""

from __future__ import annotations

import argparse
import sqlite3
from datetime import timedelta
from pathlib import Path

from motcua.cli.common import add_command
from motcua.cli.output import OK, REFUSED, STORE_PROBLEM, emit_json, fail, say
from motcua.domain.clock import now
from motcua.paths import store_file
from motcua.services.demo import SampleFactory, catalog_samples
from motcua.services.desk import Desk
from motcua.services.intake import parse_intake
from motcua.store import backup as backups
from motcua.store.check import check_store, rebuild_projections
from motcua.store.db import available_migrations, transaction
from motcua.store.settings import get_settings


def register(sub: argparse._SubParsersAction) -> None:
    p = add_command(sub, "backup", cmd_backup, "sao lưu dữ liệu (an toàn khi phần mềm đang chạy)")
    p.add_argument("-o", "--output", type=Path, help="tệp đích (mặc định: thư mục backups/)")
    p = add_command(sub, "restore", cmd_restore, "khôi phục từ bản sao lưu (giữ lại bản hiện tại)",
                    needs_store=False)
    p.add_argument("file", type=Path)
    add_command(sub, "check", cmd_check, "kiểm tra toàn vẹn: SQLite, hồ sơ so với nhật ký sự kiện, tệp đính kèm")
    add_command(sub, "rebuild", cmd_rebuild, "dựng lại bảng hồ sơ từ nhật ký sự kiện")
    p = add_command(sub, "demo", cmd_demo, "tạo hồ sơ mẫu để làm quen (dữ liệu giả)")
    p.add_argument("--count", type=int, default=300)
    p.add_argument("--days", type=int, default=60, help="rải hồ sơ trong bấy nhiêu ngày gần đây")
    p.add_argument("--seed", type=int, default=2026)
    p.add_argument("--if-empty", action="store_true", help="chỉ tạo khi chưa có hồ sơ nào")


def cmd_backup(args: argparse.Namespace, conn: sqlite3.Connection) -> int:
    target = backups.backup(conn, args.data_dir_path, args.output)
    if args.json:
        emit_json({"backup": str(target), "bytes": target.stat().st_size})
    else:
        say(f"Đã sao lưu vào {target}")
    return OK


def cmd_restore(args: argparse.Namespace, _conn: None) -> int:
    latest = available_migrations()[-1].version
    try:
        kept = backups.restore(store_file(args.data_dir_path), args.file, latest)
    except ValueError as exc:
        return fail(str(exc), as_json=args.json, code=REFUSED)
    if args.json:
        emit_json({"restored": str(args.file), "previous_kept_at": str(kept) if kept else None})
    else:
        say(f"Đã khôi phục từ {args.file}."
            + (f" Dữ liệu trước đó được giữ tại {kept}." if kept else ""))
    return OK


def cmd_check(args: argparse.Namespace, conn: sqlite3.Connection) -> int:
    report = check_store(conn, args.data_dir_path)
    if args.json:
        emit_json({"ok": report.ok, "problems": report.problems, "dossiers": report.dossiers,
                   "events": report.events, "attachments": report.attachments})
    else:
        say(f"{report.dossiers} hồ sơ, {report.events} sự kiện, {report.attachments} tệp đính kèm.")
        for problem in report.problems:
            say(f"  ✗ {problem}")
        say("Dữ liệu toàn vẹn." if report.ok else f"Phát hiện {len(report.problems)} vấn đề.")
    return OK if report.ok else STORE_PROBLEM


def cmd_rebuild(args: argparse.Namespace, conn: sqlite3.Connection) -> int:
    with transaction(conn):
        count = rebuild_projections(conn)
    if args.json:
        emit_json({"rebuilt": count})
    else:
        say(f"Đã dựng lại {count} hồ sơ từ nhật ký sự kiện.")
    return OK


def cmd_demo(args: argparse.Namespace, conn: sqlite3.Connection) -> int:
    settings = get_settings(conn)
    if not settings.initialised:
        from motcua.domain.ids import uuid7
        from motcua.store.settings import put_values

        with transaction(conn):
            put_values(conn, {"commune_name": "Xã Ea Kao", "province_name": "Đắk Lắk",
                              "agency_code": "000.17.22.H56", "agency_name": "UBND XÃ EA KAO",
                              "device_id": uuid7()})
    existing = conn.execute("SELECT count(*) FROM dossiers").fetchone()[0]
    if args.if_empty and existing:
        say(f"Đã có {existing} hồ sơ; không tạo thêm.")
        return OK
    desk = Desk(conn, args.data_dir_path)
    if not conn.execute("SELECT count(*) FROM procedures").fetchone()[0]:
        from motcua.cli.dossier_commands import _load_catalog

        _load_catalog(conn)
    factory = SampleFactory(args.seed, commune=get_settings(conn).commune_name,
                            procedures=catalog_samples(conn) or None)
    start = now() - timedelta(days=args.days)
    created = 0
    for index in range(args.count):
        day = start + timedelta(days=args.days * index / max(args.count, 1))
        if day.weekday() >= 5:  # the desk is closed at weekends: such intakes land on Monday
            day += timedelta(days=7 - day.weekday())
        moment = min(factory.office_moment(day), now() - timedelta(minutes=1))
        outcome = desk.intake(parse_intake(factory.intake(moment)), "motnhanvien")
        created += 1
        at = moment
        for event_type, values in factory.lifecycle(outcome.record.applicant_name):
            at = at + timedelta(hours=factory.rng.randint(2, 60))
            if at >= now():
                break
            desk.act(outcome.record.id, event_type, "cc.xuly", values, at=at)
    if args.json:
        emit_json({"created": created})
    else:
        say(f"Đã tạo {created} hồ sơ mẫu.")
    return OK
