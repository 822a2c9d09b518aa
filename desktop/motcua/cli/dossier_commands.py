"""Dossier commands: init, intake, list, show, the lifecycle actions, attach."""

from __future__ import annotations

import argparse
import json
import sqlite3
import sys
from dataclasses import asdict
from pathlib import Path
from typing import Any

from motcua.cli.common import add_command, day_argument
from motcua.cli.output import NOT_FOUND, OK, REFUSED, USAGE, emit_json, fail, say
from motcua.domain.clock import iso, moment_label, now, parse_moment
from motcua.domain.events import EventType
from motcua.domain.ids import uuid7
from motcua.domain.payments import fee_account
from motcua.domain.projection import DossierRecord
from motcua.domain.states import ACTIONS, STATUS_LABELS, Status
from motcua.domain.steps import STEPS, step_label
from motcua.domain.text import clean, fold
from motcua.services.accounts import (
    EDIT_SETTINGS,
    INTAKE,
    acting_user,
    check_new_user,
    create_user,
    get_user,
    user_count,
)
from motcua.services.commune_settings import check_settings
from motcua.services.desk import Desk, action_fields
from motcua.services.intake import parse_intake
from motcua.services.validation import ValidationFailed
from motcua.store.db import transaction
from motcua.store.events import events_of
from motcua.store.queries import SORTABLE, DossierFilter, count_dossiers, list_dossiers
from motcua.store.settings import get_settings, put_values

# Help for the arguments whose values are codes (the service also takes the Vietnamese words).
_CHOICES_HELP = {
    "method": "cash (tiền mặt) | transfer (chuyển khoản) | other (khác)",
    "channel": "desk (trực tiếp tại nơi tiếp nhận hồ sơ, mặc định) | post (bưu chính công ích) | online (trực tuyến)",
    "doc_date": "YYYY-MM-DD hoặc DD/MM/YYYY; mặc định: ngày thực hiện",
    "requested_by": "mặc định: người nộp hồ sơ",
}

# CLI name → event type: one command per lifecycle action.
LIFECYCLE_COMMANDS = {
    "refuse": EventType.REFUSED,
    "handover": EventType.HANDED_OVER,
    "request-supplement": EventType.SUPPLEMENT_REQUESTED,
    "supplement": EventType.SUPPLEMENTED,
    "request-fee": EventType.FEE_REQUESTED,
    "fee-paid": EventType.FEE_PAID,
    "withdraw": EventType.WITHDRAWN,
    "stop": EventType.STOPPED,
    "resolve": EventType.RESOLVED,
    "return": EventType.RETURNED,
    "reschedule": EventType.RESCHEDULED,
    "note": EventType.NOTE,
}


