"""From a real commune store to printed papers: content.py and ``motcua print``."""

from __future__ import annotations

from datetime import date, datetime
from pathlib import Path

import pytest
import zxingcpp

from motcua.catalog import load_shipped
from motcua.cli import main
from motcua.domain.clock import VN_TZ
from motcua.domain.events import Event
from motcua.forms import content
from motcua.services.desk import Desk
from motcua.services.intake import Applicant, IntakeRequest, ProcedureRef
from motcua.store.db import open_store, transaction
from motcua.store.events import commit_event
from motcua.store.settings import put_values
from tests.forms.conftest import catalog_root
from tests.forms.forms_pdfcheck import assert_has, assert_margins, column_text, page_count, render, text, words

PROCEDURE = {
    "code": "1.003560", "version": 2, "name": "Cấp giấy phép bưu chính", "sector": "Khoa học và Công nghệ",
    "field": "Bưu chính", "level": "commune",
    "processing_time": {"amount": 10, "unit": "working_days", "text": "10 ngày làm việc"},
    "fees": [{"kind": "phi", "name": "Phí thẩm định", "amount_vnd": 1_250_000, "note": "",
              "needs_confirmation": False}],
    "components": [{"name": "Tờ khai đề nghị cấp giấy phép", "kind": "original", "copies": 1, "required": True,
                    "form": "to-khai-buu-chinh", "note": ""},
                   {"name": "Giấy chứng nhận đăng ký doanh nghiệp", "kind": "certified_copy", "copies": 1,
                    "required": True, "form": None, "note": ""}],
    "sets": 1, "channels": ["desk"], "steps": ["Bước 1: nộp hồ sơ"], "result": "Giấy phép bưu chính",
    "legal_basis": ["Luật Bưu chính số 49/2010/QH12"], "publishing_decision": "",
    "effective_from": "2025-07-01", "effective_until": None,
    "guidance": "## Các bước\n1. Nộp **tờ khai** tại Bộ phận Một cửa.\n\n## Hỏi đáp\n**Hỏi:** Mất bao lâu?\n\n"
                "**Đáp:** Mười ngày làm việc.",
    "forms": [{"id": "to-khai-buu-chinh", "title": "TỜ KHAI ĐỀ NGHỊ CẤP GIẤY PHÉP BƯU CHÍNH",
               "basis": "Mẫu số 01 ban hành kèm theo Nghị định số 133/2025/NĐ-CP",
               "addressee": "Ủy ban nhân dân xã Ea Kao",
               "fields": [{"id": "ho_ten", "label": "Họ, chữ đệm, tên", "type": "text", "required": True,
                           "source": "applicant.name"},
                          {"id": "cccd", "label": "Số định danh cá nhân", "type": "id_number", "required": True,
                           "source": "applicant.id_number"},
                          {"id": "noi_dung", "label": "Nội dung đề nghị", "type": "textarea",
                           "source": "dossier.summary"},
                          {"id": "ma_ho_so", "label": "Mã hồ sơ", "type": "text", "source": "dossier.code"},
                          {"id": "loai", "label": "Phạm vi", "type": "choice", "options": ["Nội tỉnh", "Liên tỉnh"]}]}],
    "provenance": {"sources": ["kiểm thử"], "needs_confirmation": [], "note": ""},
}


def _at(text_value: str) -> datetime:
    return datetime.fromisoformat(text_value).replace(tzinfo=VN_TZ)


