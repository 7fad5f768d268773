"""Superset (`make dashboards`) on the published marts: first start (metadata DB, admin user, server ready), deploy
of the bundle, time to ready of a restart, and the first render of each dashboard in headless Chromium after it
(charts drawn, caches cold). Superset's own venv is installed before the clock starts."""

from __future__ import annotations

import json
import logging
import os
import shutil
from pathlib import Path

import duckdb

from bench.figures import Figure, Skipped
from bench.process import run_measured
from bench.settings import REPO_ROOT, VENV_PYTHON, WORK_DIR

log = logging.getLogger("bench")
SUPERSET_SH = str(REPO_ROOT / "dashboards" / "superset.sh")
BROWSER = str(REPO_ROOT / "dashboards" / "superset_browser.py")
# Not `make dashboards`' 8088: a bench run must not meet an analyst's Superset.
PORT = os.environ.get("SUPERSET_BENCH_PORT", "8097")


def marts_path() -> Path:
    """What `make dashboards` serves: $MARTS_PATH, else the demo's warehouse/marts.duckdb."""
    return Path(os.environ.get("MARTS_PATH", REPO_ROOT / "warehouse" / "marts.duckdb"))


def order_lines(marts: Path) -> int:
    with duckdb.connect(str(marts), read_only=True) as connection:
        return connection.execute("select count(*) from main.fct_order_lines").fetchone()[0]


def measure(repeats: int) -> list[Figure | Skipped]:
    marts = marts_path()
    if not marts.exists():
        reason = f"no published marts at {marts}: run `make demo` first"
        return [Skipped("superset|time to ready", reason), Skipped("superset|first dashboard render", reason)]
    state = WORK_DIR / "superset"
    env = {**os.environ, "SUPERSET_STATE_DIR": str(state), "SUPERSET_PORT": PORT, "MARTS_PATH": str(marts)}
    env["SUPERSET_URL"] = f"http://127.0.0.1:{PORT}"
    on = f"on {marts.name} ({order_lines(marts):,} order lines)"
    first_start = Figure("superset|first start", "s", note="metadata DB, admin user, init, server answering /health")
    deploy = Figure("superset|deploy", "s", note="POST /api/v1/assets/import/ of dashboards/bundle/, overwrite")
    ready = Figure("superset|time to ready", "s", note="gunicorn start of an initialised Superset to /health")
    renders: dict[str, Figure] = {}
    run_measured([SUPERSET_SH, "down"], env=env)
    try:
        for attempt in range(repeats):
            shutil.rmtree(state, ignore_errors=True)
            first_start.samples.append(run_measured([SUPERSET_SH, "serve"], env=env, timeout=900).seconds)
            deploy.samples.append(run_measured([SUPERSET_SH, "deploy"], env=env).seconds)
            run_measured([SUPERSET_SH, "down"], env=env)
            ready.samples.append(run_measured([SUPERSET_SH, "serve"], env=env).seconds)
            seconds = json.loads(run_measured([str(VENV_PYTHON), BROWSER], env=env, cwd=REPO_ROOT).stdout)
            for position, (slug, value) in enumerate(seconds.items()):
                name = "superset|first dashboard render" if position == 0 else f"superset|render {slug}"
                note = f"dashboard {slug}, login excluded, {on}"
                renders.setdefault(slug, Figure(name, "s", note=note)).samples.append(value)
            run_measured([SUPERSET_SH, "down"], env=env)
            log.info("bench: superset run %d: ready %.1f s, renders %s", attempt + 1, ready.samples[-1], seconds)
    finally:
        run_measured([SUPERSET_SH, "down"], env=env)
        shutil.rmtree(state, ignore_errors=True)
    return [first_start, deploy, ready, *renders.values()]
