"""First run: which commune this is, its agency code, office hours, form set, the first administrator and the
backup passphrase (the backups hold every citizen's data, so they are always encrypted).

Every step works from the keyboard: type in a search box and press Enter to pick the first match,
Tab between fields, Enter for "Tiếp tục" and, on the last page, "Hoàn tất".
"""

from __future__ import annotations

import sqlite3
from typing import Any

from PySide6.QtCore import QEvent, QObject, Qt, QTime
from PySide6.QtGui import QKeyEvent, QStandardItem, QStandardItemModel
from PySide6.QtWidgets import (
    QButtonGroup,
    QFormLayout,
    QGridLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QListView,
    QRadioButton,
    QTimeEdit,
    QVBoxLayout,
    QWidget,
    QWizard,
    QWizardPage,
)

from motcua.domain.calendar import OfficeHours
from motcua.domain.ids import uuid7
from motcua.i18n import tr
from motcua.services import accounts as auth
from motcua.services.changes import Changes
from motcua.services.commune_settings import check_settings, default_agency_name, first_run_defaults, key_label
from motcua.services.divisions import Division, communes, provinces
from motcua.services.validation import Collector, ValidationFailed
from motcua.store import backup_keys
from motcua.store.db import transaction
from motcua.store.settings import put_values
from motcua.ui.qtcompat import emit
from motcua.ui.settings.choices import FORM_SETS
from motcua.ui.settings.passphrase_strength import StrengthLabel
from motcua.ui.widgets.dialogs import show_error
from motcua.ui.widgets.fitting import fit_size
from motcua.ui.widgets.folding import FOLDED_ROLE, FoldingFilter
from motcua.ui.worker import RunnerBase

CODE_ROLE = Qt.ItemDataRole.UserRole + 1
PAPER_FIELDS = (("desk_name", "Cơ quan ban hành (in trên biểu mẫu)"), ("place_name", "Địa danh trên văn bản"),
                ("desk_phone", "Điện thoại bộ phận tiếp nhận"), ("signer_title", "Chức vụ người ký"),
                ("signer_name", "Họ tên người ký"))


def _title(text: str) -> str:
    return f"<span style='font-size: 14pt; font-weight: 600; color: #1f3a5f'>{text}</span>"


def _error_label() -> QLabel:
    label = QLabel()
    label.setObjectName("fieldError")
    label.setWordWrap(True)
    label.hide()
    return label


class DivisionPicker(QWidget):
    """A search box over a list; Enter in the box picks the first match."""

    def __init__(self, title: str, placeholder: str, parent: QWidget | None = None):
        super().__init__(parent)
        box = QVBoxLayout(self)
        box.setContentsMargins(0, 0, 0, 0)
        box.setSpacing(4)
        self.title = QLabel(title)
        self.title.setObjectName("sectionTitle")
        box.addWidget(self.title)
        self.search = QLineEdit()
        self.search.setPlaceholderText(placeholder)
        self.search.setClearButtonEnabled(True)
        self.title.setBuddy(self.search)
        box.addWidget(self.search)
        self.source = QStandardItemModel(self)
        self.proxy = FoldingFilter(self)
        self.proxy.setSourceModel(self.source)
        self.list = QListView()
        self.list.setModel(self.proxy)
        self.list.setEditTriggers(QListView.EditTrigger.NoEditTriggers)
        box.addWidget(self.list, 1)
        self.search.textChanged.connect(self.proxy.set_needle)
        self.search.installEventFilter(self)
        self.picked_callback: Any = None
        self.list.selectionModel().currentChanged.connect(lambda *_: self._picked())

    def set_items(self, items: tuple[Division, ...]) -> None:
        self.source.clear()
        for division in items:
            item = QStandardItem(division.name)
            item.setData(division.code, CODE_ROLE)
            item.setData(division.folded, FOLDED_ROLE)
            self.source.appendRow(item)
        self.search.clear()

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if watched is self.search and event.type() == QEvent.Type.KeyPress:
            assert isinstance(event, QKeyEvent)
            if event.key() in (Qt.Key.Key_Return, Qt.Key.Key_Enter):
                if self.proxy.rowCount():
                    self.list.setFocus()
                    self.list.setCurrentIndex(self.proxy.index(0, 0))
                return True  # consumed: Enter here picks, it does not advance the wizard
            if event.key() == Qt.Key.Key_Down and self.proxy.rowCount():
                self.list.setFocus()
                self.list.setCurrentIndex(self.proxy.index(0, 0))
                return True
        return super().eventFilter(watched, event)

    def selected(self) -> tuple[int, str] | None:
        index = self.list.currentIndex()
        if not index.isValid():
            return None
        return int(index.data(CODE_ROLE)), str(index.data(Qt.ItemDataRole.DisplayRole))

    def _picked(self) -> None:
        if self.picked_callback is not None:
            self.picked_callback()


