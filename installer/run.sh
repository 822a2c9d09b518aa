#!/usr/bin/env bash
# Install Một Cửa Xã into ./.venv and start the desktop app on the local SQLite store.
# Usage: installer/run.sh [--demo]      (--demo fills an empty store with sample dossiers first)
set -euo pipefail
cd "$(dirname "$0")/.."
PY=${PYTHON:-python3}
[ -x .venv/bin/python ] || "$PY" -m venv .venv
.venv/bin/python -m pip install -q --upgrade pip
.venv/bin/python -m pip install -q -c installer/constraints.txt -e ".[ui]"
if [ "${1:-}" = "--demo" ]; then
  .venv/bin/motcua demo --if-empty
  shift
fi
exec .venv/bin/motcua-desktop "$@"
