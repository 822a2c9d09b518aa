"""Every paper of both sets, read back from the real PDF: fields, layout, fonts."""

from __future__ import annotations

import dataclasses

import pytest

from motcua.forms import samples
from motcua.forms.formsets import load_form_set
from motcua.forms.model import DocumentLine
from motcua.forms.render import render_form
from tests.forms.forms_pdfcheck import (
    A4,
    MAX_MARGINS,
    MIN_MARGINS,
    assert_has,
    assert_margins,
    column_text,
    content_boxes,
    fonts,
    page_count,
    page_sizes,
    pages_text,
    text,
    words,
)

NATIONAL = ("CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM", "Độc lập - Tự do - Hạnh phúc")
AGENCY = ("ỦY BAN NHÂN DÂN XÃ EA TU", "TRUNG TÂM PHỤC VỤ HÀNH")


def test_all_papers_are_a4_within_the_decree_margins(papers: dict[tuple[str, str], bytes],
                                                     extra_papers: dict[str, bytes]) -> None:
    for key, pdf in [*papers.items(), *extra_papers.items()]:
        landscape = key[1] == "book" if isinstance(key, tuple) else False
        want = (A4[1], A4[0]) if landscape else A4
        for width, height in page_sizes(pdf):
            assert abs(width - want[0]) < 0.5 and abs(height - want[1]) < 0.5, key
        assert_margins(pdf)


def test_text_reaches_the_margins_it_is_given(papers: dict[tuple[str, str], bytes]) -> None:
    """The left margin in use is within 30–35 mm: text starts at the margin, not far inside it."""
    box = content_boxes(papers[("tt03_2025", "receipt")])[0]
    assert box is not None
    left, top, right, _bottom = box
    assert MIN_MARGINS["left"] - 0.6 <= left <= MAX_MARGINS["left"]
    assert MIN_MARGINS["top"] - 0.6 <= top <= MAX_MARGINS["top"]
    assert A4[0] - right <= MAX_MARGINS["right"]


def test_fonts_are_embedded_liberation_serif_subsets(papers: dict[tuple[str, str], bytes]) -> None:
    for key, pdf in papers.items():
        found = fonts(pdf)
        assert found, key
        for font in found:
            assert "LiberationSerif" in font["name"], (key, font)
            assert font["emb"] == "yes" and font["sub"] == "yes" and font["uni"] == "yes", (key, font)


@pytest.mark.parametrize("set_id", ["tt01_2018", "tt03_2025"])
def test_receipt_holds_every_field(papers: dict[tuple[str, str], bytes], set_id: str) -> None:
    data = samples.receipt()
    spec = load_form_set(set_id).template("receipt")
    pdf = papers[(set_id, "receipt")]
    assert page_count(pdf) == 1
    content = text(pdf)
    assert_has(
        content, *NATIONAL, *AGENCY, spec.label, spec.title, "Số: 12/TNHS",
        "Ea Tu, ngày 12 tháng 02 năm 2026",
        "Mã hồ sơ: 000.17.22.H56-260212-0007",
        "Trung tâm Phục vụ hành chính công xã Ea Tu tiếp nhận hồ sơ của:",
        "Ông/Bà: Nguyễn Thị Hồng Nhung", "Số định danh cá nhân/CCCD: 066195001234",
        "Địa chỉ: Thôn 4, xã Ea Tu, tỉnh Đắk Lắk", "Số điện thoại: 0905123456",
        "Email: nhung.nguyen@example.vn",
        "Nội dung yêu cầu giải quyết: Cấp giấy phép hoạt động bưu chính (cấp xã) – Đề nghị cấp giấy phép cho "
        "Công ty TNHH Chuyển phát Buôn Ma Thuột",
        "1. Thành phần hồ sơ, yêu cầu và số lượng mỗi loại giấy tờ gồm:", "STT", "Tên giấy tờ",
        "2. Số lượng hồ sơ: 01 (bộ)",
        "3. Thời gian giải quyết hồ sơ theo quy định là: 10 ngày làm việc",
        "4. Thời gian nhận hồ sơ: 09 giờ 15 phút, ngày 12 tháng 02 năm 2026",
        "5. Thời gian trả kết quả giải quyết hồ sơ: 16 giờ 30 phút, ngày 26 tháng 02 năm 2026",
        "6. Đăng ký nhận kết quả tại: Trung tâm Phục vụ hành chính công xã Ea Tu",
        "Phí thẩm định điều kiện hoạt động bưu chính: 12.500.000 đồng",
        "(Bằng chữ: Mười hai triệu năm trăm nghìn đồng)",
        "NGƯỜI NỘP HỒ SƠ", "NGƯỜI TIẾP NHẬN HỒ SƠ", "Trần Văn Bình",
    )
    # The documents table, row by row: name, then the counts in their columns.
    lines = content.splitlines()
    header = next(line for line in lines if "Tên giấy tờ" in line)
    for index, doc in enumerate(data.documents, start=1):
        row = next(line for line in lines if line.strip().startswith(f"{index} ") and doc.name[:25] in line)
        counts = row.split(doc.name[:25], 1)[1].split()
        expected = [str(n) for n in (doc.original, doc.certified_copy, doc.photocopy) if n]
        assert counts[-len(expected):] == expected, row
    assert "Bản" in header or "chính" in content


