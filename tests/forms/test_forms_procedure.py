"""A procedure's own form from the catalog's field definitions, and the guidance sheet."""

from __future__ import annotations

from motcua.forms import samples
from motcua.forms.render import render_guidance
from tests.forms.forms_pdfcheck import assert_has, assert_margins, text


def test_blank_form_has_labels_and_nothing_filled(extra_papers: dict[str, bytes]) -> None:
    content = text(extra_papers["form_blank"])
    data = samples.procedure_form(False)
    assert_has(content, "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM", data.title, "Kính gửi: Ủy ban nhân dân xã Ea Tu",
               data.basis, "1. Họ, chữ đệm, tên:", "9. Nội dung đề nghị:", "Công ty cổ phần",
               "Tôi cam kết nội dung khai trên là đúng sự thật", "NGƯỜI LÀM ĐƠN", ", ngày ..... tháng")
    assert samples.APPLICANT.name not in content and samples.APPLICANT.id_number not in content
    assert_margins(extra_papers["form_blank"])


def test_filled_form_carries_the_dossier_values(extra_papers: dict[str, bytes]) -> None:
    content = text(extra_papers["form_filled"])
    a = samples.APPLICANT
    assert_has(content, f"1. Họ, chữ đệm, tên: {a.name}", f"2. Số định danh cá nhân: {a.id_number}",
               f"3. Nơi cư trú: {a.address}", f"4. Số điện thoại: {a.phone}", f"5. Thư điện tử: {a.email}",
               "Đề nghị cấp giấy phép hoạt động bưu chính phạm vi nội tỉnh cho Công ty TNHH Chuyển phát Buôn Ma "
               "Thuột, trụ sở tại Thôn 4, xã Ea Tu.", "Ea Tu, ngày 12 tháng 02 năm 2026")
    assert_margins(extra_papers["form_filled"])


def test_guidance_sheet(extra_papers: dict[str, bytes]) -> None:
    content = text(extra_papers["guidance"])
    assert_has(content, "HƯỚNG DẪN THỰC HIỆN THỦ TỤC HÀNH CHÍNH", samples.PROCEDURE, "Mã thủ tục: 1.003560",
               "Thời hạn giải quyết: 10 ngày làm việc", "12.500.000 đồng",
               "(Bằng chữ: Mười hai triệu năm trăm nghìn đồng)", "Các bước", "Lỗi thường gặp", "Hỏi đáp",
               "Chuẩn bị hồ sơ theo danh mục bên dưới; tờ khai ký và ghi rõ họ tên.",
               "Hỏi: Có phải nộp bản chính Giấy chứng nhận đăng ký doanh nghiệp không?",
               "Căn cứ pháp lý:", "Nghị định số 133/2025/NĐ-CP", "(01 bản sao chứng thực)")
    assert_margins(extra_papers["guidance"])


def test_guidance_markdown_tables_links_and_long_text_flow() -> None:
    import dataclasses

    md = ("## Bảng phí\n\n| Loại | Mức thu |\n|---|---|\n| Cấp mới | 50.000 đồng |\n\n"
          "Xem [Cổng Dịch vụ công](https://dichvucong.gov.vn).\n\n"
          + "\n\n".join(f"Đoạn hướng dẫn số {i}: nội dung dài để kiểm tra việc sang trang." for i in range(80)))
    pdf = render_guidance(dataclasses.replace(samples.guidance(), markdown=md))
    content = text(pdf)
    assert_has(content, "Bảng phí", "Cấp mới", "50.000 đồng", "Cổng Dịch vụ công (https://dichvucong.gov.vn)",
               "Đoạn hướng dẫn số 79")
    assert_margins(pdf)
