"""Builds the forms' view models from the commune store: the only module here that knows the store.

Everything read comes from the dossier row (the projection) and its events; settings name the
agency and choose the legal form set.
"""

from __future__ import annotations

import re
import sqlite3
from collections.abc import Mapping
from datetime import date, datetime, timedelta
from typing import Any

from motcua.catalog.fees import FeeCharge, describe, quantity_text
from motcua.catalog.model import duration_words, fee_from_dict
from motcua.catalog.repository import ProcedureNotFound, current_version, get_document
from motcua.domain.calendar import classify
from motcua.domain.clock import now, parse_moment, to_local
from motcua.domain.events import Event
from motcua.domain.projection import COLUMNS, DossierRecord
from motcua.domain.states import Status
from motcua.domain.text import nfc
from motcua.forms.blocks import request_text
from motcua.forms.formsets import load_form_set
from motcua.forms.model import (
    Agency,
    ApologyData,
    Applicant,
    ControlSheetData,
    ControlStep,
    DocumentLine,
    FeeLine,
    FormField,
    GuidanceData,
    ProcedureFormData,
    ReceiptData,
    RefusalData,
    StopNoticeData,
    SupplementData,
    TrackingBookData,
    TrackingBookRow,
)
from motcua.i18n import tr
from motcua.services.commune_settings import paper_settings
from motcua.store.events import events_of
from motcua.store.queries import DossierFilter, find_dossier
from motcua.store.register import number_of
from motcua.store.settings import Settings, get_settings


class ContentError(Exception):
    """The paper cannot be made from what the store holds."""


class NotFound(ContentError, LookupError):
    """No such dossier, procedure or form."""


class NotApplicable(ContentError):
    """The dossier exists but has nothing for this paper (no supplement request, not refused…)."""


# -- shared pieces --------------------------------------------------------------------------------

def form_set_id(conn: sqlite3.Connection) -> str:
    return get_settings(conn).form_set


def agency(conn: sqlite3.Connection, settings: Settings | None = None) -> Agency:
    """The issuing side as the settings name it (defaults per Nghị định 118/2025 filled in)."""
    s = settings or get_settings(conn)
    paper = paper_settings(conn, s)
    return Agency(
        name=nfc(paper.desk_name),
        parent_name=nfc(paper.parent_name),
        place=nfc(paper.place),
        code=s.agency_code,
        phone=nfc(paper.phone),
        lookup_url=s.lookup_url,
        short_name=nfc(paper.short_name),
    )


_INTERNAL_NOTE = re.compile(r"\s*\([^()]*(?:cần xác nhận|cần đối chiếu)[^()]*\)")


def paper_text(text: str) -> str:
    """Catalog text as it goes on paper: the catalog's internal notes to its editors ("(số hiệu mẫu
    cần xác nhận)", "(… cần đối chiếu …)") stay in the catalog and its docs, not on the form."""
    return _INTERNAL_NOTE.sub("", nfc(text)).strip()


def qr_payload(code: str, lookup_url: str) -> str:
    """The dossier code, or the province's lookup URL followed by it when one is configured."""
    if not lookup_url:
        return code
    if "{code}" in lookup_url:
        return lookup_url.replace("{code}", code)
    return lookup_url + code


def load_dossier(conn: sqlite3.Connection, ref: str) -> DossierRecord:
    record = find_dossier(conn, ref)
    if record is None:
        raise NotFound(tr("Không tìm thấy hồ sơ «{ref}».", ref=ref))
    return record


def _moment(text: str | None) -> datetime | None:
    return parse_moment(text) if text else None


def _people(conn: sqlite3.Connection) -> dict[str, str]:
    """Account name → full name, for printing officers by name."""
    return {r["username"]: r["full_name"] for r in conn.execute("SELECT username, full_name FROM users")
            if r["full_name"]}


def _person(people: Mapping[str, str], actor: str) -> str:
    """The person's full name from their account. A login never goes on paper: an actor with no
    account (a script, an OS user) leaves the name blank for the hand, unless it already is a name."""
    if actor in people:
        return nfc(people[actor])
    return nfc(actor).strip() if " " in actor.strip() else ""


