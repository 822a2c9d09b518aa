"""db/catalog/SOURCES.md's table is generated from the shipped files: it must not drift from them."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

REPO = Path(__file__).resolve().parents[2]


def test_the_sources_table_matches_the_shipped_files() -> None:
    done = subprocess.run([sys.executable, str(REPO / "db" / "catalog" / "make_sources.py"), "--check"],
                          capture_output=True, text=True, timeout=60)
    assert done.returncode == 0, done.stderr


def test_no_placeholder_code_without_saying_so() -> None:
    """A 9.9xxxxx code is only ever shipped flagged: the desk then shows 'cần tỉnh xác nhận: mã thủ tục'."""
    import json

    for path in (REPO / "db" / "catalog" / "procedures").glob("9.9*.json"):
        data = json.loads(path.read_text(encoding="utf-8"))
        assert "code" in data["provenance"].get("needs_confirmation", []), path.name
