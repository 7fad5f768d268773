"""An analyst's session (marts_reader.py) held open on the published marts around a command, and what it saw."""

from __future__ import annotations

import json
import subprocess
import sys
import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import duckdb
from publish.marts_reader import answer

READER = Path(__file__).with_name("marts_reader.py")


@dataclass(frozen=True)
class ReaderRecord:
    output: str  # what the command printed
    started: float  # epoch seconds around the command
    finished: float
    asked: list[float]  # when each answer's question was asked
    answers: list[dict[str, Any]]  # the open session's answers, in order
    inode_before: int  # the published file's inode before and after the command
    inode_after: int
    fresh: dict[str, Any]  # a new session's answer right after


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


def read_during(marts: Path, workdir: Path, command: Callable[[], str]) -> ReaderRecord:
    """Run `command` while a session opened on `marts` before it queries it in a loop; stop the session only once
    it answered after the command (it must still be usable then)."""
    inode_before = marts.stat().st_ino
    stop, answers_file = workdir / "stop-reader", workdir / "answers.jsonl"
    reader = subprocess.Popen([sys.executable, str(READER), str(marts), str(stop), str(answers_file)], cwd=workdir)
    try:
        wait_for_answer_after(0, answers_file, reader)
        started = time.time()
        output = command()
        finished = time.time()
        wait_for_answer_after(finished, answers_file, reader)
        stop.touch()
        assert reader.wait(timeout=60) == 0
    finally:
        reader.kill()
    answers = [json.loads(line) for line in answers_file.read_text().splitlines()]
    asked = [answer.pop("asked_at") for answer in answers]
    return ReaderRecord(
        output, started, finished, asked, answers, inode_before, marts.stat().st_ino, read_published(marts)
    )
