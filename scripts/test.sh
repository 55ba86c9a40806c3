#!/usr/bin/env bash
# Set up everything and run the whole suite offline: lint, types, tests, eval gate.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/setup.sh dev
export HF_HUB_OFFLINE=1 TRANSFORMERS_OFFLINE=1 GRADIO_ANALYTICS_ENABLED=False \
       HF_HUB_DISABLE_TELEMETRY=1 ANONYMIZED_TELEMETRY=False
.venv/bin/ruff check rag ui eval tests
.venv/bin/mypy rag
.venv/bin/python -m pytest -q "$@"
