"""What the database drivers say when they refuse or fail, said in the staff's words; and which failures are
the server gone (the same work can be tried again once it answers) rather than a refusal."""
from __future__ import annotations

import re

from sqlalchemy.exc import InternalError, OperationalError

from app.errors import DatabaseProblem, Unreachable
from app.i18n import N_, _

# What a database says when it refuses a write: locked, read-only (a file, or a PostgreSQL standby), disk full,
# the server gone; serialization failures too.
REFUSED = (OperationalError, InternalError)


# SQLite's own words for the failures staff meet, said in their language.
_SQLITE_REASONS = {
    "file is not a database": N_("the file is not a database"),
    "database disk image is malformed": N_("the file is damaged"),
    "malformed database schema": N_("the file is damaged"),
    "database or disk is full": N_("the disk is full"),
    "unable to open database file": N_("the file cannot be opened or created there"),
    "attempt to write a readonly database": N_("the file is read-only"),
    "disk i/o error": N_("the disk could not be written (full or failing)"),
}


def reason(e: BaseException) -> str:
    """A short, translated reason for a database or file error, fit to follow a colon."""
    orig = getattr(e, "orig", None) or e
    text = str(orig).strip().splitlines()[0] if str(orig).strip() else type(orig).__name__
    for words, said in _SQLITE_REASONS.items():
        if text.lower().startswith(words):  # some carry details after the words: "malformed database schema (x)"
            return _(said)
    if isinstance(orig, OSError) and orig.strerror:
        return orig.strerror
    return _server_reason(text) or text


_UNREACHABLE = ("connection refused", "could not translate host name", "timeout expired", "no route to host",
                "name or service not known", "server closed the connection", "network is unreachable",
                "connection timed out", "terminating connection", "the database system is starting up",
                "the database system is shutting down", "no such file or directory", "could not receive data",
                "could not send data", "connection is lost", "the connection is closed", "connection is bad")


def _server_reason(text: str) -> str | None:
    """PostgreSQL's (libpq's) words for what staff meet when a station cannot use the office's server."""
    lower = text.lower()
    missing = re.search(r'database "([^"]+)" does not exist', text)
    if missing:
        return _("the database %s does not exist on the server") % missing.group(1)
    if "password authentication failed" in lower or re.search(r'role "[^"]+" does not exist', text) \
            or "no password supplied" in lower:
        return _("the user name or password is wrong")
    if any(words in lower for words in _UNREACHABLE):
        return _("cannot reach the database server (is it running? are the host and port right?)")
    if "read-only transaction" in lower:
        return _("the server accepts no changes (a read-only standby)")
    if "permission denied" in lower:
        return _("the server refused: this user may not do that")
    return None


def is_unreachable(e: BaseException) -> bool:
    """True when the server could not be reached or the connection to it was lost, rather than the server
    refusing the work: the same work can simply be tried again once it answers."""
    if getattr(e, "connection_invalidated", False):  # SQLAlchemy's verdict: the connection died under us
        return True
    orig = getattr(e, "orig", None) or e
    return any(words in str(orig).lower() for words in _UNREACHABLE)


def problem(e: Exception, words: str) -> DatabaseProblem:
    """The error to show for a refused or failed database call: Unreachable when the server could not be
    reached or the connection was lost (a form then saves again later), else DatabaseProblem."""
    if is_unreachable(e):
        return Unreachable(_("The database server cannot be reached: it is stopped, or the network is down."))
    return DatabaseProblem(words % reason(e))  # in the staff's words: "the file is read-only", not SQLite's