class PlacePage(QWizardPage):
    def __init__(self) -> None:
        super().__init__()
        self.setTitle(_title(tr("Đơn vị sử dụng")))
        self.setSubTitle(tr("Chọn tỉnh/thành phố và xã/phường theo danh mục đơn vị hành chính từ 01/7/2025. "
                            "Gõ để tìm (có dấu hoặc không dấu), Enter để chọn."))
        layout = QVBoxLayout(self)
        row = QHBoxLayout()
        self.province = DivisionPicker(tr("&Tỉnh / thành phố"), tr("ví dụ: Đắk Lắk"))
        self.province.setObjectName("provincePicker")
        self.province.set_items(provinces())
        self.commune = DivisionPicker(tr("&Xã / phường / đặc khu"), tr("chọn tỉnh trước"))
        self.commune.setObjectName("communePicker")
        row.addWidget(self.province, 2)
        row.addWidget(self.commune, 3)
        layout.addLayout(row, 1)
        self.error = _error_label()
        layout.addWidget(self.error)
        self.province.picked_callback = self._province_picked
        self.commune.picked_callback = lambda: emit(self.completeChanged)

    def initializePage(self) -> None:
        self.province.search.setFocus()

    def _province_picked(self) -> None:
        chosen = self.province.selected()
        self.commune.set_items(communes(chosen[0]) if chosen else ())
        self.commune.search.setPlaceholderText(tr("ví dụ: Ea Kao") if chosen else tr("chọn tỉnh trước"))
        if chosen and self.province.list.hasFocus():
            self.commune.search.setFocus()
        emit(self.completeChanged)

    def validatePage(self) -> bool:
        if self.province.selected() is None or self.commune.selected() is None:
            self.error.setText(tr("Chọn cả tỉnh/thành phố và xã/phường."))
            self.error.show()
            return False
        self.error.hide()
        return True


