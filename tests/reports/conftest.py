"""Fixtures for the report tests (helpers live in report_support, importable by name)."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.reports.report_support import SAMPLE, Built, store_in


@pytest.fixture
def sample_store(tmp_path: Path) -> Iterator[Built]:
    with store_in(tmp_path / "data", SAMPLE) as built:
        yield built
