"""«Kết nối với hệ thống của tỉnh»: enrol this desk with the provincial hub from the app.

The same service as ``motcua sync enroll`` (``motcua.sync.enroll``): the input is checked on the GUI
thread (no network), then the enrolment runs as a writer job — off the GUI thread, with the role
checked again inside the job — and its outcome comes back by queued signal. While it runs the dialog
shows a busy bar and cannot be closed (the request is bounded by the transport's timeouts).
"""

from __future__ import annotations

import socket
import sqlite3
from collections.abc import Callable
from dataclasses import dataclass
from typing import TYPE_CHECKING

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QCloseEvent
from PySide6.QtWidgets import (
    QDialogButtonBox,
    QFileDialog,
    QFrame,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QProgressBar,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from motcua.i18n import tr
from motcua.services import accounts as auth
from motcua.services.changes import Changes
from motcua.services.validation import ValidationFailed
from motcua.ui.context import AppContext
from motcua.ui.qtcompat import emit
from motcua.ui.settings.user_dialogs import FieldForm

if TYPE_CHECKING:
    from motcua.sync.enroll import EnrollmentInput

CA_FILTER = "Chứng thư CA (*.pem *.crt *.cer);;Mọi tệp (*)"


@dataclass(frozen=True)
class Enrolled:
    """What the writer job returns: the hub's answer, and the Changes the views redraw for."""

    commune_code: str
    device_id: str
    hub_url: str
    changes: Changes


Report = Callable[[int, int, str], None]


def enroll_job(user: auth.User, given: EnrollmentInput) -> Callable[[sqlite3.Connection, Report], Enrolled]:
    """The writer job for a checked ``EnrollmentInput``: the role again, then the one enrolment service."""

    def job(conn: sqlite3.Connection, report: Report) -> Enrolled:
        from motcua.sync.enroll import enroll

        auth.require(user, auth.CONNECT_PROVINCE)
        report(0, 1, tr("Đang liên hệ máy chủ tỉnh…"))
        answer = enroll(conn, given.hub_url, given.code, ca_file=given.ca_file, device_name=given.device_name)
        report(1, 1, tr("Đã kết nối."))
        return Enrolled(answer.commune_code, answer.device_id, given.hub_url, Changes(sync=True))

    return job


def describe_failure(error: BaseException) -> tuple[str, str]:
    """(title, message) for a failed enrolment, in plain Vietnamese, with what to do next."""
    from motcua.sync import errors

    if isinstance(error, errors.EnrollmentRefused):
        return tr("Mã đăng ký không được chấp nhận"), str(error)
    if isinstance(error, errors.TooManyAttempts):
        return tr("Tạm thời chưa thử lại được"), str(error)
    if isinstance(error, errors.CertificateRefused):
        return tr("Không xác minh được máy chủ tỉnh (TLS)"), str(error) + "\n" + tr(
            "Kiểm tra địa chỉ máy chủ và tệp chứng thư CA tỉnh đã gửi; nếu tỉnh có gửi tệp chứng thư, hãy chọn tệp đó.")
    if isinstance(error, errors.Unreachable):
        return tr("Không kết nối được máy chủ tỉnh"), str(error) + "\n" + tr(
            "Kiểm tra mạng của máy này và địa chỉ máy chủ tỉnh, rồi thử lại. Mã đăng ký chưa bị dùng.")
    if isinstance(error, errors.NotAcknowledged):
        return tr("Địa chỉ này không phải máy chủ tỉnh"), str(error) + "\n" + tr(
            "Kiểm tra lại địa chỉ máy chủ tỉnh (và đăng nhập wifi nếu mạng yêu cầu).")
    if isinstance(error, errors.KeyringUnavailable):
        return tr("Không lưu được khóa truy cập"), str(error)
    if isinstance(error, errors.SyncError):
        return tr("Máy chủ tỉnh từ chối"), str(error)
    from motcua.ui.widgets.dialogs import describe

    return describe(error)


class EnrollDialog(FieldForm):
    """Hub address, the province's one-time code, an optional province CA file, the device's name."""

    enrolled = Signal(object)  # Enrolled, on the GUI thread, after the dialog is accepted

    def __init__(self, context: AppContext, parent: QWidget | None = None):
        super().__init__(tr("Kết nối với hệ thống của tỉnh"), parent)
        self.setObjectName("enrollDialog")
        self.context = context
        self.running = False
        self.setMinimumWidth(600)
        heading = QLabel(tr("Kết nối với hệ thống của tỉnh"))
        heading.setObjectName("dialogHeading")
        intro = QLabel(tr("Nhập địa chỉ máy chủ và mã đăng ký do tỉnh cấp cho xã. Mỗi mã chỉ dùng được một lần, "
                          "cho một máy. Sau khi kết nối, máy này tự gửi các thay đổi lên tỉnh."))
        intro.setWordWrap(True)
        intro.setObjectName("muted")
        self.root.insertWidget(0, heading)
        self.root.insertWidget(1, intro)
        self.root.setSpacing(10)
        self.root.setContentsMargins(18, 16, 18, 14)
        self.form.setVerticalSpacing(8)

        self.hub_url = QLineEdit()
        self.hub_url.setPlaceholderText("https://motcua.daklak.gov.vn")
        self.code = QLineEdit()
        self.code.setPlaceholderText(tr("ví dụ K7QM-4XPA-93HT"))
        self.code.setMaxLength(40)
        self.ca_file = QLineEdit()
        self.ca_file.setPlaceholderText(tr("không bắt buộc (.pem, .crt)"))
        self.browse = QPushButton(tr("Chọn tệp…"))
        self.browse.clicked.connect(self.choose_ca_file)
        ca_row = QWidget()
        ca_box = QHBoxLayout(ca_row)
        ca_box.setContentsMargins(0, 0, 0, 0)
        ca_box.addWidget(self.ca_file, 1)
        ca_box.addWidget(self.browse)
        self.device_name = QLineEdit(socket.gethostname())
        self.add_field("hub_url", tr("Địa chỉ máy chủ tỉnh"), self.hub_url)
        self.add_field("code", tr("Mã đăng ký"), self.code)
        self.add_field("ca_file", tr("Tệp chứng thư CA của tỉnh"), ca_row)
        self.add_field("device_name", tr("Tên máy (để tỉnh nhận ra)"), self.device_name)

        self.progress_row = QWidget()
        progress_box = QHBoxLayout(self.progress_row)
        progress_box.setContentsMargins(0, 4, 0, 4)
        self.progress = QProgressBar()
        self.progress.setRange(0, 0)  # busy: one request, no meaningful percentage
        self.progress.setTextVisible(False)
        self.progress.setMaximumWidth(160)
        self.progress_text = QLabel(tr("Đang kết nối với máy chủ tỉnh…"))
        progress_box.addWidget(self.progress)
        progress_box.addWidget(self.progress_text, 1)
        self.progress_row.hide()
        self.root.addWidget(self.progress_row)

        self.problem = QFrame()
        self.problem.setObjectName("problemBox")
        problem_box = QVBoxLayout(self.problem)
        self.problem_title = QLabel()
        self.problem_title.setObjectName("sectionTitle")
        self.problem_text = QLabel()
        self.problem_text.setObjectName("problemText")
        self.problem_text.setWordWrap(True)
        self.problem_text.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        problem_box.addWidget(self.problem_title)
        problem_box.addWidget(self.problem_text)
        self.problem.hide()
        self.root.addWidget(self.problem)

        self.root.addStretch(1)  # room the dialog keeps after a message goes away stays below, not between rows
        self.finish(tr("Kết nối"))
        self.ok_button = self.buttons.button(QDialogButtonBox.StandardButton.Ok)
        self.cancel_button = self.buttons.button(QDialogButtonBox.StandardButton.Cancel)
        self.ok_button.setDefault(True)
        self.hub_url.setFocus()

    # -- input -----------------------------------------------------------------------------------
    def choose_ca_file(self) -> None:
        path, _ = QFileDialog.getOpenFileName(self, tr("Chọn tệp chứng thư CA của tỉnh"), self.ca_file.text(),
                                              tr(CA_FILTER))
        if path:
            self.ca_file.setText(path)

    def checked_input(self) -> EnrollmentInput | None:
        """The input as the service will use it, or None with each problem shown beside its field."""
        from motcua.sync.enroll import check_enrollment_input

        try:
            given = check_enrollment_input(self.hub_url.text(), self.code.text(), ca_file=self.ca_file.text(),
                                           device_name=self.device_name.text())
        except ValidationFailed as exc:
            self.show_errors(exc.errors)
            first = next(iter(exc.errors))
            target = {"hub_url": self.hub_url, "code": self.code, "ca_file": self.ca_file}.get(first, self.device_name)
            target.setFocus()
            return None
        self.show_errors({})
        return given

    # -- running ---------------------------------------------------------------------------------
    def accept(self) -> None:
        """«Kết nối»: check, then enrol on the writer thread; the dialog closes only on success."""
        if self.running:
            return
        self.show_problem(None)
        given = self.checked_input()
        if given is None:
            return
        self.code.setText(given.code)
        self.hub_url.setText(given.hub_url)
        self.set_running(True)
        self.context.runner.submit(enroll_job(self.context.signed_in, given), on_done=self._done,
                                   on_error=self._failed, progress=True, label=tr("Kết nối với tỉnh"))

    def set_running(self, running: bool) -> None:
        self.running = running
        for widget in (self.hub_url, self.code, self.ca_file, self.browse, self.device_name, self.ok_button,
                       self.cancel_button):
            widget.setEnabled(not running)
        self.progress_row.setVisible(running)

    def _done(self, result: Enrolled) -> None:
        self.set_running(False)
        super().accept()
        emit(self.enrolled, result)

    def _failed(self, error: BaseException) -> None:
        self.set_running(False)
        if isinstance(error, ValidationFailed):
            self.show_errors(error.errors)
            return
        self.show_problem(error)
        from motcua.sync.errors import EnrollmentRefused, TooManyAttempts

        if isinstance(error, EnrollmentRefused | TooManyAttempts):
            self.code.setFocus()
            self.code.selectAll()

    def show_problem(self, error: BaseException | None) -> None:
        if error is None:
            self.problem.hide()
            return
        title, message = describe_failure(error)
        self.problem_title.setText(title)
        self.problem_text.setText(message)
        self.problem.show()
        self.fit_height()

    def reject(self) -> None:
        if not self.running:  # the request cannot be taken back half-way: wait for its answer
            super().reject()

    def closeEvent(self, event: QCloseEvent) -> None:
        if self.running:
            event.ignore()
            return
        super().closeEvent(event)
