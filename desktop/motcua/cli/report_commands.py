"""``motcua report``: the period's statistics as a table, JSON, Excel or PDF, and the codes behind a number."""

from __future__ import annotations

import argparse
import sqlite3
from pathlib import Path

from motcua.cli.common import add_command
from motcua.cli.output import OK, REFUSED, STORE_PROBLEM, emit_json, fail, say
from motcua.domain.clock import now, parse_day
from motcua.i18n import tr
from motcua.reports.figures import COMPOSITES, FLAGS, Report, compute_report, dossier_codes
from motcua.reports.layout import cell_text, columns, total_label, unnamed_field
from motcua.reports.payload import report_payload
from motcua.reports.period import Period, PeriodError, custom, parse_period, settle
from motcua.reports.verify import verify_timelines


def register(sub: argparse._SubParsersAction) -> None:
    p = add_command(sub, "report", cmd_report, "thống kê, báo cáo tình hình giải quyết hồ sơ theo kỳ")
    p.add_argument("--period", help="kỳ báo cáo: 2026-02 (tháng), 2026-Q1 (quý), 2026-H1 (6 tháng), 2026 (năm) "
                                    "theo lịch; ky:2026-02, ky:2026-Q1, ky:2026-H1, ky:2026 theo kỳ chốt số liệu "
                                    "(15 tháng trước – 14)")
    p.add_argument("--from", dest="date_from", help="từ ngày (YYYY-MM-DD), dùng cùng --to")
    p.add_argument("--to", dest="date_to", help="đến ngày (YYYY-MM-DD), tính cả ngày này")
    p.add_argument("--field", help="chỉ một lĩnh vực, ví dụ «Hộ tịch»")
    p.add_argument("--procedure", help="chỉ một thủ tục (mã), ví dụ 1.001193")
    p.add_argument("--months", action="store_true", help="thêm số liệu từng tháng trong kỳ")
    p.add_argument("--xlsx", type=Path, help="ghi báo cáo ra tệp Excel (.xlsx)")
    p.add_argument("--pdf", type=Path, help="ghi báo cáo ra tệp PDF theo thể thức văn bản")
    p.add_argument("--codes", metavar="LOẠI", choices=[*FLAGS, *COMPOSITES],
                   help="liệt kê mã hồ sơ của một số liệu, ví dụ pending_overdue, resolved_late")
    p.add_argument("--payload", action="store_true", help="in gói số liệu gửi tỉnh (JSON)")
    p.add_argument("--verify", action="store_true",
                   help="đối chiếu dòng thời gian của từng hồ sơ với việc dựng lại từ nhật ký sự kiện")


def _period(args: argparse.Namespace) -> Period:
    """The period asked for, settled at now: an unfinished one counted to now, a future one refused."""
    return settle(_asked_period(args), now())


def _asked_period(args: argparse.Namespace) -> Period:
    if args.period and (args.date_from or args.date_to):
        raise PeriodError(tr("Dùng --period hoặc --from/--to, không dùng cả hai."))
    if args.period:
        return parse_period(args.period)
    if args.date_from and args.date_to:
        try:
            return custom(parse_day(args.date_from), parse_day(args.date_to))
        except ValueError as exc:
            raise PeriodError(str(exc)) from None
    raise PeriodError(tr("Chọn kỳ báo cáo: --period 2026-02 | 2026-Q1 | 2026, hoặc --from D --to D."))


def cmd_report(args: argparse.Namespace, conn: sqlite3.Connection) -> int:
    if args.verify:
        return _verify(args, conn)
    try:
        period = _period(args)
    except PeriodError as exc:
        return fail(str(exc), as_json=args.json, code=REFUSED)
    if args.payload:
        emit_json(report_payload(conn, period))
        return OK
    scope = {"field_name": args.field, "procedure_code": args.procedure}
    if args.codes:
        codes = dossier_codes(conn, period, args.codes, **scope)
        if args.json:
            emit_json({"period": period.key, "category": args.codes, "codes": codes})
        else:
            for code in codes:
                say(code)
        return OK
    report = compute_report(conn, period, with_months=args.months, **scope)
    written = _exports(args, conn, report)
    if args.json:
        emit_json(_as_json(report, written))
    else:
        _print(report)
        for path in written:
            say(tr("Đã ghi {path}", path=str(path)))
    return OK


