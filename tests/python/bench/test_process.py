"""The bench's process measurement: CPU time tells a busy child from a waiting one, whatever the wall time."""

import sys

from bench.process import run_measured


def test_cpu_time_counts_work_not_waiting() -> None:
    busy = run_measured(
        [sys.executable, "-c", "import time\nend = time.process_time() + 0.3\nwhile time.process_time() < end: pass"]
    )
    waiting = run_measured([sys.executable, "-c", "import time; time.sleep(0.3)"])
    assert busy.cpu_seconds >= 0.25
    assert waiting.cpu_seconds < 0.2 < waiting.seconds


def test_cpu_time_includes_the_childs_own_children() -> None:
    spin = "import time\\nend = time.process_time() + 0.3\\nwhile time.process_time() < end: pass"
    parent = f"import subprocess, sys; subprocess.run([sys.executable, '-c', '{spin}'], check=True)"
    assert run_measured([sys.executable, "-c", parent]).cpu_seconds >= 0.25
