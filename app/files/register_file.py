"""The visitor register as a file: written as CSV or XLSX, read from CSV, XLSX, XLS or ODS (VIS-5, VIS-6).

Writing uses our columns (COLUMNS). A text cell that starts with = + - @ or a tab (or a carriage return) could be
run as a formula by a spreadsheet; in XLSX it is stored as a string cell, in CSV it is written after a single
quote, which is how spreadsheets mark text. Reading takes the quote off again, so an exported file imports
unchanged.

Reading takes the registers offices really keep: a title row or two above the header (often a merged
`XX项目来访客户登记表`), their own words for the columns (客户姓名, 联系电话, 来访日期 …), date and time in
separate columns. `inspect` finds the header row and recognizes the usual words; `rows` then gives the data
rows. A CSV is UTF-8 with or without BOM, else GB18030 (what Excel on a Chinese Windows writes), streamed, never
held whole. A workbook — .xlsx, .xls (Excel 97-2003, and what many offices' WPS templates still save) or .ods
(LibreOffice) — is read by one reader, calamine (python-calamine), which holds the first sheet in memory; so
app.files.workbook_guard first checks what the file would make it hold (a zip bomb, a cell far away), and its
cells then come as the spreadsheet shows them: text, numbers, dates and times. A workbook is read by what it
holds, whatever its name says of it (WPS saves an .xls named .xlsx). openpyxl is imported only to write an XLSX.
"""
from __future__ import annotations

import csv
import io
import itertools
import re
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from pathlib import Path
from typing import Any

from app.errors import ValidationError, file_reason, shown_name
from app.files import workbook_guard
from app.i18n import _

COLUMNS = ("来访时间", "类型", "姓名", "手机", "人数", "渠道", "意向", "置业顾问", "备注")
FORMATS = ("csv", "xlsx")  # written
READ_FORMATS = ("csv", "xlsx", "xls", "ods")
WORKBOOKS = ("xlsx", "xls", "ods")
MAX_BYTES = 200 * 1024 * 1024
# Every field a column can be mapped to, with its word in our own files. A column mapped to nothing is kept as
# the visit's extra.
FIELDS = {"visited_at": "来访时间", "date": "日期", "time": "时间", "kind": "类型", "name": "姓名", "phone": "手机",
          "party_size": "人数", "channel": "渠道", "intent": "意向", "consultant": "置业顾问", "note": "备注"}
# A column the person chose to leave out in the window (a row number, a signature): neither a field nor extra.
LEFT_OUT = "left_out"
# Fields several columns may fill (意向户型 and 意向面积 side by side); their texts are joined.
JOINED = ("intent", "note")
_SYNONYMS = {
    "visited_at": "来访时间 来访日期时间 到访日期时间 登记时间 visittime visitedat visited_at datetime",
    "date": "日期 来访日期 到访日期 登记日期 date visitdate",
    "time": "时间 到访时间 来访时刻 到访时刻 time",
    "kind": "类型 来访类型 类别 来访/来电 type kind",
    "name": "姓名 客户姓名 客户名称 客户名 客户 来访人 来访人姓名 来访客户 name customer customername",
    "phone": "手机 手机号 手机号码 联系电话 电话 电话号码 联系方式 客户电话 phone mobile phonenumber tel",
    "party_size": "人数 来访人数 到访人数 随行人数 partysize party people",
    "channel": "渠道 认知途径 客户来源 来访渠道 来源 获知渠道 信息来源 媒体渠道 channel source",
    "intent": "意向 意向户型 意向面积 意向房型 需求户型 需求面积 intent interest",
    "consultant": "置业顾问 接待顾问 销售顾问 顾问 接待人 接待人员 业务员 consultant sales",
    "note": "备注 说明 备注说明 note notes remark remarks",
    # Personal data the office must not keep (SEC-4): left out unless the person maps it to a field.
    LEFT_OUT: "身份证 身份证号 身份证号码 证件号 证件号码 idcard idnumber",
}
SYNONYMS = {word: key for key, words in _SYNONYMS.items() for word in words.split()}
_HEADER_SEARCH = 20  # rows looked at for the header: titles, a blank line or two
_SAMPLE = 5
_SNIFF = 64 * 1024
_RISKY = ("=", "+", "-", "@", "\t", "\r")
_IGNORED_IN_HEADERS = re.compile(r"[\s*＊:：()（）]|必填|选填")
# 2026-11-23 14:05, 2026/11/23 14:05:30, 2026.11.23, 2026年11月23日 9:05
_MOMENT = re.compile(r"(\d{4})\s*[-/.年]\s*(\d{1,2})\s*[-/.月]\s*(\d{1,2})\s*日?"
                     r"(?:[\sT]*(\d{1,2})\s*[:：]\s*(\d{1,2})(?:\s*[:：]\s*(\d{1,2})(?:\.\d+)?)?)?")
