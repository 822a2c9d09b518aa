"""The offline help (F1): one page per screen and task, as simple HTML. No Qt here; ``help_window`` shows them.

The keys listed are the ones the code binds (``main_window``, ``dossier_list_page``, ``today_board``,
``dossier_page``, ``intake_wizard``, ``guidance_page``, ``filter_widgets``); a test checks the main ones.
"""

from __future__ import annotations

from dataclasses import dataclass
from html import escape


@dataclass(frozen=True)
class HelpPage:
    key: str          # the main window's page key it belongs to ("" for general pages)
    title: str
    body: str         # HTML


def keys_table(rows: tuple[tuple[str, str], ...]) -> str:
    cells = "".join(f"<tr><td style='padding:3px 14px 3px 0; white-space:nowrap'><b>{escape(k)}</b></td>"
                    f"<td style='padding:3px 0'>{escape(v)}</td></tr>" for k, v in rows)
    return f"<table cellspacing='0'>{cells}</table>"


GENERAL_KEYS = (
    ("Ctrl+N", "Tiếp nhận hồ sơ mới"),
    ("Ctrl+1", "Trang Hôm nay"),
    ("Ctrl+2", "Trang Hồ sơ"),
    ("Ctrl+3", "Tra cứu thủ tục"),
    ("Ctrl+4", "Báo cáo"),
    ("Ctrl+5", "Đồng bộ"),
    ("Ctrl+6", "Cài đặt"),
    ("Ctrl+F", "Tìm hồ sơ (trang Hồ sơ, ô tìm kiếm)"),
    ("F5", "Làm mới số liệu"),
    ("Alt+←", "Quay lại trang trước"),
    ("F1", "Trợ giúp này"),
    ("Ctrl+Shift+L", "Đăng xuất"),
    ("Ctrl+Q", "Thoát"),
)
TODAY_KEYS = (
    ("Alt+1 … Alt+4", "Chọn mục: đến hạn hôm nay, quá hạn, chờ bổ sung, chờ trả kết quả"),
    ("↑ / ↓", "Chọn hồ sơ trong danh sách"),
    ("Enter", "Mở hồ sơ đang chọn"),
)
LIST_KEYS = (
    ("Ctrl+F", "Đến ô tìm kiếm"),
    ("Enter (ô tìm kiếm)", "Lọc ngay; nếu chỉ có một hồ sơ khớp thì mở luôn hồ sơ đó"),
    ("Alt+R", "Lọc theo trạng thái"),
    ("Alt+C", "Lọc theo thủ tục (gõ mã hoặc tên, có dấu hoặc không, Enter để chọn)"),
    ("Alt+T / Alt+N", "Nhận từ ngày / đến ngày (gõ dd/mm/yyyy, ví dụ 30/11/2026)"),
    ("F4 hoặc Alt+↓", "Mở lịch trong ô ngày"),
    ("Delete (ô ngày)", "Bỏ ngày đó («không giới hạn»)"),
    ("Alt+X hoặc Esc", "Xóa mọi bộ lọc"),
    ("Ctrl+P hoặc Alt+S", "In sổ theo dõi hồ sơ tiếp nhận trong một khoảng ngày"),
    ("↑ / ↓, Enter", "Chọn và mở hồ sơ"),
)
DOSSIER_KEYS = (
    ("Alt+1 … Alt+9", "Các nút thao tác của hồ sơ, theo thứ tự trên màn hình"),
    ("Ctrl+P", "In biểu mẫu của hồ sơ (phiếu hẹn, phiếu yêu cầu bổ sung…)"),
    ("Esc", "Quay lại danh sách"),
)
INTAKE_KEYS = (
    ("Enter", "Sang bước tiếp theo; ở bước cuối thì lưu"),
    ("Ctrl+Enter", "Lưu hồ sơ từ bất kỳ bước nào"),
    ("Alt+Q", "Quay lại bước trước"),
    ("Alt+chữ gạch chân", "Đến ô tương ứng (ví dụ Alt+H: Họ và tên)"),
)
GUIDANCE_KEYS = (
    ("Alt+T", "Ô tìm thủ tục"),
    ("↑ / ↓, Enter", "Chọn và đọc hướng dẫn của thủ tục"),
    ("Alt+N", "Tiếp nhận hồ sơ của thủ tục này"),
    ("Alt+I", "In phiếu hướng dẫn cho công dân"),
)

