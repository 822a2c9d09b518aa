"""What an intake carries, validated; the procedure it is for."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import datetime, time
from typing import Any

from motcua.domain.calendar import TimeUnit
from motcua.domain.clock import parse_moment
from motcua.domain.identifiers import check_citizen_id, check_email, check_phone, check_tax_code
from motcua.domain.text import clean
from motcua.i18n import tr
from motcua.services.validation import Collector

DOCUMENT_KINDS = ("original", "certified_copy", "photocopy", "original_or_certified_copy",
                  "photocopy_with_original", "presented")
APPLICANT_KINDS = {1: "Công dân", 2: "Doanh nghiệp", 3: "Cơ quan nhà nước", 4: "Tổ chức khác"}
CHANNELS = ("desk", "online", "post")


@dataclass(frozen=True)
class ProcedureRef:
    code: str
    name: str
    amount: float
    unit: str
    version: int | None = None
    field: str = ""
    fee_total: int = 0
    cutoff: time | None = None  # same_day: received at or after it → due the next working day
    fees: tuple[Any, ...] = ()  # the catalog's fees (motcua.catalog.model.Fee), to charge by quantity
    stages: tuple[Any, ...] = ()  # the catalog's stages (motcua.catalog.model.Stage): commune, then province

    def as_payload(self) -> dict[str, Any]:
        payload = {"code": self.code, "version": self.version, "name": self.name, "field": self.field,
                   "amount": self.amount, "unit": self.unit}
        if self.cutoff is not None:
            payload["cutoff"] = self.cutoff.strftime("%H:%M")
        return payload


@dataclass(frozen=True)
class Applicant:
    name: str
    id_number: str = ""
    kind: int = 1
    phone: str = ""
    email: str = ""
    address: str = ""

    def as_payload(self) -> dict[str, Any]:
        return {"name": self.name, "id_number": self.id_number, "kind": self.kind, "phone": self.phone,
                "email": self.email, "address": self.address}


@dataclass(frozen=True)
class IntakeRequest:
    procedure_code: str
    applicant: Applicant
    summary: str = ""
    documents: tuple[Mapping[str, Any], ...] = ()
    sets: int = 1
    channel: str = "desk"
    return_place: str = ""
    received_at: datetime | None = None
    dossier_id: str | None = None            # client-made id: repeating an intake is then harmless
    procedure: ProcedureRef | None = None    # when not taken from the catalog
    extra: Mapping[str, Any] = field(default_factory=dict)
    fee_quantities: Mapping[int, tuple[int, int]] = field(default_factory=dict)  # fee index → (units, groups)


def _text(data: Mapping[str, Any], key: str) -> str:
    value = data.get(key)
    return clean(str(value)) if value is not None else ""


def parse_intake(data: Mapping[str, Any]) -> IntakeRequest:
    """Build and validate an intake from a plain mapping (CLI JSON, UI form, import)."""
    errors = Collector()
    if not isinstance(data, Mapping):
        errors.add("intake", tr("Dữ liệu tiếp nhận phải là một đối tượng JSON."))
        errors.raise_if_any()
    applicant_data = data.get("applicant") or {}
    if not isinstance(applicant_data, Mapping):
        errors.add("applicant", tr("Thông tin người nộp phải là một đối tượng."))
        applicant_data = {}
    kind = applicant_data.get("kind", 1)
    try:
        kind = int(kind)
        if kind not in APPLICANT_KINDS:
            raise ValueError
    except (TypeError, ValueError):
        errors.add("applicant.kind", tr("Loại đối tượng phải là 1 (công dân), 2 (doanh nghiệp), 3 hoặc 4."))
        kind = 1
    name = _text(applicant_data, "name")
    errors.require("applicant.name", name, tr("họ tên người nộp hồ sơ"))
    id_number = _text(applicant_data, "id_number")
    if id_number:
        checker = check_tax_code if kind == 2 else check_citizen_id
        id_number = errors.check("applicant.id_number", id_number, checker)
    elif kind == 1:
        errors.add("applicant.id_number", tr("Chưa nhập số CCCD của người nộp hồ sơ."))
    phone = _text(applicant_data, "phone")
    if phone:
        phone = errors.check("applicant.phone", phone, check_phone)
    email = _text(applicant_data, "email")
    if email:
        email = errors.check("applicant.email", email, check_email)
    applicant = Applicant(name, id_number, kind, phone, email, _text(applicant_data, "address"))

    code = _text(data, "procedure_code") or _text(data.get("procedure") or {}, "code")
    errors.require("procedure_code", code, tr("mã thủ tục"))
    procedure = None
    proc = data.get("procedure")
    if isinstance(proc, Mapping) and ("amount" in proc or "days" in proc or "hours" in proc):
        procedure = _parse_procedure_ref(code, proc, errors)

    documents = []
    raw_docs = data.get("documents") or []
    if not isinstance(raw_docs, list):
        errors.add("documents", tr("Danh sách giấy tờ phải là một mảng."))
        raw_docs = []
    for index, doc in enumerate(raw_docs, start=1):
        if isinstance(doc, str):
            doc = {"name": doc}
        if not isinstance(doc, Mapping) or not _text(doc, "name"):
            errors.add(f"documents[{index}]", tr("Giấy tờ thứ {n} chưa có tên.", n=index))
            continue
        doc_kind = doc.get("kind", "original")
        if doc_kind not in DOCUMENT_KINDS:
            errors.add(f"documents[{index}].kind", tr("Loại bản «{k}» không hợp lệ (bản chính, bản sao chứng thực, "
                                                      "bản photo).", k=doc_kind))
        try:
            copies = int(doc.get("copies", 1))
            if copies < 1:
                raise ValueError
        except (TypeError, ValueError):
            errors.add(f"documents[{index}].copies", tr("Số bản của giấy tờ thứ {n} phải là số nguyên dương.", n=index))
            copies = 1
        documents.append({"name": _text(doc, "name"), "kind": doc_kind, "copies": copies,
                          "received": bool(doc.get("received", True))})
    try:
        sets = int(data.get("sets", 1))
        if sets < 1:
            raise ValueError
    except (TypeError, ValueError):
        errors.add("sets", tr("Số bộ hồ sơ phải là số nguyên dương."))
        sets = 1
    channel = _text(data, "channel") or "desk"
    if channel not in CHANNELS:
        errors.add("channel", tr("Kênh nộp phải là desk, online hoặc post."))
    received_at = None
    if data.get("received_at"):
        try:
            received_at = parse_moment(str(data["received_at"]))
        except ValueError:
            errors.add("received_at", tr("Thời điểm tiếp nhận «{v}» không hợp lệ (YYYY-MM-DD HH:MM).",
                                         v=data["received_at"]))
    dossier_id = _text(data, "id") or None
    if dossier_id:
        from motcua.domain.ids import is_uuid

        if not is_uuid(dossier_id):
            errors.add("id", tr("Mã định danh hồ sơ «{v}» không phải UUID.", v=dossier_id))
    summary = _text(data, "summary")
    if len(summary) > 1000:
        errors.add("summary", tr("Trích yếu hồ sơ tối đa 1000 ký tự (đang có {n}).", n=len(summary)))
    quantities = _parse_fee_quantities(data.get("fee_quantities"), errors)
    errors.raise_if_any()
    return IntakeRequest(code, applicant, summary, tuple(documents), sets, channel,
                         _text(data, "return_place"), received_at, dossier_id, procedure,
                         fee_quantities=quantities)


def _parse_fee_quantities(raw: Any, errors: Collector) -> dict[int, tuple[int, int]]:
    """``[{"fee": 1, "units": 5, "groups": 3}]``: the 1st catalog fee, 5 pages × 3 copies."""
    if raw is None:
        return {}
    if not isinstance(raw, list):
        errors.add("fee_quantities", tr("Số lượng tính phí phải là một mảng."))
        return {}
    out: dict[int, tuple[int, int]] = {}
    for position, item in enumerate(raw, start=1):
        try:
            if not isinstance(item, Mapping):
                raise TypeError
            number, units, groups = int(item["fee"]), int(item.get("units", 1)), int(item.get("groups", 1))
            # units: pages or copies, or the declared value in đồng for a fee by percentage
            if number < 1 or units < 0 or groups < 1 or units > 10**15 or groups > 10_000:
                raise ValueError
        except (KeyError, TypeError, ValueError):
            errors.add(f"fee_quantities[{position}]", tr(
                "Số lượng tính phí thứ {n} không hợp lệ: cần số thứ tự khoản phí (fee ≥ 1), số đơn vị "
                "(units ≥ 0) và số nhóm (groups ≥ 1).", n=position))
            continue
        out[number - 1] = (units, groups)
    return out


def _parse_procedure_ref(code: str, proc: Mapping[str, Any], errors: Collector) -> ProcedureRef | None:
    if "days" in proc:
        amount, unit = proc["days"], TimeUnit.WORKING_DAYS.value
    elif "hours" in proc:
        amount, unit = proc["hours"], TimeUnit.WORKING_HOURS.value
    else:
        amount, unit = proc.get("amount"), proc.get("unit", TimeUnit.WORKING_DAYS.value)
    try:
        amount = float(amount)
        if amount < 0:
            raise ValueError
        unit = TimeUnit(unit).value
    except (TypeError, ValueError):
        errors.add("procedure.processing_time", tr("Thời hạn giải quyết phải là số không âm với đơn vị "
                                                    "working_days, working_hours, calendar_days hoặc same_day."))
        return None
    cutoff = None
    if proc.get("cutoff"):
        try:
            cutoff = time.fromisoformat(str(proc["cutoff"]))
        except ValueError:
            errors.add("procedure.cutoff", tr("Giờ chốt «{v}» không hợp lệ (HH:MM).", v=proc["cutoff"]))
    name = _text(proc, "name")
    errors.require("procedure.name", name, tr("tên thủ tục"))
    return ProcedureRef(code, name, amount, unit, proc.get("version"), _text(proc, "field"),
                        int(proc.get("fee_total", 0) or 0), cutoff)
