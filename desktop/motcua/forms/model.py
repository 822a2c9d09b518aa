"""View models: the plain, frozen data each renderer prints.

Renderers know nothing of the store; ``motcua.forms.content`` builds these from it, tests and the
gallery build them by hand. Text is expected in NFC (the renderers normalise again anyway).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime


@dataclass(frozen=True)
class Agency:
    """The issuing side of the header block (top left) and the place of the date line."""

    name: str  # the issuing unit, printed bold caps: "BỘ PHẬN MỘT CỬA"
    parent_name: str = ""  # the governing body above it, regular caps: "ỦY BAN NHÂN DÂN XÃ EA TU"
    place: str = ""  # place name of the date line: "Đắk Lắk"
    code: str = ""  # national agency code, "000.17.22.H56"
    phone: str = ""
    lookup_url: str = ""  # where a citizen looks a dossier up; the QR code then carries URL + code
    short_name: str = ""  # the drafting unit in "Lưu: VT, TTPVHCC."


@dataclass(frozen=True)
class Applicant:
    name: str
    address: str = ""
    phone: str = ""
    email: str = ""
    id_number: str = ""


@dataclass(frozen=True)
class DocumentLine:
    """One row of the documents table: how many copies of each kind were handed in."""

    name: str
    original: int = 0
    certified_copy: int = 0
    photocopy: int = 0


@dataclass(frozen=True)
class FeeLine:
    name: str
    amount_vnd: int | None  # None: the amount is set elsewhere (the province) and not known here
    note: str = ""


@dataclass(frozen=True)
class Signature:
    title: str  # "NGƯỜI TIẾP NHẬN HỒ SƠ"
    name: str = ""  # printed under the space for the hand signature
    hint: str = "(Ký và ghi rõ họ tên)"
    on_behalf: str = ""  # "TM. ỦY BAN NHÂN DÂN": printed above the title when signing for a collective body


@dataclass(frozen=True)
class ReceiptData:
    """Giấy tiếp nhận hồ sơ và hẹn trả kết quả."""

    agency: Agency
    number: str  # the paper's own number, printed "Số: {number}"
    dossier_code: str
    qr_payload: str
    applicant: Applicant
    procedure_name: str
    summary: str
    documents: tuple[DocumentLine, ...]
    sets: int
    processing_time: str  # "05 ngày làm việc"
    received_at: datetime
    due_at: datetime | None
    return_place: str
    receiving_officer: str
    fees: tuple[FeeLine, ...] = ()
    procedure_code: str = ""
    issued_on: date | None = None  # defaults to the day received
    book_volume: str = ""          # «Quyển số»: the tracking book of the year received
    book_number: int | None = None  # «Số thứ tự» in that book


@dataclass(frozen=True)
class SupplementData:
    """Phiếu yêu cầu bổ sung, hoàn thiện hồ sơ."""

    agency: Agency
    number: str
    dossier_code: str
    applicant: Applicant
    procedure_name: str
    summary: str
    items: tuple[str, ...]
    reason: str
    issued_on: date
    officer: str = ""
    contact_phone: str = ""


@dataclass(frozen=True)
class RefusalData:
    """Phiếu từ chối tiếp nhận giải quyết hồ sơ."""

    agency: Agency
    number: str
    dossier_code: str
    applicant: Applicant
    procedure_name: str
    summary: str
    reason: str
    issued_on: date
    officer: str = ""


@dataclass(frozen=True)
class ApologyData:
    """Phiếu xin lỗi và hẹn lại ngày trả kết quả (TT 03/2025: xin lỗi và đề nghị gia hạn)."""

    agency: Agency
    number: str
    dossier_code: str
    applicant: Applicant
    procedure_name: str
    received_at: datetime
    due_at: datetime | None
    new_due_at: datetime | None
    reason: str
    issued_on: date
    signer_title: str = "THỦ TRƯỞNG CƠ QUAN"
    signer_name: str = ""


@dataclass(frozen=True)
class StopNoticeData:
    """Thông báo dừng giải quyết hồ sơ."""

    agency: Agency
    number: str
    dossier_code: str
    applicant: Applicant
    procedure_name: str
    received_at: datetime
    reason: str
    issued_on: date
    signer_title: str = "THỦ TRƯỞNG CƠ QUAN"
    signer_name: str = ""


@dataclass(frozen=True)
class ControlStep:
    """One hand-over of the dossier between units or officers."""

    from_unit: str
    from_person: str
    to_unit: str
    to_person: str
    handed_at: datetime
    planned_at: datetime | None = None  # when the receiving side should be done
    done_at: datetime | None = None  # when it was done (the next hand-over)
    result: str = ""  # "Trước hạn" | "Đúng hạn" | "Quá hạn" | "" while running
    note: str = ""


@dataclass(frozen=True)
class ControlSheetData:
    """Phiếu kiểm soát quá trình giải quyết hồ sơ."""

    agency: Agency
    dossier_code: str
    procedure_name: str
    applicant: Applicant
    received_at: datetime
    due_at: datetime | None
    resolving_unit: str
    steps: tuple[ControlStep, ...]
    receipt_number: str = ""
    coordinating_units: str = ""


@dataclass(frozen=True)
class TrackingBookRow:
    code: str
    owner: str
    address: str
    phone: str
    summary: str
    received_at: datetime | None
    due_at: datetime | None
    returned_at: datetime | None
    sets: int
    receiving_officer: str
    area: str  # lĩnh vực
    status: str
    number: int | None = None  # its «Số thứ tự» in the year's book (the receipt prints the same number)


@dataclass(frozen=True)
class TrackingBookData:
    """Sổ theo dõi hồ sơ for a date range."""

    agency: Agency
    date_from: date
    date_to: date
    rows: tuple[TrackingBookRow, ...]
    volume: str = ""  # "Quyển số"


@dataclass(frozen=True)
class FormField:
    """A field of a procedure's own form, as the catalog defines it."""

    id: str
    label: str
    type: str = "text"  # text|textarea|date|number|choice|id_number|phone|email|checkbox
    required: bool = False
    options: tuple[str, ...] = ()
    source: str = ""


@dataclass(frozen=True)
class ProcedureFormData:
    """A procedure's đơn / tờ khai, blank or filled from a dossier."""

    form_id: str
    title: str
    basis: str
    addressee: str
    fields: tuple[FormField, ...]
    values: tuple[tuple[str, str], ...] = ()  # (field id, value) for a filled form
    place: str = ""
    issued_on: date | None = None
    signer_title: str = "NGƯỜI LÀM ĐƠN"
    procedure_name: str = ""

    def value(self, field_id: str) -> str:
        return dict(self.values).get(field_id, "")


@dataclass(frozen=True)
class GuidanceData:
    """The printable guidance sheet an official hands to a citizen."""

    agency: Agency
    procedure_code: str
    procedure_name: str
    markdown: str
    processing_time: str = ""
    fees: tuple[FeeLine, ...] = ()
    components: tuple[DocumentLine, ...] = ()
    result: str = ""
    legal_basis: tuple[str, ...] = ()
    version: int = 0
    printed_on: date | None = None
    steps: tuple[str, ...] = ()  # «Trình tự thực hiện», as the catalog lists them
