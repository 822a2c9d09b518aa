"""SIGKILL the CLI at random moments during 1,000 intakes: nothing acknowledged is lost, no code repeats.

A batch of intakes runs as a real `motcua intake --file … --json` process, which prints one line per
intake only after its transaction committed. The test kills it at random moments, restarts it with
every record not yet acknowledged (records carry client-made ids, so a record that committed but was
not acknowledged before the kill is recognised, not duplicated), until all are done.
"""

import json
import os
import random
import signal
import sqlite3
import subprocess
import sys
import time

import pytest

from motcua.domain.ids import uuid7
from motcua.paths import store_file
from tests.conftest import cli_env, staff_store

TOTAL = 1000


@pytest.mark.slow
def test_sigkill_during_intakes_loses_nothing(data_dir, tmp_path, run_cli):
    run_cli("init", "--commune", "Xã Ea Kao", "--agency-code", "000.17.22.H56", check=True)
    staff_store(data_dir)
    records = [{"id": uuid7(), "procedure": {"code": "1.001193", "name": "Đăng ký khai sinh", "days": 1},
                "applicant": {"name": f"Công dân số {i}", "id_number": "066090001234"}} for i in range(TOTAL)]
    acknowledged: dict[str, str] = {}
    rng = random.Random(1)
    kills = 0
    while len(acknowledged) < TOTAL:
        remaining = [r for r in records if r["id"] not in acknowledged]
        batch = tmp_path / "batch.jsonl"
        batch.write_text("\n".join(json.dumps(r, ensure_ascii=False) for r in remaining), encoding="utf-8")
        out_path = tmp_path / "out.jsonl"
        # stdout to a file, not a pipe: an undrained pipe would block the writer and hang the test.
        with out_path.open("w") as out_file:
            proc = subprocess.Popen(
                [sys.executable, "-m", "motcua", "--data-dir", str(data_dir), "intake", "--file", str(batch),
                 "--json"],
                stdout=out_file, stderr=subprocess.PIPE, env=cli_env(), text=True,
            )
            # Kill at a random moment after the first acknowledgement, so the kill lands mid-intake
            # however slow the interpreter's start is on a loaded machine.
            kill_after = rng.uniform(0.0, 0.4) if kills < 15 else None
            deadline = None
            killed = False
            while proc.poll() is None:
                if deadline is None and kill_after is not None and out_path.stat().st_size > 0:
                    deadline = time.monotonic() + kill_after
                if deadline is not None and time.monotonic() > deadline:
                    os.kill(proc.pid, signal.SIGKILL)
                    killed = True
                    kills += 1
                    break
                time.sleep(0.005)
            _, err = proc.communicate(timeout=120)
        if not killed:
            assert proc.returncode == 0, err
        for line in out_path.read_text(encoding="utf-8").splitlines():
            try:
                item = json.loads(line)
            except json.JSONDecodeError:
                continue  # a line cut by the kill was not an acknowledgement
            acknowledged[item["id"]] = item["code"]
    assert kills >= 3, "the test must actually kill the writer"

    conn = sqlite3.connect(store_file(data_dir))
    assert conn.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
    stored = dict(conn.execute("SELECT id, code FROM dossiers").fetchall())
    assert len(stored) == TOTAL
    for dossier_id, code in acknowledged.items():
        assert stored[dossier_id] == code
    codes = [c for (c,) in conn.execute("SELECT code FROM dossiers")]
    assert len(set(codes)) == len(codes) == TOTAL
    assert conn.execute("SELECT count(*) FROM events").fetchone()[0] == TOTAL
    conn.close()
    assert run_cli("check").returncode == 0