_CLOCK = re.compile(r"(\d{1,2})\s*[:：]\s*(\d{1,2})(?:\s*[:：]\s*(\d{1,2})(?:\.\d+)?)?")
_EXCEL_EPOCH = datetime(1899, 12, 30)  # serial day 0 of Excel's 1900 date system (after its 1900 leap-day bug)
_SECOND, _MINUTE = timedelta(seconds=1), timedelta(minutes=1)  # how precise a written time is

Progress = Callable[[float], None]  # the share of the file read, 0 to 1


class NoSuchDate(ValueError):
    """A date written the right way that the calendar does not have: 2026-02-30."""


@dataclass(frozen=True)
class Layout:
    header_row: int  # as the spreadsheet numbers rows: 1-based
    headers: list[str]
    mapping: dict[int, str]  # column index -> FIELDS key, for the columns recognized by their words
    sample: list[list[str]]  # up to 5 data rows under the header, as text
    missing: list[str]  # FIELDS keys still needed


def format_of(path: str | Path) -> str:
    """The format a register is written in, by its name."""
    suffix = Path(path).suffix.lower().lstrip(".")
    if suffix not in FORMATS:
        raise ValidationError(_("Choose a .csv or .xlsx file."), field="path")
    return suffix


def read_format_of(path: str | Path) -> str:
    """The format a register is read as, by its name."""
    suffix = Path(path).suffix.lower().lstrip(".")
    if suffix not in READ_FORMATS:
        raise ValidationError(_("Choose a .csv, .xlsx, .xls or .ods file."), field="path")
    return suffix


def risky(text: str) -> bool:
    return text.startswith(_RISKY)


# -- writing --------------------------------------------------------------------------------------------------


def write(path: str | Path, rows: Iterable[list[object]]) -> int:
    """Write the header and `rows` (values: str, int or None); returns the number of rows written."""
    if format_of(path) == "csv":
        return _write_csv(Path(path), rows)
    return _write_xlsx(Path(path), rows)


def _write_csv(path: Path, rows: Iterable[list[object]]) -> int:
    n = 0
    # utf-8-sig: Excel opens it as UTF-8 and shows the Chinese, where plain UTF-8 would be read as GBK.
    with path.open("w", encoding="utf-8-sig", newline="") as f:
        out = csv.writer(f)
        out.writerow(COLUMNS)
        for row in rows:
            out.writerow(["'" + v if isinstance(v, str) and risky(v) else ("" if v is None else v) for v in row])
            n += 1
    return n


# What a spreadsheet cannot hold (openpyxl's ILLEGAL_CHARACTERS_RE): control characters but tab and line breaks.
_UNWRITABLE = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f]")


def _write_xlsx(path: Path, rows: Iterable[list[object]]) -> int:
    from zipfile import ZIP_DEFLATED, ZipFile

    from openpyxl import Workbook
    from openpyxl.cell import WriteOnlyCell
    from openpyxl.writer.excel import ExcelWriter

    book = Workbook(write_only=True)
    sheet = book.create_sheet(_("Visitor register"))
    n = 0
    try:
        sheet.append(list(COLUMNS))
        for row in rows:
            cells = []
            for v in row:
                if isinstance(v, str):
                    v = _UNWRITABLE.sub("\ufffd", v)  # kept before the rule on text: shown as �, never a failure
                cell = WriteOnlyCell(sheet, value=v)
                if isinstance(v, str):
                    cell.data_type = "s"  # never a formula, whatever it starts with
                cells.append(cell)
            sheet.append(cells)
            n += 1
        # Through a zip archive of our own, closed whatever happens: Workbook.save leaves its archive open when
        # the disk fills.
        with ZipFile(path, "w", ZIP_DEFLATED, allowZip64=True) as archive:
            ExcelWriter(book, archive).save()
    except BaseException:
        _abandon(sheet)
        raise
    return n


