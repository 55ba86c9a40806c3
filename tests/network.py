"""Watching a process's network traffic with strace: the product is offline by default,
so a question, a chat or a UI session may talk to loopback and nothing else."""

from __future__ import annotations

import contextlib
import os
import re
import shutil
import signal
import subprocess
from pathlib import Path

# Variables under which onnxruntime keeps its telemetry quiet by itself: a traced process
# runs without them, so the test checks what the product does on a user's machine, not
# on a CI runner.
QUIETING = ("CI", "ORT_DISABLE_TELEMETRY", "ORT_RUNNING_UNIT_TESTS")
_ADDRESS = re.compile(r'inet_addr\("([^"]+)"\)|inet_pton\(AF_INET6, "([^"]+)"')


def strace_prefix(log: Path) -> list[str] | None:
    """The command prefix that records every connect and sendto of a process and its
    children into `log`; None where strace is missing or cannot trace (say why instead:
    scripts/test.sh installs it)."""
    strace = shutil.which("strace")
    if strace is None:
        return None
    if subprocess.run([strace, "-f", "-o", "/dev/null", "true"], capture_output=True).returncode:
        return None
    return [strace, "-f", "-e", "trace=connect,sendto", "-o", str(log), "--"]


def non_loopback_calls(strace_log: str) -> list[str]:
    """The connect/sendto lines of an strace log that reach beyond 127.0.0.1 and ::1,
    DNS (port 53) included."""
    bad = []
    for line in strace_log.splitlines():
        if "AF_INET" not in line or not ("connect(" in line or "sendto(" in line):
            continue
        for v4, v6 in _ADDRESS.findall(line):
            if not (v4.startswith("127.") or v6 in ("::1", "::ffff:127.0.0.1")):
                bad.append(line.strip())
    return bad


def stop(process: subprocess.Popen[bytes], *, traced: bool, timeout: float = 15.0) -> None:
    """Stop a program started with or without `strace_prefix`. strace passes no signal on
    to the program it traces, and only detaches when stopped, so a traced program is
    signalled itself: stopping strace alone would leave it running after the test."""
    pids = (_children(process.pid) if traced else []) or [process.pid]
    _signal(pids, signal.SIGTERM)
    try:
        process.wait(timeout=timeout)
    except subprocess.TimeoutExpired:
        _signal(pids, signal.SIGKILL)
        process.kill()
        process.wait()


def _signal(pids: list[int], sig: signal.Signals) -> None:
    for pid in pids:
        with contextlib.suppress(ProcessLookupError):  # it ended already
            os.kill(pid, sig)


def _children(pid: int) -> list[int]:
    """The processes whose parent is `pid`, from /proc (field 4 of each stat file)."""
    found = []
    for stat in Path("/proc").glob("[0-9]*/stat"):
        try:
            fields = stat.read_text().rsplit(")", 1)[1].split()
        except (OSError, IndexError):
            continue
        if int(fields[1]) == pid:
            found.append(int(stat.parent.name))
    return found
