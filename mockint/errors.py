"""Errors that are the user's to fix: shown as one clear line, never as a traceback."""

from __future__ import annotations


class UserError(Exception):
    """Something the user can fix (bad input, missing file, locked database...).

    ``reason`` (with ``details``, the values its sentence names) says which problem it is, so
    that a face of the app speaking another language can say it in its own words; the message
    itself is English, for the command line and logs.
    """

    def __init__(
        self, message: str, exit_code: int = 2, *, reason: str | None = None, **details: object
    ):
        super().__init__(message)
        self.exit_code = exit_code
        self.reason = reason
        self.details = details


class Reasoned(str):
    """A notice in English that also says which one it is (``reason`` and ``details``, as for
    :class:`UserError`): it is printed as it is, and translated by the TUI."""

    reason: str | None
    details: dict[str, object]

    def __new__(cls, message: str, *, reason: str, **details: object) -> Reasoned:
        text = super().__new__(cls, message)
        text.reason = reason
        text.details = details
        return text
