"""The CLI's one failure type: whatever goes wrong ends as one line on stderr, not a traceback."""

from __future__ import annotations


class CliError(Exception):
    """A failure to report on one line of stderr, ending the command with `exit_code`."""

    def __init__(self, message: str, exit_code: int = 1) -> None:
        super().__init__(message)
        self.exit_code = exit_code
