"""The access report on paper: what the desk holds about one ID number, for the citizen who asked.

The layout uses the forms package's page, fonts and national header. There is no official template for this
sheet in the catalog: the wording is the software's own, plain and descriptive, not a legal form.
"""

from __future__ import annotations

import sqlite3
from datetime import date

from reportlab.lib.units import mm
from reportlab.platypus import Flowable, Paragraph, Spacer, Table, TableStyle

from motcua.domain.clock import now, parse_moment
from motcua.forms.content import agency
from motcua.forms.dates import place_date_line
from motcua.forms.header import NationalHeader
from motcua.forms.layout import PORTRAIT, build_pdf, esc, styles
from motcua.i18n import tr
from motcua.privacy.access import AccessReport, HeldDossier

_FIELDS = (("name", "Họ và tên"), ("id_number", "Số định danh"), ("phone", "Số điện thoại"), ("email", "Thư điện tử"),
           ("address", "Địa chỉ"))


def _moment(text: str) -> str:
    if not text:
        return ""
    moment = parse_moment(text)
    return f"{moment:%H:%M %d/%m/%Y}"


def _table(rows: list[list[str]], widths: list[float], head: bool = True) -> Table:
    s = styles(11)
    cells = [[Paragraph(esc(c), s.cell_head if head and i == 0 else s.cell) for c in row] for i, row in enumerate(rows)]
    table = Table(cells, colWidths=widths, repeatRows=1 if head else 0)
    table.setStyle(TableStyle([("GRID", (0, 0), (-1, -1), 0.4, "#000000"), ("VALIGN", (0, 0), (-1, -1), "TOP")]))
    return table


def _dossier(held: HeldDossier, width: float) -> list[Flowable]:
    s = styles(12)
    out: list[Flowable] = [Spacer(1, 4 * mm), Paragraph(
        f"<b>{esc(tr('Hồ sơ {code}', code=held.code or held.id))}</b> — {esc(held.procedure)}", s.body)]
    facts = [[tr(label), held.applicant.get(key, "")] for key, label in _FIELDS if held.applicant.get(key)]
    facts += [[tr("Trạng thái"), held.status], [tr("Tiếp nhận"), _moment(held.received_at)],
              [tr("Hẹn trả"), _moment(held.due_at)]]
    if held.summary:
        facts.append([tr("Nội dung"), held.summary])
    if held.documents:
        facts.append([tr("Giấy tờ nộp"), "; ".join(held.documents)])
    if held.files:
        facts.append([tr("Tệp đã quét"), "; ".join(f"{f.name} ({f.size // 1024} KB)" for f in held.files)])
    facts.append([tr("Gửi lên hệ thống của tỉnh"), tr("Có") if held.sent_to_hub else tr("Chưa")])
    out.append(_table(facts, [0.28 * width, 0.72 * width], head=False))
    out.append(Spacer(1, 2 * mm))
    rows = [[tr("Thời điểm"), tr("Người thực hiện"), tr("Thao tác"), tr("Nội dung")]]
    rows += [[_moment(e.at), e.actor, e.action, e.detail] for e in held.timeline]
    out.append(_table(rows, [0.2 * width, 0.2 * width, 0.22 * width, 0.38 * width]))
    return out


def render_access_pdf(conn: sqlite3.Connection, report: AccessReport, issued_on: date | None = None) -> bytes:
    issuer = agency(conn)
    s = styles(12)
    width = PORTRAIT.text_width
    story: list[Flowable] = [
        NationalHeader((issuer.parent_name, issuer.name), "", place_date_line(issuer.place, issued_on or now().date())),
        Spacer(1, 6 * mm),
        Paragraph(esc(tr("THÔNG TIN CÁ NHÂN ĐANG ĐƯỢC LƯU GIỮ")), s.title),
        Paragraph(esc(tr("của người có số định danh {n}", n=report.id_number)), s.subtitle),
        Spacer(1, 3 * mm),
        Paragraph(esc(tr("Bộ phận Một cửa lưu giữ {count} hồ sơ có thông tin của người này. Với mỗi hồ sơ: thông tin "
                         "cá nhân, giấy tờ, tệp đã quét, các thao tác đã thực hiện (ai, khi nào, kể cả mỗi lần in "
                         "hoặc xuất dữ liệu), và việc đã gửi lên hệ thống của tỉnh hay chưa.",
                         count=len(report.dossiers))), s.body),
    ]
    for held in report.dossiers:
        story += _dossier(held, width)
    return build_pdf(story, page=PORTRAIT, title=tr("Thông tin cá nhân đang được lưu giữ"),
                     subject=report.id_number)
