"""Refusing at the end of the intake wizard (Mẫu 03): a reason is required; the dossier is recorded as not
received, without a code, and opened so its refusal can be printed."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from intake_support import officer_context, press, show_active, type_text
from PySide6.QtCore import Qt
from typing_helpers import commit_text

from motcua.domain.states import Status
from motcua.store.events import load_record
from motcua.ui._adapters import AppContext, wait_idle
from motcua.ui.intake.intake_wizard import DUE, PROCEDURE, IntakeWizard

ALT = Qt.KeyboardModifier.AltModifier


@pytest.fixture
def context(tmp_path: Path) -> Iterator[AppContext]:
    yield from officer_context(tmp_path)


def test_refusing_instead_of_receiving(qtbot, context: AppContext) -> None:  # type: ignore[no-untyped-def]
    wizard = IntakeWizard(context)
    show_active(qtbot, wizard, 1200, 760)
    opened: list[str] = []
    wizard.dossier_created.connect(opened.append)
    assert not wizard.refuse_button.isVisible()             # only on the last step
    type_text("1.001193")
    press(Qt.Key.Key_Return)
    press(Qt.Key.Key_Space)
    press(Qt.Key.Key_Return)
    type_text("066190001234")
    press(Qt.Key.Key_H, ALT)
    type_text("Lê Văn Tám")
    press(Qt.Key.Key_Return)
    assert wizard.step == DUE and wizard.refuse_button.isVisible()
    qtbot.mouseClick(wizard.refuse_button, Qt.MouseButton.LeftButton)
    dialog = wizard.refusal_dialog
    assert dialog is not None and dialog.isVisible()
    qtbot.mouseClick(dialog.ok_button, Qt.MouseButton.LeftButton)          # no reason
    assert dialog.isVisible() and "lý do từ chối" in dialog.error_labels["reason"].text()
    wait_idle(context)
    assert context.reader.execute("SELECT count(*) FROM events").fetchone()[0] == 0
    reason = dialog.inputs["reason"]
    reason.setFocus()
    commit_text(reason, "Thủ tục không thuộc thẩm quyền giải quyết của xã")
    qtbot.mouseClick(dialog.ok_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: opened != [], timeout=10_000)
    record = load_record(context.reader, opened[0])
    assert record is not None and record.status == Status.NOT_RECEIVED and record.code is None
    assert record.applicant_name == "Lê Văn Tám" and record.procedure_code == "1.001193"
    assert record.closing_reason == "Thủ tục không thuộc thẩm quyền giải quyết của xã" and record.received_at is None
    assert not dialog.isVisible() and wizard.step == PROCEDURE and wizard.state.is_blank
    assert "Đã từ chối tiếp nhận hồ sơ của Lê Văn Tám" in wizard.message.text()
