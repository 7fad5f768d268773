"""Run a command as a child process and measure it: wall time, CPU time and peak RSS of the process tree.

Peak RSS is the larger of (a) the sum of VmRSS over the child and all its descendants, sampled from /proc
every few milliseconds (catches helpers running side by side, e.g. sling's DuckDB CLI) and (b) the largest
VmHWM (the kernel's own high-water mark, reset at exec) seen of any one process in the tree, which also covers
peaks shorter than the sampling period. (wait4's ru_maxrss is not used: it counts the parent's pages at fork.)

CPU time is user + system of the child and every descendant it waited for (wait4's rusage). On a machine other
work keeps busy, wall times of one contender spread widely between rounds; its CPU time hardly moves, so it shows
which contender does more work when the wall times alone cannot.
"""

from __future__ import annotations

import os
import resource
import subprocess
import tempfile
import threading
import time
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

SAMPLE_SECONDS = 0.02


@dataclass(frozen=True)
class Run:
    seconds: float
    cpu_seconds: float
    peak_rss_mb: float
    stdout: str
    stderr: str


class CommandFailed(RuntimeError):
    pass


def run_measured(
    command: Sequence[str],
    env: dict[str, str] | None = None,
    cwd: Path | None = None,
    timeout: float = 3600,
    discard_stdout: bool = False,
) -> Run:
    """Run `command` to completion; raise CommandFailed (with its stderr tail) on a non-zero exit.
    `discard_stdout` sends the output to /dev/null (a dump's floor must not pay for storing it)."""
    with tempfile.TemporaryFile("w+") as out, tempfile.TemporaryFile("w+") as err:
        started = time.perf_counter()
        stdout = subprocess.DEVNULL if discard_stdout else out
        child = subprocess.Popen(list(command), env=env, cwd=cwd, stdout=stdout, stderr=err)
        sampler = _TreeSampler(child.pid)
        sampler.start()
        status, usage = _wait(child.pid, started + timeout)
        seconds = time.perf_counter() - started
        sampler.stop()
        child.returncode = os.waitstatus_to_exitcode(status)  # reaped by wait4: tell Popen
        out.seek(0)
        err.seek(0)
        stdout, stderr = out.read(), err.read()
    if child.returncode != 0:
        output = (stderr.strip() or stdout.strip())[-2000:]
        raise CommandFailed(f"{' '.join(command[:4])}... exited {child.returncode}: {output}")
    cpu_seconds = usage.ru_utime + usage.ru_stime
    return Run(seconds, cpu_seconds, peak_rss_mb=sampler.peak_kb / 1024, stdout=stdout, stderr=stderr)


def _wait(pid: int, deadline: float) -> tuple[int, resource.struct_rusage]:
    """The child's exit status and resource usage, once it ended (killed past `deadline`)."""
    while True:
        done, status, usage = os.wait4(pid, os.WNOHANG)
        if done:
            return status, usage
        if time.perf_counter() > deadline:
            os.kill(pid, 9)
        time.sleep(0.005)


class _TreeSampler(threading.Thread):
    def __init__(self, pid: int) -> None:
        super().__init__(daemon=True)
        self.pid = pid
        self.peak_kb = 0
        self._stop_event = threading.Event()

    def run(self) -> None:
        while not self._stop_event.is_set():
            tree = [_memory_kb(pid) for pid in _tree(self.pid)]
            total = sum(rss for rss, _ in tree)
            self.peak_kb = max(self.peak_kb, total, *(hwm for _, hwm in tree))
            self._stop_event.wait(SAMPLE_SECONDS)

    def stop(self) -> None:
        self._stop_event.set()
        self.join()


def _tree(root: int) -> list[int]:
    pids, pending = [], [root]
    while pending:
        pid = pending.pop()
        pids.append(pid)
        for task in _read(f"/proc/{pid}/task").split():
            pending.extend(int(child) for child in _read(f"/proc/{pid}/task/{task}/children").split())
    return pids


def _memory_kb(pid: int) -> tuple[int, int]:
    """(VmRSS, VmHWM) of a process in kB; zeros once it is gone."""
    values = {"VmRSS:": 0, "VmHWM:": 0}
    for line in _read(f"/proc/{pid}/status").splitlines():
        fields = line.split()
        if fields and fields[0] in values:
            values[fields[0]] = int(fields[1])
    return values["VmRSS:"], values["VmHWM:"]


def _read(path: str) -> str:
    try:
        if path.endswith("/task"):
            return " ".join(os.listdir(path))
        with open(path) as handle:
            return handle.read()
    except OSError:
        return ""
