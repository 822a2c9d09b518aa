"""The statistics page: pick a period, read the table, see bars per field and the monthly trend, and
drill from any number down to the dossier codes behind it.

Self-contained: give it a read connection to the commune store; it emits ``drill_down(list[str])``
with the codes when a number (or a bar) is double-clicked / clicked, and the embedding window opens
the list. The arithmetic is ``motcua.reports`` (no Qt there); this module only shows it.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date
from html import escape
from pathlib import Path
from typing import Any

from PySide6.QtCore import (
    QAbstractTableModel,
    QDate,
    QModelIndex,
    QPersistentModelIndex,
    QPointF,
    QRectF,
    Qt,
    QUrl,
    Signal,
)
from PySide6.QtGui import QColor, QFont, QMouseEvent, QPainter, QPaintEvent, QPen
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QDateEdit,
    QFileDialog,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QPushButton,
    QSpinBox,
    QSplitter,
    QTableView,
    QToolButton,
    QVBoxLayout,
    QWidget,
)

from motcua.domain.clock import now
from motcua.i18n import tr
from motcua.reports.figures import Figures, Report, compute_report, dossier_codes, known_fields
from motcua.reports.layout import Column, cell_text, columns, total_label, unnamed_field
from motcua.reports.period import Period, PeriodError, custom, half_year, month, official, quarter, settle, year
from motcua.ui.qtcompat import emit
from motcua.ui.widgets import formatting

ALL_FIELDS = ""
# How the page runs its computation: runner(job, done) calls done(job()) — at once by default; the
# window may pass one that runs the job on a worker thread and calls done back on the GUI thread.
Runner = Callable[[Callable[[], Report], Callable[[Report], None]], None]


def run_now(job: Callable[[], Report], done: Callable[[Report], None]) -> None:
    done(job())

_KINDS = (("month", "Tháng"), ("quarter", "Quý"), ("half", "6 tháng"), ("year", "Năm"), ("custom", "Tùy chọn"))
_PALETTE = {"in_time": QColor("#2e7d32"), "late": QColor("#e65100"), "closed": QColor("#9e9e9e"),
            "pending": QColor("#1565c0"), "new": QColor("#1565c0"), "resolved": QColor("#2e7d32")}


# -- the table ------------------------------------------------------------------------------------
@dataclass(frozen=True)
class ReportRow:
    label: str
    field_name: str | None   # None: the total line
    figures: Figures


class ReportTableModel(QAbstractTableModel):
    """Rows: one per field and the total line; columns: the row's name, then the report's columns."""

    def __init__(self, parent: QWidget | None = None):
        super().__init__(parent)
        self._rows: list[ReportRow] = []
        self._columns: list[Column] = columns()

    def set_report(self, report: Report | None) -> None:
        self.beginResetModel()
        self._rows = []
        if report is not None:
            self._rows = [ReportRow(name or unnamed_field(), name, f) for name, f in report.by_field]
            self._rows.append(ReportRow(total_label(), None, report.total))
        self.endResetModel()

    def rowCount(self, parent: QModelIndex | QPersistentModelIndex = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self._rows)

    def columnCount(self, parent: QModelIndex | QPersistentModelIndex = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self._columns) + 1

    def row(self, number: int) -> ReportRow:
        return self._rows[number]

    def column(self, number: int) -> Column | None:
        return self._columns[number - 1] if number >= 1 else None

    def data(self, index: QModelIndex | QPersistentModelIndex, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid() or not (0 <= index.row() < len(self._rows)):
            return None
        row = self._rows[index.row()]
        column = self.column(index.column())
        if role == Qt.ItemDataRole.DisplayRole:
            return row.label if column is None else cell_text(row.figures, column)
        if role == Qt.ItemDataRole.TextAlignmentRole and column is not None:
            return int(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
        if role == Qt.ItemDataRole.FontRole and row.field_name is None:
            font = QFont()
            font.setBold(True)
            return font
        if role == Qt.ItemDataRole.ToolTipRole and column is not None:
            return tr("Nhấp đúp để xem danh sách hồ sơ")
        return None

    def headerData(self, section: int, orientation: Qt.Orientation,
                   role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if orientation != Qt.Orientation.Horizontal:
            return None
        column = self.column(section)
        if role == Qt.ItemDataRole.DisplayRole:
            return tr("Lĩnh vực") if column is None else column.screen_heading
        if role == Qt.ItemDataRole.ToolTipRole and column is not None:
            return f"{column.group} — {column.heading}" if column.group else column.heading
        return None


def category_of(column: Column) -> str:
    """What a column's number counts (a rate drills down to the resolved dossiers it is made of)."""
    return "resolved" if column.rate is not None else column.key


