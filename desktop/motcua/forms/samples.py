"""Realistic sample view models: the gallery, the benchmark and the tests print these."""

from __future__ import annotations

from datetime import date, datetime, timedelta, timezone

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

ICT = timezone(timedelta(hours=7))

AGENCY = Agency(
    name="Trung tâm Phục vụ hành chính công xã Ea Tu",
    parent_name="Ủy ban nhân dân xã Ea Tu",
    place="Ea Tu",
    code="000.17.22.H56",
    phone="0262 3812 345",
    short_name="TTPVHCC",
)
APPLICANT = Applicant(
    name="Nguyễn Thị Hồng Nhung",
    address="Thôn 4, xã Ea Tu, tỉnh Đắk Lắk",
    phone="0905123456",
    email="nhung.nguyen@example.vn",
    id_number="066195001234",
)
CODE = "000.17.22.H56-260212-0007"
PROCEDURE = "Cấp giấy phép hoạt động bưu chính (cấp xã)"
RECEIVED = datetime(2026, 2, 12, 9, 15, tzinfo=ICT)
DUE = datetime(2026, 2, 26, 16, 30, tzinfo=ICT)

DOCUMENTS = (
    DocumentLine("Tờ khai đề nghị cấp giấy phép hoạt động bưu chính", original=1),
    DocumentLine("Giấy chứng nhận đăng ký doanh nghiệp", certified_copy=1),
    DocumentLine("Phương án kinh doanh dịch vụ bưu chính", original=1),
    DocumentLine("Mẫu hợp đồng cung ứng và sử dụng dịch vụ bưu chính", photocopy=2),
    DocumentLine("Bảng giá cước dịch vụ bưu chính", original=1, photocopy=1),
)


def receipt(documents: tuple[DocumentLine, ...] = DOCUMENTS) -> ReceiptData:
    return ReceiptData(
        agency=AGENCY,
        number="12",
        dossier_code=CODE,
        qr_payload=CODE,
        applicant=APPLICANT,
        procedure_name=PROCEDURE,
        summary="Đề nghị cấp giấy phép cho Công ty TNHH Chuyển phát Buôn Ma Thuột",
        documents=documents,
        sets=1,
        processing_time="10 ngày làm việc",
        received_at=RECEIVED,
        due_at=DUE,
        return_place="Trung tâm Phục vụ hành chính công xã Ea Tu",
        receiving_officer="Trần Văn Bình",
        fees=(FeeLine("Phí thẩm định điều kiện hoạt động bưu chính", 12_500_000),),
        procedure_code="1.003560",
    )


def supplement() -> SupplementData:
    return SupplementData(
        agency=AGENCY, number="12", dossier_code=CODE, applicant=APPLICANT, procedure_name=PROCEDURE,
        summary="", issued_on=date(2026, 2, 16), officer="Trần Văn Bình", contact_phone="0262 3812 345",
        items=("Bản sao chứng thực Giấy chứng nhận đăng ký doanh nghiệp còn hiệu lực",
               "Phương án kinh doanh có chữ ký của người đại diện theo pháp luật và đóng dấu"),
        reason="Bản sao đã nộp hết hạn chứng thực; phương án kinh doanh chưa có chữ ký.",
    )


def refusal() -> RefusalData:
    return RefusalData(
        agency=AGENCY, number="12", dossier_code=CODE, applicant=APPLICANT, procedure_name=PROCEDURE,
        summary="", issued_on=date(2026, 2, 12), officer="Trần Văn Bình",
        reason="Thủ tục cấp giấy phép hoạt động bưu chính nội tỉnh thuộc thẩm quyền của Sở Khoa học và "
               "Công nghệ; đề nghị Ông/Bà nộp hồ sơ tại Trung tâm Phục vụ hành chính công tỉnh.",
    )


def apology() -> ApologyData:
    return ApologyData(
        agency=AGENCY, number="12", dossier_code=CODE, applicant=APPLICANT, procedure_name=PROCEDURE,
        received_at=RECEIVED, due_at=DUE, new_due_at=datetime(2026, 3, 5, 14, 0, tzinfo=ICT),
        reason="Hồ sơ cần lấy ý kiến của Sở Khoa học và Công nghệ, văn bản trả lời đến chậm.",
        issued_on=date(2026, 2, 26), signer_title="GIÁM ĐỐC", signer_name="Lê Thị Mai",
    )


