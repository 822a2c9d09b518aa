"""Run mypy and hold the line: no error that the committed baseline does not already list.

Strict packages (see ``[tool.mypy]`` overrides in pyproject.toml) must have no errors at all. Elsewhere, every error
is compared with ``installer/mypy-baseline.txt`` by file, error code and message (line numbers move as code is
edited, so they are not part of the key). A new error fails; a fixed one is reported so the baseline can shrink:
``python installer/mypy_check.py --update`` rewrites it, and a rewrite may only remove lines.

Usage: python installer/mypy_check.py [--update]
"""

from __future__ import annotations

import re
import subprocess
import sys
from collections import Counter
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
BASELINE = ROOT / "installer" / "mypy-baseline.txt"
STRICT = ("desktop/motcua/domain/", "desktop/motcua/store/", "desktop/motcua/protocol/")
_LINE = re.compile(r"^(?P<file>[^:]+):\d+(?::\d+)?: error: (?P<message>.*?)\s+\[(?P<code>[\w-]+)\]$")


def current_errors() -> Counter[str]:
    done = subprocess.run([sys.executable, "-m", "mypy", "--no-error-summary", "--hide-error-context",
                           "--no-pretty", "--show-error-codes", "desktop/motcua"],
                          cwd=ROOT, capture_output=True, text=True)
    if done.returncode not in (0, 1):
        sys.exit(f"mypy itself failed ({done.returncode}):\n{done.stdout}\n{done.stderr}")
    keys: Counter[str] = Counter()
    for line in done.stdout.splitlines():
        match = _LINE.match(line.strip())
        if match:
            keys[f"{match['file']}: [{match['code']}] {match['message']}"] += 1
    return keys


def main(argv: list[str]) -> int:
    errors = current_errors()
    strict = sorted(k for k in errors if k.startswith(STRICT))
    if strict:
        print("mypy: errors in strictly typed packages (no baseline there):", *strict, sep="\n  ")
        return 1
    known: Counter[str] = Counter(line for line in BASELINE.read_text(encoding="utf-8").splitlines()
                                  if line and not line.startswith("#")) if BASELINE.exists() else Counter()
    if "--update" in argv:
        grown = errors - known
        if grown and BASELINE.exists():
            print("mypy: the baseline may only shrink; fix these instead:", *sorted(grown), sep="\n  ")
            return 1
        lines = sorted(errors.elements())
        BASELINE.write_text("# mypy errors accepted for now (installer/mypy_check.py); this list only shrinks.\n"
                            + "".join(f"{line}\n" for line in lines), encoding="utf-8")
        print(f"mypy: baseline written, {len(lines)} errors")
        return 0
    new = errors - known
    fixed = known - errors
    if fixed:
        print(f"mypy: {sum(fixed.values())} baseline errors are gone; shrink the baseline with --update")
    if new:
        print("mypy: new errors:", *sorted(new.elements()), sep="\n  ")
        return 1
    print(f"mypy: {sum(errors.values())} known errors, none new")
    return 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
