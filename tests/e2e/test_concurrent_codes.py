"""Dossier codes never repeat: two processes receiving at the same instant, and two workstations."""

import json
import sqlite3
import subprocess
import sys
from pathlib import Path

from motcua.paths import store_file
from tests.conftest import cli_env, staff_store

PER_PROCESS = 150


def _batch(path: Path, prefix: str) -> Path:
    rows = [{"procedure": {"code": "X", "name": "Chứng thực bản sao", "hours": 4},
             "received_at": "2026-03-04 09:00",
             "applicant": {"name": f"{prefix} {i}", "id_number": "066090001234"}} for i in range(PER_PROCESS)]
    path.write_text("\n".join(json.dumps(r, ensure_ascii=False) for r in rows), encoding="utf-8")
    return path


def _start(data_dir: Path, batch: Path) -> subprocess.Popen:
    return subprocess.Popen([sys.executable, "-m", "motcua", "--data-dir", str(data_dir), "intake", "--file",
                             str(batch), "--json"], stdout=subprocess.PIPE, stderr=subprocess.PIPE, env=cli_env(),
                            text=True)


def test_two_processes_at_once_share_one_sequence(data_dir, tmp_path, run_cli):
    run_cli("init", "--commune", "Xã Ea Kao", "--agency-code", "000.17.22.H56", check=True)
    staff_store(data_dir)
    procs = [_start(data_dir, _batch(tmp_path / f"b{n}.jsonl", f"Người {n}")) for n in range(3)]
    outputs = [p.communicate(timeout=180) for p in procs]
    assert all(p.returncode == 0 for p in procs), [e for _, e in outputs]
    codes = [json.loads(line)["code"] for out, _ in outputs for line in out.splitlines()]
    assert len(codes) == len(set(codes)) == 3 * PER_PROCESS
    numbers = sorted(int(c.rsplit("-", 1)[1]) for c in codes)
    assert numbers == list(range(1, 3 * PER_PROCESS + 1))  # no gaps, no repeats


def test_workstations_offline_never_collide(tmp_path, run_cli):
    codes = []
    for station in (1, 2):
        data_dir = tmp_path / f"ws{station}"
        subprocess.run([sys.executable, "-m", "motcua", "--data-dir", str(data_dir), "init", "--commune", "Xã Ea Kao",
                        "--agency-code", "000.17.22.H56", "--workstation", str(station)], check=True, env=cli_env(),
                       capture_output=True)
        staff_store(data_dir)
        proc = _start(data_dir, _batch(tmp_path / f"w{station}.jsonl", f"Máy {station}"))
        out, err = proc.communicate(timeout=180)
        assert proc.returncode == 0, err
        codes += [json.loads(line)["code"] for line in out.splitlines()]
        conn = sqlite3.connect(store_file(data_dir))
        assert conn.execute("SELECT count(*) FROM dossiers").fetchone()[0] == PER_PROCESS
        conn.close()
    assert len(set(codes)) == 2 * PER_PROCESS
    assert codes[0].endswith("-1001") and codes[PER_PROCESS].endswith("-2001")