def register(sub: argparse._SubParsersAction) -> None:
    p = add_command(sub, "init", cmd_init, "khai báo xã, mã cơ quan và máy trạm (lần đầu: tạo quản trị hệ thống "
                                           "bằng --admin, mật khẩu đọc từ stdin)")
    p.add_argument("--commune", required=True, help="tên xã/phường, ví dụ «Xã Ea Kao»")
    p.add_argument("--agency-code", required=True, help="mã cơ quan theo mã định danh quốc gia, ví dụ 000.17.22.H56")
    p.add_argument("--province", default="", help="tên tỉnh/thành phố")
    p.add_argument("--agency-name", default="",
                   help="cơ quan chủ quản in trên biểu mẫu (mặc định: «Ủy ban nhân dân <xã>»)")
    p.add_argument("--workstation", type=int, default=0, help="số máy trạm 1–9 (0: chỉ một máy)")
    p.add_argument("--code-format", help="mẫu mã hồ sơ, mặc định {agency}-{date:%%y%%m%%d}-{seq}")
    p.add_argument("--code-width", type=int, help="số chữ số thứ tự (≥ 4)")
    p.add_argument("--office-hours", help="giờ làm việc, ví dụ 07:00-11:30,13:30-17:00")
    p.add_argument("--form-set", choices=["tt01_2018", "tt03_2025"], help="bộ biểu mẫu áp dụng")
    p.add_argument("--admin", metavar="TÊN",
                   help="tên đăng nhập của quản trị hệ thống đầu tiên (khi chưa có tài khoản)")
    p.add_argument("--admin-name", metavar="HỌ_TÊN", default="", help="họ và tên của quản trị hệ thống đầu tiên")

    p = add_command(sub, "intake", cmd_intake, "tiếp nhận hồ sơ (tham số, hoặc tệp JSON/JSONL)", permission=INTAKE)
    p.add_argument("--file", help="tệp JSON (một hồ sơ hoặc danh sách) hoặc JSONL (mỗi dòng một hồ sơ); «-» = stdin")
    p.add_argument("--procedure", help="mã thủ tục, ví dụ 1.001193")
    p.add_argument("--procedure-name", help="tên thủ tục (khi thủ tục không có trong danh mục)")
    p.add_argument("--days", type=float, help="thời hạn giải quyết, ngày làm việc (ngoài danh mục)")
    p.add_argument("--hours", type=float, help="thời hạn giải quyết, giờ làm việc (ngoài danh mục)")
    p.add_argument("--name", help="họ tên người nộp / tên tổ chức")
    p.add_argument("--id-number", default="", help="số CCCD (12 số) / CMND / mã số thuế")
    p.add_argument("--kind", type=int, default=1, help="1 công dân, 2 doanh nghiệp, 3 cơ quan nhà nước, 4 khác")
    p.add_argument("--phone", default="")
    p.add_argument("--email", default="")
    p.add_argument("--address", default="")
    p.add_argument("--summary", default="", help="trích yếu nội dung yêu cầu")
    p.add_argument("--doc", action="append", default=[],
                   help="giấy tờ đã nhận «tên[:original|certified_copy|photocopy[:số bản]]», lặp lại được")
    p.add_argument("--sets", type=int, default=1)
    p.add_argument("--channel", default="desk", choices=["desk", "online", "post"])
    p.add_argument("--received", help="thời điểm tiếp nhận (mặc định: bây giờ)")
    p.add_argument("--id", dest="dossier_id", help="UUID do máy trạm tạo; nhập lại cùng UUID không tạo hồ sơ trùng")

    p = add_command(sub, "list", cmd_list, "danh sách hồ sơ có lọc")
    p.add_argument("--status", action="append", default=[], help="mã trạng thái 1–10 (lặp lại được)")
    p.add_argument("--due-today", action="store_true", help="hồ sơ đến hạn hôm nay")
    p.add_argument("--overdue", action="store_true", help="hồ sơ đang xử lý đã quá hạn")
    who = p.add_mutually_exclusive_group()
    who.add_argument("--assigned-to", metavar="TÊN", default="", help="hồ sơ đang do tài khoản này xử lý (người xử lý)")
    who.add_argument("--mine", action="store_true", help="hồ sơ đang chờ tôi (tài khoản --actor) xử lý")
    p.add_argument("--step", choices=sorted(STEPS), help="hồ sơ đang ở bước này")
    p.add_argument("--step-due-today", action="store_true", help="hồ sơ mà bước hiện tại đến hạn hôm nay")
    p.add_argument("--step-overdue", action="store_true", help="hồ sơ mà bước hiện tại đã quá hạn")
    p.add_argument("--procedure", default="", help="mã thủ tục, ví dụ 1.001193")
    p.add_argument("--text", default="", help="tìm theo mã hồ sơ, tên, số giấy tờ (có hoặc không dấu)")
    p.add_argument("--received-from", "--from", dest="date_from", type=day_argument, metavar="NGÀY",
                   help="tiếp nhận từ ngày này (tính cả ngày này): YYYY-MM-DD hoặc DD/MM/YYYY")
    p.add_argument("--received-to", "--to", dest="date_to", type=day_argument, metavar="NGÀY",
                   help="tiếp nhận đến hết ngày này: YYYY-MM-DD hoặc DD/MM/YYYY")
    p.add_argument("--sort", default="received_at", choices=sorted(SORTABLE))
    p.add_argument("--asc", action="store_true", help="tăng dần (mặc định giảm dần)")
    p.add_argument("--limit", type=int, default=50)
    p.add_argument("--offset", type=int, default=0)

    p = add_command(sub, "show", cmd_show, "xem một hồ sơ và nhật ký xử lý")
    p.add_argument("dossier", help="mã hồ sơ hoặc UUID")

    for name, event_type in LIFECYCLE_COMMANDS.items():
        p = add_command(sub, name, cmd_action, ACTIONS[event_type].label, permission=event_type)
        p.set_defaults(event_type=event_type)
        p.add_argument("dossier", help="mã hồ sơ hoặc UUID")
        for key, label, required in action_fields(event_type):
            if key in ("items", "documents"):
                p.add_argument(f"--{key.replace('_', '-')}", dest=key, action="append",
                               help=f"{label} (lặp lại được)")
            else:
                extra = f" — {_CHOICES_HELP[key]}" if key in _CHOICES_HELP else ""
                p.add_argument(f"--{key.replace('_', '-')}", dest=key,
                               help=label + (" (bắt buộc)" if required else "") + extra)
        p.add_argument("--at", help="thời điểm thực hiện (mặc định: bây giờ)")

    p = add_command(sub, "attach", cmd_attach, "đính kèm tệp quét/ảnh/PDF vào hồ sơ",
                    permission=EventType.ATTACHMENT_ADDED)
    p.add_argument("dossier")
    p.add_argument("files", nargs="+", type=Path)
    p.add_argument("--name", help="tên hiển thị (một tệp)")


