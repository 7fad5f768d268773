"""The Dagster code location of commerce_dw (`make orchestrate`): definitions.py is the entry point."""
