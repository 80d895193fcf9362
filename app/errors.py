"""Expected failures. str(e) is a translated sentence fit to show a receptionist."""
from __future__ import annotations


class DomainError(Exception):
    """Expected failure; `field` names the form field it belongs to, when there is one."""

    def __init__(self, message: str, *, field: str | None = None) -> None:
        super().__init__(message)
        self.field = field


class ValidationError(DomainError):
    pass


class NotFound(DomainError):
    pass


class PermissionDenied(DomainError):
    pass


class Conflict(DomainError):
    """The data changed under us, or the action clashes with the current state."""


class DatabaseProblem(DomainError):
    """The database cannot be used: not a database, newer than the program, unreachable."""
