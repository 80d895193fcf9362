"""The audit log's secret key (SEC-3): each entry's hash is an HMAC with it, so whoever holds the database but not
the key cannot rewrite the log and make it verify again.

The key is kept outside the database, in a file of the station: `audit.key` in the data folder, or the file named
by SALESOFFICE_AUDIT_KEY. It is made the first time a station starts a new log (or seals an older one); a backup
never carries it. Every station writing to one office database needs the same key: a second station is refused
until the file is copied to it. The database records only the key's id (a digest that reveals nothing of it),
so that a station holding another key is told so instead of seeing every entry as altered.
"""
from __future__ import annotations

import hashlib
import os
import secrets
from dataclasses import dataclass
from pathlib import Path

from app import paths
from app.errors import DatabaseProblem, file_reason
from app.i18n import _

ENV = "SALESOFFICE_AUDIT_KEY"
FILE_NAME = "audit.key"


@dataclass(frozen=True)
class AuditKey:
    secret: bytes
    id: str  # 16 hex digits, stored in audit_head.key_id and shown to people; the secret is never shown


def key_file() -> Path:
    """Where this station keeps the key: SALESOFFICE_AUDIT_KEY, else the data folder."""
    named = os.environ.get(ENV, "").strip()
    return Path(named).expanduser() if named else paths.data_dir() / FILE_NAME


def key_id(secret: bytes) -> str:
    return hashlib.sha256(b"salesoffice audit key id\0" + secret).hexdigest()[:16]


_cache: dict[tuple[str, int, int], AuditKey] = {}


def load() -> AuditKey | None:
    """This station's key; None when it has none. A file that is not a key is said, not ignored."""
    path = key_file()
    try:
        stat = path.stat()
    except FileNotFoundError:
        return None
    except OSError as e:
        raise DatabaseProblem(_("Cannot read the audit key %(file)s: %(reason)s")
                              % {"file": path, "reason": file_reason(e)}) from e
    marker = (str(path), stat.st_mtime_ns, stat.st_size)
    if marker in _cache:
        return _cache[marker]
    try:
        text = path.read_text(encoding="ascii").strip()
        secret = bytes.fromhex(text)
    except OSError as e:
        raise DatabaseProblem(_("Cannot read the audit key %(file)s: %(reason)s")
                              % {"file": path, "reason": file_reason(e)}) from e
    except (UnicodeDecodeError, ValueError):
        secret = b""
    if len(secret) != 32:
        raise DatabaseProblem(_("The file %s is not an audit key made by salesoffice.") % path)
    key = AuditKey(secret, key_id(secret))
    _cache[marker] = key
    return key


def load_or_make() -> AuditKey:
    """This station's key, made now when it has none (a new office, or the first start of this version)."""
    key = load()
    if key is not None:
        return key
    path = key_file()
    part = path.with_name(f"{path.name}.{os.getpid()}-{secrets.token_hex(4)}.part")  # this call's own
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        fd = os.open(part, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)  # readable by this user only
        with os.fdopen(fd, "w", encoding="ascii") as out:
            out.write(secrets.token_hex(32) + "\n")
            out.flush()
            os.fsync(out.fileno())
        try:
            os.link(part, path)  # never replaces a key another process made meanwhile: that one is used
        except FileExistsError:
            pass
    except OSError as e:
        raise DatabaseProblem(_("Cannot make the audit key %(file)s: %(reason)s")
                              % {"file": path, "reason": file_reason(e)}) from e
    finally:
        part.unlink(missing_ok=True)
    made = load()
    if made is None:  # removed again at once: nothing sensible to seal with
        raise DatabaseProblem(_("Cannot make the audit key %(file)s: %(reason)s")
                              % {"file": path, "reason": file_reason(FileNotFoundError(2, "gone"))})
    return made


def missing(wanted: str) -> str:
    """What a station lacking the database's key is told: which key, and where to put it."""
    have = load()
    if have is None:
        return (_("This station does not have the audit key of this database (key %(id)s). Copy the file %(name)s "
                  "from the station that set the database up (or from the copy the office keeps apart) to %(file)s.")
                % {"id": wanted, "name": FILE_NAME, "file": key_file()})
    return (_("This database's audit log is sealed with key %(id)s, but this station holds key %(have)s "
              "(%(file)s). Put the office's key file there instead.")
            % {"id": wanted, "have": have.id, "file": key_file()})
