"""Full load of orderdetails, every contender side by side, round-robin so drift hits all alike."""

from __future__ import annotations

import logging
from pathlib import Path

import duckdb

from bench.contenders import Contender, clean
from bench.figures import Figure, Skipped
from bench.process import CommandFailed, run_measured

log = logging.getLogger("bench")


def compare(
    contenders: list[Contender], rows: int, work: Path, repeats: int, slow_repeats: int
) -> list[Figure | Skipped]:
    """Seconds, rows/s, CPU seconds and peak RSS (MB) per contender; a contender that fails is reported as
    skipped."""
    figures: dict[str, list[Figure]] = {
        c.name: [Figure(f"{c.name}|seconds", "s"), Figure(f"{c.name}|rows_per_s", "rows/s"),
                 Figure(f"{c.name}|peak_rss", "MB"), Figure(f"{c.name}|cpu_seconds", "s")]
        for c in contenders
    }  # fmt: skip
    failed: dict[str, str] = {}
    for attempt in range(repeats):
        for contender in contenders:
            if contender.name in failed or (contender.slow and attempt >= slow_repeats):
                continue
            dest = work / "full_load" / contender.name.split()[0]
            clean(dest)
            try:
                run = run_measured(
                    contender.command(dest),
                    env=contender.env(dest),
                    cwd=contender.cwd,
                    discard_stdout=contender.discard_stdout,
                )
                _check_rows(contender, dest, rows)
            except (CommandFailed, AssertionError) as error:
                failed[contender.name] = str(error)[-600:]
                log.warning("bench: %s failed: %s", contender.name, failed[contender.name])
                continue
            seconds, rate, rss, cpu = figures[contender.name]
            seconds.samples.append(run.seconds)
            rss.samples.append(run.peak_rss_mb)
            rate.samples.append(rows / run.seconds)
            cpu.samples.append(run.cpu_seconds)
            log.info("bench: %-42s %6.2f s %8.0f rows/s %6.0f MB %6.2f s CPU", contender.name, run.seconds,
                     rows / run.seconds, run.peak_rss_mb, run.cpu_seconds)  # fmt: skip
        clean(work / "full_load")
    out: list[Figure | Skipped] = []
    for contender in contenders:
        if contender.name in failed:
            out.append(Skipped(f"{contender.name}|seconds", failed[contender.name]))
        else:
            out.extend(figures[contender.name])
    return out


def _check_rows(contender: Contender, dest: Path, rows: int) -> None:
    if contender.duckdb_file is None:
        return
    with duckdb.connect(str(dest / contender.duckdb_file), read_only=True) as connection:
        loaded = connection.execute(f"SELECT COUNT(*) FROM {contender.duckdb_table}").fetchone()[0]
    assert loaded == rows, f"{contender.name} loaded {loaded} rows, the source has {rows}"
