"""Errors the command line reports as one line and a non-zero exit, never a traceback."""

from __future__ import annotations


class StartError(RuntimeError):
    """A platform could not be started (a rejected token, an unreachable server, a switch off in a portal); the
    message names the setting or the page to fix."""
