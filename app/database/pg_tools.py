"""PostgreSQL's own programs (pg_dump, pg_restore, psql), found on PATH, for backing up and restoring an office's
shared database (SEC-5, SEC-6); and reading tables out of a pg_dump archive without restoring it.

The password travels in the programs' environment (PGPASSWORD), never on their command line or in a message.
"""
from __future__ import annotations

import os
import re
import shutil
import signal
import subprocess
from collections.abc import Iterator, Sequence
from pathlib import Path

from sqlalchemy import Engine
from sqlalchemy.engine import URL

from app import paths
from app.database.driver_errors import reason
from app.errors import DatabaseProblem, DomainError
from app.i18n import _


def program(name: str) -> str:
    """The full path of a PostgreSQL program, or a clear refusal naming what to install."""
    found = shutil.which(name)
    if found is None:
        raise DomainError(_("Backup and restore of a PostgreSQL database need PostgreSQL's program %s, which is "
                            "not on this computer's PATH; install PostgreSQL's client programs "
                            "(on Debian or Ubuntu: apt install postgresql-client) of the server's version "
                            "or newer.") % name)
    return found


def environment(url: URL) -> dict[str, str]:
    """libpq's variables for the database of `url`."""
    env = {k: v for k, v in os.environ.items() if not k.startswith("PG")}
    host = url.host or url.query.get("host")
    for key, value in (("PGHOST", host), ("PGPORT", url.port), ("PGUSER", url.username),
                       ("PGPASSWORD", url.password), ("PGDATABASE", url.database)):
        if value:
            env[key] = str(value)
    env["PGCONNECT_TIMEOUT"] = "10"
    return env


def run(args: Sequence[str], url: URL | None = None, *, stdin: object = None,
        stdout: object = subprocess.PIPE) -> subprocess.CompletedProcess[bytes]:
    """Run a PostgreSQL program; its last line of complaint is in `stderr` when it fails."""
    return subprocess.run(list(args), env=environment(url) if url is not None else None, stdin=stdin,
                          stdout=stdout, stderr=subprocess.PIPE, check=False)


def complaint(done: subprocess.CompletedProcess[bytes]) -> str:
    """The program's own last words, without its name in front ("pg_dump: error: …")."""
    lines = [line for line in done.stderr.decode("utf-8", "replace").splitlines() if line.strip()]
    last = next((line for line in reversed(lines) if "error" in line.lower() or "fatal" in line.lower()),
                lines[-1] if lines else "")
    return re.sub(r"^(pg_dump|pg_restore|psql): (error: |fatal: )?", "", last.strip())


def is_archive(path: Path) -> bool:
    """True when pg_restore can read the file's table of contents (a custom-format archive)."""
    return run([program("pg_restore"), "--list", str(path)]).returncode == 0


def read_tables(path: Path, tables: Sequence[str]) -> dict[str, list[dict[str, str | None]]]:
    """The rows of some tables of a pg_dump archive, as text (None for NULL), read without restoring it."""
    done = run([program("pg_restore"), "--data-only", "-f", "-", *[f"--table={t}" for t in tables], str(path)])
    if done.returncode != 0:
        raise DomainError(complaint(done))
    return dict(_copy_blocks(done.stdout.decode("utf-8").splitlines()))


_COPY = re.compile(r'^COPY (?:\w+\.)?"?(\w+)"? \((.*)\) FROM stdin;$')
_ESCAPE = re.compile(r"\\(?:([0-7]{1,3})|x([0-9a-fA-F]{1,2})|(.))")
_SIMPLE = {"b": "\b", "f": "\f", "n": "\n", "r": "\r", "t": "\t", "v": "\v"}


def _copy_blocks(lines: list[str]) -> Iterator[tuple[str, list[dict[str, str | None]]]]:
    """COPY … FROM stdin blocks of a SQL script in PostgreSQL's text format, decoded."""
    i = 0
    while i < len(lines):
        match = _COPY.match(lines[i])
        i += 1
        if not match:
            continue
        columns = [c.strip().strip('"') for c in match.group(2).split(",")]
        rows = []
        while i < len(lines) and lines[i] != "\\.":
            rows.append(dict(zip(columns, (None if f == "\\N" else _unescape(f) for f in lines[i].split("\t")))))
            i += 1
        i += 1
        yield match.group(1), rows


def _unescape(field: str) -> str:
    def one(m: re.Match[str]) -> str:
        if m.group(1):
            return chr(int(m.group(1), 8))
        if m.group(2):
            return chr(int(m.group(2), 16))
        return _SIMPLE.get(m.group(3), m.group(3))

    # Bytes of UTF-8 written as octal escapes are rare (COPY writes text as it is); good enough for checks.
    return _ESCAPE.sub(one, field)


def dump(engine: Engine, target: Path) -> None:
    """pg_dump's custom-format archive of a live server database, kept only once pg_restore can read it."""
    pg_dump = program("pg_dump")
    part = target.with_name(target.name + ".part")
    try:
        part.open("xb").close()  # a folder that cannot be written is said before pg_dump is started
    except OSError as e:
        raise DatabaseProblem(_("Cannot write the backup to %(path)s: %(reason)s")
                              % {"path": target, "reason": reason(e)}) from e
    try:
        done = run([pg_dump, "--format=custom", "--no-owner", "--no-privileges", "-f", str(part)], engine.url)
        if done.returncode == -signal.SIGXFSZ:  # stopped by the file size limit, as on a full disk
            raise DatabaseProblem(_("Cannot make the backup: %s") % _("the disk is full"))
        if done.returncode != 0:
            raise DatabaseProblem(_("Cannot make the backup: %s") % tool_reason(complaint(done)))
        if not is_archive(part):
            raise DatabaseProblem(_("The backup copy failed its integrity check."))
        os.replace(part, target)
    except BaseException:
        part.unlink(missing_ok=True)
        raise


def tool_reason(words: str) -> str:
    """A PostgreSQL program's complaint, said as a short reason."""
    lower = words.lower()
    if "no space left" in lower or "file too large" in lower:
        return _("the disk is full")
    return reason(Exception(words))


def safety_dump(engine: Engine, label: str) -> Path:
    """The server's current data, dumped into the data folder before a restore or an upgrade changes it."""
    folder = paths.data_dir() / "backups"
    folder.mkdir(parents=True, exist_ok=True)
    copy = paths.beside(folder / f"{engine.url.database}.dump", label)
    dump(engine, copy)
    return copy


def before_upgrade(engine: Engine) -> Path:
    """A pg_dump archive of a server database that `db upgrade` is about to change, as a SQLite file is copied
    beside itself first; without pg_dump the upgrade is refused (`--no-backup` goes without the copy)."""
    if shutil.which("pg_dump") is None:
        raise DatabaseProblem(_("The database was not upgraded: it is first copied with PostgreSQL's program "
                                "pg_dump, which is not on this computer's PATH. Install PostgreSQL's client "
                                "programs (on Debian or Ubuntu: apt install postgresql-client) of the server's "
                                "version or newer, or upgrade without a copy: salesoffice db upgrade --no-backup"))
    return safety_dump(engine, "before-upgrade")
