"""Typed errors of the core; the command line and the web layer map each to one status."""

from __future__ import annotations


class KGError(Exception):
    """Base class of every error the core raises on purpose."""


class InputError(KGError):
    """An input could not be read or parsed: a missing file, a syntax error, a bad setting."""


class NotConforming(KGError):
    """The data does not conform to the shapes; nothing was published."""

    def __init__(self, report: object) -> None:
        super().__init__("the data does not conform to the shapes")
        self.report = report


class NoRelease(KGError):
    """No release has been built yet, or the release named does not exist."""


class QueryError(KGError):
    """A query could not be parsed or run."""