class AgencyPage(QWizardPage):
    def __init__(self) -> None:
        super().__init__()
        self.setTitle(_title(tr("Mã cơ quan, giờ làm việc, biểu mẫu")))
        self.setSubTitle(tr("Mã cơ quan theo mã định danh điện tử của đơn vị (ví dụ 000.17.22.H56); "
                            "mã hồ sơ sẽ có dạng «mã cơ quan-yyMMdd-số thứ tự»."))
        form = QFormLayout(self)
        form.setVerticalSpacing(8)
        self.agency_code = QLineEdit()
        self.agency_code.setObjectName("agencyCode")
        self.agency_code.setPlaceholderText("000.17.22.H56")
        self.agency_code_error = _error_label()
        form.addRow(tr("&Mã cơ quan"), self.agency_code)
        form.addRow("", self.agency_code_error)
        self.agency_name = QLineEdit()
        self.agency_name.setObjectName("agencyName")
        form.addRow(tr("Cơ quan chủ quản (in trên biểu mẫu)"), self.agency_name)
        # What the papers print: the issuing body, the place of the date line, the phone, the signer.
        self.papers: dict[str, QLineEdit] = {}
        for key, caption in PAPER_FIELDS:
            line = QLineEdit()
            line.setObjectName(f"setup_{key}")
            self.papers[key] = line
            form.addRow(tr(caption), line)
        self.papers_error = _error_label()
        form.addRow("", self.papers_error)
        hours = QGridLayout()
        self.times: list[QTimeEdit] = []
        defaults = OfficeHours().periods
        for number, caption in enumerate((tr("Buổi sáng"), tr("Buổi chiều"))):
            hours.addWidget(QLabel(caption + "  "), number, 0)
            for column, value in enumerate(defaults[number]):
                edit = QTimeEdit(QTime(value.hour, value.minute))
                edit.setDisplayFormat("HH:mm")
                edit.setMinimumWidth(88)
                self.times.append(edit)
                hours.addWidget(edit, number, 1 + column * 2)
            hours.addWidget(QLabel("–"), number, 2)
        hours.setColumnStretch(4, 1)
        form.addRow(tr("Giờ làm việc"), hours)
        self.hours_error = _error_label()
        form.addRow("", self.hours_error)
        self.form_sets = QButtonGroup(self)
        sets = QVBoxLayout()
        for value, label in FORM_SETS:
            radio = QRadioButton(tr(label))
            radio.setProperty("value", value)
            radio.setChecked(value == FORM_SETS[0][0])
            self.form_sets.addButton(radio)
            sets.addWidget(radio)
        form.addRow(tr("Bộ biểu mẫu một cửa"), sets)

    def initializePage(self) -> None:
        wizard = self.wizard()
        assert isinstance(wizard, SetupWizard)
        chosen = wizard.place.commune.selected()
        if chosen:
            defaults = first_run_defaults(chosen[1])
            for key, line in (("agency_name", self.agency_name), *self.papers.items()):
                if not line.isModified():
                    line.setText(defaults.get(key, ""))
        self.agency_code.setFocus()

    def office_hours(self) -> str:
        t = [e.time().toString("HH:mm") for e in self.times]
        return f"{t[0]}-{t[1]},{t[2]}-{t[3]}"

    def form_set(self) -> str:
        button = self.form_sets.checkedButton()
        return str(button.property("value")) if button else FORM_SETS[0][0]

    def values(self) -> dict[str, Any]:
        return {"agency_code": self.agency_code.text().strip(), "agency_name": self.agency_name.text(),
                "office_hours": self.office_hours(), "form_set": self.form_set(),
                **{key: line.text() for key, line in self.papers.items()}}

    def validatePage(self) -> bool:
        """The same check as Cài đặt and ``motcua settings`` (services.commune_settings)."""
        try:
            checked = check_settings(self.values())
        except ValidationFailed as exc:
            self.show_errors(exc.errors)
            return False
        self.agency_code.setText(checked["agency_code"])
        self.show_errors({})
        return True

    def show_errors(self, errors: dict[str, str]) -> None:
        for label, keys in ((self.agency_code_error, ("agency_code",)), (self.hours_error, ("office_hours",)),
                            (self.papers_error, ("agency_name", "form_set", *self.papers))):
            texts = [errors[k] if k in ("agency_code", "office_hours") else f"{key_label(k)}: {errors[k]}"
                     for k in keys if k in errors]
            label.setText("\n".join(texts))
            label.setVisible(bool(texts))
        if "agency_code" in errors:
            self.agency_code.setFocus()


class AdminPage(QWizardPage):
    def __init__(self) -> None:
        super().__init__()
        self.setTitle(_title(tr("Tài khoản quản trị đầu tiên")))
        self.setSubTitle(tr("Tài khoản này thêm các cán bộ khác và sửa cài đặt. Mật khẩu được lưu dạng băm, "
                            "không ai đọc lại được."))
        form = QFormLayout(self)
        form.setVerticalSpacing(6)
        self.inputs: dict[str, QLineEdit] = {}
        self.errors: dict[str, QLabel] = {}
        for key, caption, secret in (("username", tr("Tên đăng nhập"), False), ("full_name", tr("Họ và tên"), False),
                                     ("password", tr("Mật khẩu"), True), ("confirm", tr("Nhập lại mật khẩu"), True)):
            line = QLineEdit()
            line.setObjectName(f"admin_{key}")
            if secret:
                line.setEchoMode(QLineEdit.EchoMode.Password)
            self.inputs[key] = line
            self.errors[key] = _error_label()
            form.addRow(caption, line)
            form.addRow("", self.errors[key])
        self.inputs["username"].setText("quantri")
        self.inputs["password"].setPlaceholderText(tr("ít nhất {n} ký tự", n=auth.MIN_PASSWORD))
        self.general = _error_label()
        form.addRow(self.general)

    def initializePage(self) -> None:
        self.inputs["username"].setFocus()
        self.inputs["username"].selectAll()

    def show_errors(self, errors: dict[str, str]) -> None:
        for key, label in self.errors.items():
            label.setText(errors.get(key, ""))
            label.setVisible(key in errors)
        for key in errors:
            if key in self.inputs:
                self.inputs[key].setFocus()
                break

    def values(self) -> tuple[str, str, str, str]:
        username, full_name, password, confirm = (self.inputs[k].text() for k in
                                                  ("username", "full_name", "password", "confirm"))
        return username.strip().lower(), full_name, password, confirm

    def validatePage(self) -> bool:
        wizard = self.wizard()
        assert isinstance(wizard, SetupWizard)
        if wizard.backup_page is not None:   # the passphrase comes next; everything is saved on its page
            try:
                username, full_name, password, confirm = self.values()
                auth.check_new_user(username, full_name, "admin", password, confirm)
            except ValidationFailed as exc:
                self.show_errors(exc.errors)
                return False
            self.show_errors({})
            return True
        return wizard.save()


