"""Store care: backup, restore, check, rebuild, and the demo dataset."""

from __future__ import annotations

import argparse
import sqlite3
from datetime import timedelta
from pathlib import Path

from motcua.cli.common import add_command
from motcua.cli.output import OK, REFUSED, STORE_PROBLEM, USAGE, emit_json, fail, say
from motcua.cli.secrets import PASSPHRASE_ENV, SecretUnavailable, read_passphrase
from motcua.domain.clock import now
from motcua.paths import store_file
from motcua.protocol.sealed import is_sealed
from motcua.protocol.sealing_keys import SealError, load_x25519_private_pem
from motcua.services.demo import (
    DEMO_PASSWORD,
    DEMO_RECEIVER,
    DEMO_STAFF,
    SampleFactory,
    add_demo_staff,
    catalog_samples,
    demo_actor,
)
from motcua.services.desk import Desk
from motcua.services.intake import parse_intake
from motcua.store import backup as backups
from motcua.store import backup_keys
from motcua.store.check import check_store, rebuild_projections
from motcua.store.db import available_migrations, transaction
from motcua.store.settings import get_settings


def register(sub: argparse._SubParsersAction) -> None:
    p = add_command(sub, "backup", cmd_backup, "sao lưu dữ liệu, mã hóa (an toàn khi phần mềm đang chạy)")
    p.add_argument("-o", "--output", type=Path, help="tệp đích (mặc định: thư mục backups/)")
    p.add_argument("--plain", action="store_true",
                   help="ghi bản sao lưu KHÔNG mã hóa: ai cầm tệp cũng đọc được họ tên, số định danh, địa chỉ, "
                        "số điện thoại và giấy tờ của công dân; chỉ dùng khi tệp được cất giữ an toàn")
    p = add_command(sub, "restore", cmd_restore, "khôi phục từ bản sao lưu (giữ lại bản hiện tại)",
                    needs_store=False)
    p.add_argument("file", type=Path)
    p.add_argument("--passphrase-file", type=Path,
                   help=f"tệp chứa mật khẩu sao lưu (hoặc biến môi trường {PASSPHRASE_ENV}, hoặc nhập khi được hỏi)")
    p.add_argument("--recovery-key", type=Path, help="tệp khóa khôi phục riêng của tỉnh (thay cho mật khẩu)")
    p = add_command(sub, "backup-passphrase", cmd_backup_passphrase,
                    "đặt mật khẩu sao lưu (người quản trị) và khóa khôi phục của tỉnh")
    p.add_argument("--passphrase-file", type=Path,
                   help=f"tệp chứa mật khẩu mới (hoặc biến môi trường {PASSPHRASE_ENV}, hoặc nhập hai lần)")
    p.add_argument("--recovery-public-key", metavar="KHÓA_HOẶC_TỆP",
                   help="khóa công khai khôi phục của tỉnh (base64, hoặc tệp chứa nó); \"none\" để bỏ")
    p.add_argument("--keep-passphrase", action="store_true", help="chỉ đổi khóa khôi phục, giữ mật khẩu")
    p = add_command(sub, "recovery-keygen", cmd_recovery_keygen,
                    "tạo cặp khóa khôi phục của tỉnh (khóa riêng ghi vào tệp, khóa công khai in ra)",
                    needs_store=False)
    p.add_argument("--output", type=Path, required=True, help="tệp ghi khóa riêng (chưa tồn tại)")
    add_command(sub, "check", cmd_check, "kiểm tra toàn vẹn: SQLite, hồ sơ so với nhật ký sự kiện, tệp đính kèm")
    add_command(sub, "rebuild", cmd_rebuild, "dựng lại bảng hồ sơ từ nhật ký sự kiện")
    p = add_command(sub, "demo", cmd_demo, "tạo hồ sơ mẫu để làm quen (dữ liệu giả)")
    p.add_argument("--count", type=int, default=300)
    p.add_argument("--days", type=int, default=60, help="rải hồ sơ trong bấy nhiêu ngày gần đây")
    p.add_argument("--seed", type=int, default=2026)
    p.add_argument("--if-empty", action="store_true", help="chỉ tạo khi chưa có hồ sơ nào")


def cmd_backup(args: argparse.Namespace, conn: sqlite3.Connection) -> int:
    try:
        target = backups.backup(conn, args.data_dir_path, args.output, plain=args.plain)
    except backups.BackupKeyMissing as exc:
        return fail(str(exc), as_json=args.json, code=REFUSED)
    if args.json:
        emit_json({"backup": str(target), "bytes": target.stat().st_size, "encrypted": not args.plain})
    else:
        say(f"Đã sao lưu vào {target}" + (" (KHÔNG mã hóa)." if args.plain else " (đã mã hóa)."))
    return OK


