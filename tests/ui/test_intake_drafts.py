"""Drafts: saved as typed, kept through a crash (SIGKILL), offered again and resumed intact."""

from __future__ import annotations

import os
import queue
import signal
import subprocess
import sys
import threading
from collections.abc import Iterator
from pathlib import Path

import pytest
from intake_support import REPO, officer, prepare_store, press, type_text
from PySide6.QtCore import Qt

from motcua.services import drafts
from motcua.ui._adapters import AppContext, close_context, open_context, wait_idle
from motcua.ui.intake.intake_wizard import APPLICANT, IntakeWizard

ALT = Qt.KeyboardModifier.AltModifier


@pytest.fixture
def data_dir(tmp_path: Path) -> Path:
    prepare_store(tmp_path / "data")
    return tmp_path / "data"


@pytest.fixture
def context(data_dir: Path) -> Iterator[AppContext]:
    ctx = open_context(data_dir, officer())
    yield ctx
    close_context(ctx)


def open_wizard(qtbot, context: AppContext) -> IntakeWizard:  # type: ignore[no-untyped-def]
    wizard = IntakeWizard(context)
    qtbot.addWidget(wizard)
    wizard.resize(1200, 760)
    wizard.show()
    wizard.activateWindow()
    qtbot.waitUntil(wizard.isActiveWindow)
    return wizard


@pytest.mark.slow
def test_a_killed_wizard_loses_nothing_and_the_draft_resumes(qtbot, data_dir: Path, context: AppContext):  # type: ignore[no-untyped-def]
    env = dict(os.environ, QT_QPA_PLATFORM="offscreen",
               PYTHONPATH=str(REPO / "desktop") + os.pathsep + os.environ.get("PYTHONPATH", ""))
    child = subprocess.Popen([sys.executable, str(REPO / "tests" / "ui" / "intake_support.py"), str(data_dir)],
                             stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, text=True, env=env)
    lines: queue.Queue[str] = queue.Queue()
    threading.Thread(target=lambda: lines.put(child.stdout.readline() if child.stdout else ""), daemon=True).start()
    try:
        try:
            line = lines.get(timeout=90)  # a hung child fails the test instead of hanging it
        except queue.Empty:
            line = ""
        assert line.startswith("TYPED"), line
        dossier_id = line.split()[1]
    finally:
        child.send_signal(signal.SIGKILL)  # no close event, no flush: a crash
        child.wait(10)
    assert child.returncode == -signal.SIGKILL

    wizard = open_wizard(qtbot, context)
    assert wizard.resume_bar.isVisible()
    assert "Nguyễn Thị Hoa" in wizard.resume_bar.text.text()
    press(Qt.Key.Key_P, ALT)  # "Tiếp tục nhập"
    qtbot.waitUntil(lambda: wizard.state.dossier_id == dossier_id)
    assert not wizard.resume_bar.isVisible()
    assert wizard.step == APPLICANT
    assert wizard.procedure is not None
    assert [d.received for d in wizard.documents_step.model.rows[:3]] == [True, True, False]
    step = wizard.applicant_step
    assert step.id_number.text() == "066190001234"
    assert step.name.text() == "Nguyễn Thị Hoa"
    assert step.address.text() == "Thôn 2, xã Ea Kao"
    # Back to the first step and on again: the procedure and the ticks stay as they were.
    for step in (1, 0):
        press(Qt.Key.Key_Q, ALT)  # a button's mnemonic clicks after its press animation
        qtbot.waitUntil(lambda step=step: wizard.step == step)
    wizard.procedure_step.search.flush()
    press(Qt.Key.Key_Return)
    assert [d.received for d in wizard.documents_step.model.rows[:3]] == [True, True, False]
    # Finishing the resumed intake makes the dossier with the id the draft was created with.
    press(Qt.Key.Key_Return, Qt.KeyboardModifier.ControlModifier)
    qtbot.waitUntil(lambda: wizard.last_preview is not None, timeout=15_000)
    row = context.reader.execute("SELECT id, applicant_name FROM dossiers").fetchall()
    assert [tuple(r) for r in row] == [(dossier_id, "Nguyễn Thị Hoa")]
    wait_idle(context)
    assert drafts.list_drafts(context.reader) == []
    wizard.last_preview.close()


