"""Clear Vietnamese messages for every failure, and the dialog that shows them."""

from __future__ import annotations

import sqlite3

from PySide6.QtWidgets import QMessageBox, QWidget

from motcua.domain.states import TransitionRefused
from motcua.i18n import tr
from motcua.services.accounts import PermissionDenied
from motcua.services.validation import ValidationFailed

# Field keys used by the services → what the user calls them.
FIELD_LABELS = {
    "applicant.name": "Họ tên người nộp",
    "applicant.id_number": "Số CCCD / mã số thuế",
    "applicant.phone": "Số điện thoại",
    "applicant.email": "Thư điện tử",
    "applicant.kind": "Loại đối tượng",
    "procedure_code": "Thủ tục",
    "summary": "Trích yếu",
    "sets": "Số bộ hồ sơ",
    "received_at": "Thời điểm tiếp nhận",
    "to": "Người nhận",
    "to_unit": "Đơn vị nhận",
    "note": "Ghi chú",
    "reason": "Lý do",
    "items": "Giấy tờ cần bổ sung",
    "amount": "Số tiền",
    "decision": "Kết quả",
    "new_due_at": "Ngày hẹn trả mới",
    "step_due_at": "Hạn của bước",
    "documents": "Giấy tờ",
    "text": "Nội dung",
    "at": "Thời điểm",
    "username": "Tên đăng nhập",
    "full_name": "Họ và tên",
    "password": "Mật khẩu",
    "confirm": "Nhập lại mật khẩu",
    "role": "Vai trò",
    "agency_code": "Mã cơ quan",
    "office_hours": "Giờ làm việc",
    "commune_name": "Xã / phường",
    "province_name": "Tỉnh / thành phố",
    "hub_url": "Địa chỉ máy chủ tỉnh",
    "code": "Mã đăng ký",
    "ca_file": "Tệp chứng thư CA của tỉnh",
    "device_name": "Tên máy",
}


def field_label(key: str) -> str:
    return tr(FIELD_LABELS.get(key, key))


def describe(error: BaseException) -> tuple[str, str]:
    """(title, message) in plain Vietnamese for any failure a job or a dialog can meet."""
    from motcua.services.desk import NotFound, NotInitialised
    from motcua.store.db import StoreError

    if isinstance(error, ValidationFailed):
        lines = [f"• {field_label(k)}: {v}" for k, v in error.errors.items()]
        return tr("Thông tin chưa hợp lệ"), tr("Vui lòng sửa các mục sau:") + "\n" + "\n".join(lines)
    if isinstance(error, TransitionRefused):
        return tr("Không thực hiện được thao tác"), str(error)
    if isinstance(error, PermissionDenied):
        return tr("Không có quyền"), str(error)
    if isinstance(error, NotFound):
        return tr("Không tìm thấy"), str(error)
    if isinstance(error, NotInitialised):
        return tr("Chưa khai báo đơn vị"), str(error)
    if isinstance(error, StoreError):
        return tr("Lỗi tệp dữ liệu"), str(error)
    if isinstance(error, sqlite3.OperationalError) and "locked" in str(error):
        return tr("Dữ liệu đang bận"), tr("Một chương trình khác đang ghi vào dữ liệu. Vui lòng thử lại sau ít phút.")
    if isinstance(error, sqlite3.Error):
        return tr("Lỗi cơ sở dữ liệu"), tr("Không ghi được dữ liệu: {e}. Hãy chạy «motcua check» hoặc liên hệ "
                                          "quản trị.", e=str(error))
    if isinstance(error, PermissionError):
        return tr("Không có quyền truy cập tệp"), tr("Không đọc/ghi được tệp: {e}", e=str(error))
    if isinstance(error, FileNotFoundError):
        return tr("Không tìm thấy tệp"), tr("Không tìm thấy tệp: {e}", e=str(error))
    if isinstance(error, OSError):
        return tr("Lỗi đọc/ghi tệp"), tr("Không đọc/ghi được tệp: {e}", e=str(error))
    return tr("Đã xảy ra lỗi"), tr("Thao tác không hoàn thành do lỗi không mong muốn: {e}", e=str(error) or
                                   type(error).__name__)


def show_error(parent: QWidget | None, error: BaseException) -> None:
    title, message = describe(error)
    box = QMessageBox(QMessageBox.Icon.Warning, title, message, QMessageBox.StandardButton.Ok, parent)
    box.setObjectName("errorDialog")
    box.button(QMessageBox.StandardButton.Ok).setText(tr("Đóng"))
    known = isinstance(error, ValidationFailed | TransitionRefused | PermissionDenied)
    if not known:
        import traceback

        box.setDetailedText("".join(traceback.format_exception(error)))
    box.exec()


def confirm(parent: QWidget | None, title: str, message: str) -> bool:
    box = QMessageBox(QMessageBox.Icon.Question, title, message,
                      QMessageBox.StandardButton.Yes | QMessageBox.StandardButton.No, parent)
    box.button(QMessageBox.StandardButton.Yes).setText(tr("Đồng ý"))
    box.button(QMessageBox.StandardButton.No).setText(tr("Hủy"))
    box.setDefaultButton(QMessageBox.StandardButton.No)
    return box.exec() == QMessageBox.StandardButton.Yes
