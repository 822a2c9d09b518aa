"""No English in the interface: every page and dialog, Qt's own menus, buttons and dialogs included.

``screens.walk`` opens every page and dialog (and the standard context menu of their text fields, the
file dialog and the print dialog Qt draws itself on Linux); each text a person can see there is split
into words, and a word from Qt's own English texts (the source strings of qtbase's translations, plus a
few common ones) fails the test. File names and addresses (anything with / . @ : or a digit) are skipped:
they are the user's data, not the interface.
"""

from __future__ import annotations

import re
import sys
from pathlib import Path

from PySide6.QtWidgets import (
    QAbstractButton,
    QAbstractItemView,
    QApplication,
    QComboBox,
    QGroupBox,
    QHeaderView,
    QLabel,
    QLineEdit,
    QMenu,
    QTabBar,
    QWidget,
)

sys.path.insert(0, str(Path(__file__).resolve().parent))
import screens

from motcua.ui.app import install_translations

ENGLISH = frozenset((
    "abort", "about", "advanced", "again", "alias", "all", "already", "and", "another", "anyway", "apply", "are",
    "authentication", "automatic", "back", "banner", "billing", "binding", "bookmarks", "bottom", "browse",
    "cancel", "cannot", "change", "characters", "choose", "classified", "clear", "close", "collate", "color",
    "commas", "commit", "computer", "confidential", "conflicts", "continue", "control", "copies", "copy",
    "correct", "could", "create", "critical", "current", "custom", "cut", "date", "day", "debug", "default",
    "defaults", "define", "definition", "desktop", "detail", "details", "different", "direction", "directories",
    "directory", "discard", "documents", "does", "done", "double", "drive", "duplex", "each", "edge", "edit",
    "error", "even", "executable", "exists", "export", "facing", "fatal", "fewer", "file", "filename", "files",
    "filter", "find", "finish", "first", "fit", "fix", "folder", "follow", "for", "form", "forward", "found",
    "from", "given", "grayscale", "greater", "height", "help", "here", "hidden", "hide", "hold", "hyphen",
    "ignore", "immediately", "inches", "incompatible", "indefinitely", "information", "intersect", "invalid",
    "job", "kind", "landscape", "last", "layout", "library", "link", "list", "local", "location", "long", "look",
    "make", "margin", "margins", "marks", "message", "millimeters", "mode", "modified", "name", "needed", "new",
    "next", "night", "none", "not", "numbers", "odd", "off", "one", "open", "option", "options", "order",
    "orientation", "other", "out", "output", "overview", "overwrite", "pages", "paper", "parent", "password",
    "paste", "per", "places", "please", "points", "portrait", "preview", "previous", "print", "printer",
    "printing", "prints", "priority", "program", "properties", "protected", "punctuation", "range", "ranges",
    "recent", "redo", "remove", "rename", "replace", "requires", "reset", "restore", "retry", "reverse", "save",
    "scheduled", "scroll", "search", "second", "secret", "select", "selection", "separate", "separated", "set",
    "settings", "setup", "sheet", "short", "shortcut", "show", "side", "sidebar", "sided", "single", "size",
    "some", "source", "specific", "specified", "specify", "standard", "start", "step", "submit", "sure", "syntax",
    "than", "the", "them", "there", "third", "this", "those", "time", "together", "top", "try", "turn", "two",
    "type", "unclassified", "undo", "unknown", "use", "used", "username", "uses", "using", "value", "verify",
    "version", "view", "want", "warning", "was", "weekend", "width", "with", "writable", "write", "yes", "you",
    "zoom",
))

TAGS = re.compile(r"<[^>]+>")


def texts_of(widget: QWidget) -> list[str]:
    """What a person sees of ``widget`` itself (not of its children)."""
    found: list[str] = []
    if widget.isWindow():
        found.append(widget.windowTitle())
    if widget.toolTip():
        found.append(widget.toolTip())
    if isinstance(widget, QLabel | QAbstractButton):
        found.append(widget.text())
    if isinstance(widget, QLineEdit):
        found.append(widget.placeholderText())
    if isinstance(widget, QComboBox):
        found += [widget.itemText(i) for i in range(widget.count())]
    if isinstance(widget, QGroupBox):
        found.append(widget.title())
    if isinstance(widget, QTabBar):
        found += [widget.tabText(i) for i in range(widget.count())]
    if isinstance(widget, QHeaderView) and widget.model() is not None:
        found += [str(widget.model().headerData(i, widget.orientation()) or "") for i in range(widget.count())]
    if isinstance(widget, QMenu):
        found += [action.text().split("\t")[0] for action in widget.actions()]
    if isinstance(widget, QAbstractItemView) and not isinstance(widget, QHeaderView):
        found += [action.text() for action in widget.actions()]
    return found


def english_words(text: str) -> set[str]:
    words = set()
    for token in TAGS.sub(" ", text).replace("&", "").split():
        if re.search(r"[/\\.@:\d_]", token):
            continue  # a path, an address, a file name, a code
        words |= {word.lower() for word in re.findall(r"[A-Za-z]{3,}", token)} & ENGLISH
    return words


def test_english_words_are_recognised() -> None:
    assert english_words("&Undo\tCtrl+Z") == {"undo"} and english_words("Select All") == {"select", "all"}
    assert not english_words("Chọn &tất cả") and not english_words("Lưu tệp vào /home/user/Documents/a.pdf")


def test_no_english_anywhere(qapp, tmp_path: Path) -> None:
    translator = install_translations(qapp)
    found: dict[str, set[str]] = {}

    def visit(name: str, window: QWidget) -> None:
        for widget in [window, *window.findChildren(QWidget)]:
            if widget is not window and not widget.isVisibleTo(window) and not isinstance(window, QMenu):
                continue
            for text in texts_of(widget):
                words = english_words(text)
                if words:
                    found.setdefault(f"{name}: «{text[:60]}»", set()).update(words)

    try:
        with screens.sample_store(tmp_path) as (data_dir, conn):
            screens.walk(data_dir, conn, visit)
    finally:
        QApplication.removeTranslator(translator)
    assert not found, "English in the interface:\n" + "\n".join(f"{k}: {sorted(v)}" for k, v in sorted(found.items()))
