"""The guidance library: search the catalog as you type, read a procedure's page, start an intake for
it or print its guidance sheet for the citizen.

Keyboard: Alt+T search · ↑/↓ results · Enter read the page (then ↑/↓/PgUp/PgDn scroll it) ·
Alt+N receive a dossier for this procedure · Alt+I print the guidance sheet.
"""

from __future__ import annotations

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QKeyEvent
from PySide6.QtWidgets import (
    QHBoxLayout,
    QLabel,
    QMessageBox,
    QPushButton,
    QSplitter,
    QTextBrowser,
    QVBoxLayout,
    QWidget,
)

from motcua.i18n import tr
from motcua.services.changes import Changes
from motcua.ui._adapters import AppContext, Procedure, guidance_pdf, load_procedure
from motcua.ui.guidance.procedure_html import CSS, procedure_page
from motcua.ui.intake.procedure_search import ProcedureSearch
from motcua.ui.qtcompat import emit
from motcua.ui.widgets.print_preview import PrintPreview


class GuidancePage(QWidget):
    """Emits ``intake_requested(code)``: the main window opens the intake wizard on that procedure."""

    intake_requested = Signal(str)

    def __init__(self, context: AppContext, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.context = context
        self.procedure: Procedure | None = None
        self.last_preview: PrintPreview | None = None
        self.search = ProcedureSearch(lambda: self.context.reader, self)
        search_label = QLabel(tr("&Tìm thủ tục:"))
        search_label.setBuddy(self.search.box)
        self.browser = QTextBrowser()
        self.browser.setOpenExternalLinks(True)
        self.browser.setObjectName("procedurePage")
        self.browser.document().setDefaultStyleSheet(CSS)
        self.intake_button = QPushButton(tr("Tiếp &nhận hồ sơ thủ tục này"))
        self.print_button = QPushButton(tr("&In hướng dẫn"))
        self.intake_button.clicked.connect(self._request_intake)
        self.print_button.clicked.connect(self.print_guidance)

        left = QWidget()
        left_layout = QVBoxLayout(left)
        left_layout.setContentsMargins(0, 0, 6, 0)
        left_layout.addWidget(search_label)
        left_layout.addWidget(self.search, 1)
        right = QWidget()
        right_layout = QVBoxLayout(right)
        right_layout.setContentsMargins(6, 0, 0, 0)
        buttons = QHBoxLayout()
        buttons.addWidget(self.intake_button)
        buttons.addWidget(self.print_button)
        buttons.addStretch(1)
        right_layout.addLayout(buttons)
        right_layout.addWidget(self.browser, 1)
        splitter = QSplitter(Qt.Orientation.Horizontal)
        splitter.addWidget(left)
        splitter.addWidget(right)
        splitter.setStretchFactor(0, 2)
        splitter.setStretchFactor(1, 3)
        splitter.setSizes([520, 780])
        layout = QVBoxLayout(self)
        layout.addWidget(splitter)
        self.setFocusProxy(self.search.box)
        self.search.current_changed.connect(self.show_procedure)
        self.search.activated.connect(lambda code: (self.show_procedure(code), self.browser.setFocus()))
        self.show_procedure(self.search.current_code())
        context.bus.changed.connect(self._changed)

    def _changed(self, changes: Changes) -> None:
        if changes.catalog:  # an import or a sync brought new procedures or versions
            self.search.run_search()
            self.show_procedure(self.search.current_code())

    def show_procedure(self, code: str) -> None:
        procedure = load_procedure(self.context.reader, code) if code else None
        self.procedure = procedure
        self.intake_button.setEnabled(procedure is not None)
        self.print_button.setEnabled(procedure is not None)
        if procedure is None:
            self.browser.setHtml(f"<p>{tr('Chọn một thủ tục ở danh sách bên trái để xem hướng dẫn.')}</p>")
            return
        self.browser.setHtml(procedure_page(procedure))

    def open_code(self, code: str) -> None:
        """Show ``code`` (from elsewhere in the app): search for it and show its page."""
        self.search.box.setText(code)
        self.search.flush()
        self.show_procedure(code)

    def keyPressEvent(self, event: QKeyEvent) -> None:
        if event.key() in (Qt.Key.Key_Return, Qt.Key.Key_Enter) and self.search.box.hasFocus():
            self.show_procedure(self.search.current_code())
            self.browser.setFocus()
            event.accept()
            return
        super().keyPressEvent(event)

    def _request_intake(self) -> None:
        if self.procedure is None:
            return
        emit(self.intake_requested, self.procedure.code)

    def print_guidance(self) -> None:
        if self.procedure is None:
            return
        try:
            pdf = guidance_pdf(self.context.reader, self.procedure)
        except Exception as exc:  # a rendering problem must not take the page down
            QMessageBox.warning(self, tr("Không in được"), tr("Chưa tạo được bản hướng dẫn: {e}", e=exc))
            return
        code = self.procedure.code
        preview = PrintPreview(pdf, tr("Hướng dẫn thủ tục {code}", code=code), f"huong-dan-{code}.pdf", self)
        self.last_preview = preview
        preview.show()
