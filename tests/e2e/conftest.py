"""The journey tests need a real window system: they run only in the xcb pass of the test command
(``xvfb-run … env QT_QPA_PLATFORM=xcb pytest -m xcb tests/e2e``); a Qt application cannot change its
platform inside the offscreen session of the main run."""

from __future__ import annotations

import os

import pytest


def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    if os.environ.get("QT_QPA_PLATFORM") == "xcb":
        return
    skip = pytest.mark.skip(reason="a real xcb window is needed: run under xvfb-run with QT_QPA_PLATFORM=xcb "
                                   "(installer/test.sh does, in its second pass)")
    for item in items:
        if item.get_closest_marker("xcb") is not None:
            item.add_marker(skip)
