"""The lake: every load's rows as parquet files beside the warehouse, with a manifest per load (docs/lake.md)."""