# -- init ---------------------------------------------------------------------------------------
def cmd_init(args: argparse.Namespace, conn: sqlite3.Connection) -> int:
    current = get_settings(conn)
    values: dict[str, Any] = {
        "commune_name": args.commune,
        "agency_code": args.agency_code,
        "province_name": clean(args.province or "") or current.province_name,
        "workstation": args.workstation,
    }
    if args.agency_name or current.agency_name:
        values["agency_name"] = args.agency_name or current.agency_name
    for key in ("code_format", "code_width", "office_hours", "form_set"):
        if getattr(args, key) is not None:
            values[key] = getattr(args, key)
    first_admin = _first_admin(args, conn)
    # One check for every entry point (commune_settings); nothing is written when any value is refused.
    values = check_settings(values, current)
    values["device_id"] = current.device_id or uuid7()
    with transaction(conn):
        put_values(conn, values)
        if first_admin is not None:
            create_user(conn, *first_admin)
    loaded = _load_catalog(conn)
    settings = get_settings(conn)
    if args.json:
        emit_json({"settings": settings.__dict__, "catalog_loaded": loaded})
    else:
        say(f"Đã khai báo {settings.commune_name} ({settings.agency_code}), máy trạm {settings.workstation}.")
        say(f"Danh mục thủ tục: {loaded} thủ tục.")
        if first_admin is not None:
            say(f"Đã tạo tài khoản quản trị hệ thống «{first_admin[0]}».")
        elif not user_count(conn):
            say("Chưa có tài khoản nào: chạy lại với --admin TÊN --admin-name \"Họ tên\" (mật khẩu qua stdin) "
                "để tạo quản trị hệ thống đầu tiên.")
    return OK


def _first_admin(args: argparse.Namespace, conn: sqlite3.Connection) -> tuple[str, str, str, str] | None:
    """The first administrator to create with ``--admin`` (a store with no account yet); once accounts exist,
    changing the settings needs an administrator as ``--actor``."""
    if user_count(conn):
        acting_user(conn, args.actor, EDIT_SETTINGS)
        if args.admin:
            raise ValidationFailed({"admin": "đã có tài khoản; thêm tài khoản bằng «motcua user add»"})
        return None
    if not args.admin:
        return None
    password = sys.stdin.readline().rstrip("\n")
    account = (args.admin.strip().lower(), args.admin_name, "admin", password)
    check_new_user(*account)
    return account


def _load_catalog(conn: sqlite3.Connection) -> int:
    """Load (or upgrade) the shipped procedure catalog; returns how many procedures the store has."""
    from motcua.catalog import load_shipped

    report = load_shipped(conn)
    for issue in report.invalid:
        sys.stderr.write(f"motcua: danh mục: {issue}\n")
    for conflict in report.conflicts:
        sys.stderr.write(f"motcua: danh mục: {conflict}\n")
    return int(conn.execute("SELECT count(*) FROM procedures").fetchone()[0])


# -- intake -------------------------------------------------------------------------------------
def _intake_from_args(args: argparse.Namespace) -> dict[str, Any]:
    documents = []
    for spec in args.doc:
        parts = spec.split(":")
        doc: dict[str, Any] = {"name": parts[0]}
        if len(parts) > 1 and parts[1]:
            doc["kind"] = parts[1]
        if len(parts) > 2 and parts[2]:
            doc["copies"] = parts[2]
        documents.append(doc)
    data: dict[str, Any] = {
        "procedure_code": args.procedure or "",
        "applicant": {"name": args.name or "", "id_number": args.id_number, "kind": args.kind,
                      "phone": args.phone, "email": args.email, "address": args.address},
        "summary": args.summary, "documents": documents, "sets": args.sets, "channel": args.channel,
    }
    if args.received:
        data["received_at"] = args.received
    if args.dossier_id:
        data["id"] = args.dossier_id
    if args.days is not None or args.hours is not None:
        data["procedure"] = {"code": args.procedure or "", "name": args.procedure_name or ""}
        data["procedure"]["days" if args.days is not None else "hours"] = (
            args.days if args.days is not None else args.hours)
    return data