def stop_notice() -> StopNoticeData:
    return StopNoticeData(
        agency=AGENCY, number="12", dossier_code=CODE, applicant=APPLICANT, procedure_name=PROCEDURE,
        received_at=RECEIVED, issued_on=date(2026, 3, 2), signer_title="GIÁM ĐỐC", signer_name="Lê Thị Mai",
        reason="Quá thời hạn yêu cầu bổ sung hồ sơ, Ông/Bà chưa bổ sung theo Phiếu yêu cầu bổ sung, "
               "hoàn thiện hồ sơ số 12/BSHS ngày 16 tháng 02 năm 2026.",
    )


def control_sheet() -> ControlSheetData:
    steps = (
        ControlStep("Trung tâm Phục vụ hành chính công", "Trần Văn Bình", "Phòng Văn hóa – Xã hội", "Phạm Quốc Huy",
                    datetime(2026, 2, 12, 10, 0, tzinfo=ICT), datetime(2026, 2, 12, 16, 0, tzinfo=ICT),
                    datetime(2026, 2, 12, 10, 0, tzinfo=ICT), "Đúng hạn", ""),
        ControlStep("Phòng Văn hóa – Xã hội", "Phạm Quốc Huy", "Lãnh đạo UBND xã", "Lê Thị Mai",
                    datetime(2026, 2, 20, 15, 30, tzinfo=ICT), datetime(2026, 2, 23, 17, 0, tzinfo=ICT),
                    datetime(2026, 2, 20, 15, 30, tzinfo=ICT), "Trước hạn", "Thẩm định đạt"),
        ControlStep("Lãnh đạo UBND xã", "Lê Thị Mai", "Trung tâm Phục vụ hành chính công", "Trần Văn Bình",
                    datetime(2026, 2, 27, 8, 0, tzinfo=ICT), datetime(2026, 2, 25, 17, 0, tzinfo=ICT),
                    datetime(2026, 2, 27, 8, 0, tzinfo=ICT), "Quá hạn", "Đã gửi phiếu xin lỗi"),
    )
    return ControlSheetData(
        agency=AGENCY, dossier_code=CODE, procedure_name=PROCEDURE, applicant=APPLICANT, received_at=RECEIVED,
        due_at=DUE, resolving_unit="Phòng Văn hóa – Xã hội xã Ea Tu", steps=steps, receipt_number="12/TNHS",
    )


_OWNERS = ("Nguyễn Văn An", "Trần Thị Bích Ngọc", "Lê Hoàng Phúc", "Phạm Thị Thu Hà", "Hoàng Đức Thắng",
           "Y Bhim Niê", "H'Hen Êban", "Võ Minh Khôi", "Đặng Thị Ánh Tuyết", "Bùi Quang Vinh")
_AREAS = ("Bưu chính", "Viễn thông", "Tần số vô tuyến", "Sở hữu trí tuệ", "Tiêu chuẩn đo lường")
_STATUSES = ("Được tiếp nhận", "Đang xử lý", "Đã xử lý xong", "Đã trả kết quả", "Yêu cầu bổ sung giấy tờ")


def tracking_rows(count: int) -> tuple[TrackingBookRow, ...]:
    rows = []
    start = datetime(2026, 1, 5, 8, 0, tzinfo=ICT)
    for i in range(count):
        received = start + timedelta(hours=3 * i)
        rows.append(TrackingBookRow(
            code=f"000.17.22.H56-{received:%y%m%d}-{i % 40 + 1:04d}",
            owner=_OWNERS[i % len(_OWNERS)],
            address=f"Thôn {i % 12 + 1}, xã Ea Tu, tỉnh Đắk Lắk",
            phone=f"09{i:08d}",
            summary="Cấp giấy phép hoạt động bưu chính" if i % 3 else
                    "Thông báo hoạt động bưu chính của chi nhánh, văn phòng đại diện",
            received_at=received,
            due_at=received + timedelta(days=10),
            returned_at=received + timedelta(days=8) if i % 4 == 0 else None,
            sets=1 + i % 2,
            receiving_officer="Trần Văn Bình",
            area=_AREAS[i % len(_AREAS)],
            status=_STATUSES[i % len(_STATUSES)],
        ))
    return tuple(rows)