# -- the charts -----------------------------------------------------------------------------------
@dataclass(frozen=True)
class Bar:
    label: str
    key: str | None
    segments: tuple[tuple[int, QColor], ...]

    @property
    def total(self) -> int:
        return sum(v for v, _ in self.segments)


class FieldBars(QWidget):
    """Horizontal stacked bars per field: resolved in time, resolved late, withdrawn/stopped, pending."""

    bar_clicked = Signal(str)

    def __init__(self, parent: QWidget | None = None):
        super().__init__(parent)
        self.bars: list[Bar] = []
        self.setMinimumHeight(120)

    def set_rows(self, rows: list[tuple[str, Figures]]) -> None:
        self.bars = [Bar(name or unnamed_field(), name, (
            (f.resolved_early + f.resolved_on_time, _PALETTE["in_time"]), (f.resolved_late, _PALETTE["late"]),
            (f.closed, _PALETTE["closed"]), (f.pending, _PALETTE["pending"]))) for name, f in rows]
        self.setMinimumHeight(70 + 28 * len(self.bars))
        self.update()

    def _geometry(self) -> tuple[float, float, float]:
        label_w = min(220.0, self.width() * 0.35)
        return label_w, self.width() - label_w - 50, 28.0

    def bar_rect(self, index: int) -> QRectF:
        label_w, _, row_h = self._geometry()
        return QRectF(label_w, 10 + index * row_h, max(1.0, self.width() - label_w - 50), row_h - 8)

    def paintEvent(self, event: QPaintEvent) -> None:
        painter = QPainter(self)
        painter.setRenderHint(QPainter.RenderHint.Antialiasing)
        label_w, span, row_h = self._geometry()
        biggest = max((b.total for b in self.bars), default=0) or 1
        for index, bar in enumerate(self.bars):
            top = 10 + index * row_h
            painter.setPen(self.palette().text().color())
            # Long field names ("Thành lập và hoạt động của hộ kinh doanh") are elided, not cut at the edge.
            shown = painter.fontMetrics().elidedText(bar.label, Qt.TextElideMode.ElideRight, int(label_w - 8))
            painter.drawText(QRectF(0, top, label_w - 8, row_h - 8),
                             int(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter), shown)
            x = label_w
            for value, color in bar.segments:
                width = span * value / biggest
                painter.fillRect(QRectF(x, top, width, row_h - 8), color)
                x += width
            painter.drawText(QRectF(x + 4, top, 46, row_h - 8), int(Qt.AlignmentFlag.AlignVCenter), str(bar.total))
        legend = [(tr("Giải quyết đúng hạn"), _PALETTE["in_time"]), (tr("Giải quyết quá hạn"), _PALETTE["late"]),
                  (tr("Rút, dừng"), _PALETTE["closed"]), (tr("Đang giải quyết"), _PALETTE["pending"])]
        for number, (label, color) in enumerate(legend):  # two per line
            x, y = label_w + (number % 2) * 170, 14 + len(self.bars) * row_h + (number // 2) * 18
            painter.fillRect(QRectF(x, y, 10, 10), color)
            painter.drawText(QRectF(x + 14, y - 4, 150, 18), int(Qt.AlignmentFlag.AlignVCenter), label)
        painter.end()

    def mousePressEvent(self, event: QMouseEvent) -> None:
        _, _, row_h = self._geometry()
        index = int((event.position().y() - 10) // row_h)
        if 0 <= index < len(self.bars) and self.bars[index].key is not None:
            emit(self.bar_clicked, self.bars[index].key)
        super().mousePressEvent(event)


class MonthlyTrend(QWidget):
    """New and resolved dossiers per month as two lines with points, drawn with QPainter."""

    def __init__(self, parent: QWidget | None = None):
        super().__init__(parent)
        self.points: list[tuple[str, int, int]] = []
        self.setMinimumHeight(160)

    def set_months(self, months: list[tuple[Period, Figures]]) -> None:
        self.points = [(f"{p.first.month:02d}/{p.first.year % 100:02d}", f.new, f.resolved) for p, f in months]
        self.update()

    def paintEvent(self, event: QPaintEvent) -> None:
        painter = QPainter(self)
        painter.setRenderHint(QPainter.RenderHint.Antialiasing)
        left, right, top, bottom = 40.0, 12.0, 24.0, 24.0
        width, height = self.width() - left - right, self.height() - top - bottom
        text = self.palette().text().color()
        painter.setPen(QPen(text, 1))
        painter.drawLine(QPointF(left, top + height), QPointF(left + width, top + height))
        painter.drawLine(QPointF(left, top), QPointF(left, top + height))
        biggest = max((max(n, r) for _, n, r in self.points), default=0) or 1
        painter.drawText(QRectF(0, top - 8, left - 4, 16), int(Qt.AlignmentFlag.AlignRight), str(biggest))
        step = width / max(1, len(self.points))
        for series, color in ((1, _PALETTE["new"]), (2, _PALETTE["resolved"])):
            painter.setPen(QPen(color, 2))
            previous: QPointF | None = None
            for index, point in enumerate(self.points):
                value = point[series]
                assert isinstance(value, int)
                here = QPointF(left + step * (index + 0.5), top + height - height * value / biggest)
                if previous is not None:
                    painter.drawLine(previous, here)
                painter.drawEllipse(here, 3, 3)
                previous = here
        painter.setPen(text)
        for index, (label, _, _) in enumerate(self.points):
            painter.drawText(QRectF(left + step * index, top + height + 4, step, 16),
                             int(Qt.AlignmentFlag.AlignHCenter), label)
        legend = [(tr("Mới tiếp nhận"), _PALETTE["new"]), (tr("Đã giải quyết"), _PALETTE["resolved"])]
        x = left
        for label, color in legend:
            painter.fillRect(QRectF(x, 4, 10, 10), color)
            painter.drawText(QRectF(x + 14, 0, 150, 18), int(Qt.AlignmentFlag.AlignVCenter), label)
            x += 160
        painter.end()


# -- the page -------------------------------------------------------------------------------------
class ReportsPage(QWidget):
    """Period picker, figures table, bars per field, monthly trend; drill-down to dossier codes."""

    drill_down = Signal(list)

    def __init__(self, conn: sqlite3.Connection, parent: QWidget | None = None, *, unit_name: str = "",
                 runner: Runner | None = None):
        super().__init__(parent)
        self.conn = conn
        self.unit_name = unit_name
        self.runner: Runner = runner or run_now
        self.report: Report | None = None
        self._generation = 0
        today = now().date()

        self.kind = QComboBox()
        for key, label in _KINDS:
            self.kind.addItem(tr(label), key)
        self.year = QSpinBox()
        self.year.setRange(2000, 2100)
        self.year.setValue(today.year)
        self.part = QComboBox()
        self.date_from = QDateEdit(QDate(today.year, today.month, 1))
        self.date_to = QDateEdit(QDate(today.year, today.month, today.day))
        for edit in (self.date_from, self.date_to):
            edit.setCalendarPopup(True)
            edit.setDisplayFormat("dd/MM/yyyy")
        self.official = QCheckBox(tr("Kỳ chốt số liệu (15 tháng trước – 14)"))
        self.official.setObjectName("officialPeriod")
        self.official.setToolTip(tr("Báo cáo định kỳ chốt số liệu từ ngày 15 tháng trước đến ngày 14 tháng báo cáo; "
                                    "bỏ chọn để xem theo tháng, quý, năm dương lịch."))
        self.field = QComboBox()
        self.summary = QLabel()
        self.summary.setWordWrap(True)
        self.summary.setTextFormat(Qt.TextFormat.RichText)
        export_xlsx = QPushButton(tr("Xuất Excel…"))
        export_pdf = QPushButton(tr("Xuất PDF…"))

        # Two short rows, not one long one: the page fits 1024 px at 125 % without scrolling sideways.
        picker = QHBoxLayout()
        filters = QHBoxLayout()
        self._labels: dict[QWidget, QLabel] = {}
        for row, label, widget in ((picker, tr("&Kỳ báo cáo"), self.kind), (picker, tr("&Năm"), self.year),
                                   (picker, "", self.part), (picker, "", self.official),
                                   (picker, tr("&Từ ngày"), self.date_from), (picker, tr("đến ngà&y"), self.date_to),
                                   (filters, tr("&Lĩnh vực"), self.field)):
            if label:
                self._labels[widget] = QLabel(label)
                self._labels[widget].setBuddy(widget)
                row.addWidget(self._labels[widget])
            row.addWidget(widget)
        picker.addStretch(1)
        filters.addStretch(1)
        filters.addWidget(export_xlsx)
        filters.addWidget(export_pdf)

        self.model = ReportTableModel(self)
        self.table = QTableView()
        self.table.setModel(self.model)
        self.table.setSelectionBehavior(QTableView.SelectionBehavior.SelectItems)
        self.table.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
        self.table.horizontalHeader().setDefaultAlignment(Qt.AlignmentFlag.AlignCenter)
        self.table.verticalHeader().setVisible(False)
        self.bars = FieldBars()
        self.trend = MonthlyTrend()
        self.charts = QSplitter(Qt.Orientation.Horizontal)
        self.charts.addWidget(self.bars)
        self.charts.addWidget(self.trend)
        self.charts.setMinimumHeight(220)
        self.charts_button = QToolButton()
        self.charts_button.setText(tr("Biểu đồ"))
        self.charts_button.setCheckable(True)
        self.charts_button.setToolButtonStyle(Qt.ToolButtonStyle.ToolButtonTextBesideIcon)
        self.charts_button.setArrowType(Qt.ArrowType.RightArrow)
        self.charts_button.setToolTip(tr("Hiện hoặc ẩn biểu đồ theo lĩnh vực và theo tháng"))
        self.charts_button.toggled.connect(self.show_charts)
        self.charts.hide()  # the table leads; the charts open on request
        self.export_note = QLabel()
        self.export_note.setObjectName("muted")
        self.export_note.setWordWrap(True)
        self.export_note.setTextInteractionFlags(Qt.TextInteractionFlag.TextBrowserInteraction)
        self.export_note.setOpenExternalLinks(True)
        self.export_note.hide()

        layout = QVBoxLayout(self)
        layout.addLayout(picker)
        layout.addLayout(filters)
        layout.addWidget(self.summary)
        layout.addWidget(self.export_note)
        layout.addWidget(self.table, 1)
        layout.addWidget(self.charts_button, 0, Qt.AlignmentFlag.AlignLeft)
        layout.addWidget(self.charts)

        self._loading = True
        self.kind.currentIndexChanged.connect(self._kind_changed)
        for signal in (self.year.valueChanged, self.part.currentIndexChanged, self.date_from.dateChanged,
                       self.date_to.dateChanged, self.field.currentIndexChanged, self.official.toggled):
            signal.connect(self.refresh)
        self.table.doubleClicked.connect(self._cell_activated)
        self.bars.bar_clicked.connect(lambda name: self.drill(name, "received"))
        export_xlsx.clicked.connect(self._ask_xlsx)
        export_pdf.clicked.connect(self._ask_pdf)
        self._loading = True
        self._load_fields()
        self._apply_kind()
        self.part.setCurrentIndex(today.month - 1)
        self._loading = False
        self.refresh()

    # -- period ----------------------------------------------------------------------------------
    def _apply_kind(self) -> None:
        kind = self.kind.currentData()
        self.part.clear()
        if kind == "month":
            for number in range(1, 13):
                self.part.addItem(tr("Tháng {m}", m=number), number)
        elif kind == "quarter":
            for number, roman in enumerate(("I", "II", "III", "IV"), start=1):
                self.part.addItem(tr("Quý {q}", q=roman), number)
        elif kind == "half":
            self.part.addItem(tr("6 tháng đầu năm"), 1)
            self.part.addItem(tr("6 tháng cuối năm"), 2)
        for widget, shown in ((self.part, kind in ("month", "quarter", "half")), (self.year, kind != "custom"),
                              (self.official, kind != "custom"),
                              (self.date_from, kind == "custom"), (self.date_to, kind == "custom")):
            widget.setVisible(shown)
            if widget in self._labels:
                self._labels[widget].setVisible(shown)

    def _kind_changed(self) -> None:
        loading, self._loading = self._loading, True
        self._apply_kind()
        self._loading = loading
        self.refresh()

    def period(self) -> Period:
        """The chosen period (official cut-off when ticked), settled at now: an unfinished one is counted
        to now; one not begun raises ``PeriodError``."""
        chosen = self._chosen()
        if self.official.isChecked() and chosen.kind in ("month", "quarter", "half", "year"):
            chosen = official(chosen)
        return settle(chosen, now())

    def _chosen(self) -> Period:
        kind = self.kind.currentData()
        if kind == "month":
            return month(self.year.value(), int(self.part.currentData() or 1))
        if kind == "quarter":
            return quarter(self.year.value(), int(self.part.currentData() or 1))
        if kind == "half":
            return half_year(self.year.value(), int(self.part.currentData() or 1))
        if kind == "year":
            return year(self.year.value())
        first, last = self.date_from.date().toPython(), self.date_to.date().toPython()
        assert isinstance(first, date) and isinstance(last, date)
        return custom(min(first, last), max(first, last))

    def set_period(self, period: Period) -> None:
        """Show ``period`` (for the embedding window and tests)."""
        self._loading = True
        self.official.setChecked(period.official)
        kind = period.kind.removeprefix("official_")
        named = period.last if period.official else period.first
        self.kind.setCurrentIndex([k for k, _ in _KINDS].index(kind))
        self.year.setValue(named.year)
        if kind == "month":
            self.part.setCurrentIndex(named.month - 1)
        elif kind == "quarter":
            self.part.setCurrentIndex((named.month - 1) // 3)
        elif kind == "half":
            self.part.setCurrentIndex((named.month - 1) // 6)
        self.date_from.setDate(QDate(period.first.year, period.first.month, period.first.day))
        self.date_to.setDate(QDate(period.last.year, period.last.month, period.last.day))
        self._loading = False
        self.refresh()

    def _load_fields(self) -> None:
        loading, self._loading = self._loading, True
        self.field.clear()
        self.field.addItem(tr("Tất cả lĩnh vực"), ALL_FIELDS)
        for name in known_fields(self.conn):
            self.field.addItem(name or unnamed_field(), name)
        self._loading = loading

    def field_filter(self) -> str | None:
        value = self.field.currentData()
        return None if value in (None, ALL_FIELDS) else str(value)

    # -- figures ---------------------------------------------------------------------------------
    def reload(self) -> None:
        """After dossiers changed (the window's change-set): new fields, fresh figures."""
        current = self.field.currentData()
        self._load_fields()
        index = self.field.findData(current)
        loading, self._loading = self._loading, True
        self.field.setCurrentIndex(max(0, index))
        self._loading = loading
        self.refresh()

    def refresh(self) -> None:
        """Recompute for the chosen period and field (through ``runner``: in the background when the
        window supplies one) and show the result; a result overtaken by a newer request is dropped."""
        if self._loading:
            return
        try:
            period = self.period()
        except PeriodError as exc:  # a period not begun: nothing to count
            self._generation += 1
            self.report = None
            self.summary.setText(str(exc))
            return
        field_name = self.field_filter()
        self._generation += 1
        generation = self._generation

        def job() -> Report:
            return compute_report(self.conn, period, field_name=field_name,
                                  with_months=period.kind not in ("month", "official_month"))

        def done(report: Report) -> None:
            if generation == self._generation:
                self.show_report(report)

        self.runner(job, done)

    def show_report(self, report: Report) -> None:
        self.report = report
        period = report.period
        self.model.set_report(self.report)
        self.bars.set_rows(self.report.by_field)
        months = self.report.months or [(period, self.report.total)]
        self.trend.set_months(months)
        self.trend.setVisible(len(months) > 1)  # one month is not a trend: its figures are in the table
        total = self.report.total
        rate = cell_text(total, columns()[-1])
        today = now().date()
        if period.first <= today <= period.last:  # the period is still running: say what the figures are
            self.summary.setText(tr("<b>Kỳ đang diễn ra, số liệu tính đến hôm nay {today:%d/%m/%Y}.</b> ",
                                    today=today) + self._summary_text(report, rate))
        else:
            self.summary.setText(self._summary_text(report, rate))

    @staticmethod
    def _summary_text(report: Report, rate: str) -> str:
        period, total = report.period, report.total
        return escape(tr(
            "{label}: nhận giải quyết {received} hồ sơ (kỳ trước chuyển qua {carried}), đã giải quyết "
            "{resolved} (đúng hạn {rate}%), đang giải quyết {pending} (quá hạn {overdue}).",
            label=period.label, received=total.received, carried=total.carried_over, resolved=total.resolved,
            rate=rate, pending=total.pending, overdue=total.pending_overdue)
            + " " + tr("Phí, lệ phí đã thu: {amount} ({n} lần nộp).", amount=formatting.money(report.fees.amount),
                       n=report.fees.payments))

    def show_charts(self, shown: bool) -> None:
        self.charts.setVisible(shown)
        self.charts_button.setArrowType(Qt.ArrowType.DownArrow if shown else Qt.ArrowType.RightArrow)
        if self.charts_button.isChecked() != shown:
            self.charts_button.setChecked(shown)

    # -- drill-down ------------------------------------------------------------------------------
    def codes_at(self, row: int, column: int) -> list[str] | None:
        """The codes behind the number at (row, column) of the table; None for the name column."""
        target = self.model.column(column)
        if target is None or self.report is None:
            return None
        report_row = self.model.row(row)
        field_name = report_row.field_name if report_row.field_name is not None else self.field_filter()
        return dossier_codes(self.conn, self.report.period, category_of(target), field_name=field_name)

    def _cell_activated(self, index: QModelIndex) -> None:
        codes = self.codes_at(index.row(), index.column())
        if codes is not None:
            emit(self.drill_down, codes)

    def drill(self, field_name: str | None, category: str) -> None:
        if self.report is None:
            return
        emit(self.drill_down, dossier_codes(self.conn, self.report.period, category, field_name=field_name))

    # -- export ----------------------------------------------------------------------------------
    def export_xlsx(self, path: Path) -> Path:
        from motcua.reports.xlsx import export_xlsx

        assert self.report is not None
        return export_xlsx(self.report, path, self.unit_name)

    def export_pdf(self, path: Path) -> Path:
        from motcua.reports.pdf import export_pdf

        assert self.report is not None
        return export_pdf(self.conn, self.report, path)

    def _file_key(self) -> str:
        return self.report.period.key.replace(":", "-") if self.report is not None else "bao-cao"

    def _ask_xlsx(self) -> None:
        if self.report is None:
            return
        name, _ = QFileDialog.getSaveFileName(self, tr("Xuất Excel"), f"bao-cao-{self._file_key()}.xlsx",
                                              "Excel (*.xlsx)")
        if name:
            self.exported(self.export_xlsx(Path(name)))

    def _ask_pdf(self) -> None:
        if self.report is None:
            return
        name, _ = QFileDialog.getSaveFileName(self, tr("Xuất PDF"), f"bao-cao-{self._file_key()}.pdf", "PDF (*.pdf)")
        if name:
            self.exported(self.export_pdf(Path(name)))

    def exported(self, path: Path) -> None:
        """Say where the file went, with a link to its folder."""
        folder = QUrl.fromLocalFile(str(path.resolve().parent)).toString()
        self.export_note.setText(tr("Đã lưu báo cáo vào tệp <b>{path}</b> — <a href=\"{folder}\">mở thư mục</a>",
                                    path=escape(str(path.resolve())), folder=escape(folder)))
        self.export_note.show()
