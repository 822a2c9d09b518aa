"""`motcua search …` and `motcua catalog …`: the catalog and search services on the command line.

register() adds the subcommands to the main parser; each handler takes (args, conn), prints, and
returns the exit code: 0 ok, 1 validation failure or refusal, 3 not found.
"""

from __future__ import annotations

import argparse
import sqlite3
import sys
from pathlib import Path
from typing import Any

from motcua import search as search_service
from motcua.catalog import mapping as m
from motcua.catalog.diff import diff, format_changes
from motcua.catalog.importer import ImportRefused, apply_plan, plan_import
from motcua.catalog.locate import procedures_dir
from motcua.catalog.model import Procedure
from motcua.catalog.repository import ProcedureNotFound, get_document, get_procedure, list_versions
from motcua.catalog.shipped import load_shipped
from motcua.catalog.validate import validate_paths
from motcua.cli.output import NOT_FOUND, OK, REFUSED, emit_json, say
from motcua.i18n import tr

_LEVELS = {
    "commune": "Cấp xã",
    "province": "Cấp tỉnh",
    "commune_receives_province_decides": "Cấp xã tiếp nhận, cấp tỉnh giải quyết",
}
_COMPONENT_KINDS = {
    "original": "bản chính",
    "certified_copy": "bản sao chứng thực",
    "photocopy": "bản photo",
    "original_or_certified_copy": "bản chính hoặc bản sao chứng thực",
    "photocopy_with_original": "bản photo kèm bản chính để đối chiếu",
}


def _vnd(amount: int) -> str:
    return f"{amount:,} đồng".replace(",", ".")


def _print_json(data: Any) -> None:
    emit_json(data)


def _error(text: str) -> None:
    sys.stderr.write(f"motcua: {text}\n")


def cmd_search(args: argparse.Namespace, conn: sqlite3.Connection) -> int:
    results = search_service.search(conn, args.query, kind=args.kind, limit=args.limit)
    if args.json:
        _print_json([r.to_dict() for r in results])
        return OK
    if not results:
        say(tr("Không tìm thấy kết quả cho «{query}».", query=args.query))
        return OK
    for r in results:
        label = tr("Thủ tục") if r.kind == "procedure" else tr("Hồ sơ")
        say(f"{label} {r.code} — {r.name}\n    {r.snippet}")
    return OK


def _procedure_text(p: Procedure, versions: list[int]) -> str:
    lines = [
        f"{p.code} — {p.name}",
        tr("Phiên bản {v} (có: {all})", v=p.version, all=", ".join(str(v) for v in versions)),
        tr("Lĩnh vực: {field} · Ngành: {sector}", field=p.field, sector=p.sector),
        tr("Cấp thực hiện: {level}", level=_LEVELS.get(p.level, p.level)),
        tr("Thời hạn giải quyết: {text}", text=p.processing_time.text),
        tr("Hiệu lực: từ {start}", start=p.effective_from.isoformat())
        + (tr(" đến {end} (đã bãi bỏ)", end=p.effective_until.isoformat()) if p.effective_until else ""),
        tr("Phí, lệ phí:") + ("" if p.fees else " " + tr("Không")),
    ]
    for fee in p.fees:
        if fee.amount_vnd is None:  # the note says where the amount comes from (a province resolution…)
            amount = tr("chưa rõ, cần xác nhận") + (f" — {fee.note}" if fee.note else "")
        else:
            amount = _vnd(fee.amount_vnd)
        lines.append(f"  - {fee.name}: {amount}")
    lines.append(tr("Thành phần hồ sơ ({sets} bộ):", sets=p.sets))
    for i, c in enumerate(p.components, start=1):
        optional = "" if c.required else tr(" (nếu có)")
        lines.append(f"  {i}. {c.name}{optional}: {c.copies} {_COMPONENT_KINDS.get(c.kind, c.kind)}")
    if p.legal_basis:
        lines.append(tr("Căn cứ pháp lý:"))
        lines.extend(f"  - {x}" for x in p.legal_basis)
    return "\n".join(lines)


def cmd_show(args: argparse.Namespace, conn: sqlite3.Connection) -> int:
    try:
        procedure = get_procedure(conn, args.code, args.version)
    except ProcedureNotFound as exc:
        _error(str(exc))
        return NOT_FOUND
    if args.json:
        _print_json(get_document(conn, args.code, procedure.version))
    else:
        say(_procedure_text(procedure, [v.version for v in list_versions(conn, args.code)]))
    return OK


def cmd_import(args: argparse.Namespace, conn: sqlite3.Connection) -> int:
    path = Path(args.file)
    if not path.is_file():
        _error(tr("Không tìm thấy tệp {path}", path=path))
        return NOT_FOUND
    try:
        base = m.load_mapping(Path(args.mapping)) if args.mapping else None
        mapping = m.mapping_from_options(args.column or [], args.set or [], base)
    except m.MappingError as exc:
        _error(tr("Ánh xạ cột không hợp lệ: {error}", error=exc))
        return REFUSED
    if args.sheet:
        mapping.sheet = args.sheet
    plan = plan_import(conn, path, mapping)
    applied = False
    if plan.ok and args.apply:
        try:
            apply_plan(conn, plan)
            applied = True
        except ImportRefused as exc:
            _error(str(exc))
            return REFUSED
    if args.json:
        _print_json({**plan.to_dict(), "applied": applied})
    else:
        say(plan.preview())
        if applied:
            say(tr("Đã nhập vào danh mục."))
        elif plan.ok:
            say(tr("Chưa áp dụng: chạy lại với --apply để nhập."))
    return OK if plan.ok else REFUSED


