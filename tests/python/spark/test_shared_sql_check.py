"""`make lint`'s check that the project's SQL stays shared between DuckDB and Spark (spark_build.shared_sql_check)."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

from load.local_services import REPO_ROOT
from spark_build.shared_sql_check import check


def test_the_project_sql_passes() -> None:
    result = subprocess.run(
        [sys.executable, "-m", "spark_build.shared_sql_check"], cwd=REPO_ROOT, capture_output=True, text=True
    )
    assert result.returncode == 0, result.stdout


def test_a_duckdb_only_construct_in_a_model_fails(tmp_path: Path) -> None:
    model = tmp_path / "models" / "latest_orders.sql"
    model.parent.mkdir()
    model.write_text(
        "{# qualify in a Jinja comment is not SQL #}\n"
        "select * exclude (comments)\n"
        "from {{ ref('stg_classicmodels__orders') }}\n"
        "qualify row_number() over (partition by customer_number order by order_date desc) = 1\n"
    )
    result = subprocess.run(
        [sys.executable, "-m", "spark_build.shared_sql_check", str(tmp_path / "models")],
        cwd=REPO_ROOT,
        capture_output=True,
        text=True,
    )
    assert result.returncode == 1
    assert [(finding.line, finding.text.lower()) for finding in check([model])] == [(2, "* exclude"), (4, "qualify")]


def test_engine_spellings_inside_dispatched_macros_pass(tmp_path: Path) -> None:
    macro = tmp_path / "array_size.sql"
    macro.write_text(
        "{% macro array_size(a) %}{{ return(adapter.dispatch('array_size', 'commerce_dw')(a)) }}{% endmacro %}\n"
        "{% macro default__array_size(a) %}len({{ a }}){% endmacro %}\n"
        "{% macro spark__array_size(a) %}array_size({{ a }}){% endmacro %}\n"
    )
    assert check([macro]) == []


def test_a_spark_only_function_fails(tmp_path: Path) -> None:
    model = tmp_path / "algorithms.sql"
    model.write_text("select explode(algorithms) as algorithm\nfrom {{ ref('fct_email_sends') }}\n")
    assert [finding.text for finding in check([model])] == ["explode("]


def test_a_length_less_varchar_in_a_contract_fails(tmp_path: Path) -> None:
    properties = tmp_path / "_orders__models.yml"
    properties.write_text("models:\n  - name: fct_x\n    columns:\n      - name: status\n        data_type: varchar\n")
    assert [(finding.line, finding.text) for finding in check([properties])] == [(5, "data_type: varchar")]
