"""A file written whole or not at all: written beside its place under a temporary name, and given its name only
when everything worked; a full disk, a read-only stick or a name too long becomes one sentence naming the file."""
from __future__ import annotations

import os
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from app.errors import ValidationError, file_reason, shown_name
from app.i18n import _


@contextmanager
def written_whole(target: Path) -> Iterator[Path]:
    """The path to write; when the block ends without an error the file takes `target`'s name (replacing what was
    there), else nothing is left."""
    partial = target.with_name(f".{target.stem}.{os.getpid()}.part{target.suffix}")
    try:
        yield partial
        os.replace(partial, target)
    except OSError as e:
        raise ValidationError(_("Cannot write %(file)s: %(reason)s") % {"file": shown_name(target.name),
                                                                         "reason": file_reason(e)}) from e
    finally:
        partial.unlink(missing_ok=True)
