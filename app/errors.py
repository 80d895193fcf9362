"""Expected failures. str(e) is a translated sentence fit to show a receptionist."""
from __future__ import annotations

import errno

from app.i18n import _


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


class Unreachable(DatabaseProblem):
    """The server did not answer (down, the network pulled): a form keeps what was typed and saves again when
    the connection returns (SEC-6)."""


def file_reason(error: Exception) -> str:
    """Why a file could not be read or written, in the person's language rather than the system's."""
    if isinstance(error, UnicodeDecodeError):
        return _("it is neither UTF-8 nor GB18030 text")
    code = getattr(error, "errno", None)
    if code in (errno.ENOENT, errno.ENOTDIR):
        return _("the file or its folder does not exist")
    if code in (errno.EACCES, errno.EPERM, errno.EROFS):
        return _("there is no permission to use it (or the disk is read-only)")
    if code in (errno.ENOSPC, errno.EFBIG, errno.EDQUOT):
        return _("the disk is full")
    if code == errno.EISDIR:
        return _("it is a folder, not a file")
    if code == errno.EEXIST:
        return _("a file of that name is already there")
    if code == errno.ENAMETOOLONG:
        return _("the name is too long")
    if code == errno.EIO:
        return _("the disk could not be read or written (failing, or removed)")
    return getattr(error, "strerror", None) or str(error)


def shown_name(name: object, limit: int = 80) -> str:
    """A file's name quoted in a message, cut short: a 5,000-character name would bury the sentence."""
    text = str(name)
    return text if len(text) <= limit else text[:limit] + "…"


def file_problem(error: OSError) -> DomainError:
    """A failure of the file system that no rule foresaw at that spot (a name too long, a folder where a file was
    meant, a full disk), as the sentence to show."""
    if error.filename is None:
        return DomainError(_("A file could not be used: %s.") % file_reason(error))
    return DomainError(_("Cannot use %(file)s: %(reason)s.") % {"file": shown_name(error.filename),
                                                                "reason": file_reason(error)})
