#!/usr/bin/env bash
# Run the tests again with the system clock moved ahead (libfaketime), so a test that mixes a literal date with
# "now" fails the day it is written, not the day that date goes by.
# Usage: installer/time-travel.sh [pytest arguments]   (after installer/test.sh has installed everything)
#        TIME_TRAVEL_DATES="2028-12-31 15:30:00" installer/time-travel.sh tests/hub   (one date, some tests)
#
# Two dates by default: one in the middle of an ordinary year, and the last day of a year (a period that ends
# tomorrow, a year turning over while the suite runs, a lunar-calendar year the holiday tables must cover).
# The clock is moved by an offset in seconds, not started at a fixed moment ("@…"): with "@" every process a test
# starts (the CLI, a hub) would begin again at that moment, so a second command would run *before* the first one's
# events. With an offset they all share one moved clock; sleep and relative timers keep working
# (FAKETIME_DONT_FAKE_MONOTONIC=1 would make Python's time.sleep fail with EINVAL). Child processes (hub
# servers, PostgreSQL) inherit LD_PRELOAD and see the same clock.
# Left out: tests that wait on thread timeouts (the scheduler's loop, a threading.Timer that kills a hub mid-push:
# threading.Event.wait(t) computes an absolute monotonic deadline
# that the moved clock puts weeks away, so the wait never ends), the slow network-namespace bench, and the xcb
# journeys (they need Xvfb; their dates come from the moved clock like everything else).
set -euo pipefail
cd "$(dirname "$0")/.."
export QT_QPA_PLATFORM=offscreen
command -v faketime >/dev/null || { echo "faketime is missing: apt-get install faketime" >&2; exit 2; }
DATES=${TIME_TRAVEL_DATES:-"2027-03-01 09:30:00|2028-12-31 15:30:00"}
IFS='|' read -r -a starts <<< "$DATES"
for start in "${starts[@]}"; do
  echo "== the tests on ${start} (faketime) =="
  offset=$(( $(date -d "${start}" +%s) - $(date +%s) ))
  rc=0
  faketime -f "+${offset}" .venv/bin/python -m pytest -q -p no:cacheprovider -m "not slow and not xcb" \
    --deselect tests/sync/test_scheduler.py --deselect tests/sync/test_netns.py \
    --deselect tests/sync/test_with_hub.py::test_hub_killed_mid_push_then_restarted "$@" || rc=$?
  [ $rc -eq 0 ] || { echo "time-travel run on ${start} failed (exit ${rc})" >&2; exit $rc; }
done