@pytest.fixture
def root(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """An install root like the shipped one, whose catalog holds one procedure."""
    return catalog_root(tmp_path, monkeypatch, PROCEDURE)


@pytest.fixture
def store(tmp_path: Path, root: Path):
    data_dir = tmp_path / "data"
    conn = open_store(data_dir / "motcua.sqlite3")
    with transaction(conn):
        put_values(conn, {"commune_name": "Xã Ea Kao", "province_name": "Đắk Lắk", "agency_code": "000.17.22.H56",
                          "agency_name": "UBND XÃ EA KAO", "form_set": "tt03_2025", "device_id": "test"})
        conn.execute("INSERT INTO users (username, full_name, role, password_hash, created_at) VALUES "
                     "('binh', 'Trần Văn Bình', 'receiver', '', '2026-01-01'), "
                     "('huy', 'Phạm Quốc Huy', 'specialist', '', '2026-01-01')")
    report = load_shipped(conn, root / "db" / "catalog" / "procedures")  # the papers read the store's catalog
    assert not report.invalid, report.invalid
    desk = Desk(conn, data_dir)
    procedure = ProcedureRef("1.003560", "Cấp giấy phép bưu chính", 10, "working_days", 2, "Bưu chính", 1_250_000)
    request = IntakeRequest(
        procedure_code="1.003560", procedure=procedure,
        applicant=Applicant("Nguyễn Thị Hồng Nhung", "066195001234", 1, "0905123456", "nhung@example.vn",
                            "Buôn Ea Kao, xã Ea Kao"),
        summary="Cấp phép cho Công ty TNHH Chuyển phát Ea Kao",
        documents=({"name": "Tờ khai đề nghị cấp giấy phép", "kind": "original", "copies": 1, "received": True},
                   {"name": "Giấy chứng nhận đăng ký doanh nghiệp", "kind": "certified_copy", "copies": 2,
                    "received": True},
                   {"name": "Giấy tờ chưa nộp", "kind": "photocopy", "copies": 1, "received": False}),
        received_at=_at("2026-02-05T09:15"),
    )
    code = desk.intake(request, "binh").record.code
    desk.act(code, "handed_over", "binh", {"to": "huy", "to_unit": "Phòng Văn hóa – Xã hội",
                                           "step_due_at": "2026-02-06T17:00"}, at=_at("2026-02-05T10:00"))
    desk.act(code, "supplement_requested", "huy",
             {"reason": "Bản sao hết hạn chứng thực", "items": ["Bản sao chứng thực giấy chứng nhận mới"]},
             at=_at("2026-02-06T15:00"))
    desk.act(code, "supplemented", "binh", {}, at=_at("2026-02-09T08:30"))
    desk.act(code, "rescheduled", "huy", {"new_due_at": "2026-03-02T16:00", "reason": "Chờ ý kiến của Sở"},
             at=_at("2026-02-20T08:00"))
    desk.act(code, "resolved", "huy", {"note": "Đủ điều kiện", "doc_number": "12/QĐ-UBND", "signer": "Lê Văn Hùng"},
             at=_at("2026-02-27T10:00"))
    desk.act(code, "returned", "binh", {"to": "Nguyễn Thị Hồng Nhung"}, at=_at("2026-02-27T14:00"))

    second = desk.intake(IntakeRequest(procedure_code="1.003560", procedure=procedure,
                                       applicant=Applicant("Lê Hoàng Phúc"), received_at=_at("2026-02-06T08:00")),
                         "binh").record.code
    desk.act(second, "stopped", "binh", {"reason": "Quá hạn bổ sung hồ sơ"}, at=_at("2026-02-16T08:00"))
    with transaction(conn):
        commit_event(conn, Event.new("refused-1", "refused", "binh",
                                     {"applicant": {"name": "Võ Minh Khôi"}, "procedure": {"name": "Đăng ký khai sinh"},
                                      "reason": "Không thuộc thẩm quyền của xã"},
                                     occurred_at=_at("2026-02-06T09:00")))
    yield conn, data_dir, code, second
    conn.close()


def test_receipt_from_the_store(store) -> None:
    conn, _, code, _ = store
    data = content.receipt_data(conn, code)
    assert data.dossier_code == code and data.qr_payload == code
    assert data.number == code.removeprefix("000.17.22.H56-")  # "Số: 260205-0001/TNHS"
    assert data.receiving_officer == "Trần Văn Bình"
    assert [d.name for d in data.documents] == ["Tờ khai đề nghị cấp giấy phép", "Giấy chứng nhận đăng ký doanh nghiệp"]
    assert data.documents[1].certified_copy == 2
    assert data.processing_time == "10 ngày làm việc"
    assert [(f.name, f.amount_vnd) for f in data.fees] == [("Phí thẩm định", 1_250_000)]
    from motcua.forms.render import render_form

    pdf = render_form("receipt", data, content.form_set_id(conn))
    assert_has(text(pdf), "UBND XÃ EA KAO", "BỘ PHẬN MỘT CỬA", f"Mã hồ sơ: {code}",
               "Đắk Lắk, ngày 05 tháng 02 năm 2026",
               "4. Thời gian nhận hồ sơ: 09 giờ 15 phút, ngày 05 tháng 02 năm 2026",
               "(Bằng chữ: Một triệu hai trăm năm mươi nghìn đồng)", "Bộ phận Một cửa tiếp nhận hồ sơ của:")


def test_control_sheet_from_events(store) -> None:
    conn, _, code, _ = store
    data = content.control_sheet_data(conn, code)
    steps = data.steps
    assert [(s.from_person, s.to_person) for s in steps] == [
        ("Trần Văn Bình", "Phạm Quốc Huy"), ("Phạm Quốc Huy", ""), ("Trần Văn Bình", "Nguyễn Thị Hồng Nhung")]
    handover, resolved, _returned = steps
    # The specialist held the dossier until it was resolved on 27/02, long after the step's 06/02 deadline.
    assert handover.planned_at == _at("2026-02-06T17:00") and handover.done_at == _at("2026-02-27T10:00")
    assert handover.result == "Quá hạn"
    assert "Yêu cầu bổ sung: Bản sao hết hạn chứng thực" in handover.note
    assert resolved.to_unit == "Bộ phận Một cửa" and "Đủ điều kiện" in resolved.note
    assert resolved.result in ("Trước hạn", "Đúng hạn", "Quá hạn")
    assert data.receipt_number.endswith("/TNHS") and data.resolving_unit == "Phòng Văn hóa – Xã hội"


def test_step_results_early_on_time_late() -> None:
    from motcua.forms.content import control_steps

    def handover(at: str, due: str) -> Event:
        return Event.new("d", "handed_over", "a", {"to": "b", "step_due_at": due}, occurred_at=_at(at))

    events = [handover("2026-02-02T08:00", "2026-02-03T17:00"),  # done 02/02 → trước hạn
              handover("2026-02-02T09:00", "2026-02-04T17:00"),  # done 04/02 16:00 → đúng hạn
              handover("2026-02-04T16:00", "2026-02-05T12:00"),  # done 05/02 15:00 → quá hạn
              Event.new("d", "resolved", "a", {}, occurred_at=_at("2026-02-05T15:00"))]
    results = [s.result for s in control_steps(events, {}, "Bộ phận Một cửa", "X", _at("2026-02-10T17:00"))]
    assert results == ["Trước hạn", "Đúng hạn", "Quá hạn", "Trước hạn"]


def test_print_command_writes_every_paper(store, tmp_path: Path) -> None:
    conn, data_dir, code, second = store
    with transaction(conn):
        put_values(conn, {"signer_title": "Giám đốc", "signer_name": "Lê Thị Mai"})
    out = tmp_path / "out"
    base = ["--data-dir", str(data_dir), "print"]
    for paper in ("receipt", "supplement", "apology", "control"):
        assert main([*base, paper, code, "-o", str(out / f"{paper}.pdf")]) == 0, paper
    assert main([*base, "stop", second, "-o", str(out / "stop.pdf")]) == 0
    assert main([*base, "refusal", "refused-1", "-o", str(out / "refusal.pdf")]) == 0
    assert main([*base, "book", "--from", "2026-02-01", "--to", "2026-02-28", "-o", str(out / "book.pdf")]) == 0
    assert main([*base, "procedure-form", "to-khai-buu-chinh", code, "-o", str(out / "filled.pdf")]) == 0
    assert main([*base, "procedure-form", "to-khai-buu-chinh", "--procedure", "1.003560",
                 "-o", str(out / "blank.pdf")]) == 0
    assert main([*base, "guidance", "1.003560", "-o", str(out / "guidance.pdf")]) == 0

    pdfs = {p.stem: p.read_bytes() for p in out.glob("*.pdf")}
    for pdf in pdfs.values():
        assert_margins(pdf)
    assert_has(text(pdfs["supplement"]), "Bản sao chứng thực giấy chứng nhận mới", "Lý do: Bản sao hết hạn chứng thực",
               "Đắk Lắk, ngày 06 tháng 02 năm 2026", "Phạm Quốc Huy")
    assert_has(text(pdfs["apology"]), "Lý do: Chờ ý kiến của Sở", "GIÁM ĐỐC", "Lê Thị Mai",
               "16 giờ 00 phút, ngày 02 tháng 3 năm 2026",
               "Đắk Lắk, ngày 20 tháng 02 năm 2026")
    assert_has(text(pdfs["stop"]), "Lý do: Quá hạn bổ sung hồ sơ", "Lê Hoàng Phúc", "Mẫu số 05")
    assert_has(text(pdfs["refusal"]), "Không thuộc thẩm quyền của xã", "Võ Minh Khôi", "Đăng ký khai sinh")
    assert_has(text(pdfs["filled"]), "1. Họ, chữ đệm, tên: Nguyễn Thị Hồng Nhung",
               "2. Số định danh cá nhân: 066195001234", f"4. Mã hồ sơ: {code}", "Nội tỉnh", "Liên tỉnh")
    assert "Nguyễn Thị Hồng Nhung" not in text(pdfs["blank"])
    assert_has(text(pdfs["guidance"]), "Cấp giấy phép bưu chính", "Nộp tờ khai tại Bộ phận Một cửa.",
               "Hỏi: Mất bao lâu?", "Một triệu hai trăm năm mươi nghìn đồng", "(phiên bản 2)")
    book = pdfs["book"]
    assert page_count(book) == 1
    rows = content.tracking_book_data(conn, date(2026, 2, 1), date(2026, 2, 28)).rows
    assert [(r.code, r.status, r.receiving_officer) for r in rows] == [
        (code, "Đã trả kết quả", "Trần Văn Bình"), (second, "Dừng xử lý", "Trần Văn Bình")]
    assert rows[0].due_at == _at("2026-03-02T16:00")  # the rescheduled date
    start = next(w for w in words(book)[0].words if w.text == "Buôn")
    assert_has(column_text(book, page=1, x0=start.x0 - 2, x1=start.x0 + 31 * 72 / 25.4),
               "Buôn Ea Kao, xã Ea Kao; ĐT: 0905123456")
    assert_has(text(book), code, second,
               "Từ ngày 01 tháng 02 năm 2026 đến ngày 28 tháng 02 năm 2026", "Tổng số: 2 hồ sơ.")
    control = pdfs["control"]
    page = words(control)[0]
    giver = next(w for w in page.words if w.text == "Giao:")
    assert_has(column_text(control, page=1, x0=giver.x0 - 2, x1=giver.x0 + 150),
               "Giao: Bộ phận Một cửa, Trần Văn Bình", "Nhận: Phòng Văn hóa – Xã hội, Phạm Quốc Huy")
    decoded = [r.text for r in zxingcpp.read_barcodes(render(pdfs["receipt"], dpi=200))]
    assert decoded == [code]


def test_lookup_url_setting_goes_into_the_qr(store, tmp_path: Path) -> None:
    conn, data_dir, code, _ = store
    with transaction(conn):
        put_values(conn, {"lookup_url": "https://dichvucong.daklak.gov.vn/tra-cuu?ma="})
    out = tmp_path / "r.pdf"
    assert main(["--data-dir", str(data_dir), "print", "receipt", code, "-o", str(out)]) == 0
    decoded = [r.text for r in zxingcpp.read_barcodes(render(out.read_bytes(), dpi=200))]
    assert decoded == [f"https://dichvucong.daklak.gov.vn/tra-cuu?ma={code}"]


def test_form_set_setting_chooses_the_templates(store, tmp_path: Path) -> None:
    conn, data_dir, code, second = store
    base = ["--data-dir", str(data_dir), "print"]
    with transaction(conn):
        put_values(conn, {"form_set": "tt01_2018"})
    assert main([*base, "control", code, "-o", str(tmp_path / "c.pdf")]) == 0
    assert_has(text((tmp_path / "c.pdf").read_bytes()), "Mẫu số 05 – Thông tư số 01/2018/TT-VPCP")
    # TT 01/2018 has no stop notice: refused, nothing written.
    assert main([*base, "stop", second, "-o", str(tmp_path / "s.pdf")]) == 1
    assert not (tmp_path / "s.pdf").exists()
    assert main([*base, "stop", second, "--form-set", "tt03_2025", "-o", str(tmp_path / "s.pdf")]) == 0


def test_exit_codes(store, tmp_path: Path) -> None:
    _, data_dir, code, second = store
    base = ["--data-dir", str(data_dir), "print"]
    assert main([*base, "receipt", "000.17.22.H56-990101-9999", "-o", str(tmp_path / "x.pdf")]) == 3
    assert main([*base, "supplement", second, "-o", str(tmp_path / "x.pdf")]) == 1  # never asked to supplement
    assert main([*base, "refusal", code, "-o", str(tmp_path / "x.pdf")]) == 1  # it was received
    assert main([*base, "guidance", "9.999999", "-o", str(tmp_path / "x.pdf")]) == 3
    assert main([*base, "procedure-form", "khong-co", code, "-o", str(tmp_path / "x.pdf")]) == 3
    assert main([*base, "book", "--from", "2026-03-01", "--to", "2026-02-01", "-o", str(tmp_path / "x.pdf")]) == 1
    assert not (tmp_path / "x.pdf").exists()


def test_book_of_a_range_with_nothing_received(store) -> None:
    conn, *_ = store
    data = content.tracking_book_data(conn, date(2025, 1, 1), date(2025, 1, 31))
    assert data.rows == ()


def test_supplement_items_typed_on_the_command_line(store, tmp_path: Path) -> None:
    _, data_dir, code, _ = store
    out = tmp_path / "s.pdf"
    assert main(["--data-dir", str(data_dir), "print", "supplement", code, "--item", "Giấy xác nhận thông tin cư trú",
                 "--item", "  Bản sao   căn cước ", "-o", str(out)]) == 0
    pdf_text = text(out.read_bytes())
    assert_has(pdf_text, "Giấy xác nhận thông tin cư trú", "Bản sao căn cước", "Lý do: Bản sao hết hạn chứng thực")
    assert "Bản sao chứng thực giấy chứng nhận mới" not in pdf_text  # the typed list replaces the recorded one


def test_a_dossier_prints_its_own_catalog_version_or_says_it_is_gone(store, tmp_path: Path) -> None:
    conn, data_dir, _, _ = store
    desk = Desk(conn, data_dir)
    gone = ProcedureRef("1.003560", "Cấp giấy phép bưu chính", 10, "working_days", 7, "Bưu chính", 900_000)
    code = desk.intake(IntakeRequest(procedure_code="1.003560", procedure=gone, applicant=Applicant("Đỗ Văn An"),
                                     received_at=_at("2026-02-10T08:00")), "binh").record.code
    with pytest.raises(content.NotFound, match="phiên bản 7"):  # never version 2's fees on a version-7 dossier
        content.receipt_data(conn, code)
    out = tmp_path / "r.pdf"
    assert main(["--data-dir", str(data_dir), "print", "receipt", code, "-o", str(out)]) == 3
    assert not out.exists()
