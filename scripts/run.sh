#!/usr/bin/env bash
# Set up everything, index the seeds and open the chat UI on http://127.0.0.1:7860
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/setup.sh
export HF_HUB_OFFLINE=1 GRADIO_ANALYTICS_ENABLED=False HF_HUB_DISABLE_TELEMETRY=1
.venv/bin/rag ingest
exec .venv/bin/rag serve "$@"