PAGES: tuple[HelpPage, ...] = (
    HelpPage("", "Phím tắt", "<h2>Phím tắt</h2><h3>Mọi trang</h3>" + keys_table(GENERAL_KEYS)
             + "<h3>Trang Hôm nay</h3>" + keys_table(TODAY_KEYS)
             + "<h3>Trang Hồ sơ</h3>" + keys_table(LIST_KEYS)
             + "<h3>Một hồ sơ</h3>" + keys_table(DOSSIER_KEYS)
             + "<h3>Tiếp nhận hồ sơ mới</h3>" + keys_table(INTAKE_KEYS)
             + "<h3>Tra cứu thủ tục</h3>" + keys_table(GUIDANCE_KEYS)),
    HelpPage("today", "Trang Hôm nay", "<h2>Trang Hôm nay</h2>"
             "<p>Bốn ô đầu trang đếm các hồ sơ cần để ý trong ngày: <b>đến hạn hôm nay</b>, <b>quá hạn</b>, "
             "<b>chờ bổ sung</b> và <b>chờ trả kết quả</b>. Bấm một ô (hoặc Alt+1 … Alt+4) để xem danh sách "
             "của ô đó ngay bên dưới; Enter hoặc nhấp đúp để mở hồ sơ.</p>"
             "<p>Số liệu tự cập nhật khi có thay đổi và vài phút một lần, vì hồ sơ có thể quá hạn theo giờ.</p>"
             + keys_table(TODAY_KEYS)),
    HelpPage("intake", "Tiếp nhận hồ sơ mới", "<h2>Tiếp nhận hồ sơ mới (Ctrl+N)</h2><ol>"
             "<li><b>Thủ tục</b>: gõ mã hoặc vài chữ của tên thủ tục (có dấu hoặc không), chọn bằng ↑/↓ rồi "
             "Enter.</li><li><b>Giấy tờ</b>: đánh dấu các giấy tờ đã nhận, số bộ hồ sơ; giấy tờ khác gõ vào ô "
             "«Giấy tờ khác» rồi Enter.</li><li><b>Người nộp</b>: số CCCD hoặc mã số thuế, họ tên, điện thoại, "
             "địa chỉ, trích yếu. Người đã từng nộp sẽ được gợi ý lại thông tin.</li><li><b>Hẹn trả</b>: "
             "kiểm tra ngày hẹn trả và lệ phí, rồi <b>Lưu và in</b> giấy tiếp nhận.</li></ol>"
             "<p>Những gì đã gõ được lưu nháp liên tục: tắt máy giữa chừng cũng không mất.</p>"
             + keys_table(INTAKE_KEYS)),
    HelpPage("dossiers", "Trang Hồ sơ: tìm và lọc", "<h2>Trang Hồ sơ: tìm và lọc</h2>"
             "<p>Ô tìm kiếm nhận mã hồ sơ, họ tên, số CCCD, điện thoại hoặc tên thủ tục; danh sách lọc sau khi "
             "ngừng gõ một chút, hoặc ngay khi bấm Enter.</p>"
             "<p>Ngày tiếp nhận gõ theo dạng <b>ngày/tháng/năm</b> (30/11/2026, hoặc 30112026); ngày gõ dở "
             "chưa được áp dụng, Enter hoặc rời ô thì áp dụng. Ô «chọn nhanh» điền sẵn cả hai ngày "
             "(tháng này, quý này, 12 tháng qua…).</p>" + keys_table(LIST_KEYS)),
    HelpPage("dossier", "Xử lý một hồ sơ", "<h2>Xử lý một hồ sơ</h2>"
             "<p>Trang hồ sơ chỉ hiện những thao tác hợp lệ với trạng thái của hồ sơ và với vai trò của người "
             "đăng nhập: chuyển xử lý, yêu cầu bổ sung, hoàn thành xử lý, trả kết quả, dừng xử lý, xin lỗi và "
             "hẹn lại… Mỗi thao tác mở một hộp nhỏ để ghi nội dung; lịch sử hồ sơ ghi lại mọi bước.</p>"
             + keys_table(DOSSIER_KEYS)),
    HelpPage("guidance", "Tra cứu thủ tục", "<h2>Tra cứu thủ tục</h2>"
             "<p>Gõ tên, mã hoặc lĩnh vực của thủ tục (không dấu cũng được) để đọc thành phần hồ sơ, thời hạn, "
             "lệ phí và căn cứ pháp lý; in phiếu hướng dẫn cho công dân hoặc tiếp nhận hồ sơ ngay.</p>"
             + keys_table(GUIDANCE_KEYS)),
    HelpPage("reports", "Báo cáo thống kê", "<h2>Báo cáo thống kê</h2>"
             "<p>Chọn kỳ báo cáo (tháng, quý, năm hoặc khoảng ngày tự chọn) và lĩnh vực. Bảng số liệu đứng đầu "
             "trang; nhấp đúp một con số để xem danh sách hồ sơ làm nên con số đó. Bấm «Biểu đồ» để xem biểu "
             "đồ theo lĩnh vực và theo tháng.</p><p>Kỳ đang diễn ra được tính đến hôm nay. «Xuất Excel…» và "
             "«Xuất PDF…» lưu báo cáo thành tệp; trang báo cáo cho biết tệp đã lưu ở đâu.</p>"),
    HelpPage("sync", "Đồng bộ với tỉnh", "<h2>Đồng bộ với tỉnh</h2>"
             "<p>Máy làm việc không cần mạng: mọi thao tác được lưu trên máy. Khi máy đã đăng ký với hệ thống "
             "của tỉnh (cần mã đăng ký do tỉnh cấp), hồ sơ được gửi lên và thông báo được nhận về tự động mỗi "
             "khi có mạng. Trang Đồng bộ cho biết lần đồng bộ gần nhất và số hồ sơ chưa gửi.</p>"),
    HelpPage("settings", "Cài đặt và tài khoản", "<h2>Cài đặt và tài khoản</h2>"
             "<p>Quản trị viên khai báo tên xã, mã cơ quan, giờ làm việc, và quản lý tài khoản: thêm người "
             "dùng, đặt lại mật khẩu, khóa tài khoản. Người dùng khác chỉ xem.</p>"),
)


def page_for(key: str) -> HelpPage:
    """The help page of the main window's page ``key``; the shortcut list when there is none."""
    return next((page for page in PAGES if page.key == key and key), PAGES[0])