def cmd_restore(args: argparse.Namespace, _conn: None) -> int:
    latest = available_migrations()[-1].version
    try:
        recovery = load_x25519_private_pem(args.recovery_key.read_bytes()) if args.recovery_key else None
        passphrase = None
        if recovery is None and is_sealed(args.file):
            passphrase = read_passphrase(args.passphrase_file)
        kept = backups.restore(store_file(args.data_dir_path), args.file, latest, passphrase=passphrase,
                               recovery_key=recovery)
    except OSError as exc:
        return fail(f"Không đọc được tệp khóa khôi phục: {exc}", as_json=args.json, code=USAGE)
    except SecretUnavailable as exc:
        return fail(str(exc), as_json=args.json, code=USAGE)
    except (ValueError, SealError) as exc:
        return fail(str(exc), as_json=args.json, code=REFUSED)
    if args.json:
        emit_json({"restored": str(args.file), "previous_kept_at": str(kept) if kept else None})
    else:
        say(f"Đã khôi phục từ {args.file}."
            + (f" Dữ liệu trước đó được giữ tại {kept}." if kept else ""))
    return OK


def cmd_backup_passphrase(args: argparse.Namespace, conn: sqlite3.Connection) -> int:
    try:
        recovery = _recovery_argument(args.recovery_public_key)
        if not args.keep_passphrase:
            passphrase = read_passphrase(args.passphrase_file, confirm=True)
            backup_keys.check_passphrase(passphrase)
        elif backup_keys.backup_keys(conn) is None:
            return fail("Chưa có mật khẩu sao lưu để giữ; hãy đặt mật khẩu.", as_json=args.json, code=REFUSED)
        if recovery is not None:
            backup_keys.set_recovery_key(conn, recovery)
        if not args.keep_passphrase:
            backup_keys.set_passphrase(conn, passphrase)
    except SecretUnavailable as exc:
        return fail(str(exc), as_json=args.json, code=USAGE)
    except ValueError as exc:
        return fail(str(exc), as_json=args.json, code=REFUSED)
    keys = backup_keys.backup_keys(conn)
    recovery_key = keys.recovery_public_key if keys else ""
    if args.json:
        emit_json({"passphrase_set": keys is not None, "recovery_public_key": recovery_key or None})
    else:
        say("Đã đặt mật khẩu sao lưu: từ nay các bản sao lưu được mã hóa." if not args.keep_passphrase else
            "Đã giữ mật khẩu sao lưu.")
        say(f"Khóa khôi phục của tỉnh: {recovery_key}" if recovery_key else
            "Chưa có khóa khôi phục của tỉnh: mất mật khẩu là không mở được bản sao lưu.")
    return OK


def _recovery_argument(value: str | None) -> str | None:
    if value is None:
        return None
    if value.strip().lower() == "none":
        return ""
    path = Path(value)
    text = path.read_text(encoding="utf-8").strip() if path.is_file() else value.strip()
    try:
        return backup_keys.public_of(text)
    except SealError as exc:
        raise ValueError(f"Khóa khôi phục không hợp lệ: {exc}") from None


def cmd_recovery_keygen(args: argparse.Namespace, _conn: None) -> int:
    try:
        public = backup_keys.write_recovery_keypair(args.output)
    except FileExistsError:
        return fail(f"Tệp {args.output} đã có; không ghi đè khóa riêng.", as_json=args.json, code=REFUSED)
    except OSError as exc:
        return fail(f"Không ghi được {args.output}: {exc}", as_json=args.json, code=REFUSED)
    if args.json:
        emit_json({"private_key_file": str(args.output), "public_key": public})
    else:
        say(f"Khóa riêng đã ghi vào {args.output} — cất giữ cẩn thận, chỉ bộ phận hỗ trợ của tỉnh giữ.")
        say(f"Khóa công khai (đưa cho các xã: motcua backup-passphrase --recovery-public-key …): {public}")
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
    with transaction(conn):
        staff = add_demo_staff(conn)
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
        outcome = desk.intake(parse_intake(factory.intake(moment)), DEMO_RECEIVER)
        created += 1
        at = moment
        record = outcome.record
        for event_type, values in factory.lifecycle(record.applicant_name):
            at = at + timedelta(hours=factory.rng.randint(2, 60))
            if at >= now():
                break
            record = desk.act(record.id, event_type, demo_actor(event_type, record.assigned_to), values, at=at).record
    if args.json:
        emit_json({"created": created, "accounts_added": staff})
    else:
        say(f"Đã tạo {created} hồ sơ mẫu.")
        if staff:
            say(f"Tài khoản mẫu (mật khẩu «{DEMO_PASSWORD}»): " + ", ".join(
                f"{name} ({'/'.join(roles)})" for name, _full, roles in DEMO_STAFF if name in staff))
    return OK
