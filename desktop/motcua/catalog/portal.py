"""The national portal's procedure detail JSON → catalog entries.

The portal (dichvucong.gov.vn) serves each procedure to citizens as one JSON object: `code`, `name`,
`executionMethods` (per channel: `processingTime`, `processingTimeUnit`, `fees` with `type`, `value`,
`description`), `cases` (per case: `processingDay`), `executionCases` (per case: `name` and
`profileComponents` with `originalQty`, `copyQty`, `attachments`), `executionSteps`,
`requirementsAndConditions`, `resultsDetails`, `legalBasisesDetails`, `categoriesDetails`, `isWard` /
`isProvince`, `executingAgencies`, `departmentPromulgateName`, `procedureProposal`. Public crawls keep it
as served (duynghiaqn/Crawler-TTHC, `data/details/<id>.json`).

The same rules as the flattened records (motcua.catalog.national): the direct channel's time first, the
case times kept and flagged when they differ; a fee "theo quy định" of the council or of the fee law is
an amount to confirm; papers per case carry the case as their condition; nothing the record leaves out
is filled in.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from typing import Any

from motcua.catalog.mapping import parse_code
from motcua.catalog.national import (
    Parts,
    _kind,
    _short,
    _split_condition,
    assemble,
    nfc,
    province_body_only,
    time_how_note,
)

PORTAL_URL = "https://dichvucong.gov.vn/p/home/dvc-tthc-thu-tuc.html?ma_thu_tuc={code}"
METHODS = {"DIRECT": "Trực tiếp", "POSTAL": "Dịch vụ bưu chính", "ONLINE": "Trực tuyến"}
CHANNELS = {"DIRECT": "desk", "POSTAL": "post", "ONLINE": "online"}
# unit → (catalog unit, factor, words)
UNITS = {"WORKING_DAY": ("working_days", 1, "ngày làm việc"), "DAY": ("calendar_days", 1, "ngày"),
         "WORKING_HOUR": ("working_hours", 1, "giờ làm việc"), "HOUR": ("working_hours", 1, "giờ"),
         "MONTH": ("calendar_days", 30, "tháng"), "YEAR": ("calendar_days", 365, "năm")}
_COUNCIL = ("hội đồng nhân dân", "hđnd", "luật phí và lệ phí", "theo quy định")


def is_portal(record: Mapping[str, Any]) -> bool:
    """A record in the portal's own JSON shape (not the flattened one)."""
    return "executionMethods" in record or "executionCases" in record


def _methods(record: Mapping[str, Any]) -> list[Mapping[str, Any]]:
    """The record's channels, the direct one first, then post, then online."""
    order = {"DIRECT": 0, "POSTAL": 1, "ONLINE": 2}
    methods = [m for m in record.get("executionMethods") or [] if m.get("submissionMethod") in order]
    return sorted(methods, key=lambda m: order[m["submissionMethod"]])


def _time(qty: Any, unit: Any) -> dict[str, Any] | None:
    if not isinstance(qty, int | float) or qty <= 0 or unit not in UNITS:
        return None
    catalog_unit, factor, words = UNITS[str(unit)]
    amount = float(qty)
    if not amount.is_integer():  # 1,5 ngày làm việc → 12 working hours
        return {"amount": int(amount * 8), "unit": "working_hours", "text": f"{qty} {words}".replace(".", ",")}
    return {"amount": int(amount) * factor, "unit": catalog_unit, "text": f"{int(amount)} {words}"}


