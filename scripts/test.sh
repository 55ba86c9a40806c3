#!/usr/bin/env bash
# Set up everything and run the whole suite offline: lint, types, tests, eval gate.
# Installs the `local` extra (llama-cpp-python: compiles once, ~9 min, then pip's
# wheel cache serves it) and Debian's chromium for the browser tests.
set -euo pipefail
cd "$(dirname "$0")/.."
if ! command -v chromium >/dev/null 2>&1; then
  echo "installing Debian's chromium for the browser tests" >&2
  apt-get update -qq && apt-get install -y -qq chromium >/dev/null
fi
CMAKE_BUILD_PARALLEL_LEVEL=2 bash scripts/setup.sh "dev,local"
export HF_HUB_OFFLINE=1 TRANSFORMERS_OFFLINE=1 GRADIO_ANALYTICS_ENABLED=False \
       HF_HUB_DISABLE_TELEMETRY=1 ANONYMIZED_TELEMETRY=False
.venv/bin/ruff check .
.venv/bin/mypy rag
.venv/bin/python -m pytest -q "$@"
# The quality gate: our pipeline on the gold set against eval/thresholds.toml.
data="$(mktemp -d)"
.venv/bin/rag --data-dir "$data" eval --check --out "$data/report"
