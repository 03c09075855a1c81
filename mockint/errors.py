"""Errors that are the user's to fix: shown as one clear line, never as a traceback."""

from __future__ import annotations


class UserError(Exception):
    """Something the user can fix (bad input, missing file, locked database...)."""

    def __init__(self, message: str, exit_code: int = 2):
        super().__init__(message)
        self.exit_code = exit_code
