"""`python -m spark_build.shared_sql_check [paths...]`: fail on SQL that only one engine (DuckDB or Spark) accepts.

Every model, snapshot, seed, test and macro runs on DuckDB and on Spark 3.5 (target `spark`). Engine-specific spelling
belongs in the bodies of dispatched macros (`default__…` / `duckdb__…` for DuckDB, `spark__…` for Spark) or in a
node enabled for one engine only (`config(enabled=target.type == '…')`); anywhere else each construct below is
reported with the portable way to write it. Jinja tags and comments are not SQL and are skipped. A scan of the
sources (no database, under a second) rather than a compile for both targets: compiling for Spark needs a running
Spark session; the Spark build in `make test` (tests/python/spark) then proves the SQL runs on both.
"""

from __future__ import annotations

import re
import sys
from dataclasses import dataclass
from pathlib import Path

# analyses/ are left out: `make sql` runs them on the published DuckDB marts only.
DEFAULT_PATHS = ("models", "snapshots", "tests/dbt", "macros", "seeds")

# (pattern, what to write instead); matched case-insensitively on SQL text outside Jinja tags and comments.
ONE_ENGINE_CONSTRUCTS: tuple[tuple[str, str], ...] = (
    (r"\bqualify\b", "DuckDB only: filter a row_number() in a subquery"),
    (r"\*\s*exclude\b|\bexclude\s*\(", "DuckDB only: list the columns"),
    (r"\bvarchar\b(?!\s*\()", "varchar without a length: {{ dbt.type_string() }}"),
    (r"\btimestamptz\b|\btimestamp with time zone\b", "DuckDB only: {{ type_timestamp_tz() }}"),
    (r"::", "DuckDB only: cast(x as type)"),
    (r"\bdelete\+insert\b", "dbt-spark has no delete+insert: incremental_strategy='merge'"),
    (r"\b(list_\w+|len|unnest|generate_series|array_length)\s*\(", "DuckDB only: array macros of cross_engine.sql"),
    (r"\b(arg_min|arg_max)\s*\(", "DuckDB only: {{ value_at_min(...) }}"),
    (r"\b(epoch|to_hours|to_minutes|to_days|date_diff|datediff|date_add|date_sub)\s*\(", "days_between / add_days"),
    (r"'-?infinity'", "DuckDB only: var scd_beginning_of_time / scd_end_of_time"),
    (r"\b(string_agg|struct_pack|strftime|strptime|regexp_matches|isodow|monthname|dayname)\s*\(", "DuckDB only"),
    (r"\b(json\w*|to_timestamp|timezone)\s*\(", "engine-specific: json_text / dlt_loaded_at / utc_timestamp"),
    (r"\bjson\b", "DuckDB only type: {{ type_json() }}"),
    (r"\bduckdb_\w+\s*\(", "DuckDB's catalog: enable the node for DuckDB only"),
    (
        r"\b(explode|sequence|date_format|from_json|get_json_object|timestamp_seconds|array_size|array_distinct"
        r"|min_by|max_by|weekday|unix_micros|struct)\s*\(",
        "Spark only: a dispatched macro",
    ),
    (r"`", "Spark only quoting: {{ adapter.quote(...) }}"),
)
# In yml: contract data_type and seed column_types spelt for one engine only (engine_data_type maps `string[]` and
# `timestamp with time zone` for Spark).
ONE_ENGINE_YML_TYPE = re.compile(r"\b\w+:\s*(varchar|timestamptz|json)\s*(?=[,}\n]|$)", re.IGNORECASE)
YML_TYPE_ADVICE = "a type only DuckDB accepts in a contract or seed: string, timestamp with time zone, string[]"
ENGINE_MACRO = re.compile(
    r"{%-?\s*macro\s+(?:default|duckdb|spark)__\w+.*?{%-?\s*endmacro\s*-?%}", re.DOTALL | re.IGNORECASE
)
ONE_ENGINE_NODE = re.compile(r"enabled\s*=\s*\(?\s*target\.type\s*==")
JINJA = re.compile(r"{#.*?#}|{%.*?%}|{{.*?}}", re.DOTALL)
SQL_COMMENT = re.compile(r"--[^\n]*")
STRING_LITERAL = re.compile(r"'(?:[^']|'')*'")


@dataclass(frozen=True)
class Finding:
    path: Path
    line: int
    text: str
    advice: str

    def __str__(self) -> str:
        return f"{self.path}:{self.line}: {self.text!r}: {self.advice}"


def _blank(match: re.Match[str]) -> str:
    """The match replaced by spaces, its newlines kept, so line numbers stay right."""
    return re.sub(r"[^\n]", " ", match.group(0))


def sql_outside_engine_code(text: str) -> str:
    text = ENGINE_MACRO.sub(_blank, text)
    text = JINJA.sub(_blank, text)
    return SQL_COMMENT.sub(_blank, text)


def findings_in(path: Path) -> list[Finding]:
    text = path.read_text()
    if path.suffix == ".yml":
        return [
            Finding(path, text.count("\n", 0, match.start()) + 1, match.group(0).strip(), YML_TYPE_ADVICE)
            for match in ONE_ENGINE_YML_TYPE.finditer(text)
        ]
    if ONE_ENGINE_NODE.search(text):
        return []
    sql = sql_outside_engine_code(text)
    findings = []
    for pattern, advice in ONE_ENGINE_CONSTRUCTS:
        # string literals are data, except where the pattern is about literals
        searched = sql if "'" in pattern else STRING_LITERAL.sub(_blank, sql)
        for match in re.finditer(pattern, searched, re.IGNORECASE):
            line = searched.count("\n", 0, match.start()) + 1
            findings.append(Finding(path, line, match.group(0), advice))
    return sorted(findings, key=lambda finding: (str(finding.path), finding.line))


def check(paths: list[Path]) -> list[Finding]:
    files = sorted(
        file for path in paths for file in ([path] if path.is_file() else [*path.rglob("*.sql"), *path.rglob("*.yml")])
    )
    return [finding for file in files for finding in findings_in(file)]


def main(argv: list[str]) -> int:
    findings = check([Path(arg) for arg in argv] or [Path(path) for path in DEFAULT_PATHS if Path(path).exists()])
    for finding in findings:
        print(finding)
    if findings:
        print(f"shared_sql_check: {len(findings)} construct(s) only one engine accepts")
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