def _abandon(sheet) -> None:  # type: ignore[no-untyped-def]
    """Close a write-only sheet's streams (openpyxl 3.1's generators writing its temporary file) after a failed
    export, quietly: left to the garbage collector, a stream on a full disk prints its own traceback under the
    sentence already shown."""
    import contextlib

    writer = getattr(sheet, "_writer", None)
    for stream in (getattr(sheet, "_rows", None), getattr(writer, "xf", None)):
        if stream is not None:
            with contextlib.suppress(Exception):
                stream.close()


# -- reading --------------------------------------------------------------------------------------------------


class RegisterFile:
    """A register opened for reading: `inspect()`, then `rows()` under the header it found. The file is checked,
    and a workbook loaded, once for both; closed when the `with` block ends."""

    def __init__(self, path: str | Path) -> None:
        self._table = _Table(Path(path))

    def __enter__(self) -> RegisterFile:
        return self

    def __exit__(self, *exc: object) -> None:
        self._table.close()

    def inspect(self) -> Layout:
        """Where the header is and what its columns are, from the first rows of the file."""
        return _layout(self._table.rows())

    def rows(self, header_row: int, progress: Progress | None = None) -> Iterator[tuple[int, list[Any]]]:
        """(row number as the spreadsheet shows it, its cells) for every row under the header, blank ones too.

        Cells of a CSV are text; a workbook gives numbers, dates and times as such (see `moment`), an empty cell
        as "".
        """
        for number, values in self._table.rows(progress):
            if number > header_row:
                yield number, values


def inspect(path: str | Path) -> Layout:
    """Where the header is and what its columns are, from the first rows of the file."""
    with RegisterFile(path) as register:
        return register.inspect()


def rows(path: str | Path, header_row: int, progress: Progress | None = None) -> Iterator[tuple[int, list[Any]]]:
    """RegisterFile.rows of the file at `path`, opened and closed around them."""
    with RegisterFile(path) as register:
        yield from register.rows(header_row, progress)


def _layout(table: Iterator[tuple[int, list[Any]]]) -> Layout:
    ahead: list[tuple[int, list[Any]]] = []
    header_at = None
    for number, values in table:
        ahead.append((number, values))
        if header_at is None and len(_recognize(_headers(values))) >= 2:
            header_at = len(ahead) - 1
        elif header_at is not None and len(ahead) - header_at > _SAMPLE * 3:
            break
        if header_at is None and number >= _HEADER_SEARCH:
            break
    if not any(any(text(v) for v in values) for _n, values in ahead):
        raise ValidationError(_("The file is empty."), field="path")
    if header_at is None:
        raise ValidationError(_("No row of the file's first %(n)d names the columns (such as 姓名, 手机, 来访时间)."
                                ) % {"n": _HEADER_SEARCH}, field="path")
    number, values = ahead[header_at]
    headers = _headers(values)
    mapping = _recognize(headers)
    sample = [[text(v) for v in row] for _n, row in ahead[header_at + 1:] if any(text(v) for v in row)][:_SAMPLE]
    return Layout(number, headers, mapping, sample, missing(mapping))


def missing(mapping: dict[int, str]) -> list[str]:
    """The fields a register cannot do without, not mapped to any column: name, phone and when."""
    mapped = set(mapping.values())
    needed = ["name", "phone"] + ([] if "date" in mapped else ["visited_at"])
    return [key for key in needed if key not in mapped]


def chosen_twice(mapping: dict[int, str]) -> list[str]:
    """The fields given to more than one column: a field is read from one column, except the JOINED ones."""
    chosen = list(mapping.values())
    return [key for key in FIELDS if key not in JOINED and chosen.count(key) > 1]


def column_name(headers: list[str], index: int) -> str:
    """A column's header, or its number when it has none."""
    name = headers[index] if index < len(headers) else ""
    return name or _("column %d") % (index + 1)


def column_names(headers: list[str], width: int) -> list[str]:
    """Each column's name in a visit's extra: as `column_name`, numbered again when two columns share a header,
    so that no kept cell overwrites another."""
    names: list[str] = []
    for index in range(width):
        name = column_name(headers, index)
        names.append(name if name not in names else f"{name} ({index + 1})")
    return names


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
        return text(_time_of_day(value) or str(value))
    return str(value).strip()


