#!/usr/bin/env python
"""The README's test command as a newcomer (and CI) runs it: `bash scripts/test.sh` in a
fresh clone of this repository's HEAD, timed phase by phase, with an empty pip cache by
default, so that llama-cpp-python compiles as on a fresh machine.

    .venv/bin/python bench/setup_time.py            # record into bench/results.json/.md
    .venv/bin/python bench/setup_time.py --warm-cache --no-record

What a fresh machine has that this one may not: Debian's chromium is installed here, so
the script's chromium step is a no-op (a fresh machine adds an apt-get install), and
downloads come from the package index at whatever speed it serves. The clone's browser
tests also write the UI's time to first token, which is recorded beside the set-up.
Exits with test.sh's status.
"""

from __future__ import annotations

import argparse
import json
import os
import re
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

if __package__ in (None, ""):
    sys.path[0] = str(Path(__file__).resolve().parents[1])

from bench.measure import BENCH, REPO, loadavg, log

PHASE = re.compile(r"^\[test\.sh\] (.+): (\d+) s$")
SUMMARY = re.compile(r"^=*\s*(\d+ (passed|failed).*) in [\d.]+s")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--warm-cache", action="store_true", help="use this machine's pip cache")
    parser.add_argument("--no-record", action="store_true", help="don't touch bench/results.*")
    parser.add_argument("--keep", type=Path, help="clone here and keep it (default: removed)")
    parser.add_argument(
        "--record-from",
        type=Path,
        help="only record a finished run's record.json into bench/results.json and .md",
    )
    args, test_args = parser.parse_known_args(argv)

    if args.record_from:
        saved = json.loads(args.record_from.read_text())
        _record(saved["setup"], saved["ui"])
        return 0
    work = Path(tempfile.mkdtemp(prefix="rag-setup-"))
    clone = args.keep or work / "clone"
    env = {k: v for k, v in os.environ.items() if not k.startswith(("RAG_", "VIRTUAL_ENV"))}
    env["PATH"] = os.pathsep.join(
        p for p in env.get("PATH", "").split(os.pathsep) if ".venv" not in p
    )
    if not args.warm_cache:
        env["PIP_CACHE_DIR"] = str(work / "pip-cache")
    commit = subprocess.run(
        ["git", "-C", str(REPO), "rev-parse", "--short", "HEAD"],
        capture_output=True,
        text=True,
        check=True,
    ).stdout.strip()
    subprocess.run(["git", "clone", "-q", str(REPO), str(clone)], check=True)
    log(f"test.sh in a fresh clone of {commit} at {clone}")
    record: dict[str, object] = {
        "commit": commit,
        "when": time.strftime("%Y-%m-%d %H:%M"),
        "cpus": os.cpu_count(),
        "empty_pip_cache": not args.warm_cache,
        "chromium_preinstalled": shutil.which("chromium") is not None,
        "load_before": loadavg(),
    }
    phases: dict[str, float] = {}
    tests = None
    lines = []
    started = time.perf_counter()
    with subprocess.Popen(
        ["bash", "scripts/test.sh", *test_args],
        cwd=clone,
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
    ) as proc:
        assert proc.stdout is not None
        for line in proc.stdout:
            sys.stdout.write(line)
            lines.append(line)
            text = line.strip()
            if m := PHASE.match(text):
                if m.group(1) != "total":
                    phases[m.group(1)] = float(m.group(2))
            elif m := SUMMARY.match(text.strip("= ")):
                tests = text.strip("= ")
    wall = time.perf_counter() - started
    (work / "test.log").write_text("".join(lines))
    record.update(
        phases=phases,
        total_s=wall,
        tests=tests,
        returncode=proc.returncode,
        load_after=loadavg(),
        log=str(work / "test.log"),
    )
    log(f"test.sh exited {proc.returncode} after {wall / 60:.1f} min: {phases}")
    ui: dict[str, Any] = {}
    for store in ("embedded", "server"):
        path = clone / "tests" / "artifacts" / f"ui-timings-{store}.json"
        if path.exists():
            ui[store] = json.loads(path.read_text())
    if ui:
        ui["source"] = f"the test run of {record['when']} in a fresh clone of {commit}"
    (work / "record.json").write_text(json.dumps({"setup": record, "ui": ui}, indent=1))
    log(f"figures in {work / 'record.json'}")
    if not args.no_record:
        _record(record, ui)
    if not args.keep:
        shutil.rmtree(clone, ignore_errors=True)
    return proc.returncode


def _record(record: dict[str, Any], ui: dict[str, Any]) -> None:
    from bench.report import write_report

    out = BENCH / "results.json"
    data = json.loads(out.read_text())
    data["setup"] = record
    if ui:
        data["ui"] = ui
    out.write_text(json.dumps(data, indent=1))
    write_report(data, BENCH / "results.md")
    log(f"recorded in {out} and results.md")


if __name__ == "__main__":
    sys.exit(main())