def processing_time(record: Mapping[str, Any]) -> tuple[dict[str, Any] | None, str, bool]:
    """(time or None, how it was read, to confirm). The direct channel's time; when the record's cases
    give other times, they are written after it and the time is flagged."""
    chosen: dict[str, Any] | None = None
    how = ""
    for method in _methods(record):
        chosen = _time(method.get("processingTime"), method.get("processingTimeUnit"))
        if chosen is not None:
            how = f"kênh {METHODS[method['submissionMethod']].lower()}"
            break
    cases: list[tuple[str, dict[str, Any]]] = []
    for case in record.get("cases") or []:
        day = case.get("processingDay") or {}
        time = _time(day.get("qty"), day.get("type"))
        if time is not None:
            cases.append((nfc(str(case.get("name") or "")), time))
    distinct = {(t["amount"], t["unit"]) for _n, t in cases}
    if chosen is None and cases:  # no channel time: the longest case, flagged
        chosen = dict(max((t for _n, t in cases), key=lambda t: t["amount"]))
        how = "thời hạn theo trường hợp của bản ghi"
    if chosen is None:
        return None, "", True
    if distinct - {(chosen["amount"], chosen["unit"])}:
        by_case = "; ".join(f"{t['text']} ({_short(name, 120)})" for name, t in cases)
        chosen = {**chosen, "text": f"{chosen['text']}; theo trường hợp: {by_case}"}
        return chosen, f"{how} (thời hạn theo trường hợp)", True
    return chosen, how, False


def fees(record: Mapping[str, Any]) -> tuple[list[dict[str, Any]] | None, bool]:
    """(fees, to confirm) from the first channel that lists fees. None: the record lists none."""
    for method in _methods(record):
        listed = method.get("fees") or []
        if not listed:
            continue
        out: list[dict[str, Any]] = []
        pending = False
        for fee in listed:
            note = nfc(str(fee.get("description") or ""))
            value = fee.get("value")
            kind = "phi" if fee.get("type") == "FEE" else "le_phi"
            if isinstance(value, int | float) and value > 0:
                out.append({"kind": kind, "name": "Phí" if kind == "phi" else "Lệ phí", "amount_vnd": int(value),
                            "note": note, "needs_confirmation": True})
                pending = True
            elif any(word in note.lower() for word in _COUNCIL):
                out.append({"kind": kind, "name": "Phí, lệ phí", "amount_vnd": None, "note": note,
                            "needs_confirmation": True})
                pending = True
        return out, pending
    return None, True


def components(record: Mapping[str, Any]) -> list[dict[str, Any]]:
    """The papers of every case; a named case is the condition of its papers."""
    out: list[dict[str, Any]] = []
    for case in record.get("executionCases") or []:
        case_name = nfc(str(case.get("name") or "")).rstrip(":;. ")
        for paper in case.get("profileComponents") or []:
            originals, copies = int(paper.get("originalQty") or 0), int(paper.get("copyQty") or 0)
            name = nfc(str(paper.get("name") or "")).lstrip("-+• ").strip().rstrip(";.")
            if not name or not (originals or copies):
                continue
            name, condition = _split_condition(name)
            name = name[:1].upper() + name[1:]
            kind, count, note = _kind(name, [(originals, "chính"), (copies, "sao")])
            forms = [nfc(str(a.get("fileName") or "")) for a in paper.get("attachments") or [] if a.get("fileName")]
            if forms:
                note = "; ".join(filter(None, [note, "Mẫu: " + ", ".join(forms)]))
            entry: dict[str, Any] = {"name": name[:600], "kind": kind, "copies": max(count, 1), "required": True}
            if note:
                entry["note"] = note
            if case_name or condition:
                entry["condition"] = "; ".join(filter(None, [case_name, condition]))[:300]
            out.append(entry)
    return out


def steps(record: Mapping[str, Any]) -> list[str]:
    lines: list[str] = []
    for step in record.get("executionSteps") or []:
        for text in (step.get("name"), step.get("description")):
            lines += [nfc(line).lstrip("-+• ").strip() for line in str(text or "").splitlines()]
    return [line for line in lines if line]


def legal_basis(record: Mapping[str, Any]) -> list[str]:
    out: list[str] = []
    for item in record.get("legalBasisesDetails") or []:
        # a title broken across lines in the portal's cell is one title
        name, code = " ".join(nfc(str(item.get("name") or "")).split()).rstrip(";"), nfc(str(item.get("code") or ""))
        if name:
            out.append(name if not code or code in name else f"{name} ({code})")
    return list(dict.fromkeys(out))


