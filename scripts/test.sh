#!/usr/bin/env bash
# Set up everything and run the whole suite offline: lint, types, tests, eval gate.
# Installs the `local` extra (llama-cpp-python: scripts/setup.sh compiles only the
# libraries it loads, once; pip's wheel cache serves it after that), Debian's chromium
# for the browser tests and strace for the no-network test. Tests run on PYTEST_WORKERS pytest-xdist workers (default 2), a
# test file per worker at a time; PYTEST_WORKERS=0 runs them in this process.
# Each phase prints its wall time ("[test.sh] phase: N s") on stderr.
set -euo pipefail
cd "$(dirname "$0")/.."
started=$SECONDS
mark=$SECONDS
phase() {
  echo "[test.sh] $1: $((SECONDS - mark)) s" >&2
  mark=$SECONDS
}
if ! command -v chromium >/dev/null 2>&1; then
  echo "installing Debian's chromium for the browser tests" >&2
  apt-get update -qq && apt-get install -y -qq chromium >/dev/null
fi
# strace for the no-network tests; without it they skip and say so, so a failed
# install doesn't stop the run.
if ! command -v strace >/dev/null 2>&1; then
  echo "installing Debian's strace for the no-network tests" >&2
  { apt-get update -qq && apt-get install -y -qq strace >/dev/null; } ||
    echo "could not install strace: the no-network tests will skip" >&2
fi
phase "chromium and strace"
bash scripts/setup.sh "dev,local"
phase "set-up (venv, pip install, llama-cpp-python build)"
export HF_HUB_OFFLINE=1 TRANSFORMERS_OFFLINE=1 GRADIO_ANALYTICS_ENABLED=False \
       HF_HUB_DISABLE_TELEMETRY=1 ANONYMIZED_TELEMETRY=False
# One ONNX export of the bundled model, before the workers start, shared by every test,
# `rag` subprocess and the eval gate (tests/conftest.py defaults to the same folder).
export RAG_MODEL_CACHE_DIR="${RAG_MODEL_CACHE_DIR:-$PWD/.data/models}"
.venv/bin/python -c 'from rag.config import Settings
from rag.embeddings import build_embed_model
build_embed_model(Settings()).get_text_embedding("warm-up")'
phase "model export"
.venv/bin/ruff check .
.venv/bin/mypy rag
phase "lint and types"
workers="${PYTEST_WORKERS:-2}"
if [ "$workers" = "0" ]; then
  .venv/bin/python -m pytest -q --durations=15 "$@"
else
  .venv/bin/python -m pytest -q -n "$workers" --dist loadfile --durations=15 "$@"
fi
phase "tests"
# The quality gate: our pipeline on the gold set against eval/thresholds.toml.
data="$(mktemp -d)"
.venv/bin/rag --data-dir "$data" eval --check --out "$data/report"
phase "eval gate"
echo "[test.sh] total: $((SECONDS - started)) s" >&2