def tracking_book(count: int = 300) -> TrackingBookData:
    rows = tracking_rows(count)
    return TrackingBookData(
        agency=AGENCY, date_from=date(2026, 1, 5),
        date_to=max(r.received_at for r in rows if r.received_at).date() if rows else date(2026, 1, 5),
        rows=rows, volume="01/2026",
    )


PROCEDURE_FORM_FIELDS = (
    FormField("ho_ten", "Họ, chữ đệm, tên", "text", True, source="applicant.name"),
    FormField("so_dinh_danh", "Số định danh cá nhân", "id_number", True, source="applicant.id_number"),
    FormField("dia_chi", "Nơi cư trú", "text", True, source="applicant.address"),
    FormField("dien_thoai", "Số điện thoại", "phone", source="applicant.phone"),
    FormField("email", "Thư điện tử", "email", source="applicant.email"),
    FormField("ngay_bat_dau", "Ngày dự kiến bắt đầu hoạt động", "date"),
    FormField("loai_hinh", "Loại hình doanh nghiệp", "choice",
              options=("Công ty TNHH", "Công ty cổ phần", "Doanh nghiệp tư nhân")),
    FormField("so_diem", "Số điểm phục vụ", "number"),
    FormField("noi_dung", "Nội dung đề nghị", "textarea", True, source="dossier.summary"),
    FormField("cam_ket", "Tôi cam kết nội dung khai trên là đúng sự thật", "checkbox", True),
)


def procedure_form(filled: bool) -> ProcedureFormData:
    values: tuple[tuple[str, str], ...] = ()
    if filled:
        values = (("ho_ten", APPLICANT.name), ("so_dinh_danh", APPLICANT.id_number),
                  ("dia_chi", APPLICANT.address), ("dien_thoai", APPLICANT.phone), ("email", APPLICANT.email),
                  ("noi_dung", "Đề nghị cấp giấy phép hoạt động bưu chính phạm vi nội tỉnh cho Công ty "
                                "TNHH Chuyển phát Buôn Ma Thuột, trụ sở tại Thôn 4, xã Ea Tu."))
    return ProcedureFormData(
        form_id="to-khai-buu-chinh", title="TỜ KHAI ĐỀ NGHỊ CẤP GIẤY PHÉP HOẠT ĐỘNG BƯU CHÍNH",
        basis="Mẫu số 01 ban hành kèm theo Nghị định số 133/2025/NĐ-CP", addressee="Ủy ban nhân dân xã Ea Tu",
        fields=PROCEDURE_FORM_FIELDS, values=values, place="Ea Tu",
        issued_on=RECEIVED.date() if filled else None, procedure_name=PROCEDURE,
    )


GUIDANCE_MD = """## Các bước
1. Chuẩn bị hồ sơ theo danh mục bên dưới; tờ khai **ký và ghi rõ họ tên**.
2. Nộp hồ sơ tại Bộ phận Một cửa xã hoặc qua *Cổng Dịch vụ công quốc gia*.
3. Nhận Giấy tiếp nhận hồ sơ và hẹn trả kết quả; giữ lại để tra cứu bằng mã QR.

## Lỗi thường gặp
- Bản sao Giấy chứng nhận đăng ký doanh nghiệp không được chứng thực.
- Phương án kinh doanh thiếu chữ ký của người đại diện theo pháp luật.

## Hỏi đáp
**Hỏi:** Có phải nộp bản chính Giấy chứng nhận đăng ký doanh nghiệp không?

**Đáp:** Không. Chỉ cần bản sao có chứng thực, hoặc bản photo kèm bản chính để đối chiếu.
"""


def guidance() -> GuidanceData:
    return GuidanceData(
        agency=AGENCY, procedure_code="1.003560", procedure_name=PROCEDURE, markdown=GUIDANCE_MD,
        processing_time="10 ngày làm việc",
        fees=(FeeLine("Phí thẩm định điều kiện hoạt động bưu chính", 12_500_000),),
        components=DOCUMENTS, result="Giấy phép hoạt động bưu chính",
        legal_basis=("Luật Bưu chính số 49/2010/QH12 ngày 17 tháng 6 năm 2010",
                     "Nghị định số 133/2025/NĐ-CP ngày 12 tháng 6 năm 2025 của Chính phủ"),
        version=1, printed_on=date(2026, 2, 12),
    )
