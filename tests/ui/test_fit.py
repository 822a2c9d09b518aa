"""Every page and dialog fits the commune PCs' screens: 1024×768 and 1366×768 at 100, 125 and 150 %.

How it measures: for each screen and scale a fresh process (``screens.py``) starts Qt on the offscreen
platform with a configured screen of that many pixels (``offscreen:configfile=…``) and
``QT_SCALE_FACTOR`` set, exactly as Windows' display scaling does; Qt then reports the screen as, e.g.,
683×512 device-independent pixels for 1024×768 at 150 %. The process opens the main window maximised,
visits every page (Hôm nay … Cài đặt, a dossier, the four intake steps) and every dialog, and records each
top-level window's size and minimum size (the larger of ``minimumSize()`` and ``minimumSizeHint()``,
which is what a window manager cannot shrink below). The window is never shrunk again in between, so a
page that once widened it (Cài đặt used to make it 1539 px) shows up on every later record.
The offscreen platform draws no window frame, so a title bar's height is kept free on top.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from motcua.ui.widgets.fitting import compact_combos

HERE = Path(__file__).resolve().parent
REPO = HERE.parents[1]
TITLE_BAR = 32  # what a window manager's title bar takes at the top, in device-independent pixels
ROUNDING = 1    # 1024 / 1.25 = 819.2: Qt reports the screen as 819 and a maximised window as 820

SCREENS = [(width, 768, scale) for width in (1024, 1366) for scale in (1.0, 1.25, 1.5)]


@pytest.mark.parametrize(("width", "height", "scale"), SCREENS, ids=[f"{w}x{h}@{int(s * 100)}%" for w, h, s in SCREENS])
def test_every_window_fits_the_screen(tmp_path: Path, width: int, height: int, scale: float) -> None:
    config = tmp_path / "screen.json"
    config.write_text(json.dumps({"screens": [{"name": "commune-pc", "x": 0, "y": 0, "width": width,
                                               "height": height, "logicalDpi": 96, "dpr": 1}]}))
    out = tmp_path / "sizes.json"
    env = {**os.environ, "QT_QPA_PLATFORM": f"offscreen:configfile={config}", "QT_SCALE_FACTOR": str(scale),
           "PYTHONPATH": str(REPO / "desktop")}
    subprocess.run([sys.executable, str(HERE / "screens.py"), str(out)], env=env, check=True, timeout=240,
                   stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    records = json.loads(out.read_text(encoding="utf-8"))
    screen_width, screen_height = records[0]["screen"]
    assert (screen_width, screen_height) == (round(width / scale), round(height / scale)) or \
        abs(screen_width - width / scale) <= 1, "the emulated screen is not the one asked for"
    names = {record["name"] for record in records}
    for expected in ("Đăng nhập", "Trang Cài đặt", "Trang hồ sơ", "Tiếp nhận, bước 4", "Kết nối với tỉnh",
                     "Thao tác resolved", "Trợ giúp", "Cửa sổ chính, sau cùng"):
        assert expected in names, f"{expected} was not opened"
    too_big = [
        f"{r['name']}: {r['width']}×{r['height']} (at least {r['min_width']}×{r['min_height']})"
        for r in records
        if max(r["width"], r["min_width"]) > screen_width + ROUNDING
        or r["height"] > screen_height + ROUNDING or r["min_height"] + TITLE_BAR > screen_height
    ]
    assert not too_big, f"larger than the {screen_width}×{screen_height} screen:\n" + "\n".join(too_big)


PAGE_AT_1024_125 = 819 - 224   # a 1024×768 screen at 125 %, less the sidebar


def test_the_dossier_filters_wrap_on_a_narrow_page(qtbot, make_context) -> None:
    from motcua.ui.lists.dossier_list_page import DossierListPage

    page = DossierListPage(make_context("tiepnhan01"))
    compact_combos(page)  # as the main window holds every page
    qtbot.addWidget(page)
    assert page.minimumSizeHint().width() <= PAGE_AT_1024_125
    page.resize(PAGE_AT_1024_125, 600)
    page.show()
    qtbot.waitExposed(page)
    for widget in (page.search, page.status, page.count_label, page.procedure, page.received_from,
                   page.received_to, page.period, page.clear_button):
        right = widget.mapTo(page, widget.rect().topRight()).x()
        assert widget.isVisible() and right <= page.width(), widget.objectName()


def test_the_settings_cards_go_one_under_the_other(qtbot, make_context) -> None:
    from PySide6.QtWidgets import QApplication, QFrame, QScrollArea

    from motcua.ui.settings.settings_page import SettingsPage

    page = SettingsPage(make_context("quantri"))
    compact_combos(page)
    qtbot.addWidget(page)
    assert page.minimumSizeHint().width() <= PAGE_AT_1024_125
    accounts = [card for card in page.findChildren(QFrame) if card.objectName() == "card"][-1]
    cards = [page.findChild(QScrollArea, "settingsScroll"), accounts]  # the left column (its cards scroll), accounts
    page.resize(1366 - 224, 700)
    page.show()
    qtbot.waitExposed(page)
    QApplication.processEvents()
    assert cards[0].y() == cards[1].y()                    # side by side on a 1366 screen
    page.resize(PAGE_AT_1024_125, 900)
    QApplication.processEvents()
    assert cards[1].y() > cards[0].y() + cards[0].height() - 1   # one under the other
    assert max(card.geometry().right() for card in cards) <= page.width()


def test_the_dossier_page_fits_a_narrow_page_without_scrolling_sideways(qtbot, make_context, ui_store) -> None:
    from PySide6.QtCore import Qt
    from PySide6.QtWidgets import QApplication
    from ui_helpers import intake_one

    from motcua.ui.dossier.dossier_page import DossierPage

    dossier = intake_one(ui_store.conn, ui_store.data_dir)
    page = DossierPage(make_context("lanhdao01"))  # the leader's many actions make the widest row
    compact_combos(page)
    qtbot.addWidget(page)
    page.show_dossier(dossier)
    assert len(page.action_buttons) >= 5
    assert page.minimumSizeHint().width() <= PAGE_AT_1024_125
    page.resize(PAGE_AT_1024_125, 900)
    page.show()
    qtbot.waitExposed(page)
    QApplication.processEvents()
    for widget in (page.print_button, page.code_label, *page.action_buttons.values()):
        right = widget.mapTo(page, widget.rect().topRight()).x()
        assert widget.isVisible() and right <= page.width(), widget.objectName() or widget.text()
    assert page.splitter.orientation() == Qt.Orientation.Vertical   # the papers above the timeline
    page.resize(1366 - 224, 700)
    QApplication.processEvents()
    assert page.splitter.orientation() == Qt.Orientation.Horizontal
