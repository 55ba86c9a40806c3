"""A real `chroma run` server on 127.0.0.1, for the benchmark's server runs and the tests'
server-mode fixtures (tests/conftest.py imports it), so both start and stop it one way."""

from __future__ import annotations

import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

from bench.measure import proc_status_mb

CHROMA_CLI = str(Path(sys.executable).with_name("chroma"))


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


class ChromaServer:
    """A `chroma run` subprocess on 127.0.0.1, restartable on the same --path."""

    def __init__(self, path: Path, log: Path) -> None:
        self.path, self.log = path, log
        self.host = "127.0.0.1"
        self.port = 0
        self.proc: subprocess.Popen[bytes] | None = None

    @property
    def address(self) -> str:
        return f"http://{self.host}:{self.port}"

    def overrides(self) -> dict[str, object]:
        """The `Settings` fields that point the app at this server."""
        return {"store": "server", "chroma_host": self.host, "chroma_port": self.port}

    def alive(self) -> bool:
        try:
            with urllib.request.urlopen(f"{self.address}/api/v2/heartbeat", timeout=1) as r:
                return bool(r.status == 200)
        except OSError:
            return False

    def start(self, port: int | None = None, timeout: float = 60.0) -> ChromaServer:
        """Start (again, on the same --path and by default the same port) and wait
        for the heartbeat; a server that dies on start fails with its log tail."""
        self.port = port or self.port or _free_port()
        cmd = [CHROMA_CLI, "run", "--path", str(self.path), "--host", self.host]
        self.log.parent.mkdir(parents=True, exist_ok=True)
        with self.log.open("ab") as log:
            self.proc = subprocess.Popen(
                [*cmd, "--port", str(self.port)], stdout=log, stderr=subprocess.STDOUT
            )
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if self.proc.poll() is not None:
                tail = self.log.read_text(errors="replace")[-2000:]
                raise RuntimeError(f"chroma run exited with {self.proc.returncode}:\n{tail}")
            if self.alive():
                return self
            time.sleep(0.1)
        self.stop()
        raise RuntimeError(f"chroma run gave no heartbeat at {self.address} in {timeout:.0f}s")

    def peak_rss_mb(self) -> float:
        """The server process's peak RSS so far (VmHWM), in MiB; NaN once it has exited."""
        if self.proc is None or self.proc.poll() is not None:
            return float("nan")
        return proc_status_mb(self.proc.pid, "VmHWM")

    def stop(self, *, kill: bool = False) -> None:
        """Terminate (SIGTERM, then SIGKILL after 10 s), or kill at once: a crash."""
        if self.proc is None or self.proc.poll() is not None:
            return
        if kill:
            self.proc.kill()
        else:
            self.proc.terminate()
        try:
            self.proc.wait(10)
        except subprocess.TimeoutExpired:
            self.proc.kill()
            self.proc.wait(10)
