#!/usr/bin/env bash
# Create .venv in the repo root and install the project (idempotent).
# torch is installed first and pinned: this machine has a local CPU build of 2.13.0,
# while an unpinned torch pulls a multi-GB CUDA build.
set -euo pipefail
cd "$(dirname "$0")/.."
EXTRAS="${1:-}"
if [ ! -x .venv/bin/python ]; then
  python3 -m venv .venv
fi
.venv/bin/pip install -q torch==2.13.0
.venv/bin/pip install -q -e ".${EXTRAS:+[$EXTRAS]}"