def level(record: Mapping[str, Any]) -> tuple[str | None, str]:
    """(catalog level, the record's level in words)."""
    ward, province = bool(record.get("isWard")), bool(record.get("isProvince"))
    words = ", ".join(w for w, on in (("Cấp xã", ward), ("Cấp tỉnh", province)) if on)
    if ward:
        if province and province_body_only(agency(record)):  # xã nhận, tỉnh giải quyết
            return "commune_receives_province_decides", words
        return "commune", words
    return ("province" if province else None), words


def field_name(record: Mapping[str, Any]) -> str:
    details = record.get("categoriesDetails") or []
    if details:
        return nfc(str(details[0].get("name") or ""))
    return nfc(str((record.get("category") or {}).get("name") or ""))


def decision(record: Mapping[str, Any]) -> str:
    proposal = record.get("procedureProposal") or {}
    number = nfc(str(proposal.get("proposalNumber") or record.get("decisionNo") or ""))
    if not number:
        return ""
    when = proposal.get("decisionDate")
    day = ""
    if isinstance(when, int | float) and when > 0:  # milliseconds, midnight in Vietnam (UTC+7)
        day = dt.datetime.fromtimestamp(when / 1000 + 7 * 3600, dt.UTC).strftime(" ngày %d/%m/%Y")
    return f"Quyết định số {number}{day}"


def agency(record: Mapping[str, Any]) -> str:
    text = nfc(str(record.get("executingAgencies") or ""))
    if text:
        return text
    groups = (record.get("departmentsExecuting") or []) + (record.get("unitGroupsExecuting") or [])
    # the portal leaves a null where a unit was removed
    return ", ".join(dict.fromkeys(nfc(str(g.get("name") or "")) for g in groups if isinstance(g, dict)
                                   and g.get("name")))


def ministry(record: Mapping[str, Any]) -> str:
    return nfc(str(record.get("departmentPromulgateName") or ""))


def to_document(record: Mapping[str, Any], *, sector: str, source: str, effective: str,
                version: int = 1) -> dict[str, Any] | None:
    """The catalog entry for one portal record (None when it has no usable code or name)."""
    try:
        code = parse_code(record.get("code") or record.get("codeNotation"))
    except ValueError:
        return None
    name = nfc(str(record.get("name") or ""))
    if not name:
        return None
    time, how, time_pending = processing_time(record)
    fee_list, fee_pending = fees(record)
    lvl, words = level(record)
    results = [nfc(str(r.get("name") or "")) for r in record.get("resultsDetails") or []]
    channel_list = [CHANNELS[m["submissionMethod"]] for m in _methods(record)]
    notes = []
    if time is not None and "thời hạn theo trường hợp" in how:
        notes.append("Các trường hợp của bản ghi có thời hạn khác nhau.")
    parts = Parts(code=code, name=name, field=field_name(record), raw_level=words, level=lvl,
                  agency=agency(record), url=PORTAL_URL.format(code=code), time=time,
                  time_how=time_how_note(time, how), time_pending=time_pending, fees=fee_list,
                  fees_pending=fee_pending, papers=components(record), steps=steps(record),
                  conditions=nfc(str(record.get("requirementsAndConditions") or "")),
                  result="; ".join(r for r in results if r), legal_basis=legal_basis(record),
                  decision=decision(record), channels=list(dict.fromkeys(channel_list)), notes=notes)
    return assemble(parts, sector=sector, source=source, effective=effective, version=version)


def index_row(record: Mapping[str, Any]) -> list[str]:
    """(code, name, level, field, ministry) as the snapshots' index keeps it."""
    return [nfc(str(record.get("code") or "")), nfc(str(record.get("name") or "")), level(record)[1],
            field_name(record), ministry(record)]