def applicant_of(record: DossierRecord) -> Applicant:
    return Applicant(name=record.applicant_name, address=record.applicant_address, phone=record.applicant_phone,
                     email=record.applicant_email, id_number=record.applicant_id_number)


def register_number(conn: sqlite3.Connection, event: Event | None) -> str:
    """The number printed after "Số:": the paper's number in the document register of its kind and
    year, taken when the issuing event was recorded; empty (dots on paper) when it has none."""
    if event is None:
        return ""
    number = number_of(conn, event.id)
    return f"{number:02d}" if number is not None else ""


def _received_event(conn: sqlite3.Connection, record: DossierRecord) -> Event | None:
    return _last_event(events_of(conn, record.id), "received")


def processing_time_text(amount: float | None, unit: str) -> str:
    if amount is None:
        return ""
    return duration_words(amount, unit).strip()


def document_lines(documents: list[Mapping[str, Any]]) -> tuple[DocumentLine, ...]:
    lines = []
    for doc in documents:
        if doc.get("received") is False:
            continue
        copies = int(doc.get("copies") or 1)
        kind = str(doc.get("kind") or "original")
        if kind == "presented":
            lines.append(DocumentLine(nfc(str(doc.get("name", ""))) + tr(" (đã xuất trình, đã trả lại)")))
            continue
        lines.append(DocumentLine(
            name=nfc(str(doc.get("name", ""))),
            original=copies if kind in ("original", "original_or_certified_copy") else 0,
            certified_copy=copies if kind == "certified_copy" else 0,
            photocopy=copies if kind in ("photocopy", "photocopy_with_original") else 0,
        ))
    return tuple(lines)


def _signer(conn: sqlite3.Connection, paper: str) -> dict[str, str]:
    """Who signs ``paper`` for the issuing body (settings, per paper or the default signer)."""
    signer = paper_settings(conn).signer(paper)
    return {"signer_title": nfc(signer.title), "signer_name": nfc(signer.name)}


def _charged_fees(conn: sqlite3.Connection, record: DossierRecord) -> list[Mapping[str, Any]]:
    received = _last_event(events_of(conn, record.id), "received")
    fees = received.payload.get("fees") if received is not None else None
    return fees if isinstance(fees, list) else []


def _last_event(events: list[Event], *types: str) -> Event | None:
    return next((e for e in reversed(events) if e.type in types), None)


# -- procedures (catalog) -------------------------------------------------------------------------

def procedure_definition(conn: sqlite3.Connection, code: str, version: int | None = None) -> dict[str, Any] | None:
    """The procedure as the store's catalog holds it: the version a dossier was received under when
    given (a receipt prints the fees of that version, never another's), else the current one; None
    when the catalog has no such procedure (one typed in at intake). A dossier's version the catalog
    no longer holds is an error, not a silent fallback."""
    try:
        return get_document(conn, code, version)
    except ProcedureNotFound:
        if version is None or current_version(conn, code) is None:
            return None
        raise NotFound(tr("Danh mục không còn phiên bản {version} của thủ tục «{code}», phiên bản hồ sơ được"
                          " tiếp nhận: nhập lại danh mục có phiên bản này.", version=version, code=code)) from None


def fee_lines(definition: Mapping[str, Any] | None) -> tuple[FeeLine, ...]:
    """The catalog's fees; an unknown amount (null) stays None with its note, and a fee counted in
    units (per page, per copy…) is given as its rate, which then stands in the note."""
    out = []
    for fee in (definition or {}).get("fees") or []:
        amount = fee.get("amount_vnd")
        name = nfc(str(fee.get("name") or tr("Phí, lệ phí")))
        if (fee.get("unit") and amount is not None) or fee.get("percent") is not None:
            out.append(FeeLine(name, None, nfc(describe(fee_from_dict(fee)))))
            continue
        out.append(FeeLine(name, int(amount) if amount is not None else None, paper_text(str(fee.get("note") or ""))))
    return tuple(out)


