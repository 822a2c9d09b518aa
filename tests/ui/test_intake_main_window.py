"""The wizard inside the shell's main window: Ctrl+N opens it, a saved intake opens the dossier,
closing the window writes the draft; the guidance page's button starts an intake."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from intake_support import focused, officer_context, press, show_active, type_text
from PySide6.QtCore import Qt

from motcua.services import drafts
from motcua.ui._adapters import AppContext
from motcua.ui.intake.intake_wizard import DOCUMENTS, IntakeWizard
from motcua.ui.main_window import MainWindow

CTRL = Qt.KeyboardModifier.ControlModifier


@pytest.fixture
def context(tmp_path: Path) -> Iterator[AppContext]:
    yield from officer_context(tmp_path)


@pytest.fixture
def window(qtbot, context: AppContext) -> MainWindow:  # type: ignore[no-untyped-def]
    return show_active(qtbot, MainWindow(context), 1366, 768)


def test_ctrl_n_opens_the_wizard_and_a_saved_intake_opens_its_dossier(qtbot, window, context):  # type: ignore[no-untyped-def]
    press(Qt.Key.Key_N, CTRL)
    wizard = window.intake_window
    assert isinstance(wizard, IntakeWizard) and wizard.isVisible()
    assert focused() is wizard.procedure_step.search.box
    type_text("1.001193")
    press(Qt.Key.Key_Return)
    assert wizard.state.procedure_code == "1.001193"
    press(Qt.Key.Key_Space)
    press(Qt.Key.Key_Return)
    type_text("066190001234")
    press(Qt.Key.Key_Tab)
    type_text("Hoàng Thị Lan")
    press(Qt.Key.Key_Return, CTRL)
    qtbot.waitUntil(lambda: wizard.last_preview is not None, timeout=15_000)
    wizard.last_preview.close()
    qtbot.waitUntil(lambda: window.current_key() == "dossier")
    rows = context.reader.execute("SELECT procedure_code FROM dossiers WHERE applicant_name = 'Hoàng Thị Lan'")
    assert [r[0] for r in rows] == ["1.001193"]


def test_closing_the_main_window_writes_the_draft_being_typed(qtbot, window, context):  # type: ignore[no-untyped-def]
    press(Qt.Key.Key_N, CTRL)
    wizard = window.intake_window
    type_text("1.001193")
    press(Qt.Key.Key_Return)
    press(Qt.Key.Key_Return)
    type_text("066190001234")
    window.close()  # at once, before the debounce
    draft = drafts.load_draft(context.reader, wizard.state.dossier_id)
    assert draft is not None and draft.data["id_number"] == "066190001234"


def test_the_guidance_button_starts_an_intake_of_that_procedure(qtbot, window):  # type: ignore[no-untyped-def]
    page = window.show_page("guidance")
    page.open_code("1.001193")
    wizard = IntakeWizard(window.context)
    qtbot.addWidget(wizard)
    page.intake_requested.connect(wizard.start_with_procedure)
    page.intake_button.click()
    assert wizard.step == DOCUMENTS and wizard.state.procedure_code == "1.001193"


def test_the_guidance_button_opens_the_shell_intake_page_when_nothing_is_connected(qtbot, window):  # type: ignore[no-untyped-def]
    page = window.show_page("guidance")
    page.open_code("2.000815")
    page.intake_button.click()
    wizard = window.intake_window
    assert isinstance(wizard, IntakeWizard) and wizard.isVisible()
    assert wizard.step == DOCUMENTS and wizard.state.procedure_code == "2.000815"


def test_ctrl_n_again_returns_to_the_same_wizard(qtbot, window):  # type: ignore[no-untyped-def]
    """A second Ctrl+N once built a hidden second wizard, and the shell then spoke to the wrong one."""
    press(Qt.Key.Key_N, CTRL)
    first = window.intake_window
    window.show_page("today")
    press(Qt.Key.Key_N, CTRL)
    assert window.intake_window is first
    assert first.isVisible()