def cmd_diff(args: argparse.Namespace, conn: sqlite3.Connection) -> int:
    try:
        changes = diff(conn, args.code, args.v1, args.v2)
    except ProcedureNotFound as exc:
        _error(str(exc))
        return NOT_FOUND
    if args.json:
        _print_json(
            [{"area": c.area, "path": c.path, "kind": c.kind, "old": c.old, "new": c.new, "text": str(c)}
             for c in changes]
        )
    else:
        title = tr("{code}: phiên bản {a} → {b}", code=args.code, a=args.v1, b=args.v2)
        say(format_changes(changes, title=title))
    return OK


def cmd_validate(args: argparse.Namespace, conn: sqlite3.Connection | None) -> int:
    paths = [Path(p) for p in args.paths] or [procedures_dir()]
    missing = [p for p in paths if not p.exists()]
    if missing:
        _error(tr("Không tìm thấy: {paths}", paths=", ".join(str(p) for p in missing)))
        return NOT_FOUND
    result = validate_paths(paths)
    for issue in result.issues:
        say(str(issue))
    say(tr("{ok} thủ tục hợp lệ, {bad} lỗi.", ok=len(result.documents), bad=len(result.issues)))
    return OK if result.ok else REFUSED


def cmd_load(args: argparse.Namespace, conn: sqlite3.Connection) -> int:
    report = load_shipped(conn)
    for issue in report.invalid:
        say(str(issue))
    for conflict in report.conflicts:
        say(conflict)
    for former, code in report.retired:
        say(tr("Mã {former} thôi dùng, thay bằng {code}.", former=former, code=code))
    say(
        tr(
            "Thêm {a}, nâng phiên bản {u}, không đổi {s}, xung đột {c}, lỗi {e}.",
            a=len(report.added), u=len(report.upgraded), s=len(report.unchanged),
            c=len(report.conflicts), e=len(report.invalid),
        )
    )
    return OK if not (report.invalid or report.conflicts) else REFUSED


def register(subparsers: argparse._SubParsersAction) -> None:
    """Add `search` and `catalog …` to the main parser; each sets `handler` to a (args, conn) function."""
    p = subparsers.add_parser("search", help=tr("Tìm thủ tục và hồ sơ (gõ có dấu hoặc không dấu)"))
    p.add_argument("query", help=tr("từ khoá, mã thủ tục, mã hồ sơ, tên hoặc số giấy tờ"))
    p.add_argument("--json", action="store_true", help=tr("in kết quả dạng JSON"))
    p.add_argument("--limit", type=int, default=10, help=tr("số kết quả tối đa (mặc định 10)"))
    p.add_argument("--kind", choices=("procedure", "dossier"), help=tr("chỉ tìm thủ tục hoặc hồ sơ"))
    p.set_defaults(handler=cmd_search)

    catalog = subparsers.add_parser("catalog", help=tr("Danh mục thủ tục hành chính"))
    sub = catalog.add_subparsers(dest="catalog_command", required=True)

    p = sub.add_parser("show", help=tr("Xem một thủ tục"))
    p.add_argument("code")
    p.add_argument("--version", type=int, help=tr("phiên bản (mặc định: hiện hành)"))
    p.add_argument("--json", action="store_true")
    p.set_defaults(handler=cmd_show)

    p = sub.add_parser("import", help=tr("Nhập danh mục từ .xlsx, .csv hoặc .json (mặc định chỉ xem trước)"))
    p.add_argument("file")
    p.add_argument("--mapping", help=tr("tệp ánh xạ cột (.json hoặc .toml)"))
    p.add_argument("--column", action="append", metavar="TIÊU_ĐỀ=TRƯỜNG", help=tr("ánh xạ thêm một cột"))
    p.add_argument("--set", action="append", metavar="TRƯỜNG=GIÁ_TRỊ", help=tr("giá trị chung cho mọi dòng"))
    p.add_argument("--sheet", help=tr("tên trang tính (mặc định: trang đầu)"))
    p.add_argument("--apply", action="store_true", help=tr("nhập thật sau khi xem trước không có lỗi"))
    p.add_argument("--json", action="store_true")
    p.set_defaults(handler=cmd_import)

    p = sub.add_parser("diff", help=tr("So sánh hai phiên bản của một thủ tục"))
    p.add_argument("code")
    p.add_argument("v1", type=int)
    p.add_argument("v2", type=int)
    p.add_argument("--json", action="store_true")
    p.set_defaults(handler=cmd_diff)

    p = sub.add_parser("validate", help=tr("Kiểm tra các tệp danh mục"))
    p.add_argument("paths", nargs="*", help=tr("tệp hoặc thư mục (mặc định: danh mục kèm theo)"))
    p.set_defaults(handler=cmd_validate, needs_store=False)  # checks files only; conn is None

    p = sub.add_parser("load", help=tr("Nạp danh mục kèm theo vào kho (chạy lại không sao)"))
    p.set_defaults(handler=cmd_load)
