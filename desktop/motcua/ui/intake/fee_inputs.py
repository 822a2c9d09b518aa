"""What a fee needs typed at intake, with the amount due: the pages and copies of a fee counted in
units (chứng thực bản sao: per page, capped per copy), or the declared value of a fee by percentage
(thẩm định hợp đồng chuyển giao công nghệ: 0,1% of the contract's value).

Shown on the last intake step only when the procedure has such a fee; a flat fee needs nothing typed.
"""

from __future__ import annotations

from PySide6.QtCore import QRegularExpression, Signal
from PySide6.QtGui import QRegularExpressionValidator
from PySide6.QtWidgets import QFormLayout, QGroupBox, QHBoxLayout, QLabel, QLineEdit, QSpinBox, QWidget

from motcua.catalog.fees import charge_all, describe, total, vnd
from motcua.catalog.model import Fee
from motcua.i18n import tr
from motcua.ui.qtcompat import emit


class FeeInputs(QGroupBox):
    changed = Signal()

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(tr("Tính phí, lệ phí"), parent)
        self._fees: tuple[Fee, ...] = ()
        self._boxes: dict[int, tuple[QSpinBox, QSpinBox | None]] = {}
        self._values: dict[int, QLineEdit] = {}  # fees by percentage: the declared value in đồng
        self._form = QFormLayout(self)
        self.amount = QLabel()
        self.amount.setObjectName("feeAmount")
        self.setVisible(False)

    def set_fees(self, fees: tuple[Fee, ...]) -> None:
        """One row of spin boxes per counted fee; hidden when there is none."""
        while self._form.rowCount():
            self._form.removeRow(0)
        self._fees, self._boxes, self._values = fees, {}, {}
        self.amount = QLabel()
        self.amount.setObjectName("feeAmount")
        for index, fee in enumerate(fees):
            if fee.proportional:
                self._add_value_row(index, fee)
                continue
            if not fee.counted:
                continue
            units = self._spin(100_000, fee.unit)
            groups = self._spin(10_000, fee.per) if fee.per else None
            row = QHBoxLayout()
            row.addWidget(units)
            if groups is not None:
                row.addWidget(QLabel("×"))
                row.addWidget(groups)
            row.addStretch(1)
            label = QLabel(f"{fee.name}:")
            label.setToolTip(describe(fee))
            label.setBuddy(units)
            self._form.addRow(label, row)
            self._form.addRow("", QLabel(f"<i>{describe(fee)}</i>"))
            self._boxes[index] = (units, groups)
        self._form.addRow(tr("Số tiền phải nộp:"), self.amount)
        self.setVisible(bool(self._boxes or self._values))
        self._refresh()

    def _add_value_row(self, index: int, fee: Fee) -> None:
        value = QLineEdit()
        value.setPlaceholderText(tr("{base}, đồng", base=fee.base))
        value.setAccessibleName(fee.base)
        value.setValidator(QRegularExpressionValidator(QRegularExpression(r"[0-9][0-9. ]{0,22}")))
        value.textChanged.connect(self._refresh)
        label = QLabel(f"{fee.name}:")
        label.setBuddy(value)
        self._form.addRow(label, value)
        self._form.addRow("", QLabel(f"<i>{describe(fee)}</i>"))
        self._values[index] = value

    def _spin(self, most: int, unit: str) -> QSpinBox:
        box = QSpinBox()
        box.setRange(1, most)
        box.setAccessibleName(tr("Số {unit}", unit=unit))
        box.setSuffix(f" {unit}")
        box.valueChanged.connect(self._refresh)
        return box

    def quantities(self) -> list[list[int]]:
        """[fee number (1-based), units, groups] for each counted fee; units is the declared value in
        đồng for a fee by percentage (0 while it is not typed)."""
        counted = [[index + 1, units.value(), groups.value() if groups is not None else 1]
                   for index, (units, groups) in self._boxes.items()]
        declared = [[index + 1, _digits(edit.text()), 1] for index, edit in self._values.items()]
        return sorted(counted + declared)

    def set_quantities(self, quantities: list[list[int]]) -> None:
        for number, units, groups in quantities:
            if number - 1 in self._values:
                self._values[number - 1].setText(f"{units:,}".replace(",", ".") if units else "")
                continue
            boxes = self._boxes.get(number - 1)
            if boxes is None:
                continue
            boxes[0].setValue(units)
            if boxes[1] is not None:
                boxes[1].setValue(groups)
        self._refresh()

    def _refresh(self) -> None:
        if not (self._boxes or self._values):
            return
        charges = charge_all(self._fees, {n - 1: (u, g) for n, u, g in self.quantities()})
        unknown = any(c.amount_vnd is None for c in charges)
        text = f"<b>{vnd(total(charges))}</b>"
        if unknown:
            text += tr(" (chưa gồm khoản do tỉnh quy định)")
        self.amount.setText(text)
        emit(self.changed)


def _digits(text: str) -> int:
    """"3.000.000.000" → 3000000000; what the validator lets through is digits, dots and spaces."""
    digits = "".join(ch for ch in text if ch.isdigit())
    return min(int(digits), 10**15) if digits else 0
