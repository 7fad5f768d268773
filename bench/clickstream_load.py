"""`python -m bench.clickstream_load`: the loader's run of the clickstream stream alone (what `python -m load run
kinesis` does for that stream), so its events/s compare with a raw read of the same stream."""

from __future__ import annotations

import logging
import sys

from load.kinesis.job import kinesis_job
from load.runner import print_summary, run_job

if __name__ == "__main__":
    logging.basicConfig(level=logging.WARNING, stream=sys.stderr)
    job = kinesis_job("clickstream")
    print_summary(job, run_job(job))
