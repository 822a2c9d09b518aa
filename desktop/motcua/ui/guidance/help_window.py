"""F1: the offline help, a window beside the work: topics on the left (searchable, without diacritics too),
the chosen page on the right. It opens at the page of the screen F1 was pressed on.
"""

from __future__ import annotations

import re
from html import escape

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QDialog,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QListWidget,
    QListWidgetItem,
    QPushButton,
    QSplitter,
    QTextBrowser,
    QVBoxLayout,
    QWidget,
)

from motcua.domain.text import fold
from motcua.i18n import tr
from motcua.ui.guidance.help_pages import PAGES, HelpPage, page_for
from motcua.ui.widgets.fitting import fit_size

TAGS = re.compile(r"<[^>]+>")


class HelpWindow(QDialog):
    def __init__(self, parent: QWidget | None = None):
        super().__init__(parent)
        self.setWindowTitle(tr("Trợ giúp"))
        self.setModal(False)
        self.search = QLineEdit()
        self.search.setClearButtonEnabled(True)
        self.search.setPlaceholderText(tr("Tìm trong trợ giúp, ví dụ: in lại, bổ sung, ngày"))
        search_label = QLabel(tr("&Tìm:"))
        search_label.setBuddy(self.search)
        self.topics = QListWidget()
        self.topics.setMinimumWidth(160)
        self.page = QTextBrowser()
        self.page.setOpenLinks(False)
        close = QPushButton(tr("Đóng"))
        close.clicked.connect(self.close)

        left = QWidget()
        left_box = QVBoxLayout(left)
        left_box.setContentsMargins(0, 0, 0, 0)
        row = QHBoxLayout()
        row.addWidget(search_label)
        row.addWidget(self.search, 1)
        left_box.addLayout(row)
        left_box.addWidget(self.topics, 1)
        splitter = QSplitter(Qt.Orientation.Horizontal)
        splitter.addWidget(left)
        splitter.addWidget(self.page)
        splitter.setStretchFactor(1, 3)
        layout = QVBoxLayout(self)
        layout.addWidget(splitter, 1)
        buttons = QHBoxLayout()
        buttons.addStretch(1)
        buttons.addWidget(close)
        layout.addLayout(buttons)

        self._texts = {page.title: fold(page.title + " " + TAGS.sub(" ", page.body)) for page in PAGES}
        self.search.textChanged.connect(self.filter_topics)
        self.search.returnPressed.connect(self._first_topic)
        self.topics.currentItemChanged.connect(self._show_item)
        self.filter_topics("")
        fit_size(self, 880, 620)

    def open_at(self, key: str) -> None:
        self.search.clear()
        self.show_page(page_for(key))
        self.show()
        self.raise_()
        self.activateWindow()
        self.search.setFocus()

    def show_page(self, page: HelpPage) -> None:
        for row in range(self.topics.count()):
            if self.topics.item(row).text() == page.title:
                self.topics.setCurrentRow(row)
                return
        self.page.setHtml(page.body)

    def filter_topics(self, text: str) -> None:
        """Topics whose title or text holds every word typed (without diacritics too)."""
        words = fold(text).split()
        current = self.topics.currentItem().text() if self.topics.currentItem() else ""
        self.topics.clear()
        for page in PAGES:
            if all(word in self._texts[page.title] for word in words):
                QListWidgetItem(page.title, self.topics)
        if not self.topics.count():
            self.page.setHtml(tr("<p>Không tìm thấy trang trợ giúp nào có «{text}».</p>", text=escape(text)))
            return
        matches = self.topics.findItems(current, Qt.MatchFlag.MatchExactly)
        self.topics.setCurrentItem(matches[0] if matches else self.topics.item(0))

    def titles(self) -> list[str]:
        return [self.topics.item(row).text() for row in range(self.topics.count())]

    def _first_topic(self) -> None:
        if self.topics.count():
            self.topics.setFocus()

    def _show_item(self, item: QListWidgetItem | None) -> None:
        if item is None:
            return
        page = next(p for p in PAGES if p.title == item.text())
        self.page.setHtml(page.body)