def _receipt_fees(definition: Mapping[str, Any] | None, fee_total: int,
                  charged: list[Mapping[str, Any]] | None = None) -> tuple[FeeLine, ...]:
    """What the applicant owes: the lines charged at intake (with their quantities) when the intake
    recorded them, else the catalog's lines when they add up to the dossier's total."""
    if charged:
        return tuple(_charged_line(item, definition) for item in charged if item.get("amount_vnd") != 0)
    listed = tuple(f for f in fee_lines(definition) if f.amount_vnd)
    if listed and sum(f.amount_vnd or 0 for f in listed) == fee_total:
        return listed
    return (FeeLine(tr("Phí, lệ phí"), fee_total),) if fee_total > 0 else ()


def _charged_line(item: Mapping[str, Any], definition: Mapping[str, Any] | None) -> FeeLine:
    name = nfc(str(item.get("name") or tr("Phí, lệ phí")))
    amount = item.get("amount_vnd")
    fee = next((f for f in (definition or {}).get("fees") or [] if f.get("name") == item.get("name")), None)
    if fee is not None:
        charged = FeeCharge(name, amount, int(item.get("units") or 0), int(item.get("groups") or 1))
        quantity = quantity_text(charged, fee_from_dict(fee))
        name = f"{name} ({quantity})" if quantity else name
    return FeeLine(name, int(amount) if amount is not None else None, paper_text(str(item.get("note") or "")))


def dossier_fee_lines(conn: sqlite3.Connection, record: DossierRecord) -> tuple[FeeLine, ...]:
    """The fee lines the receipt lists for a dossier, with their quantities (the dossier page shows them).

    The amounts come from the dossier's own events; the catalog version only adds the quantity wording, so a
    version the catalog no longer holds shows the lines without it (the receipt itself refuses to print)."""
    try:
        definition = (procedure_definition(conn, record.procedure_code, record.procedure_version)
                      if record.procedure_code else None)
    except NotFound:
        definition = None
    return _receipt_fees(definition, record.fee_total, _charged_fees(conn, record))


# -- the one-stop papers --------------------------------------------------------------------------

def receipt_data(conn: sqlite3.Connection, ref: str) -> ReceiptData:
    record = load_dossier(conn, ref)
    if not record.received_at or not record.code:
        raise NotApplicable(tr("Hồ sơ «{ref}» chưa được tiếp nhận.", ref=ref))
    settings = get_settings(conn)
    header = agency(conn, settings)
    people = _people(conn)
    definition = (procedure_definition(conn, record.procedure_code, record.procedure_version)
                  if record.procedure_code else None)
    received_at = parse_moment(record.received_at)
    return ReceiptData(
        agency=header,
        number=register_number(conn, _received_event(conn, record)),
        dossier_code=record.code,
        qr_payload=qr_payload(record.code, settings.lookup_url),
        applicant=applicant_of(record),
        procedure_name=record.procedure_name,
        summary=record.summary,
        documents=document_lines(record.document_list()),
        sets=record.sets,
        processing_time=processing_time_text(record.processing_amount, record.processing_unit),
        received_at=received_at,
        due_at=_moment(record.due_at),
        return_place=record.return_place or settings.return_place,
        receiving_officer=_person(people, record.receiving_officer),
        fees=_receipt_fees(definition, record.fee_total, _charged_fees(conn, record)),
        procedure_code=record.procedure_code,
        issued_on=received_at.date(),
        book_volume=str(received_at.year),
        book_number=book_numbers(conn, received_at.date(), received_at.date()).get(record.id),
    )


def supplement_data(conn: sqlite3.Connection, ref: str) -> SupplementData:
    record = load_dossier(conn, ref)
    event = _last_event(events_of(conn, record.id), "supplement_requested")
    if event is None:
        raise NotApplicable(tr("Hồ sơ «{code}» chưa có yêu cầu bổ sung.", code=record.code))
    items = event.payload.get("items") or []
    if isinstance(items, str):
        items = [part.strip() for part in items.split(";") if part.strip()]
    header = agency(conn)
    return SupplementData(
        agency=header, number=register_number(conn, event), dossier_code=record.code or "",
        applicant=applicant_of(record), procedure_name=record.procedure_name, summary=record.summary,
        items=tuple(nfc(str(i)) for i in items), reason=nfc(str(event.payload.get("reason", ""))),
        issued_on=to_local(event.occurred_at).date(), officer=_person(_people(conn), event.actor),
        contact_phone=header.phone,
    )