def test_typing_saves_a_debounced_draft_and_closing_flushes_it(qtbot, context: AppContext):  # type: ignore[no-untyped-def]
    wizard = open_wizard(qtbot, context)
    type_text("1.001193")
    press(Qt.Key.Key_Return)
    press(Qt.Key.Key_Return)
    type_text("066190001234")
    with qtbot.waitSignal(wizard.draft_saved, timeout=3_000):
        pass
    draft = drafts.load_draft(context.reader, wizard.state.dossier_id)
    assert draft is not None and draft.data["id_number"] == "066190001234"
    press(Qt.Key.Key_H, ALT)
    type_text("Phạm Văn Đồng")
    wizard.close()  # before the debounce: the close event writes it
    draft = drafts.load_draft(context.reader, wizard.state.dossier_id)
    assert draft is not None and draft.data["name"] == "Phạm Văn Đồng"


def test_a_draft_can_be_discarded(qtbot, context: AppContext):  # type: ignore[no-untyped-def]
    drafts.save_draft(context.reader, "0192f0c0-0000-7000-8000-000000000001", drafts.INTAKE,
                      {"name": "Y Bhim Niê", "procedure_code": "1.001193", "procedure_name": "Đăng ký khai sinh"})
    wizard = open_wizard(qtbot, context)
    assert wizard.resume_bar.isVisible()
    press(Qt.Key.Key_X, ALT)
    qtbot.waitUntil(lambda: drafts.list_drafts(context.reader) == [])
    assert not wizard.resume_bar.isVisible()


def test_drafts_and_the_intake_are_written_on_the_writer_thread_only(qtbot, context: AppContext, monkeypatch):  # type: ignore[no-untyped-def]
    from motcua.services.desk import Desk

    threads: list[str] = []
    real_save, real_intake = drafts.save_draft, Desk.intake

    def save_draft(*args, **kwargs):  # type: ignore[no-untyped-def]
        threads.append(threading.current_thread().name)
        return real_save(*args, **kwargs)

    def intake(self, *args, **kwargs):  # type: ignore[no-untyped-def]
        threads.append(threading.current_thread().name)
        return real_intake(self, *args, **kwargs)

    monkeypatch.setattr(drafts, "save_draft", save_draft)
    monkeypatch.setattr(Desk, "intake", intake)
    wizard = open_wizard(qtbot, context)
    type_text("1.001193")
    press(Qt.Key.Key_Return)
    press(Qt.Key.Key_Space)
    press(Qt.Key.Key_Return)
    type_text("066190001234")
    press(Qt.Key.Key_H, ALT)
    type_text("Đinh Văn Bảy")
    with qtbot.waitSignal(wizard.draft_saved, timeout=3_000):
        pass
    press(Qt.Key.Key_Return, Qt.KeyboardModifier.ControlModifier)
    qtbot.waitUntil(lambda: wizard.last_preview is not None, timeout=15_000)
    wizard.last_preview.close()
    main = threading.main_thread().name
    assert len(threads) >= 2 and main not in threads


def test_typing_without_a_pause_still_writes_a_draft_every_few_seconds(qtbot, context: AppContext, monkeypatch):  # type: ignore[no-untyped-def]
    from motcua.ui.intake import intake_wizard

    monkeypatch.setattr(intake_wizard, "DRAFT_MAX_WAIT_S", 0.2)
    wizard = open_wizard(qtbot, context)
    wizard._draft_timer.setInterval(60_000)  # the pause never comes
    type_text("1.001193")
    press(Qt.Key.Key_Return)
    press(Qt.Key.Key_Return)
    type_text("0661900")
    qtbot.wait(300)
    with qtbot.waitSignal(wizard.draft_saved, timeout=3_000):
        type_text("01234")
    draft = drafts.load_draft(context.reader, wizard.state.dossier_id)
    assert draft is not None and draft.data["id_number"].startswith("0661900")
