"""Custom dlt resource metrics for rows a resource writes to the warehouse itself (dlt's own counts miss them)."""

ROWS_WRITTEN = "rows_written_directly"
SECONDS_WRITING = "seconds_writing_directly"