class BackupPassphrasePage(QWizardPage):
    """The backup passphrase, typed twice, with its strength as it is typed. Only the key pair it seals is
    stored (``store.backup_keys``), never the passphrase."""

    def __init__(self) -> None:
        super().__init__()
        self.setTitle(_title(tr("Mật khẩu sao lưu")))
        self.setSubTitle(tr("Bản sao lưu chứa họ tên, số định danh, địa chỉ và giấy tờ của công dân, nên luôn được "
                            "mã hóa. Mật khẩu này mở bản sao lưu khi cần khôi phục dữ liệu, kể cả trên máy khác."))
        form = QFormLayout(self)
        form.setVerticalSpacing(6)
        self.passphrase = QLineEdit()
        self.passphrase.setObjectName("backup_passphrase")
        self.passphrase.setEchoMode(QLineEdit.EchoMode.Password)
        self.passphrase.setPlaceholderText(tr("ít nhất {n} ký tự", n=backup_keys.MIN_PASSPHRASE))
        self.confirm = QLineEdit()
        self.confirm.setObjectName("backup_confirm")
        self.confirm.setEchoMode(QLineEdit.EchoMode.Password)
        self.strength = StrengthLabel(self.passphrase, self._avoid)
        self.passphrase_error = _error_label()
        self.confirm_error = _error_label()
        form.addRow(tr("Mật khẩu sao lưu"), self.passphrase)
        form.addRow("", self.strength)
        form.addRow("", self.passphrase_error)
        form.addRow(tr("Nhập lại mật khẩu"), self.confirm)
        form.addRow("", self.confirm_error)
        advice = QLabel(tr("Ghi mật khẩu ra giấy và cất nơi an toàn, tách khỏi máy tính. Mất mật khẩu thì không mở "
                           "được bản sao lưu (trừ khi tỉnh giữ khóa khôi phục). Mật khẩu sao lưu phải khác mật khẩu "
                           "đăng nhập; đổi được sau trong Cài đặt › Sao lưu và khôi phục."))
        advice.setWordWrap(True)
        advice.setObjectName("muted")
        form.addRow(advice)

    def _avoid(self) -> tuple[str, ...]:
        wizard = self.wizard()
        if not isinstance(wizard, SetupWizard):
            return ()
        username, _name, password, _confirm = wizard.admin_page.values()
        return (password, username)

    def initializePage(self) -> None:
        self.passphrase.setFocus()

    def checked(self) -> str | None:
        """The passphrase when it is strong enough and typed the same twice; else the reason is shown."""
        passphrase = self.passphrase.text()
        problem = backup_keys.passphrase_problem(passphrase, avoid=self._avoid())
        confirm = None if problem or passphrase == self.confirm.text() else tr("Mật khẩu nhập lại không khớp.")
        for label, text in ((self.passphrase_error, problem), (self.confirm_error, confirm)):
            label.setText(text or "")
            label.setVisible(bool(text))
        if problem:
            self.passphrase.setFocus()
            self.passphrase.selectAll()
        elif confirm:
            self.confirm.setFocus()
            self.confirm.selectAll()
        return None if problem or confirm else passphrase

    def validatePage(self) -> bool:
        wizard = self.wizard()
        assert isinstance(wizard, SetupWizard)
        return self.checked() is not None and wizard.save()


