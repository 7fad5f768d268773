"""Demo data: `python -m demo create|tick|stream|emails|clicks|shop|preflight ...` (see `--help`)."""

from __future__ import annotations

import argparse
import logging
import sys

from demo import classicmodels, clicks, emails, preflight, shop_transactions
from load.errors import LoadConfigError


def main(argv: list[str] | None = None) -> int:
    logging.basicConfig(level=logging.INFO, format="%(asctime)s %(name)s %(message)s", stream=sys.stderr)
    parser = argparse.ArgumentParser(prog="python -m demo", description="Generate demo source data.")
    commands = parser.add_subparsers(dest="command", required=True)
    classicmodels.add_commands(commands)
    emails.add_commands(commands)
    clicks.add_commands(commands)
    preflight.add_commands(commands)
    shop_transactions.add_commands(commands)
    args = parser.parse_args(sys.argv[1:] if argv is None else argv)
    try:
        args.handler(args)
    except LoadConfigError as error:
        print(f"error: {error}", file=sys.stderr)
        return 2
    return 0


if __name__ == "__main__":
    sys.exit(main())
