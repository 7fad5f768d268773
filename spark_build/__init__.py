"""The `spark` dbt target: a local Spark session with Iceberg, the lake's raw tables as its sources, dbt in-process."""