def refusal_data(conn: sqlite3.Connection, ref: str) -> RefusalData:
    record = load_dossier(conn, ref)
    event = _last_event(events_of(conn, record.id), "refused")
    if event is None or record.status != Status.NOT_RECEIVED:
        raise NotApplicable(tr("Hồ sơ «{code}» không bị từ chối tiếp nhận.", code=record.code or ref))
    header = agency(conn)
    return RefusalData(
        agency=header, number=register_number(conn, event), dossier_code=record.code or "",
        applicant=applicant_of(record), procedure_name=record.procedure_name, summary=record.summary,
        reason=nfc(str(event.payload.get("reason", "") or record.closing_reason)),
        issued_on=to_local(event.occurred_at).date(), officer=_person(_people(conn), event.actor),
    )


def apology_data(conn: sqlite3.Connection, ref: str) -> ApologyData:
    record = load_dossier(conn, ref)
    events = events_of(conn, record.id)
    event = _last_event(events, "rescheduled")
    if event is None or not record.received_at:
        raise NotApplicable(tr("Hồ sơ «{code}» chưa được hẹn lại ngày trả kết quả.", code=record.code))
    header = agency(conn)
    return ApologyData(
        agency=header, number=register_number(conn, event), dossier_code=record.code or "",
        applicant=applicant_of(record), procedure_name=record.procedure_name,
        received_at=parse_moment(record.received_at), due_at=_moment(record.due_at),
        new_due_at=_moment(event.payload.get("new_due_at")), reason=nfc(str(event.payload.get("reason", ""))),
        issued_on=to_local(event.occurred_at).date(), **_signer(conn, "apology"),
    )


def stop_data(conn: sqlite3.Connection, ref: str) -> StopNoticeData:
    record = load_dossier(conn, ref)
    # Stopped by the body that handles it, or at the applicant's request (withdrawn).
    event = _last_event(events_of(conn, record.id), "stopped", "withdrawn")
    if event is None or not record.received_at:
        raise NotApplicable(tr("Hồ sơ «{code}» không bị dừng xử lý.", code=record.code))
    header = agency(conn)
    return StopNoticeData(
        agency=header, number=register_number(conn, event), dossier_code=record.code or "",
        applicant=applicant_of(record), procedure_name=record.procedure_name,
        received_at=parse_moment(record.received_at), reason=nfc(str(event.payload.get("reason", ""))),
        issued_on=to_local(event.occurred_at).date(), **_signer(conn, "stop"),
    )


def _classify(done: datetime | None, planned: datetime | None) -> str:
    if done is None or planned is None:
        return ""
    return classify(done, planned).label


_STEP_NOTES = {"supplement_requested": "Yêu cầu bổ sung", "supplemented": "Đã bổ sung",
               "rescheduled": "Hẹn lại ngày trả", "stopped": "Dừng xử lý", "withdrawn": "Rút hồ sơ",
               "fee_requested": "Yêu cầu nghĩa vụ tài chính", "fee_paid": "Đã thực hiện nghĩa vụ tài chính",
               "note": "Ghi chú"}


