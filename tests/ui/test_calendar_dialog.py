"""Lịch làm việc chính thức from the window: the same service as ``motcua calendar``, administrators only."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from datetime import date, timedelta

from PySide6.QtCore import QDate

from motcua.domain.clock import now
from motcua.store.calendar_days import overrides
from motcua.ui.settings.calendar_dialog import CalendarDialog


def next_saturday() -> date:
    today = now().date()
    return today + timedelta(days=(5 - today.weekday()) % 7 or 7)


def dialog_for(qtbot, context) -> CalendarDialog:  # type: ignore[no-untyped-def]
    dialog = CalendarDialog(context)
    qtbot.addWidget(dialog)
    return dialog


def test_a_working_saturday_set_in_the_window_is_in_motcua_calendar(qtbot, make_context, ui_store) -> None:  # type: ignore[no-untyped-def]
    saturday = next_saturday()
    dialog = dialog_for(qtbot, make_context("quantri"))
    dialog.year.setValue(saturday.year)
    dialog.day.setDate(QDate(saturday.year, saturday.month, saturday.day))
    dialog.kind.setCurrentIndex(dialog.kind.findData(True))
    dialog.name.setText("Làm bù ngày nghỉ lễ")
    dialog.source.setText("Thông báo thử nghiệm")
    dialog.save_button.click()
    assert dialog.error.isHidden()
    shown = [row for row in dialog.model.days if row.day == saturday]
    assert len(shown) == 1 and shown[0].working and shown[0].source == "Thông báo thử nghiệm"
    ui_store.conn.execute("PRAGMA wal_checkpoint(PASSIVE)")
    listed = subprocess.run(
        [sys.executable, "-m", "motcua", "--data-dir", str(ui_store.data_dir), "calendar",
         "--year", str(saturday.year), "--json"],
        capture_output=True, text=True, env={**os.environ, "PYTHONPATH": str(_desktop())}, check=True)
    row = next(r for r in json.loads(listed.stdout) if r["day"] == saturday.isoformat())
    assert row == {"day": saturday.isoformat(), "working": True, "name": "Làm bù ngày nghỉ lễ",
                   "source": "Thông báo thử nghiệm"}
    dialog.remove_button.click()   # the same day is still chosen
    assert saturday not in {o.day for o in overrides(ui_store.conn)}


def test_a_day_without_a_reason_is_refused_and_nothing_written(qtbot, make_context, ui_store) -> None:  # type: ignore[no-untyped-def]
    dialog = dialog_for(qtbot, make_context("quantri"))
    dialog.name.setText("  ")
    dialog.save_button.click()
    assert not dialog.error.isHidden() and "Cần ghi lý do" in dialog.error.text()
    assert overrides(ui_store.conn) == []


def test_a_non_administrator_sees_the_calendar_but_cannot_change_it(qtbot, make_context, ui_store) -> None:  # type: ignore[no-untyped-def]
    dialog = dialog_for(qtbot, make_context("tiepnhan01"))
    assert dialog.save_button.isHidden() and dialog.remove_button.isHidden()
    dialog.name.setText("Nghỉ")
    dialog.save_day()
    assert "không có quyền" in dialog.error.text() and overrides(ui_store.conn) == []
    admin = dialog_for(qtbot, make_context("quantri"))   # re-checked in the writer job
    ui_store.conn.execute("UPDATE users SET active = 0 WHERE username = 'quantri'")
    admin.name.setText("Nghỉ")
    admin.save_day()
    assert not admin.error.isHidden() and overrides(ui_store.conn) == []


def _desktop():  # type: ignore[no-untyped-def]
    from pathlib import Path

    import motcua

    return Path(motcua.__file__).resolve().parents[1]
