"""The visitor register as a file: written as CSV or XLSX, read from CSV, XLSX, XLS or ODS (VIS-5, VIS-6).

Writing uses our columns (COLUMNS). A text cell that starts with = + - @ or a tab (or a carriage return) could be
run as a formula by a spreadsheet; in XLSX it is stored as a string cell, in CSV it is written after a single
quote, which is how spreadsheets mark text. Reading takes the quote off again, so an exported file imports
unchanged.

Reading takes the registers offices really keep (app.files.table_file reads them): a title row or two above the
header (often a merged `XX项目来访客户登记表`), their own words for the columns (客户姓名, 联系电话, 来访日期 …),
date and time in separate columns. `inspect` finds the header row and recognizes the usual words; `rows` then
gives the data rows, a workbook's cells as numbers, dates and times (see `moment`). openpyxl is imported only to
write an XLSX.
"""
from __future__ import annotations

import csv
import re
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from pathlib import Path
from typing import Any

from app.errors import ValidationError
# MAX_BYTES, read_format_of, risky and text are the register's as well: its callers find them here.
from app.files.table_file import (MAX_BYTES, Progress, TableFile, Vocabulary, header_word, read_format_of, risky,
                                  text, time_of_day)
from app.i18n import N_, _

COLUMNS = ("来访时间", "类型", "姓名", "手机", "人数", "渠道", "意向", "置业顾问", "备注")
FORMATS = ("csv", "xlsx")  # written
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
# 2026-11-23 14:05, 2026/11/23 14:05:30, 2026.11.23, 2026年11月23日 9:05
_MOMENT = re.compile(r"(\d{4})\s*[-/.年]\s*(\d{1,2})\s*[-/.月]\s*(\d{1,2})\s*日?"
                     r"(?:[\sT]*(\d{1,2})\s*[:：]\s*(\d{1,2})(?:\s*[:：]\s*(\d{1,2})(?:\.\d+)?)?)?")
_CLOCK = re.compile(r"(\d{1,2})\s*[:：]\s*(\d{1,2})(?:\s*[:：]\s*(\d{1,2})(?:\.\d+)?)?")
_EXCEL_EPOCH = datetime(1899, 12, 30)  # serial day 0 of Excel's 1900 date system (after its 1900 leap-day bug)
_SECOND, _MINUTE = timedelta(seconds=1), timedelta(minutes=1)  # how precise a written time is


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


class RegisterFile(TableFile):
    """A register opened for reading: `inspect()`, then `rows()` under the header it found (see TableFile)."""

    def __init__(self, path: str | Path) -> None:
        super().__init__(path, REGISTER)

    def __enter__(self) -> RegisterFile:
        return self

    def inspect(self) -> Layout:
        """Where the header is and what its columns are, from the first rows of the file."""
        header = self.header()
        return Layout(header.row, header.names, header.mapping, header.sample, missing(header.mapping))


def inspect(path: str | Path) -> Layout:
    """Where the header is and what its columns are, from the first rows of the file."""
    with RegisterFile(path) as register:
        return register.inspect()


def rows(path: str | Path, header_row: int, progress: Progress | None = None) -> Iterator[tuple[int, list[Any]]]:
    """RegisterFile.rows of the file at `path`, opened and closed around them."""
    with RegisterFile(path) as register:
        yield from register.rows(header_row, progress)


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
        at = time_of_day(value)
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


def _precision(seconds: object) -> timedelta:
    return _SECOND if seconds else _MINUTE


def _serial(value: float) -> datetime:
    if not 1 <= value < 2958466:  # Excel's days 1900-01-01 to 9999-12-31
        raise ValueError(value)
    return _EXCEL_EPOCH + timedelta(seconds=round(value * 86400))  # whole seconds: no float residue


def _recognize(headers: list[str]) -> dict[int, str]:
    mapping: dict[int, str] = {}
    for i, header in enumerate(headers):
        key = SYNONYMS.get(header_word(header))
        if key is not None and (key in JOINED or key == LEFT_OUT or key not in mapping.values()):
            mapping[i] = key
    fields = set(mapping.values())
    if "time" in fields and not fields & {"date", "visited_at"}:
        # A lone 时间 column holds the whole moment.
        mapping = {i: "visited_at" if key == "time" else key for i, key in mapping.items()}
    return mapping


REGISTER = Vocabulary(_recognize,
                      N_("No row of the file's first %(n)d names the columns (such as 姓名, 手机, 来访时间)."),
                      N_("%(file)s is %(size)d MB; a register may be at most %(limit)d MB. Split it into smaller "
                         "files."))