def _read_intake_file(path: str) -> list[Any]:
    text = sys.stdin.read() if path == "-" else Path(path).read_text(encoding="utf-8-sig")
    stripped = text.strip()
    if not stripped:
        raise ValidationFailed({"file": "tệp rỗng"})
    try:
        value = json.loads(stripped)
        return value if isinstance(value, list) else [value]
    except json.JSONDecodeError:
        pass
    records = []
    for number, line in enumerate(text.splitlines(), start=1):
        if line.strip():
            try:
                records.append(json.loads(line))
            except json.JSONDecodeError as exc:
                raise ValidationFailed({f"dòng {number}": f"không phải JSON: {exc.msg}"}) from None
    return records


def cmd_intake(args: argparse.Namespace, conn: sqlite3.Connection) -> int:
    desk = Desk(conn, args.data_dir_path)
    if args.file:
        try:
            records = _read_intake_file(args.file)
        except OSError as exc:
            return fail(f"không đọc được {args.file}: {exc.strerror}", as_json=args.json, code=NOT_FOUND)
        # Validate the whole batch first: a bad record anywhere imports nothing.
        problems: dict[str, str] = {}
        requests = []
        for index, data in enumerate(records, start=1):
            try:
                requests.append(parse_intake(data))
            except ValidationFailed as exc:
                problems.update({f"#{index} {k}": v for k, v in exc.errors.items()})
        if problems:
            raise ValidationFailed(problems)
    else:
        requests = [parse_intake(_intake_from_args(args))]
    for request in requests:
        outcome = desk.intake(request, args.user.username)
        # One line per intake, printed only after its transaction committed: a script (or a person)
        # may treat every printed code as safely stored.
        if args.json:
            emit_json({"id": outcome.record.id, "code": outcome.record.code, "due_at": outcome.record.due_at,
                       "created": outcome.created})
        else:
            say(f"{outcome.record.code}\t{outcome.record.id}\thẹn trả {_human(outcome.record.due_at)}"
                + ("" if outcome.created else "\t(đã có, không tạo lại)"))
    return OK


# -- list/show ----------------------------------------------------------------------------------
def _statuses(values: list[str]) -> tuple[int, ...]:
    result = []
    for value in values:
        for part in value.split(","):
            part = part.strip()
            if part.isdigit() and 1 <= int(part) <= 10:
                result.append(int(part))
                continue
            matches = [s for s, label in STATUS_LABELS.items() if fold(label) == fold(part) or s.name == part.upper()]
            if not matches:
                raise ValidationFailed({"status": f"không có trạng thái «{part}» (dùng số 1–10)"})
            result.append(int(matches[0]))
    return tuple(result)


def cmd_list(args: argparse.Namespace, conn: sqlite3.Connection) -> int:
    if args.date_from and args.date_to and args.date_from > args.date_to:
        return fail(f"--received-from {args.date_from:%d/%m/%Y} sau --received-to {args.date_to:%d/%m/%Y}: "
                    "ngày bắt đầu phải trước hoặc bằng ngày kết thúc", as_json=args.json, code=USAGE)
    holder = args.assigned_to.strip().lower()
    if args.mine:
        holder = acting_user(conn, args.actor).username
    elif holder and get_user(conn, holder) is None and not conn.execute(
            "SELECT 1 FROM dossiers WHERE assigned_to = ? LIMIT 1", (holder,)).fetchone():
        return fail(f"không có tài khoản «{holder}» (xem «motcua user list»)", as_json=args.json, code=NOT_FOUND)
    moment = now()
    flt = DossierFilter(
        statuses=_statuses(args.status), procedure_code=args.procedure.strip(), text=args.text,
        due_on=moment.date() if args.due_today else None, overdue_at=moment if args.overdue else None,
        received_from=args.date_from, received_to=args.date_to, holder=holder, step=args.step or "",
        step_due_on=moment.date() if args.step_due_today else None,
        step_overdue_at=moment if args.step_overdue else None,
    )
    if args.limit < 1 or args.offset < 0:
        raise ValidationFailed({"limit": "--limit phải ≥ 1 và --offset ≥ 0"})
    records = list_dossiers(conn, flt, sort=args.sort, descending=not args.asc, limit=args.limit,
                            offset=args.offset)
    total = count_dossiers(conn, flt)
    if args.json:
        emit_json({"total": total, "items": [_summary(r) for r in records]})
        return OK
    for r in records:
        holder = f"\t{r.assigned_to} ({step_label(r.step)}, hạn bước {_human(r.step_due_at)})" if r.step else ""
        say(f"{r.code}\t{Status(r.status).label}\t{r.applicant_name}\t{r.procedure_name}\thẹn {_human(r.due_at)}"
            + holder)
    say(f"({len(records)}/{total} hồ sơ)")
    return OK


