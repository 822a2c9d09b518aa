"""A catalog procedure as one page of Qt rich text (no Qt here): facts, fees, the components table,
steps, legal basis and the guidance. Every catalog string is escaped; the guidance goes through the
catalog's safe Markdown renderer."""

from __future__ import annotations

import re

from motcua.catalog.fees import describe
from motcua.i18n import tr
from motcua.ui._adapters import Procedure, escape, guidance_html
from motcua.ui.intake.intake_state import kind_label

LEVELS = {
    "commune": "Cấp xã",
    "province": "Cấp tỉnh",
    "commune_receives_province_decides": "Cấp xã tiếp nhận, cấp tỉnh giải quyết",
}
FIELD_NAMES = {
    "code": "mã thủ tục", "name": "tên thủ tục", "field": "lĩnh vực", "level": "cấp thực hiện",
    "processing_time": "thời hạn giải quyết", "fees": "phí, lệ phí", "components": "thành phần hồ sơ",
    "sets": "số bộ hồ sơ", "channels": "cách thức thực hiện", "steps": "trình tự thực hiện", "result": "kết quả",
    "legal_basis": "căn cứ pháp lý", "publishing_decision": "quyết định công bố", "forms": "mẫu đơn, tờ khai",
    "effective_from": "ngày hiệu lực", "guidance": "hướng dẫn",
}
_DEMOTE = re.compile(r"<(/?)h[12]>")  # the guidance's own headings sit under "Hướng dẫn nghiệp vụ"
CHANNELS = {"desk": "Trực tiếp", "post": "Qua bưu chính", "online": "Trực tuyến"}
CSS = """  /* set as the QTextDocument's default style sheet (Qt ignores most of an inline <style>) */
p.title { font-size: 15pt; font-weight: bold; margin: 0 0 4px 0; }
h2 { font-size: 13pt; margin: 14px 0 4px 0; color: #0d47a1; }
h3 { font-size: 12pt; margin: 10px 0 2px 0; }
td, th { padding: 3px 6px; vertical-align: top; }
th { background: #eceff1; text-align: left; }
.facts td.k { color: #444; white-space: nowrap; }
.warn { color: #8a4b00; }
"""


def money(amount: int | None) -> str:
    if amount is None:
        return tr("chưa xác định")
    if amount == 0:
        return tr("miễn")
    return f"{amount:,}".replace(",", ".") + " đ"


def _fees(procedure: Procedure) -> str:
    if not procedure.fees:
        return tr("Không thu phí, lệ phí")
    items = []
    for fee in procedure.fees:
        known_rate = fee.proportional or (fee.counted and fee.amount_vnd is not None)
        amount = describe(fee) if known_rate else money(fee.amount_vnd)
        text = f"{escape(fee.name)}: <b>{escape(amount)}</b>"
        if fee.note:
            text += f"<br/><i>{escape(fee.note)}</i>"
        if fee.needs_confirmation:
            text += f" <span class='warn'>({escape(tr('cần tỉnh xác nhận'))})</span>"
        items.append(text)
    return "<br/>".join(items)


def _facts(procedure: Procedure) -> str:
    time = procedure.processing_time
    rows = [
        (tr("Mã thủ tục"), escape(procedure.code) + escape(tr(" (phiên bản {v})", v=procedure.version))),
        (tr("Lĩnh vực"), escape(f"{procedure.field} — {procedure.sector}")),
        (tr("Cấp thực hiện"), escape(tr(LEVELS.get(procedure.level, procedure.level)))),
        (tr("Thời hạn giải quyết"), f"<b>{escape(time.text)}</b>"),
        (tr("Phí, lệ phí"), _fees(procedure)),
        (tr("Cách thức thực hiện"), escape(", ".join(tr(CHANNELS.get(c, c)) for c in procedure.channels))),
        (tr("Số bộ hồ sơ"), str(procedure.sets)),
        (tr("Kết quả"), escape(procedure.result)),
    ]
    if procedure.publishing_decision:
        rows.append((tr("Quyết định công bố"), escape(procedure.publishing_decision)))
    body = "".join(f"<tr><td class='k'>{escape(k)}</td><td>{v}</td></tr>" for k, v in rows)
    return f"<table class='facts' cellspacing='0'>{body}</table>"


def _components(procedure: Procedure) -> str:
    head = "".join(f"<th>{escape(h)}</th>" for h in
                   (tr("STT"), tr("Thành phần hồ sơ"), tr("Loại bản"), tr("Số bản"), tr("Bắt buộc")))
    rows = []
    for number, comp in enumerate(procedure.components, 1):
        name = escape(comp.name) + (f"<br/><i>{escape(comp.note)}</i>" if comp.note else "")
        if comp.condition:
            required = comp.condition if comp.required else tr("Khi có")
        else:
            required = tr("Có") if comp.required else tr("Khi có")
        rows.append(f"<tr><td>{number}</td><td>{name}</td><td>{escape(kind_label(comp.kind))}</td>"
                    f"<td align='center'>{comp.copies}</td><td>{escape(required)}</td></tr>")
    return f"<table border='1' cellspacing='0' width='100%'><tr>{head}</tr>{''.join(rows)}</table>"


def procedure_page(procedure: Procedure) -> str:
    parts = [f"<p class='title'>{escape(procedure.name)}</p>", _facts(procedure),
             f"<h2>{escape(tr('Thành phần hồ sơ'))}</h2>", _components(procedure)]
    if procedure.steps:
        steps = "".join(f"<li>{escape(step)}</li>" for step in procedure.steps)
        parts.append(f"<h2>{escape(tr('Trình tự thực hiện'))}</h2><ol>{steps}</ol>")
    if procedure.legal_basis:
        basis = "".join(f"<li>{escape(item)}</li>" for item in procedure.legal_basis)
        parts.append(f"<h2>{escape(tr('Căn cứ pháp lý'))}</h2><ul>{basis}</ul>")
    if procedure.guidance.strip():
        guidance = _DEMOTE.sub(r"<\1h3>", guidance_html(procedure.guidance))
        parts.append(f"<h2>{escape(tr('Hướng dẫn nghiệp vụ'))}</h2>{guidance}")
    pending = [tr(FIELD_NAMES.get(name, name)) for name in procedure.provenance.needs_confirmation]
    if pending:
        parts.append(f"<p class='warn'>{escape(tr('Thông tin cần tỉnh xác nhận: {items}.', items=', '.join(pending)))}"
                     "</p>")
    return "".join(parts)
