"""Row counts and money sums per mart: what an orchestrated build must share with the direct one."""

from pathlib import Path

import duckdb

MARTS_SCHEMA = "marts"


def mart_figures(warehouse: Path) -> dict[str, tuple[int, ...]]:
    """Per table of schema marts: its row count, then the sum of each decimal column (money), by column name."""
    with duckdb.connect(str(warehouse), read_only=True) as connection:
        columns = connection.execute(
            "select table_name, list(column_name order by column_name) filter (data_type like 'DECIMAL%')"
            " from information_schema.columns where table_schema = ? group by table_name order by table_name",
            [MARTS_SCHEMA],
        ).fetchall()
        figures: dict[str, tuple[int, ...]] = {}
        for table, decimals in columns:
            sums = "".join(f', sum("{column}")' for column in decimals or [])
            row = connection.execute(f'select count(*){sums} from {MARTS_SCHEMA}."{table}"').fetchone()
            figures[table] = tuple(row or ())
        return figures
