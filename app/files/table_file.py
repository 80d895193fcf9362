"""A table an office keeps, read from CSV, XLSX, XLS or ODS: the one reader of every import (the visitor register,
an apartment's item list).

Offices' files have a title row or two above the header (often merged: `XX项目来访客户登记表`, `A户型样板房物品清单`),
their own words for the columns, and footer lines under the rows (盘点人：…, 审核：…, 合计). `TableFile.header` finds
the header row by the caller's words (a `Vocabulary`); `rows` then gives the rows under it with their numbers as
the spreadsheet shows them. A CSV is UTF-8 with or without BOM, else GB18030 (what Excel on a Chinese Windows
writes), streamed, never held whole. A workbook — .xlsx, .xls (Excel 97-2003, and what many offices' WPS templates
still save) or .ods (LibreOffice) — is read by one reader, calamine (python-calamine), which holds the first sheet
in memory; so app.files.workbook_guard first checks what the file would make it hold (a zip bomb, a cell far
away), and its cells then come as the spreadsheet shows them: text, numbers, dates and times. A workbook is read by
what it holds, whatever its name says of it (WPS saves an .xls named .xlsx).
"""
from __future__ import annotations

import csv
import io
import itertools
import re
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from datetime import datetime, time, timedelta
from pathlib import Path
from typing import Any

from app.errors import ValidationError, file_reason, shown_name
from app.files import workbook_guard
from app.i18n import _

READ_FORMATS = ("csv", "xlsx", "xls", "ods")
MAX_BYTES = 200 * 1024 * 1024
_HEADER_SEARCH = 20  # rows looked at for the header: titles, a blank line or two
_SAMPLE = 5
_SNIFF = 64 * 1024
_RISKY = ("=", "+", "-", "@", "\t", "\r")
_IGNORED_IN_HEADERS = re.compile(r"[\s*＊:：()（）]|必填|选填")
# A footer's cells: 盘点人：王芳, 审核:, 日期：2026-11-20 — a short label and a colon; or a row of totals.
_SIGNED = re.compile(r"[^\d:：]{1,8}[:：].*", re.DOTALL)
_TOTALS = ("合计", "总计", "小计")

Progress = Callable[[float], None]  # the share of the file read, 0 to 1


@dataclass(frozen=True)
class Vocabulary:
    """What a kind of table calls its columns, and how the messages about it say so."""

    # The headers of a row -> column index -> field, for the columns its words name; two or more make the header.
    recognize: Callable[[list[str]], dict[int, str]]
    no_header: str  # marked with N_(), with %(n)d: no header in the first n rows
    too_big: str  # marked with N_(), with %(file)s, %(size)d and %(limit)d, in MB


@dataclass(frozen=True)
class Header:
    row: int  # as the spreadsheet numbers rows: 1-based
    names: list[str]
    mapping: dict[int, str]  # as the vocabulary recognized it
    sample: list[list[str]]  # up to 5 filled rows under the header, as text


def read_format_of(path: str | Path) -> str:
    """The format a table is read as, by its name."""
    suffix = Path(path).suffix.lower().lstrip(".")
    if suffix not in READ_FORMATS:
        raise ValidationError(_("Choose a .csv, .xlsx, .xls or .ods file."), field="path")
    return suffix


def risky(text: str) -> bool:
    """A text a spreadsheet could run as a formula."""
    return text.startswith(_RISKY)


def header_word(header: str) -> str:
    """A header as a vocabulary looks it up: without spaces, colons, brackets, stars and 必填/选填, in lower case."""
    return _IGNORED_IN_HEADERS.sub("", header).lower()


def footer(texts: list[str]) -> bool:
    """A row under the table that is no line of it: signatures (盘点人：王芳  审核：李四) or totals (合计)."""
    filled = [t for t in texts if t]
    return bool(filled) and (filled[0].startswith(_TOTALS) or all(_SIGNED.fullmatch(t) for t in filled))


def text(value: object) -> str:
    """A cell as the person sees it: numbers without .0, a quoted formula-like text without its quote."""
    if value.__class__ is str:  # every cell of a CSV: the quick way
        value = value.strip()  # type: ignore[union-attr]
        return value[1:] if value[:1] == "'" and risky(value[1:]) else value  # type: ignore[index]
    if value is None:
        return ""
    if isinstance(value, datetime):
        if value.time() == time(0):  # an Excel date cell
            return value.strftime("%Y-%m-%d")
        return value.strftime("%Y-%m-%d %H:%M:%S" if value.second else "%Y-%m-%d %H:%M")
    if isinstance(value, time):
        return value.strftime("%H:%M:%S" if value.second else "%H:%M")
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    if isinstance(value, timedelta):  # a duration cell: an .ods time, an Excel [h]:mm
        return text(time_of_day(value) or str(value))
    return str(value).strip()