def test_receipt_counts_sit_under_their_columns(papers: dict[tuple[str, str], bytes]) -> None:
    page = words(papers[("tt03_2025", "receipt")])[0]
    by_text = {w.text: w for w in page.words}
    certified_centre = (by_text["chứng"].x0 + by_text["thực"].x1) / 2
    certified_row = by_text["Giấy"]  # row 2: one certified copy
    count = next(w for w in page.words if w.text == "1" and abs(w.y0 - certified_row.y0) < 2
                 and w.x0 > certified_row.x1 + 100)
    assert abs((count.x0 + count.x1) / 2 - certified_centre) < 6


def test_long_documents_table_flows_over_pages_with_its_header_repeated() -> None:
    documents = tuple(DocumentLine(f"Giấy tờ kèm theo số {i:02d} – bản kê khai chi tiết", original=1)
                      for i in range(1, 61))
    pdf = render_form("receipt", dataclasses.replace(samples.receipt(), documents=documents), "tt03_2025")
    pages = pages_text(pdf)
    assert len(pages) >= 2
    for page in pages:
        if "Giấy tờ kèm theo số" in page:
            assert "Tên giấy tờ" in page and "STT" in page
    assert_has(text(pdf), "Giấy tờ kèm theo số 60", "NGƯỜI TIẾP NHẬN HỒ SƠ")
    assert_margins(pdf)
    # Page numbers from page 2, centred in the top margin; none on page 1.
    from tests.forms.forms_pdfcheck import is_page_number

    pages_words = words(pdf)
    assert not any(is_page_number(w, pages_words[0], 0) for w in pages_words[0].words)
    for index in range(1, len(pages_words)):
        assert any(is_page_number(w, pages_words[index], index) for w in pages_words[index].words)


@pytest.mark.parametrize("set_id", ["tt01_2018", "tt03_2025"])
def test_supplement_request(papers: dict[tuple[str, str], bytes], set_id: str) -> None:
    data = samples.supplement()
    spec = load_form_set(set_id).template("supplement")
    assert_has(text(papers[(set_id, "supplement")]), *NATIONAL, spec.title, spec.label, "Số: 12/BSHS",
               "Ea Tu, ngày 16 tháng 02 năm 2026", f"Hồ sơ của: {data.applicant.name}",
               f"Mã hồ sơ: {data.dossier_code}", *(f"{i}. {item}" for i, item in enumerate(data.items, 1)),
               f"Lý do: {data.reason}", "NGƯỜI HƯỚNG DẪN", "Trần Văn Bình số điện thoại 0262 3812 345")


@pytest.mark.parametrize("set_id", ["tt01_2018", "tt03_2025"])
def test_refusal(papers: dict[tuple[str, str], bytes], set_id: str) -> None:
    data = samples.refusal()
    spec = load_form_set(set_id).template("refusal")
    assert_has(text(papers[(set_id, "refusal")]), *NATIONAL, spec.title, "Số: 12/TCHS", data.reason,
               "thông báo không tiếp nhận, giải quyết hồ sơ này với lý do cụ thể như sau:",
               "Xin thông báo cho Ông/Bà được biết và thực hiện./.")