class SetupWizard(QWizard):
    """Writes the settings and the administrator through the writer; ``admin`` is set on success."""

    def __init__(self, runner: RunnerBase, parent: QWidget | None = None, *, only_admin: bool = False,
                 ask_backup_passphrase: bool = True):
        super().__init__(parent)
        self.runner = runner
        self.only_admin = only_admin
        self.admin: auth.User | None = None
        self._saving = False
        self.setObjectName("setupWizard")
        self.setWindowTitle(tr("Thiết lập lần đầu"))
        self.setWizardStyle(QWizard.WizardStyle.ClassicStyle)
        self.setOption(QWizard.WizardOption.NoBackButtonOnStartPage, True)
        self.setButtonText(QWizard.WizardButton.NextButton, tr("Tiếp tục ›"))
        self.setButtonText(QWizard.WizardButton.BackButton, tr("‹ Quay lại"))
        self.setButtonText(QWizard.WizardButton.FinishButton, tr("Hoàn tất"))
        self.setButtonText(QWizard.WizardButton.CancelButton, tr("Hủy"))
        self.place = PlacePage()
        self.agency = AgencyPage()
        self.admin_page = AdminPage()
        self.backup_page = BackupPassphrasePage() if ask_backup_passphrase else None
        pages: tuple[QWizardPage, ...] = (self.admin_page,) if only_admin else (self.place, self.agency,
                                                                                self.admin_page)
        for page in (*pages, self.backup_page) if self.backup_page else pages:
            self.addPage(page)
        fit_size(self, 860, 600)

    def settings_values(self) -> dict[str, Any]:
        province = self.place.province.selected()
        commune = self.place.commune.selected()
        assert province and commune
        values = {"province_name": province[1], "commune_name": commune[1], **self.agency.values()}
        values["agency_name"] = values["agency_name"] or default_agency_name(commune[1])
        return {**check_settings(values), "device_id": uuid7()}

    def save(self) -> bool:
        """Validate the administrator, then write everything in one transaction on the writer."""
        if self.admin is not None:
            return True
        page = self.admin_page
        username, full_name, password, confirm = page.values()
        try:
            auth.check_new_user(username, full_name, "admin", password, confirm)
        except ValidationFailed as exc:
            page.show_errors(exc.errors)
            if self.currentPage() is not page:
                self.back()
            return False
        passphrase = self.backup_page.checked() if self.backup_page else None
        if self.backup_page and passphrase is None:
            return False
        page.show_errors({})
        try:
            values = {} if self.only_admin else self.settings_values()
        except ValidationFailed as exc:  # the agency page checked these already; never write half
            show_error(self, exc)
            return False

        def job(conn: sqlite3.Connection) -> tuple[auth.User, Changes]:
            errors = Collector()
            if auth.user_count(conn):
                errors.add("username", tr("Đơn vị này đã có tài khoản; hãy đăng nhập."))
            errors.raise_if_any()
            # scrypt takes a moment: seal the backup key before taking the write lock
            keys = backup_keys.key_values(passphrase) if passphrase is not None else {}
            with transaction(conn):
                if values or keys:
                    put_values(conn, {**values, **keys})
                user = auth.create_user(conn, username, full_name, "admin", password)
            return user, Changes(settings=True)

        self._saving = True
        self.button(QWizard.WizardButton.FinishButton).setEnabled(False)
        self.runner.submit(job, on_done=self._saved, on_error=self._failed, label=tr("Thiết lập lần đầu"))
        self._saving = False
        return self.admin is not None

    def _saved(self, result: tuple[auth.User, Changes]) -> None:
        self.admin = result[0]
        self.runner.bus.publish(result[1])
        if not self._saving:  # the writer answered later: finish now
            self.accept()

    def _failed(self, error: BaseException) -> None:
        self.button(QWizard.WizardButton.FinishButton).setEnabled(True)
        if isinstance(error, ValidationFailed):
            if self.currentPage() is not self.admin_page:
                self.back()
            self.admin_page.show_errors(error.errors)
        else:
            show_error(self, error)
