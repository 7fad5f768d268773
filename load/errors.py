"""Errors a user can act on: one line naming what to fix."""

from __future__ import annotations


class LoadConfigError(Exception):
    """Bad or missing configuration, unreachable server, missing object: the message says what to fix."""
