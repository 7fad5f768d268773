"""`python -m load` ends without the interpreter's teardown (load/process_end.py), yet as a normal exit would: every
exit handler runs, output is flushed, the exit code is kept; and a real CDC run leaves a closed, checkpointed
warehouse and no teardown noise on stderr."""

from __future__ import annotations

import subprocess
import sys
import textwrap
from pathlib import Path

import pytest

from demo.classicmodels import create_demo, day_tick
from loader_process import loader_env

CHILD = """
import atexit, sys
from load.process_end import ProcessEnd

def interrupted():  # Ctrl-C while main runs
    raise KeyboardInterrupt

end = ProcessEnd()
atexit.register(lambda: print("later handler ran", file=sys.stderr))
print("buffered output", end="")  # no newline: stays in the buffer until flushed
{body}
"""


def run_child(body: str, tmp_path: Path) -> subprocess.CompletedProcess[str]:
    script = tmp_path / "child.py"
    script.write_text(CHILD.format(body=textwrap.dedent(body)))
    return subprocess.run([sys.executable, str(script)], capture_output=True, text=True, timeout=60)


def test_the_exit_code_output_and_other_exit_handlers_are_kept(tmp_path: Path) -> None:
    ended = run_child("end.code = 3\nsys.exit(end.code)", tmp_path)
    assert ended.returncode == 3
    assert ended.stdout == "buffered output"
    assert "later handler ran" in ended.stderr


@pytest.mark.parametrize(
    ("main", "status"),
    [("lambda: 4", 4), ("lambda: sys.exit(2)", 2), ("lambda: sys.exit()", 0), ("interrupted", 130)],
)
def test_run_exits_with_mains_code_or_its_system_exit(main: str, status: int, tmp_path: Path) -> None:
    ended = run_child(f"end.run({main})", tmp_path)
    assert ended.returncode == status
    assert ended.stdout == "buffered output"


@pytest.mark.parametrize(("arguments", "status"), [(["--help"], 0), (["--no-such-option"], 2)])
def test_the_loader_cli_keeps_argparse_exit_codes(arguments: list[str], status: int) -> None:
    ended = subprocess.run([sys.executable, "-m", "load", *arguments], capture_output=True, text=True, timeout=60)
    assert ended.returncode == status, ended.stderr
    assert "usage:" in ended.stdout + ended.stderr


def test_an_uncaught_error_exits_1_with_its_traceback(tmp_path: Path) -> None:
    ended = run_child("raise RuntimeError('boom')", tmp_path)
    assert ended.returncode == 1
    assert "RuntimeError: boom" in ended.stderr
    assert ended.stdout == "buffered output"


def test_a_cdc_run_ends_with_the_warehouse_closed_and_no_teardown_noise(
    admin_url: str, loader_url: str, warehouse: Path
) -> None:
    create_demo(admin_url, scale=0.05, seed=5)
    for _ in range(2):  # the copy, then a stream load after a day tick
        ended = subprocess.run(
            [sys.executable, "-m", "load", "run", "mysql"],
            env=loader_env(loader_url, warehouse, "cdc"),
            capture_output=True,
            text=True,
            timeout=300,
        )
        assert ended.returncode == 0, ended.stderr[-3000:]
        assert ended.stdout.startswith("mysql: loaded into")
        assert "leaked" not in ended.stderr  # DuckDB's bindings report objects alive at a teardown
        assert not warehouse.with_name(warehouse.name + ".wal").exists()  # closed and checkpointed
        day_tick(admin_url, seed=6)
