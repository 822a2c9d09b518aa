"""Schemathesis fuzzes the live hub through its own OpenAPI document: no request may cause a 5xx."""

from __future__ import annotations

import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from .hubkit import ADMIN_TOKEN, HubProcess, enroll, subprocess_env

pytestmark = pytest.mark.slow
MAX_EXAMPLES = 50


def _schemathesis() -> list[str]:
    found = shutil.which("schemathesis") or str(Path(sys.executable).with_name("schemathesis"))
    if not Path(found).exists():
        pytest.skip("schemathesis is not installed (pip install -e '.[test]')")
    return [found]


@pytest.mark.parametrize("audience", ["device", "province"])
def test_no_server_errors(hub: HubProcess, tmp_path: Path, audience: str) -> None:
    device = enroll(hub, "A")
    device.push([])
    token, tags = (device.token, ["sync", "attachments"]) if audience == "device" else (ADMIN_TOKEN, ["province"])
    command = [*_schemathesis(), "run", f"{hub.url}/openapi.json", "-H", f"Authorization: Bearer {token}",
               "--checks", "not_a_server_error", "--max-examples", str(MAX_EXAMPLES),
               "--phases", "examples,coverage,fuzzing", "--no-shrink", "--request-timeout", "30",
               "--seed", "20261123", "--suppress-health-check", "all", "--workers", "1"]
    for tag in tags:
        command += ["--include-tag", tag]
    done = subprocess.run(command, cwd=tmp_path, env=subprocess_env(), capture_output=True, text=True, timeout=900)
    assert done.returncode == 0, done.stdout[-6000:] + done.stderr[-2000:] + hub.log.read_text()[-4000:]
    assert "Tested: 0" not in done.stdout and " generated" in done.stdout, done.stdout[-3000:]