def control_steps(events: list[Event], people: Mapping[str, str], desk: str, applicant: str,
                  due_at: datetime | None) -> tuple[ControlStep, ...]:
    """Each hand-over, the return of the result to the desk and to the applicant, with results."""
    raw: list[dict[str, Any]] = []
    holder_unit = desk
    for event in events:
        p = event.payload
        if event.type == "handed_over":
            raw.append({"from_unit": holder_unit, "from_person": _person(people, event.actor),
                        "to_unit": nfc(str(p.get("to_unit", ""))), "to_person": _person(people, str(p.get("to", ""))),
                        "handed_at": event.occurred_at, "planned_at": _moment(p.get("step_due_at")),
                        "notes": [nfc(str(p["note"]))] if p.get("note") else []})
            holder_unit = raw[-1]["to_unit"] or raw[-1]["to_person"]
        elif event.type == "resolved":
            verdict = tr("Giải quyết") if p.get("decision", "approved") == "approved" else tr("Từ chối giải quyết")
            notes = [verdict] + ([nfc(str(p["note"]))] if p.get("note") else [])
            raw.append({"from_unit": holder_unit, "from_person": _person(people, event.actor), "to_unit": desk,
                        "to_person": "", "handed_at": event.occurred_at, "planned_at": due_at, "notes": notes,
                        "result_at": event.occurred_at})
            holder_unit = desk
        elif event.type == "returned":
            raw.append({"from_unit": desk, "from_person": _person(people, event.actor), "to_unit": "",
                        "to_person": nfc(str(p.get("to") or applicant)), "handed_at": event.occurred_at,
                        "planned_at": None, "notes": [nfc(str(p["note"]))] if p.get("note") else []})
        elif event.type in _STEP_NOTES:
            text = p.get("reason") or p.get("note") or p.get("text") or ""
            label = tr(_STEP_NOTES[event.type])
            note = f"{label}: {nfc(str(text))}" if text else label
            if raw:
                raw[-1]["notes"].append(note)
            elif event.type != "note":  # the desk acted before any hand-over: a line of its own
                raw.append({"from_unit": desk, "from_person": _person(people, event.actor), "to_unit": "",
                            "to_person": nfc(applicant) if event.type == "supplement_requested" else "",
                            "handed_at": event.occurred_at, "planned_at": None, "notes": [note]})
    steps = []
    for index, step in enumerate(raw):
        done = step.get("result_at")
        if done is None and index + 1 < len(raw):
            done = raw[index + 1]["handed_at"]
        steps.append(ControlStep(
            from_unit=step["from_unit"], from_person=step["from_person"], to_unit=step["to_unit"],
            to_person=step["to_person"], handed_at=to_local(step["handed_at"]), planned_at=step["planned_at"],
            done_at=to_local(done) if done else None, result=_classify(done, step["planned_at"]),
            note="; ".join(step["notes"]),
        ))
    return tuple(steps)


def control_sheet_data(conn: sqlite3.Connection, ref: str) -> ControlSheetData:
    record = load_dossier(conn, ref)
    if not record.received_at:
        raise NotApplicable(tr("Hồ sơ «{code}» chưa được tiếp nhận.", code=record.code or ref))
    settings = get_settings(conn)
    header = agency(conn, settings)
    events = events_of(conn, record.id)
    handed = [e for e in events if e.type == "handed_over"]
    # The body that settles the dossier: the unit the first hand-over named, else the commune's
    # People's Committee under which the desk works.
    resolving = (nfc(str(handed[0].payload.get("to_unit", ""))) if handed else "") or header.parent_name
    receipt_spec = load_form_set(settings.form_set).template("receipt")
    return ControlSheetData(
        agency=header, dossier_code=record.code or "", procedure_name=record.procedure_name,
        applicant=applicant_of(record), received_at=parse_moment(record.received_at),
        due_at=_moment(record.due_at), resolving_unit=resolving,
        steps=control_steps(events, _people(conn), header.name, record.applicant_name, _moment(record.due_at)),
        receipt_number=receipt_spec.numbering.format(number=register_number(conn, _received_event(conn, record))
                                                     or ".........."),
    )


def book_numbers(conn: sqlite3.Connection, first: date, last: date) -> dict[str, int]:
    """Each dossier received between the two days: its «Số thứ tự» in the tracking book of its year
    («Quyển số» = the year), counted in order of reception (then code) from 1 January. Refused dossiers
    were never received and take no number."""
    start, end = date(first.year, 1, 1), last + timedelta(days=1)
    rows = conn.execute(
        "SELECT id, number FROM (SELECT id, received_at, ROW_NUMBER() OVER (PARTITION BY substr(received_at, 1, 4) "
        "ORDER BY received_at, code) AS number FROM dossiers WHERE received_at >= ? AND received_at < ?) "
        "WHERE received_at >= ?", (start.isoformat(), end.isoformat(), first.isoformat()))
    return {str(row[0]): int(row[1]) for row in rows}


