#!/usr/bin/env bash
# Build the folder bundle dist/motcua/ with PyInstaller, then prove it runs on its own: the smoke test calls only
# the bundled programs, from outside the checkout, with a fresh data directory, so a missing module or data file
# fails here and not on a commune's PC.
#
# Usage: installer/build.sh
#   PYTHON=python3.12          interpreter for the build venv (default python3, must be >= 3.11)
#   MOTCUA_BUILD_VENV=DIR      use this venv instead of build/venv (it gets .[ui] and PyInstaller installed)
set -euo pipefail
ROOT=$(cd "$(dirname "$0")/.." && pwd)
cd "$ROOT"

VENV=${MOTCUA_BUILD_VENV:-$ROOT/build/venv}
if [ ! -x "$VENV/bin/python" ]; then
  "${PYTHON:-python3}" -m venv "$VENV"
fi
# PyInstaller 6 is what the spec is written for (contents in _internal/, Tree excludes, version objects).
"$VENV/bin/python" -m pip install -q -c installer/constraints.txt -e ".[ui]" "pyinstaller>=6.10,<7"

"$VENV/bin/pyinstaller" --noconfirm --clean --log-level WARN \
  --distpath "$ROOT/dist" --workpath "$ROOT/build/pyinstaller" installer/motcua.spec

BUNDLE=$ROOT/dist/motcua
CLI=$BUNDLE/motcua
[ -x "$CLI" ] || { echo "build.sh: $CLI was not built" >&2; exit 1; }

# -- smoke test -----------------------------------------------------------------------------------------------------
WORK=$(mktemp -d)
trap 'rm -rf "$WORK"' EXIT
DATA=$WORK/data
# Run from an empty directory with no PYTHONPATH and no MOTCUA_ROOT: the bundle must find db/ and resources/ in
# itself, never in the checkout next to it.
cd "$WORK"
unset PYTHONPATH MOTCUA_ROOT MOTCUA_DATA_DIR
export MOTCUA_USER=smoke-test

step() { printf '\n$ motcua %s\n' "$*"; "$CLI" "$@"; }

step --version
step --data-dir "$DATA" init --commune "Xã Thử" --agency-code 000.17.22.H56

# 12 Feb 2026 + 5 working days crosses Tết Bính Ngọ (16–20 Feb): a wrong answer means the holidays package's
# Vietnamese calendar (loaded by name at run time) or the tz database did not make it into the bundle.
due=$(step --data-dir "$DATA" due --received "2026-02-12 09:00" --days 5 --json)
echo "$due"
expected='{"due": "2026-02-26T09:00:00+07:00"}'
if [ "$(tail -n 1 <<<"$due")" != "$expected" ]; then
  echo "build.sh: due date: expected $expected" >&2
  exit 1
fi

intake=$(step --data-dir "$DATA" intake --procedure 1.001193 --name "Nguyễn Văn An" --id-number 066090001234 \
  --doc "Tờ khai đăng ký khai sinh:original:1" --json)
echo "$intake"
code=$(tail -n 1 <<<"$intake" | sed -n 's/.*"code": "\([^"]*\)".*/\1/p')
[ -n "$code" ] || { echo "build.sh: intake printed no dossier code" >&2; exit 1; }

# The receipt exercises reportlab, the shipped Liberation fonts (Vietnamese glyphs) and the QR code widget.
step --data-dir "$DATA" print receipt "$code" -o "$WORK/receipt.pdf"
[ "$(head -c 5 "$WORK/receipt.pdf")" = "%PDF-" ] || { echo "build.sh: receipt.pdf is not a PDF" >&2; exit 1; }

step --data-dir "$DATA" backup -o "$WORK/backup.sqlite3"
step --data-dir "$DATA" check   # exit 0 only when SQLite, the event log, projections and attachments agree

# The rescue path of docs/installer.md: the backup restored into another data folder holds the dossier.
mkdir -p "$WORK/restored"   # restore does not create the folder yet (reported to the lead)
step --data-dir "$WORK/restored" restore "$WORK/backup.sqlite3"
listed=$(step --data-dir "$WORK/restored" list)
echo "$listed"
grep -qF "$code" <<<"$listed" || { echo "build.sh: the restored store does not list $code" >&2; exit 1; }

GUI=$BUNDLE/motcua-desktop
if [ -x "$GUI" ]; then
  # The bundle's own check (installer/entries/motcua_desktop.py): every UI module imports, Qt and its plugins load,
  # QtPdf renders the receipt printed above.
  printf '\n$ MOTCUA_BUNDLE_SELFTEST=… motcua-desktop   (offscreen)\n'
  set +e
  QT_QPA_PLATFORM=offscreen MOTCUA_BUNDLE_SELFTEST="$WORK/selftest.txt" MOTCUA_SELFTEST_PDF="$WORK/receipt.pdf" "$GUI"
  rc=$?
  set -e
  cat "$WORK/selftest.txt" 2>/dev/null || echo "(no self-test report written)"
  [ $rc -eq 0 ] || { echo "build.sh: motcua-desktop self-test failed ($rc)" >&2; exit 1; }

  # Start the window app headless: it must still be running (first-run wizard on screen) after a few seconds.
  # An import error, a missing Qt plugin or a missing data file ends it sooner with a traceback.
  printf '\n$ motcua-desktop --data-dir %s   (offscreen, 10 s)\n' "$WORK/gui-data"
  set +e
  QT_QPA_PLATFORM=offscreen timeout 10 "$GUI" --data-dir "$WORK/gui-data"
  rc=$?
  set -e
  if [ $rc -ne 124 ]; then
    echo "build.sh: motcua-desktop exited with $rc within 10 s (expected it to keep running)" >&2
    exit 1
  fi
  echo "motcua-desktop: still running after 10 s, stopped"
else
  echo "build.sh: the bundle has no motcua-desktop" >&2
  exit 1
fi

echo
echo "smoke test passed"
printf 'bundle: %s, %s files, %s\n' "$(du -sh "$BUNDLE" | cut -f1)" "$(find "$BUNDLE" -type f | wc -l)" "$BUNDLE"
