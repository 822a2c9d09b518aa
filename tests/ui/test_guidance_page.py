"""The guidance library: search without diacritics, the procedure page, intake and print buttons."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from intake_support import focused, officer_context, press, show_active, type_text
from PySide6.QtCore import Qt

from motcua.ui._adapters import AppContext
from motcua.ui.guidance.guidance_page import GuidancePage
from motcua.ui.intake.procedure_search import DEBOUNCE_MS, HTML_ROLE

ALT = Qt.KeyboardModifier.AltModifier


@pytest.fixture
def context(tmp_path: Path) -> Iterator[AppContext]:
    yield from officer_context(tmp_path)


@pytest.fixture
def page(qtbot, context: AppContext) -> GuidancePage:  # type: ignore[no-untyped-def]
    widget = GuidancePage(context)
    show_active(qtbot, widget, 1300, 720)
    widget.search.box.setFocus()
    return widget


def test_search_without_diacritics_finds_the_procedure_after_the_debounce(qtbot, page):  # type: ignore[no-untyped-def]
    assert page.search.model.rowCount() > 5  # before typing: the whole catalog to browse
    assert focused() is page.search.box
    everything = page.search.model.rowCount()
    type_text("chung thuc ban sao")
    # Debounced: nothing is searched on each keystroke, the list follows after a pause.
    assert page.search.model.rowCount() == everything
    qtbot.waitUntil(lambda: page.search.model.rowCount() >= 1 and "Chứng thực bản sao" in
                    str(page.search.model.index(0, 0).data()), timeout=DEBOUNCE_MS * 10)
    html = str(page.search.model.index(0, 0).data(HTML_ROLE))
    assert "<b>" in html  # matched words highlighted in the snippet
    assert page.procedure is not None and page.procedure.code == page.search.current_code()
    text = page.browser.toPlainText()
    for heading in ("Thành phần hồ sơ", "Thời hạn giải quyết", "Phí, lệ phí", "Căn cứ pháp lý"):
        assert heading in text


def test_arrows_walk_the_results_and_the_page_follows(qtbot, page):  # type: ignore[no-untyped-def]
    type_text("khai sinh")
    page.search.flush()
    first = page.procedure.code
    press(Qt.Key.Key_Down)
    assert focused() is page.search.box
    assert page.procedure.code != first
    assert page.procedure.name in page.browser.toPlainText()
    press(Qt.Key.Key_Return)
    assert focused() is page.browser


def test_no_match_says_so(qtbot, page):  # type: ignore[no-untyped-def]
    type_text("zzqqxx")
    page.search.flush()
    assert page.search.model.rowCount() == 0
    assert "Không tìm thấy" in page.search.status.text()


def test_intake_button_asks_for_an_intake_of_the_shown_procedure(qtbot, page):  # type: ignore[no-untyped-def]
    type_text("1.001193")
    page.search.flush()
    with qtbot.waitSignal(page.intake_requested, timeout=2_000) as blocker:
        press(Qt.Key.Key_N, ALT)
    assert blocker.args == ["1.001193"]


def test_print_guidance_opens_a_preview_of_the_sheet(qtbot, page):  # type: ignore[no-untyped-def]
    type_text("dang ky ket hon")
    page.search.flush()
    press(Qt.Key.Key_I, ALT)
    qtbot.waitUntil(lambda: page.last_preview is not None, timeout=10_000)
    assert page.last_preview.ready
    assert page.last_preview.page_count >= 1
    page.last_preview.close()
