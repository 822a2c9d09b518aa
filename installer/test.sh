#!/usr/bin/env bash
# Install everything the test suite needs on a fresh Debian machine, then run all the tests.
# Usage: installer/test.sh [extra pytest arguments]
set -euo pipefail
cd "$(dirname "$0")/.."

# Debian packages: pdftotext/pdftoppm (forms), PostgreSQL (hub), Xvfb + xcb libraries (Qt windows),
# iproute2 (network-namespace sync test).
debs=(poppler-utils postgresql xvfb xauth libegl1 libgl1 libxkbcommon0 libxkbcommon-x11-0 libfontconfig1
      libdbus-1-3 libxcb-cursor0 libxcb-icccm4 libxcb-keysyms1 libxcb-image0 libxcb-render-util0
      libxcb-shape0 libxcb-xinerama0 libxcb-randr0 libxcb-xkb1 iproute2 fonts-liberation faketime)
missing=()
for p in "${debs[@]}"; do dpkg -s "$p" >/dev/null 2>&1 || missing+=("$p"); done
if [ ${#missing[@]} -gt 0 ]; then
  SUDO=""; [ "$(id -u)" -ne 0 ] && SUDO="sudo"
  echo "installing Debian packages: ${missing[*]}"
  $SUDO apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
fi

PY=${PYTHON:-python3}
[ -x .venv/bin/python ] || "$PY" -m venv .venv
.venv/bin/python -m pip install -q --upgrade pip
.venv/bin/python -m pip install -q -c installer/constraints.txt -e ".[ui,hub,test]"

.venv/bin/ruff check .
# mypy: strict for the domain, the store and the shared protocol; elsewhere no error the baseline does not list.
.venv/bin/python installer/mypy_check.py
export QT_QPA_PLATFORM=offscreen
set +e
.venv/bin/python -m pytest -m "not xcb" "$@"
rc=$?
set -e
# pytest's 5 means "no tests collected": that is a failure of the suite, say so plainly.
[ $rc -eq 5 ] && echo "no tests were collected" >&2
[ $rc -ne 0 ] && exit $rc

# The clock moved to the last afternoon of 2028 (libfaketime): the tests that read "now" (due dates, Today's
# counts, report periods, the hub's overdue figures, list filters), so a literal date fails the day it is written.
TIME_TRAVEL_DATES="2028-12-31 15:30:00" installer/time-travel.sh tests/domain tests/store tests/reports \
  tests/hub/test_hub_api.py tests/hub/test_hub_reports_official.py tests/cli/test_list_filters.py \
  tests/cli/test_cli_roles.py tests/ui/test_dossier_list_filters.py tests/ui/test_typed_dates.py \
  tests/ui/test_main_window.py

# The window journeys in a real xcb window under Xvfb (keyboard and mouse, each step by its role's account).
set +e
xvfb-run -a -s "-screen 0 1366x768x24" env QT_QPA_PLATFORM=xcb .venv/bin/python -m pytest -q -p no:cacheprovider \
  -m xcb tests/e2e
rc=$?
set -e
[ $rc -eq 5 ] && echo "no window journeys were collected" >&2
exit $rc