@pytest.mark.parametrize("set_id", ["tt01_2018", "tt03_2025"])
def test_apology_with_new_date(papers: dict[tuple[str, str], bytes], set_id: str) -> None:
    data = samples.apology()
    spec = load_form_set(set_id).template("apology")
    assert_has(text(papers[(set_id, "apology")]), *NATIONAL, spec.title, "Số: 12/XLHS",
               "Ea Tu, ngày 26 tháng 02 năm 2026", "Kính gửi: Ông/Bà Nguyễn Thị Hồng Nhung",
               "Ngày 12 tháng 02 năm 2026", f"Lý do: {data.reason}",
               "14 giờ 00 phút, ngày 05 tháng 3 năm 2026", "Nơi nhận:", "- Như trên;", "GIÁM ĐỐC", "Lê Thị Mai")


def test_stop_notice_only_in_tt03(papers: dict[tuple[str, str], bytes]) -> None:
    assert ("tt01_2018", "stop") not in papers
    data = samples.stop_notice()
    assert_has(text(papers[("tt03_2025", "stop")]), *NATIONAL, "THÔNG BÁO", "Về việc dừng giải quyết hồ sơ",
               "Mẫu số 05 – Thông tư số 03/2025/TT-VPCP", "Số: 12/TB-DGQ", "Ea Tu, ngày 02 tháng 3 năm 2026",
               f"Lý do: {data.reason}", "thông báo dừng giải quyết hồ sơ nêu trên")


@pytest.mark.parametrize(("set_id", "number"), [("tt01_2018", "Mẫu số 05"), ("tt03_2025", "Mẫu số 06")])
def test_control_sheet(papers: dict[tuple[str, str], bytes], set_id: str, number: str) -> None:
    pdf = papers[(set_id, "control")]
    content = text(pdf)
    assert_has(content, *NATIONAL, "PHIẾU KIỂM SOÁT QUÁ TRÌNH GIẢI QUYẾT HỒ SƠ", number,
               "Mã hồ sơ: 000.17.22.H56-260212-0007", "Giấy tiếp nhận hồ sơ và hẹn trả kết quả số: 12/TNHS",
               "Ghi chú")
    head = {w.text: w for w in reversed(words(pdf)[0].words)}  # first occurrence of each word
    time_head = next(w for w in words(pdf)[0].words if w.text == "Thời" and w.x0 > head["STT"].x1 + 60)
    assert_has(column_text(pdf, page=1, x0=time_head.x0 - 3, x1=head["Hạn"].x0 - 3),
               "Thời gian giao, nhận hồ sơ", "Người giao", "Người nhận")
    assert_has(column_text(pdf, page=1, x0=head["Hạn"].x0 - 3, x1=head["Hạn"].x1 + 30), "Hạn giải quyết của bước")
    for step in samples.control_sheet().steps:
        assert_has(content, step.result)
    page = words(pdf)[0]
    giver = next(w for w in page.words if w.text == "Giao:")
    time_head = next(w for w in page.words if w.text == "Thời" and w.y0 > giver.y0 - 80 and w.x0 > giver.x0)
    parties = column_text(pdf, page=1, x0=giver.x0 - 2, x1=time_head.x0 - 4)
    assert_has(parties, "Giao: Trung tâm Phục vụ hành chính công, Trần Văn Bình",
               "Nhận: Phòng Văn hóa – Xã hội, Phạm Quốc Huy",
               "Giao: Lãnh đạo UBND xã, Lê Thị Mai")
    note_head = next(w for w in page.words if w.text == "Ghi")
    notes = column_text(pdf, page=1, x0=note_head.x0 - 36, x1=page.width)  # "Ghi chú" centred in 36 mm
    assert_has(notes, "Thẩm định đạt", "Đã gửi phiếu xin lỗi")
    lines = content.splitlines()
    assert any("10:00" in line and "16:00" in line and "Đúng hạn" in line for line in lines)
    assert any("Quá hạn" in line and "08:00" in line for line in lines)