def time_of_day(value: timedelta) -> time | None:
    """A duration under a day as the time of day it is written for (an .ods cell of 14:05 is PT14H05M)."""
    if not timedelta(0) <= value < timedelta(days=1):
        return None
    return (datetime.min + timedelta(seconds=round(value.total_seconds()))).time()


class TableFile:
    """A table opened for reading: `header()`, then `rows()` under it. The file is checked, and a workbook loaded,
    once for both; closed when the `with` block ends."""

    def __init__(self, path: str | Path, vocabulary: Vocabulary) -> None:
        self._table = _Table(Path(path), vocabulary)
        self._vocabulary = vocabulary

    def __enter__(self) -> TableFile:
        return self

    def __exit__(self, *exc: object) -> None:
        self._table.close()

    def header(self) -> Header:
        """The first row, under any titles, in which the vocabulary names two columns or more."""
        recognize = self._vocabulary.recognize
        ahead: list[tuple[int, list[Any]]] = []
        header_at = None
        for number, values in self._table.rows():
            ahead.append((number, values))
            if header_at is None and len(recognize(_headers(values))) >= 2:
                header_at = len(ahead) - 1
            elif header_at is not None and len(ahead) - header_at > _SAMPLE * 3:
                break
            if header_at is None and number >= _HEADER_SEARCH:
                break
        if not any(any(text(v) for v in values) for _n, values in ahead):
            raise ValidationError(_("The file is empty."), field="path")
        if header_at is None:
            raise ValidationError(_(self._vocabulary.no_header) % {"n": _HEADER_SEARCH}, field="path")
        number, values = ahead[header_at]
        names = _headers(values)
        sample = [[text(v) for v in row] for _n, row in ahead[header_at + 1:] if any(text(v) for v in row)][:_SAMPLE]
        return Header(number, names, recognize(names), sample)

    def rows(self, header_row: int, progress: Progress | None = None) -> Iterator[tuple[int, list[Any]]]:
        """(row number as the spreadsheet shows it, its cells) for every row under the header, blank ones too.

        Cells of a CSV are text; a workbook gives numbers, dates and times as such, an empty cell as "".
        """
        for number, values in self._table.rows(progress):
            if number > header_row:
                yield number, values


def _headers(values: list[Any]) -> list[str]:
    return [text(v).lstrip("\ufeff") for v in values]