def _summary(r: DossierRecord) -> dict[str, Any]:
    return {"id": r.id, "code": r.code, "status": r.status, "status_label": Status(r.status).label,
            "applicant_name": r.applicant_name, "procedure_code": r.procedure_code,
            "procedure_name": r.procedure_name, "received_at": r.received_at, "due_at": r.due_at,
            "timeliness": r.timeliness, "returned_at": r.returned_at,
            "return_timeliness": _timeliness(r), "assigned_to": r.assigned_to, "step": r.step,
            "step_due_at": r.step_due_at}


def _timeliness(record: DossierRecord) -> str:
    found = record.return_timeliness()
    return found.value if found else ""


def _money(amount: int) -> str:
    return f"{amount:,}".replace(",", ".") + " đ"


def _human(moment: str | None) -> str:
    return moment_label(moment) if moment else "—"


def cmd_show(args: argparse.Namespace, conn: sqlite3.Connection) -> int:
    record = Desk(conn, args.data_dir_path).resolve_ref(args.dossier)
    events = events_of(conn, record.id)
    if args.json:
        data = record.as_row()
        data["documents"] = record.document_list()
        data["status_label"] = Status(record.status).label
        data["events"] = [e.to_wire() for e in events]
        account = fee_account(events)
        data["fees"] = {"charged": account.charged, "paid": account.paid, "due": account.due,
                        "payments": [asdict(p) for p in account.payments]}
        data["return_timeliness"] = _timeliness(record)
        emit_json(data)
        return OK
    say(f"Hồ sơ {record.code} — {Status(record.status).label}")
    say(f"  Thủ tục:   {record.procedure_code} {record.procedure_name}")
    say(f"  Người nộp: {record.applicant_name} ({record.applicant_id_number}) {record.applicant_phone}")
    say(f"  Tiếp nhận: {_human(record.received_at)}   Hẹn trả: {_human(record.due_at)}")
    if record.rescheduled_due_at:
        say(f"  Hẹn lại:   {_human(record.rescheduled_due_at)}")
    if record.timeliness:
        say(f"  Kết quả:   {record.decision} — {record.timeliness}")
    account = fee_account(events)
    if account.charged or account.payments:
        say(f"  Phí, lệ phí: phải nộp {_money(account.charged)}, đã nộp {_money(account.paid)}, "
            f"còn {_money(account.due)}")
    returned = record.return_timeliness()
    if record.returned_at:
        say(f"  Trả kết quả: {_human(record.returned_at)}" + (f" — {returned.label.lower()}" if returned else ""))
    for doc in record.document_list():
        say(f"  • {doc['name']} ({doc['kind']}, {doc['copies']} bản)")
    say("  Nhật ký:")
    for e in events:
        detail = ", ".join(f"{k}={v}" for k, v in e.payload.items() if k not in ("procedure", "applicant", "documents"))
        say(f"    {iso(e.occurred_at)}  {ACTIONS[e.type].label:<28} {e.actor}  {detail[:120]}")
    return OK


# -- lifecycle ------------------------------------------------------------------------------------
def cmd_action(args: argparse.Namespace, conn: sqlite3.Connection) -> int:
    values = {key: getattr(args, key) for key, _, _ in action_fields(args.event_type)
              if getattr(args, key, None) is not None}
    if "documents" in values:
        values["documents"] = [{"name": d, "kind": "original", "copies": 1, "received": True}
                               for d in values["documents"]]
    at = parse_moment(args.at) if args.at else None
    outcome = Desk(conn, args.data_dir_path).act(args.dossier, args.event_type, args.user.username, values, at=at)
    record = outcome.record
    if args.json:
        emit_json(_summary(record))
    else:
        say(f"{record.code}: {Status(record.status).label} (hẹn trả {_human(record.due_at)})")
    return OK


def cmd_attach(args: argparse.Namespace, conn: sqlite3.Connection) -> int:
    desk = Desk(conn, args.data_dir_path)
    results = []
    from motcua.store.attachments import AttachmentError

    for path in args.files:
        try:
            outcome = desk.attach(args.dossier, path, args.user.username, name=args.name)
        except AttachmentError as exc:
            return fail(str(exc), as_json=args.json, code=REFUSED)
        results.append({"file": str(path), "attachments": outcome.record.attachment_count})
        if not args.json:
            say(f"Đã đính kèm {path.name} vào {outcome.record.code}.")
    if args.json:
        emit_json(results)
    return OK
