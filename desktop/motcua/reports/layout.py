"""The report table's columns, headings and row labels: one layout for Excel, PDF, the CLI and the page.

Columns are either counts (``FLAGS`` of ``reports.figures``) or totals/rates derived from them; each
derived column names its parts, so Excel can write it as a formula and the PDF as a number.
"""

from __future__ import annotations

from dataclasses import dataclass

from motcua.i18n import tr
from motcua.reports.figures import Figures


@dataclass(frozen=True)
class Column:
    key: str                       # a flag, a composite, or "on_time_rate"
    heading: str                   # the column's own heading
    group: str = ""                # the heading spanning it ('' = stands alone)
    parts: tuple[str, ...] = ()    # for totals: the columns it adds up
    rate: tuple[tuple[str, ...], str] | None = None  # for rates: (numerator columns, denominator column)
    short: str = ""                # a compact heading for screens (two lines at most)

    @property
    def screen_heading(self) -> str:
        return self.short or self.heading


def columns() -> list[Column]:
    received, resolved, pending = tr("Số hồ sơ nhận giải quyết"), tr("Số hồ sơ đã giải quyết"), tr(
        "Số hồ sơ đang giải quyết")
    closed = tr("Rút, dừng xử lý")
    return [
        Column("received", tr("Tổng số"), received, parts=("carried_over", "new_desk", "new_online", "new_post"),
               short=tr("Nhận\ngiải quyết")),
        Column("carried_over", tr("Kỳ trước chuyển qua"), received, short=tr("Kỳ trước\nchuyển qua")),
        Column("new_desk", tr("Mới tiếp nhận trực tiếp"), received, short=tr("Mới nhận\ntrực tiếp")),
        Column("new_online", tr("Mới tiếp nhận trực tuyến"), received, short=tr("Mới nhận\ntrực tuyến")),
        Column("new_post", tr("Mới tiếp nhận qua bưu chính"), received, short=tr("Mới nhận\nbưu chính")),
        Column("resolved", tr("Tổng số"), resolved, parts=("resolved_early", "resolved_on_time", "resolved_late"),
               short=tr("Đã\ngiải quyết")),
        Column("resolved_early", tr("Trước hạn"), resolved, short=tr("GQ\ntrước hạn")),
        Column("resolved_on_time", tr("Đúng hạn"), resolved, short=tr("GQ\nđúng hạn")),
        Column("resolved_late", tr("Quá hạn"), resolved, short=tr("GQ\nquá hạn")),
        Column("withdrawn", tr("Công dân rút hồ sơ"), closed, short=tr("Rút\nhồ sơ")),
        Column("stopped", tr("Dừng xử lý"), closed, short=tr("Dừng\nxử lý")),
        Column("pending", tr("Tổng số"), pending, parts=("pending_in_time", "pending_overdue"),
               short=tr("Đang\ngiải quyết")),
        Column("pending_in_time", tr("Trong hạn"), pending, short=tr("Đang GQ\ntrong hạn")),
        Column("pending_overdue", tr("Quá hạn"), pending, short=tr("Đang GQ\nquá hạn")),
        Column("on_time_rate", tr("Tỉ lệ giải quyết đúng hạn (%)"),
               rate=(("resolved_early", "resolved_on_time"), "resolved"), short=tr("Đúng hạn\n(%)")),
    ]


def title() -> str:
    return tr("BÁO CÁO")


def subtitle() -> str:
    return tr("Tình hình, kết quả giải quyết thủ tục hành chính")


def first_heading() -> tuple[str, str]:
    """The two leading columns: number and what the row is (a field, a procedure, a month)."""
    return tr("STT"), tr("Lĩnh vực")


def total_label() -> str:
    return tr("Tổng cộng")


def unnamed_field() -> str:
    return tr("(Chưa phân lĩnh vực)")


def percent(rate: float | None) -> str:
    """52.5 % as «52,5» (Vietnamese decimal comma); «–» when there is nothing to rate."""
    if rate is None:
        return "–"
    return f"{rate * 100:.1f}".replace(".", ",")


def count_text(value: int) -> str:
    """1234567 as «1.234.567» (Vietnamese thousands separator)."""
    return f"{value:,}".replace(",", ".")


def value_of(figures: Figures, column: Column) -> int | float | None:
    if column.rate is not None:
        return figures.on_time_rate
    return figures.value(column.key)


def cell_text(figures: Figures, column: Column) -> str:
    value = value_of(figures, column)
    if column.rate is not None:
        return percent(value if value is None else float(value))
    return count_text(int(value or 0))
