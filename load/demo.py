"""`python -m load.demo …`: the former name of `python -m demo …` (the demo data generator), still accepted."""

from __future__ import annotations

import sys

from demo.__main__ import main

if __name__ == "__main__":
    sys.exit(main())