def _verify(args: argparse.Namespace, conn: sqlite3.Connection) -> int:
    differing = verify_timelines(conn)
    if args.json:
        emit_json({"ok": not differing, "differing": differing})
    elif differing:
        say(tr("{n} hồ sơ có số liệu báo cáo khác với nhật ký sự kiện:", n=len(differing)))
        for dossier_id in differing:
            say(f"  {dossier_id}")
    else:
        say(tr("Số liệu báo cáo khớp với nhật ký sự kiện của mọi hồ sơ."))
    return OK if not differing else STORE_PROBLEM


def _exports(args: argparse.Namespace, conn: sqlite3.Connection, report: Report) -> list[Path]:
    written = []
    if args.xlsx:
        from motcua.reports.xlsx import export_xlsx
        from motcua.store.settings import get_settings

        settings = get_settings(conn)
        written.append(export_xlsx(report, args.xlsx, settings.agency_name or settings.commune_name))
    if args.pdf:
        from motcua.reports.pdf import export_pdf

        written.append(export_pdf(conn, report, args.pdf))
    return written


def _as_json(report: Report, written: list[Path]) -> dict[str, object]:
    return {
        "period": {"key": report.period.key, "label": report.period.label,
                   "first": report.period.first.isoformat(), "last": report.period.last.isoformat()},
        "field": report.field_name, "procedure": report.procedure_code,
        "totals": report.total.to_dict(),
        "by_field": [{"field": name, **f.to_dict()} for name, f in report.by_field],
        "by_procedure": [{"procedure": code, "name": report.procedure_names.get(code, ""), **f.to_dict()}
                         for code, f in report.by_procedure],
        "months": [{"period": p.key, **f.to_dict()} for p, f in report.months],
        "fees_collected": report.fees.amount, "payments": report.fees.payments,
        "files": [str(p) for p in written],
    }


def _print(report: Report) -> None:
    say(tr("Báo cáo tình hình giải quyết hồ sơ — {label}", label=report.period.label))
    if report.field_name:
        say(tr("Lĩnh vực: {name}", name=report.field_name))
    if report.procedure_code:
        say(tr("Thủ tục: {code}", code=report.procedure_code))
    figures = report.total
    lines = [
        (tr("Tổng số hồ sơ nhận giải quyết"), figures.received),
        ("  " + tr("Kỳ trước chuyển qua"), figures.carried_over),
        ("  " + tr("Mới tiếp nhận trực tiếp"), figures.new_desk),
        ("  " + tr("Mới tiếp nhận trực tuyến"), figures.new_online),
        ("  " + tr("Mới tiếp nhận qua bưu chính"), figures.new_post),
        (tr("Đã giải quyết"), figures.resolved),
        ("  " + tr("Trước hạn"), figures.resolved_early),
        ("  " + tr("Đúng hạn"), figures.resolved_on_time),
        ("  " + tr("Quá hạn"), figures.resolved_late),
        (tr("Công dân rút hồ sơ"), figures.withdrawn),
        (tr("Dừng xử lý"), figures.stopped),
        (tr("Đang giải quyết cuối kỳ"), figures.pending),
        ("  " + tr("Trong hạn"), figures.pending_in_time),
        ("  " + tr("Quá hạn"), figures.pending_overdue),
    ]
    for label, value in lines:
        say(f"{label:<34}{value:>8}")
    rate = columns()[-1]
    say(f"{tr('Tỉ lệ giải quyết đúng hạn (%)'):<34}{cell_text(figures, rate):>8}")
    fees = f"{report.fees.amount:,}".replace(",", ".") + " đ"
    say(f"{tr('Phí, lệ phí đã thu'):<34}{fees:>16}  " + tr("({n} lần nộp)", n=report.fees.payments))
    if report.by_field:
        say("")
        say(f"{tr('Lĩnh vực'):<34}{tr('Nhận'):>8}{tr('Đã GQ'):>8}{tr('Đang GQ'):>8}{tr('Đúng hạn %'):>12}")
        for name, f in [*report.by_field, (total_label(), report.total)]:
            say(f"{(name or unnamed_field())[:33]:<34}{f.received:>8}{f.resolved:>8}{f.pending:>8}"
                f"{cell_text(f, rate):>12}")
    if report.months:
        say("")
        say(f"{tr('Tháng'):<34}{tr('Mới'):>8}{tr('Đã GQ'):>8}{tr('Đang GQ'):>8}")
        for period, f in report.months:
            say(f"{period.label:<34}{f.new:>8}{f.resolved:>8}{f.pending:>8}")
