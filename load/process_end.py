"""`python -m load` ends without the interpreter's teardown.

After the last exit handler, CPython tears the interpreter down: it frees module by module every object the run
made, with a full garbage collection between steps, all for memory the OS takes back at once anyway. With dlt
imported that is 0.15-0.3 s, a tenth of a CDC run after a day tick. Nothing of the run depends on it: the warehouse
connection is closed and committed by then (runner.py), files are closed, and every exit handler (threads joined,
dlt's telemetry, logging's flush) has run.
"""

from __future__ import annotations

import atexit
import contextlib
import logging
import os
import sys
from collections.abc import Callable
from typing import NoReturn


class ProcessEnd:
    """Made first thing, so that its exit handler runs after every other one (handlers run last-in, first-out):
    it flushes the output and ends the process with `code` (1 unless set: an uncaught error's traceback is printed
    by then)."""

    def __init__(self) -> None:
        self.code = 1
        atexit.register(self._end)

    def run(self, main: Callable[[], int]) -> NoReturn:
        """Exit with main's return code, or with the code of a SystemExit it raises (argparse: 2 on a usage error,
        0 after --help), as the interpreter would."""
        try:
            self.code = main()
        except KeyboardInterrupt:
            self.code = 130  # as a shell reports a process ended by Ctrl-C
            raise
        except SystemExit as stop:
            self.code = exit_status(stop.code)
            raise
        sys.exit(self.code)

    def _end(self) -> None:
        logging.shutdown()  # registered by logging's import, before this handler: it would run after it
        for stream in (sys.stdout, sys.stderr):
            # A closed pipe (`| head`) or stream: nothing more can be written anyway.
            with contextlib.suppress(OSError, ValueError):
                stream.flush()
        os._exit(self.code)


def exit_status(code: object) -> int:
    """The process status of `sys.exit(code)`: None is 0, an int itself, anything else (a message) 1."""
    if code is None:
        return 0
    return code if isinstance(code, int) else 1
