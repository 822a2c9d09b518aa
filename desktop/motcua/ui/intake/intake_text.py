"""Rich text the intake wizard shows (no Qt): a procedure's key facts, and the summary of an intake."""

from __future__ import annotations

from motcua.catalog.fees import charge_all, describe, quantity_text, vnd
from motcua.i18n import tr
from motcua.ui._adapters import Procedure, escape
from motcua.ui.intake.intake_state import IntakeState, kind_label


def procedure_facts(procedure: Procedure) -> str:
    """Name, code, field, processing time, fees and the number of components."""
    required = sum(1 for c in procedure.components if c.required)
    return tr("<b>{name}</b><br/>Mã {code} · {field} · Thời hạn: {time}<br/>Phí, lệ phí: {fees} · "
              "{n} thành phần hồ sơ ({r} bắt buộc)",
              name=escape(procedure.name), code=escape(procedure.code), field=escape(procedure.field),
              time=escape(tr("chưa xác định — cần tỉnh xác nhận, chưa tiếp nhận được")
                          if procedure.time_unset else procedure.processing_time.text),
              fees=escape(fees_text(procedure)),
              n=len(procedure.components), r=required)


def fees_text(procedure: Procedure, quantities: list[list[int]] | None = None) -> str:
    """The fees as rates (no quantities given) or as charged for the quantities typed at intake."""
    if not [f for f in procedure.fees if f.amount_vnd != 0]:
        return tr("không thu")
    if quantities is None:
        return "; ".join(f"{f.name}: {describe(f)}" for f in procedure.fees)
    charges = charge_all(procedure.fees, {n - 1: (u, g) for n, u, g in quantities})
    parts = []
    for fee, item in zip(procedure.fees, charges, strict=True):
        counted = quantity_text(item, fee)
        amount = describe(fee) if item.amount_vnd is None else vnd(item.amount_vnd)
        parts.append(f"{fee.name}{f' ({counted})' if counted else ''}: {amount}")
    return "; ".join(parts)


def intake_summary(state: IntakeState, procedure: Procedure | None, *, with_applicant: bool,
                   return_place: str = "") -> str:
    """What has been entered so far, to check at a glance (beside the applicant, and before saving)."""
    docs = [d for d in state.documents if d.received]
    rows = [(tr("Thủ tục"), f"{escape(state.procedure_name)} ({escape(state.procedure_code)})")]
    if procedure is not None:
        rows.append((tr("Thời hạn"), escape(procedure.processing_time.text)))
    if with_applicant:
        who = " — ".join(escape(v) for v in (state.name, state.id_number, state.phone) if v)
        rows.append((tr("Người nộp"), who or "—"))
        if state.address:
            rows.append((tr("Địa chỉ"), escape(state.address)))
        if state.summary.strip():
            rows.append((tr("Trích yếu"), escape(state.summary.strip())))
    items = "".join(f"<li>{escape(d.name)} <i>({escape(tr('{kind}, {n} bản', kind=kind_label(d.kind), n=d.copies))})"
                    f"</i></li>" for d in docs)
    rows.append((tr("Giấy tờ đã nhận"), tr("{n} giấy tờ, {sets} bộ hồ sơ", n=len(docs), sets=state.sets)
                 + (f"<ul style='margin:0'>{items}</ul>" if items else "")))
    if with_applicant and procedure is not None:
        rows.append((tr("Phí, lệ phí"), escape(fees_text(procedure, state.fee_quantities))))
    if return_place:
        rows.append((tr("Nơi trả kết quả"), escape(return_place)))
    body = "".join(f"<tr><td style='padding:2px 8px 2px 0'><b>{k}:</b></td><td style='padding:2px 0'>{v}</td></tr>"
                   for k, v in rows)
    return f"<table>{body}</table>"