def tracking_book_data(conn: sqlite3.Connection, date_from: date, date_to: date) -> TrackingBookData:
    """Every dossier received between the two days (inclusive), in order of reception."""
    where, params = DossierFilter(received_from=date_from, received_to=date_to).where()
    rows = conn.execute(f"SELECT {', '.join(COLUMNS)} FROM dossiers{where} ORDER BY received_at, code", params)
    people = _people(conn)
    numbers = book_numbers(conn, date_from, date_to)
    book = []
    for row in rows:
        record = DossierRecord(**dict(row))
        book.append(TrackingBookRow(
            code=record.code or "", owner=record.applicant_name, address=record.applicant_address,
            phone=record.applicant_phone, summary=request_text(record.procedure_name, record.summary),
            received_at=_moment(record.received_at), due_at=_moment(record.rescheduled_due_at or record.due_at),
            returned_at=_moment(record.returned_at), sets=record.sets,
            receiving_officer=_person(people, record.receiving_officer), area=record.field_name,
            status=Status(record.status).label, number=numbers.get(record.id),
        ))
    return TrackingBookData(agency=agency(conn), date_from=date_from, date_to=date_to, rows=tuple(book),
                            volume=str(date_from.year))


# -- the procedures' own forms and guidance -------------------------------------------------------

_UNIT_WORDS = ("xã", "phường", "đặc khu", "thị trấn", "thành phố", "tỉnh")


def in_sentence(name: str, level: str) -> str:
    """A division's name as written inside a sentence: "Xã Ea Kao" → "xã Ea Kao", "Đắk Lắk" →
    "tỉnh Đắk Lắk", "Thành phố Huế" → "thành phố Huế" (the official list capitalises the unit word,
    and leaves it out for a province)."""
    name = " ".join(nfc(name).split())
    lowered = name[:1].lower() + name[1:]
    if any(lowered.startswith(word + " ") for word in _UNIT_WORDS):
        return lowered
    return f"tỉnh {name}" if level == "province" and name else name


def addressee_text(template: str, names: Mapping[str, str]) -> str:
    """"Ủy ban nhân dân {commune}" with the desk's own names; a name not set up stays dotted."""
    text = nfc(template)
    for key in ("commune", "province"):
        text = text.replace("{" + key + "}", in_sentence(names.get(key, ""), key) or "." * 20)
    return text


def place_names(settings: Settings) -> dict[str, str]:
    return {"commune": settings.commune_name, "province": settings.province_name}


def procedure_form_view(definition: Mapping[str, Any], form_id: str, values: Mapping[str, str] | None = None,
                        *, place: str = "", issued_on: date | None = None,
                        names: Mapping[str, str] | None = None) -> ProcedureFormData:
    """A procedure's form from its catalog definition; ``values`` by field source
    ("applicant.name" …) fill it, none leaves it blank; ``names`` fill the addressee's {commune}
    and {province}."""
    form = next((f for f in definition.get("forms") or [] if f.get("id") == form_id), None)
    if form is None:
        raise NotFound(tr("Thủ tục «{code}» không có biểu mẫu «{form}».", code=definition.get("code", ""),
                          form=form_id))
    fields = tuple(FormField(id=str(f["id"]), label=paper_text(str(f["label"])), type=str(f.get("type", "text")),
                             required=bool(f.get("required", False)),
                             options=tuple(nfc(str(o)) for o in f.get("options") or ()),
                             source=str(f.get("source") or "")) for f in form.get("fields") or [])
    sources = values or {}
    filled = tuple((f.id, nfc(sources.get(f.source, ""))) for f in fields if f.source)
    return ProcedureFormData(
        form_id=form_id, title=paper_text(str(form.get("title", ""))), basis=paper_text(str(form.get("basis", ""))),
        addressee=addressee_text(str(form.get("addressee", "")), names or {}), fields=fields,
        values=tuple(v for v in filled if v[1]), place=place, issued_on=issued_on,
        procedure_name=nfc(str(definition.get("name", ""))),
    )


def source_values(record: DossierRecord, settings: Settings) -> dict[str, str]:
    """The values a form field may take from a dossier, by the catalog's ``source`` names."""
    return {
        "applicant.name": record.applicant_name, "applicant.id_number": record.applicant_id_number,
        "applicant.address": record.applicant_address, "applicant.phone": record.applicant_phone,
        "applicant.email": record.applicant_email, "dossier.summary": record.summary,
        "dossier.code": record.code or "", "commune.name": settings.commune_name,
    }