class _Table:
    """The rows of a CSV, read as a stream, or of the first sheet of a workbook; errors said as ValidationError.
    `rows()` reads them from the first again each time: a CSV opened anew, a workbook checked and loaded once."""

    def __init__(self, path: Path, vocabulary: Vocabulary) -> None:
        self.path, self.kind = path, read_format_of(path)
        try:
            self.size = path.stat().st_size
        except OSError as e:
            raise self._unreadable(e) from e
        if self.size > MAX_BYTES:
            raise ValidationError(_(vocabulary.too_big) % {"file": path.name, "size": self.size // 2**20,
                                                           "limit": MAX_BYTES // 2**20}, field="path")
        if self.size == 0:
            raise ValidationError(_("The file is empty."), field="path")
        self._close: Callable[[], None] = lambda: None
        self._sheet: Any = None  # a workbook's first sheet, once loaded

    def rows(self, progress: Progress | None = None) -> Iterator[tuple[int, list[Any]]]:
        self.progress = progress
        try:
            return self._guarded(self._csv() if self.kind == "csv" else self._workbook())
        except (OSError, ValueError, KeyError, csv.Error) as e:
            self.close()
            raise self._unreadable(e) from e

    def close(self) -> None:
        self._close()
        self._close = lambda: None
        self._sheet = None

    def _unreadable(self, e: Exception) -> ValidationError:
        if isinstance(e, (OSError, UnicodeDecodeError, workbook_guard.Unreadable)):
            reason = file_reason(e)
        elif self.kind == "csv":  # csv.Error: "field larger than field limit", never the library's English
            reason = _("it is not CSV text as a spreadsheet writes it (a cell is too long, or a quote is not closed)")
        else:
            reason = str(workbook_guard.damaged())
        return ValidationError(_("Cannot read %(file)s: %(reason)s") % {"file": shown_name(self.path.name),
                                                                         "reason": reason},
                               field="path")

    def _guarded(self, table: Iterator[tuple[int, list[Any]]]) -> Iterator[tuple[int, list[Any]]]:
        try:
            yield from table
        except (OSError, ValueError, KeyError, csv.Error) as e:  # a bad byte or a broken sheet further on
            raise self._unreadable(e) from e

    def _csv(self) -> Iterator[tuple[int, list[Any]]]:
        self.close()  # the rows read before, by header()
        raw = self.path.open("rb")
        self._close = raw.close
        encoding = _encoding(raw)
        raw.seek(0)
        # Closed through the wrapper, which the reader would otherwise drop unclosed when the rows run out.
        wrapper = io.TextIOWrapper(raw, encoding=encoding, newline="")
        self._close = wrapper.close
        return self._counted(csv.reader(wrapper), lambda: raw.tell() / self.size)

    def _workbook(self) -> Iterator[tuple[int, list[Any]]]:
        if self._sheet is None:
            self._sheet = self._load()
        sheet = self._sheet
        if sheet.start is None:  # nothing filled in
            return iter(())
        top, left = sheet.start  # the first filled row and column, 0-based
        last = top + sheet.height
        # python-calamine gives the rows above the first filled one as blank rows (so rows count from 1, as the
        # sheet numbers them), the columns from the first filled one; a version that starts at the first filled
        # row shows it by a first row that is not blank.
        rows_: Iterator[list[Any]] = sheet.iter_rows()
        first = 1
        if top:
            head = next(rows_)
            if any(v != "" for v in head):
                first = top + 1
            rows_ = itertools.chain([head], rows_)
        if left:
            padding = [""] * left
            rows_ = ([*padding, *row] for row in rows_)
        return self._counted(rows_, lambda: self._row / last, first=first)

    def _load(self) -> Any:
        holds = workbook_guard.check(self.path)  # before calamine sees it: a bomb, a far cell, a damaged file
        # python-calamine: a small extension module, imported when a workbook is read.
        from python_calamine import CalamineError, CalamineWorkbook, PasswordError

        try:
            if holds == self.kind:
                book = CalamineWorkbook.from_path(str(self.path))  # chosen by the name: read from the file
            else:  # by what it holds: read into memory (the guard has bounded it) and recognized there
                with self.path.open("rb") as f:
                    book = CalamineWorkbook.from_filelike(f)
            try:
                return book.get_sheet_by_index(0)  # the whole sheet, in memory: the book is done with
            finally:
                book.close()
        except PasswordError as e:  # an .xls protected by a password
            raise workbook_guard.password() from e
        except CalamineError as e:
            raise workbook_guard.damaged() from e
        except BaseException as e:
            # A file calamine did not foresee makes it panic, which Python sees as pyo3's PanicException, a
            # BaseException: a damaged file, not the end of the program.
            if type(e).__name__ == "PanicException":
                raise workbook_guard.damaged() from e
            raise

    def _counted(self, rows_: Iterable[list[Any]], share: Callable[[], float], first: int = 1
                 ) -> Iterator[tuple[int, list[Any]]]:
        self._row = 0
        for self._row, values in enumerate(rows_, start=first):
            if self.progress is not None and self._row % 512 == 0:
                self.progress(min(share(), 1.0))
            yield self._row, values


def _encoding(raw: io.BufferedReader) -> str:
    """utf-8-sig or gb18030, from the first bytes that are not ASCII (the same in both); a NUL byte (a picture,
    a zip) is neither. A sample is cut where it may split a character, which is not held against it."""
    head = raw.read(_SNIFF)
    while head.isascii():
        if b"\x00" in head:
            break
        more = raw.read(_SNIFF)
        if not more:
            return "utf-8-sig"
        head = more  # the ASCII before it ended on a character's edge
    if b"\x00" in head:
        raise UnicodeDecodeError("utf-8", head, head.index(b"\x00"), head.index(b"\x00") + 1, "NUL byte")
    for encoding in ("utf-8-sig", "gb18030"):
        try:
            head.decode(encoding)
            return encoding
        except UnicodeDecodeError as e:
            if len(head) == _SNIFF and e.start >= len(head) - 4:  # a character cut by the end of the sample
                return encoding
    head.decode("gb18030")  # raises the error that says it is neither
    return "gb18030"
