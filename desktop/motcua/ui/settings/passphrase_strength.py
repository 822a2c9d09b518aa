"""A live strength line under a backup passphrase field: the same rules as ``store.backup_keys`` (and the CLI)."""

from __future__ import annotations

from collections.abc import Callable, Iterable

from PySide6.QtWidgets import QLabel, QLineEdit, QWidget

from motcua.i18n import tr
from motcua.store.backup_keys import passphrase_problem, passphrase_strength

LEVELS = ("Chưa dùng được", "Tạm được", "Khá", "Mạnh")


class StrengthLabel(QLabel):
    """Follows ``field`` as it is typed: «Độ mạnh: …», with the reason when it would be refused."""

    def __init__(self, field: QLineEdit, avoid: Callable[[], Iterable[str]] = tuple,
                 parent: QWidget | None = None):
        super().__init__(parent)
        self.field = field
        self.avoid = avoid
        self.setObjectName("passphraseStrength")
        self.setWordWrap(True)
        self.level = 0
        field.textChanged.connect(self.update_text)
        self.update_text()

    def update_text(self) -> None:
        text = self.field.text()
        if not text:
            self.level = 0
            self.setText(tr("Gợi ý: một câu dễ nhớ với bạn nhưng người khác khó đoán, ví dụ bốn năm từ và một con "
                            "số; có dấu cũng được."))
            return
        avoid = tuple(self.avoid())
        self.level = passphrase_strength(text, avoid=avoid)
        problem = passphrase_problem(text, avoid=avoid)
        label = tr("Độ mạnh: {level}.", level=tr(LEVELS[self.level]))
        self.setText(f"{label} {problem}" if problem else label)
