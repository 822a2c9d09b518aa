"""``motcua print …``: the official papers, a procedure's own forms and guidance sheets as PDF.

    motcua print receipt|supplement|refusal|apology|stop|control <dossier> -o file.pdf
    motcua print supplement <dossier> --item "Bản sao …" [--item …] -o file.pdf
    motcua print procedure-form <form-id> [<dossier>] [--procedure CODE] -o file.pdf
    motcua print guidance <procedure-code> -o file.pdf
    motcua print book --from YYYY-MM-DD --to YYYY-MM-DD -o file.pdf
"""

from __future__ import annotations

import argparse
import sqlite3
from collections.abc import Callable
from pathlib import Path

from motcua.cli.common import add_command
from motcua.cli.output import NOT_FOUND, OK, REFUSED, emit_json, fail, say
from motcua.domain.clock import parse_day
from motcua.forms import content
from motcua.forms.formsets import FormNotInSet, UnknownFormSet, available_form_sets
from motcua.forms.render import render_form, render_guidance, render_procedure_form
from motcua.i18n import tr
from motcua.services.disclosure import record_disclosure
from motcua.services.papers import DOSSIER_PAPERS, dossier_paper_pdf

PAPER_HELP: dict[str, str] = {
    "receipt": "giấy tiếp nhận hồ sơ và hẹn trả kết quả",
    "supplement": "phiếu yêu cầu bổ sung, hoàn thiện hồ sơ",
    "refusal": "phiếu từ chối tiếp nhận giải quyết hồ sơ",
    "apology": "phiếu xin lỗi và hẹn lại ngày trả kết quả",
    "stop": "thông báo dừng giải quyết hồ sơ (khi dừng xử lý hoặc rút hồ sơ)",
    "control": "phiếu kiểm soát quá trình giải quyết hồ sơ",
}
assert set(PAPER_HELP) == set(DOSSIER_PAPERS)


def register(sub: argparse._SubParsersAction) -> None:
    parent = add_command(sub, "print", _missing_paper, "in biểu mẫu ra tệp PDF", json=False)
    papers = parent.add_subparsers(dest="paper", metavar="<biểu mẫu>")

    def paper(name: str, handler: Callable[[argparse.Namespace, sqlite3.Connection], int],
              help: str) -> argparse.ArgumentParser:
        p = add_command(papers, name, handler, help)
        p.add_argument("-o", "--output", required=True, type=Path, help="tệp PDF cần ghi")
        p.add_argument("--form-set", choices=available_form_sets(),
                       help="bộ biểu mẫu (mặc định: theo cài đặt của xã)")
        return p

    for name, label in PAPER_HELP.items():
        p = paper(name, cmd_print_paper, label)
        p.add_argument("dossier", help="mã hồ sơ (hoặc id)")
        p.set_defaults(kind=name, item=None, copies=None)
        if name == "receipt":
            p.add_argument("--copies", type=int, choices=(1, 2),
                           help="số liên: 2 = hai bản đánh dấu «Liên 1: Lưu», «Liên 2: Giao khách hàng» "
                                "(mặc định: theo cài đặt receipt_copies của xã)")
        if name == "supplement":
            p.add_argument("--item", action="append", metavar="GIẤY_TỜ",
                           help="giấy tờ cần bổ sung (lặp lại cho mỗi giấy tờ; mặc định: theo yêu cầu đã ghi)")
    p = paper("procedure-form", cmd_print_procedure_form, "đơn, tờ khai của thủ tục (trống hoặc điền sẵn)")
    p.add_argument("form_id", help="mã biểu mẫu trong danh mục, ví dụ to-khai-abc")
    p.add_argument("dossier", nargs="?", help="mã hồ sơ: điền sẵn thông tin từ hồ sơ")
    p.add_argument("--procedure", help="mã thủ tục (in mẫu trống khi không có hồ sơ)")
    p = paper("guidance", cmd_print_guidance, "tờ hướng dẫn thực hiện thủ tục cho người dân")
    p.add_argument("procedure_code", help="mã thủ tục, ví dụ 1.003560")
    p = paper("book", cmd_print_book, "sổ theo dõi hồ sơ trong một khoảng ngày")
    p.add_argument("--from", dest="date_from", required=True, help="từ ngày (YYYY-MM-DD)")
    p.add_argument("--to", dest="date_to", required=True, help="đến ngày (YYYY-MM-DD)")


def _missing_paper(args: argparse.Namespace, conn: sqlite3.Connection) -> int:
    names = ", ".join([*DOSSIER_PAPERS, "procedure-form", "guidance", "book"])
    return fail(tr("chọn biểu mẫu cần in: {names}", names=names), as_json=False, code=2)


def _write(args: argparse.Namespace, pdf: bytes, what: str) -> int:
    output: Path = args.output
    output.parent.mkdir(parents=True, exist_ok=True)
    output.write_bytes(pdf)
    if args.json:
        emit_json({"file": str(output), "bytes": len(pdf), "paper": what})
    else:
        say(tr("Đã in {what} ra {output}.", what=what, output=str(output)))
    return OK


def _guard(action: Callable[[], int], args: argparse.Namespace) -> int:
    try:
        return action()
    except content.NotFound as exc:
        return fail(str(exc), as_json=args.json, code=NOT_FOUND)
    except (content.NotApplicable, FormNotInSet, UnknownFormSet) as exc:
        return fail(str(exc), as_json=args.json, code=REFUSED)


def cmd_print_paper(args: argparse.Namespace, conn: sqlite3.Connection) -> int:
    label = PAPER_HELP[args.kind]

    def run() -> int:
        pdf = dossier_paper_pdf(conn, args.kind, args.dossier, items=args.item, form_set=args.form_set,
                                copies=args.copies)
        written = _write(args, pdf, label)
        record_disclosure(conn, args.dossier, args.actor, label, channel="pdf")
        return written

    return _guard(run, args)


def cmd_print_book(args: argparse.Namespace, conn: sqlite3.Connection) -> int:
    try:
        start, end = parse_day(args.date_from), parse_day(args.date_to)
    except ValueError as exc:
        return fail(str(exc), as_json=args.json, code=REFUSED)
    if end < start:
        return fail(tr("ngày kết thúc phải sau ngày bắt đầu"), as_json=args.json, code=REFUSED)

    def run() -> int:
        form_set = args.form_set or content.form_set_id(conn)
        data = content.tracking_book_data(conn, start, end)
        return _write(args, render_form("book", data, form_set), "sổ theo dõi hồ sơ")

    return _guard(run, args)


def cmd_print_procedure_form(args: argparse.Namespace, conn: sqlite3.Connection) -> int:
    def run() -> int:
        data = content.procedure_form_data(conn, args.form_id, args.dossier, args.procedure)
        what = data.title.lower() or args.form_id
        written = _write(args, render_procedure_form(data), what)
        if args.dossier:   # filled with the applicant's data
            record_disclosure(conn, args.dossier, args.actor, what, channel="pdf")
        return written

    return _guard(run, args)


def cmd_print_guidance(args: argparse.Namespace, conn: sqlite3.Connection) -> int:
    def run() -> int:
        data = content.guidance_data(conn, args.procedure_code)
        return _write(args, render_guidance(data), "tờ hướng dẫn")

    return _guard(run, args)