def moment(value: object) -> tuple[date, time | None, timedelta | None]:
    """A date cell's day, its time when it has one, and how precise that time is (a minute or a second).

    Takes text (2026-11-23 14:05, 2026/11/23, 2026年11月23日) and Excel cells (datetime, date, a serial number).
    Raises ValueError for anything else, and for a day that does not exist (2026-02-30).
    """
    if isinstance(value, datetime):
        if value.time() == time(0):  # how an Excel date cell comes: a day, no time
            return value.date(), None, None
        return value.date(), value.time().replace(microsecond=0), _precision(value.second)
    if isinstance(value, date):
        return value, None, None
    if isinstance(value, (int, float)) and not isinstance(value, bool):
        serial = _serial(value)
        if serial.time() == time(0):
            return serial.date(), None, None
        return serial.date(), serial.time(), _MINUTE
    found = _MOMENT.fullmatch(text(value))
    if found is None:
        raise ValueError(value)
    y, m, d, hh, mm, ss = found.groups()
    try:
        day = date(int(y), int(m), int(d))
        at = None if hh is None else time(int(hh), int(mm), int(ss or 0))
    except ValueError:
        raise NoSuchDate(value) from None
    return day, at, None if at is None else _precision(ss is not None)


def clock_time(value: object) -> tuple[time, timedelta] | None:
    """A time cell: text 14:05 or 14:05:30, an Excel time (or a fraction of a day); None when empty."""
    if isinstance(value, datetime):
        return value.time().replace(microsecond=0), _precision(value.second)
    if isinstance(value, time):
        return value.replace(microsecond=0), _precision(value.second)
    if isinstance(value, float) and 0 <= value < 1:
        return (_EXCEL_EPOCH + timedelta(days=value)).time().replace(microsecond=0), _MINUTE
    if isinstance(value, timedelta):
        at = _time_of_day(value)
        if at is None:
            raise ValueError(value)
        return at, _precision(at.second)
    written = text(value)
    if not written:
        return None
    found = _CLOCK.fullmatch(written)
    if found is None:
        _day, at, within = moment(written)  # a full date and time in the time column: its time counts
        if at is None or within is None:
            raise ValueError(value)
        return at, within
    hh, mm, ss = found.groups()
    try:
        return time(int(hh), int(mm), int(ss or 0)), _precision(ss is not None)
    except ValueError:
        raise NoSuchDate(value) from None


def _time_of_day(value: timedelta) -> time | None:
    """A duration under a day as the time of day it is written for (an .ods cell of 14:05 is PT14H05M)."""
    if not timedelta(0) <= value < timedelta(days=1):
        return None
    return (datetime.min + timedelta(seconds=round(value.total_seconds()))).time()


def _precision(seconds: object) -> timedelta:
    return _SECOND if seconds else _MINUTE


def _serial(value: float) -> datetime:
    if not 1 <= value < 2958466:  # Excel's days 1900-01-01 to 9999-12-31
        raise ValueError(value)
    return _EXCEL_EPOCH + timedelta(seconds=round(value * 86400))  # whole seconds: no float residue


def _headers(values: list[Any]) -> list[str]:
    return [text(v).lstrip("\ufeff") for v in values]


def _recognize(headers: list[str]) -> dict[int, str]:
    mapping: dict[int, str] = {}
    for i, header in enumerate(headers):
        key = SYNONYMS.get(_IGNORED_IN_HEADERS.sub("", header).lower())
        if key is not None and (key in JOINED or key == LEFT_OUT or key not in mapping.values()):
            mapping[i] = key
    fields = set(mapping.values())
    if "time" in fields and not fields & {"date", "visited_at"}:
        # A lone 时间 column holds the whole moment.
        mapping = {i: "visited_at" if key == "time" else key for i, key in mapping.items()}
    return mapping


class _Table:
    """The rows of a CSV, read as a stream, or of the first sheet of a workbook; errors said as ValidationError.
    `rows()` reads them from the first again each time: a CSV opened anew, a workbook checked and loaded once."""

    def __init__(self, path: Path) -> None:
        self.path, self.kind = path, read_format_of(path)
        try:
            self.size = path.stat().st_size
        except OSError as e:
            raise self._unreadable(e) from e
        if self.size > MAX_BYTES:
            raise ValidationError(_("%(file)s is %(size)d MB; a register may be at most %(limit)d MB. Split it "
                                    "into smaller files.") % {"file": path.name, "size": self.size // 2**20,
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
        self.close()  # the rows read before, by inspect
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
