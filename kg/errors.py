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


class RefusedQuery(QueryError):
    """A query this service will not run: it would reach outside the release (SERVICE, LOAD, a local file)."""


class BackendUnavailable(KGError):
    """The store cannot answer now (down, unreachable, timed out); worth retrying later."""


class QueryTimeout(BackendUnavailable):
    """A query ran past its time limit and was stopped; worth retrying later, or with a simpler query."""


class StoreTimeout(BackendUnavailable):
    """A remote store did not answer within the time limit (a gateway timeout)."""


class BadStoreAnswer(BackendUnavailable):
    """A remote store answered with something unreadable or refused (a bad gateway)."""
