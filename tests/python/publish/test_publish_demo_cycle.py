"""An analyst holds the published marts open through a whole `make demo` cycle (scripts/demo.sh, real services).

The demo runs on a private copy of the services, at a small scale: the session's first run (conftest.py `demo`, shared
with the ops tests) creates the shop and publishes; the reader then opens the published file and queries it in a
loop while a later `make demo` ticks a day, loads, builds and publishes again (conftest.py `demo_day_with_a_reader`:
the day the restart tests run after restarting the services).
"""

from __future__ import annotations

from itertools import pairwise

import pytest
from demo_run import PrivateServicesDemo
from publish.reader_session import ReaderRecord

pytestmark = pytest.mark.integration

MART = "fct_order_lines"


def test_reader_keeps_its_snapshot_and_never_blocks_a_demo_cycle(
    demo: PrivateServicesDemo, demo_day_with_a_reader: ReaderRecord
) -> None:
    assert "Generating the demo shop" in demo.first_run_output
    day = demo_day_with_a_reader
    answers, asked, started, finished = day.answers, day.asked, day.started, day.finished

    assert "Simulating the next business day" in day.output
    assert "published" in day.output
    assert day.inode_after != day.inode_before, "the published file was not replaced"
    # The session was open and answering before, throughout and after the cycle, never held up for long.
    assert asked[0] < started and asked[-1] > finished
    longest_wait = max(later - earlier for earlier, later in pairwise(asked))
    assert longest_wait < 5, f"the reader waited {longest_wait:.1f} s for an answer"
    snapshot = answers[0]
    assert MART in snapshot["tables"]
    assert all(recorded == live for recorded, live in snapshot["tables"].values()), snapshot
    changed = [number for number, seen in enumerate(answers) if seen != snapshot]
    assert not changed, f"the open session's answer changed at query {changed[0]}: {answers[changed[0]]}"

    fresh = day.fresh
    print(
        f"demo cycle {finished - started:.1f} s with a reader open: {len(answers)} identical answers"
        f" (longest gap {longest_wait:.2f} s); {MART} rows {snapshot['tables'][MART][1]} -> {fresh['tables'][MART][1]}"
    )
    assert fresh["published_at"] > snapshot["published_at"], "a new session does not see the new publication"
    assert all(recorded == live for recorded, live in fresh["tables"].values()), fresh
    assert fresh["tables"][MART][1] >= snapshot["tables"][MART][1]
