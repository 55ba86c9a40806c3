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
if [[ ",$EXTRAS," == *",local,"* ]]; then
  # The `local` extra's llama-cpp-python has no wheel on PyPI: pip compiles llama.cpp (once;
  # pip's wheel cache serves it after that). Only the libraries its Python package loads
  # are built, libllama and ggml, with portable CPU flags instead of -march=native. Left
  # out: the multimodal library (mtmd; llama_cpp imports it only for multimodal chat
  # handlers) and llama.cpp's common library (helpers of its own CLI tools, which
  # llama-cpp-python's CMakeLists forces on but nothing in llama_cpp loads; switched off
  # again by a file CMake includes right after llama.cpp's project()). Together they were
  # over half the compile time here. Set CMAKE_ARGS to build otherwise. Installed alone
  # first, so that these settings reach no other package's build.
  spec="$(.venv/bin/python - <<'PY'
import tomllib
extras = tomllib.load(open("pyproject.toml", "rb"))["project"]["optional-dependencies"]
print(next(d for d in extras["local"] if d.startswith("llama-cpp-python")))
PY
)"
  no_common="$(mktemp --suffix=.cmake)"
  trap 'rm -f "$no_common"' EXIT
  echo 'set(LLAMA_BUILD_COMMON OFF CACHE BOOL "not loaded by llama_cpp" FORCE)' >"$no_common"
  CMAKE_ARGS="${CMAKE_ARGS:--DLLAVA_BUILD=OFF -DGGML_NATIVE=OFF -DCMAKE_PROJECT_llama.cpp_INCLUDE=$no_common}" \
  CMAKE_BUILD_PARALLEL_LEVEL="${CMAKE_BUILD_PARALLEL_LEVEL:-$(nproc)}" \
    .venv/bin/pip install -q "$spec"
fi
.venv/bin/pip install -q -e ".${EXTRAS:+[$EXTRAS]}"
