"""An analyst holds the published marts open through a whole `make demo` cycle (scripts/demo.sh, real services).

The demo runs on a private MariaDB database, Kinesis stream, warehouse and marts file, at a small scale: the session's
first run (conftest.py `demo`, shared with the ops tests) creates the shop and publishes; the reader then opens the
published file and queries it in a loop while a further run ticks a day, loads, builds and publishes again.
"""

from __future__ import annotations

import json
import subprocess
import sys
import time
from itertools import pairwise
from pathlib import Path
from typing import Any

import duckdb
import pytest
from demo_run import Demo, PrivateServicesDemo
from marts_reader import answer

pytestmark = pytest.mark.integration

READER = Path(__file__).with_name("marts_reader.py")
MART = "fct_order_lines"


def run_demo(demo: Demo) -> subprocess.CompletedProcess[str]:
    result = demo.run("scripts/demo.sh")
    assert result.returncode == 0, result.stdout[-3000:] + result.stderr[-3000:]
    return result


def read_published(marts: Path) -> dict[str, Any]:
    with duckdb.connect(str(marts), read_only=True) as connection:
        return answer(connection)


def complete_answers(answers_file: Path) -> list[dict[str, Any]]:
    """The answers written so far; a line still being written is left for later."""
    text = answers_file.read_text() if answers_file.exists() else ""
    return [json.loads(line) for line in text.splitlines(keepends=True) if line.endswith("\n")]


def wait_for_answer_after(moment: float, answers_file: Path, reader: subprocess.Popen[bytes]) -> None:
    """Wait until the reader has answered a question asked after `moment`."""
    deadline = time.monotonic() + 30
    while not any(answer["asked_at"] > moment for answer in complete_answers(answers_file)):
        assert reader.poll() is None, "the reader could not open the published marts"
        assert time.monotonic() < deadline, "the reader gave no answer in 30 s"
        time.sleep(0.05)


def test_reader_keeps_its_snapshot_and_never_blocks_a_demo_cycle(demo: PrivateServicesDemo, tmp_path: Path) -> None:
    marts = demo.marts
    assert "Generating the demo shop" in demo.first_run_output
    published_before = marts.stat().st_ino

    stop, answers_file = tmp_path / "stop-reader", tmp_path / "answers.jsonl"
    reader = subprocess.Popen([sys.executable, str(READER), str(marts), str(stop), str(answers_file)], cwd=tmp_path)
    try:
        wait_for_answer_after(0, answers_file, reader)
        started = time.time()
        second = run_demo(demo)
        finished = time.time()
        # Stop only once the session answered after the cycle: it must still be usable then.
        wait_for_answer_after(finished, answers_file, reader)
        stop.touch()
        assert reader.wait(timeout=60) == 0
    finally:
        reader.kill()
    answers = [json.loads(line) for line in answers_file.read_text().splitlines()]
    asked = [answer.pop("asked_at") for answer in answers]

    assert "Simulating the next business day" in second.stdout
    assert "published" in second.stdout
    assert marts.stat().st_ino != published_before, "the published file was not replaced"
    # The session was open and answering before, throughout and after the cycle, never held up for long.
    assert asked[0] < started and asked[-1] > finished
    longest_wait = max(later - earlier for earlier, later in pairwise(asked))
    assert longest_wait < 5, f"the reader waited {longest_wait:.1f} s for an answer"
    snapshot = answers[0]
    assert MART in snapshot["tables"]
    assert all(recorded == live for recorded, live in snapshot["tables"].values()), snapshot
    changed = [number for number, seen in enumerate(answers) if seen != snapshot]
    assert not changed, f"the open session's answer changed at query {changed[0]}: {answers[changed[0]]}"

    fresh = read_published(marts)
    print(
        f"demo cycle {finished - started:.1f} s with a reader open: {len(answers)} identical answers"
        f" (longest gap {longest_wait:.2f} s); {MART} rows {snapshot['tables'][MART][1]} -> {fresh['tables'][MART][1]}"
    )
    assert fresh["published_at"] > snapshot["published_at"], "a new session does not see the new publication"
    assert all(recorded == live for recorded, live in fresh["tables"].values()), fresh
    assert fresh["tables"][MART][1] >= snapshot["tables"][MART][1]