def procedure_form_data(conn: sqlite3.Connection, form_id: str, ref: str | None = None,
                        procedure_code: str | None = None) -> ProcedureFormData:
    """The form ``form_id`` of the dossier's procedure (filled from the dossier), or of
    ``procedure_code`` (blank)."""
    record = load_dossier(conn, ref) if ref else None
    code = record.procedure_code if record else procedure_code
    if not code:
        raise NotFound(tr("Cần mã hồ sơ hoặc mã thủ tục để tìm biểu mẫu."))
    definition = procedure_definition(conn, code, record.procedure_version if record else None)
    if definition is None:
        raise NotFound(tr("Không có thủ tục «{code}» trong danh mục.", code=code))
    settings = get_settings(conn)
    if record is None:
        return procedure_form_view(definition, form_id, names=place_names(settings))
    return procedure_form_view(
        definition, form_id, source_values(record, settings),
        place=nfc(paper_settings(conn, settings).place),
        issued_on=parse_moment(record.received_at).date() if record.received_at else None,
        names=place_names(settings),
    )


_KIND_COUNTS = {"original": "original", "original_or_certified_copy": "original", "certified_copy": "certified_copy",
                "photocopy": "photocopy", "photocopy_with_original": "photocopy"}


def component_title(component: Mapping[str, Any]) -> str:
    """A dossier component as a citizen reads it: its name, the case it is needed in, and whether
    it is only shown."""
    name = nfc(str(component.get("name", "")))
    if component.get("condition"):
        name += tr(" – {case}", case=nfc(str(component["condition"])).rstrip("."))
    if component.get("kind") == "presented":
        name += tr(" (xuất trình để đối chiếu, không nộp)")
    elif not component.get("required", True) and not component.get("condition"):
        name += tr(" (nếu có)")
    return name


def guidance_time_text(definition: Mapping[str, Any]) -> str:
    """The processing time as the guidance sheet states it; one not yet set is said to be so, never «00 ngày»."""
    time = definition.get("processing_time") or {}
    pending = "processing_time" in ((definition.get("provenance") or {}).get("needs_confirmation") or ())
    if pending and not time.get("amount") and time.get("unit", "working_days") == "working_days":
        unset = tr("Chưa xác định — chờ cơ quan có thẩm quyền công bố thời hạn giải quyết")
        return nfc(f"{unset} (bản ghi: {time['text']})" if time.get("text") else unset)
    return nfc(str(time.get("text") or processing_time_text(time.get("amount"), time.get("unit", ""))))


def guidance_view(definition: Mapping[str, Any], header: Agency, printed_on: date) -> GuidanceData:
    """The guidance sheet of a procedure from its catalog definition."""
    components = []
    for c in definition.get("components") or []:
        name = component_title(c)
        if c.get("kind") == "presented":  # shown and handed back: nothing to count in the dossier
            components.append(DocumentLine(name))
            continue
        kind = _KIND_COUNTS.get(str(c.get("kind", "original")), "original")
        components.append(DocumentLine(name, **{kind: int(c.get("copies") or 1)}))
    return GuidanceData(
        agency=header, procedure_code=str(definition.get("code", "")),
        procedure_name=nfc(str(definition.get("name", ""))), markdown=nfc(str(definition.get("guidance", ""))),
        processing_time=guidance_time_text(definition),
        fees=fee_lines(definition), components=tuple(components), result=paper_text(str(definition.get("result", ""))),
        legal_basis=tuple(paper_text(str(b)) for b in definition.get("legal_basis") or ()),
        version=int(definition.get("version") or 0), printed_on=printed_on,
        steps=tuple(paper_text(str(step)) for step in definition.get("steps") or () if str(step).strip()),
    )


def guidance_data(conn: sqlite3.Connection, procedure_code: str, printed_on: date | None = None) -> GuidanceData:
    definition = procedure_definition(conn, procedure_code)
    if definition is None:
        raise NotFound(tr("Không có thủ tục «{code}» trong danh mục.", code=procedure_code))
    return guidance_view(definition, agency(conn), printed_on or now().date())
