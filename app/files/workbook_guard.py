"""What a workbook may make the reader hold, checked before it is read (VIS-6).

The register's reader hands .xlsx, .xls and .ods files to calamine (python-calamine), which reads fast but reads a
worksheet whole: a grid of every cell from the first filled one to the last, in memory, and for .xls and .ods
every sheet as the file opens. Two kinds of small file would take a station down through it:

- a zip bomb: an .xlsx or .ods is a zip archive, and 1 MB of it may unpack to 1 GB;
- a far cell: one cell at XFD1048576 beside A1 asks for a grid of 17 billion cells (calamine then aborts the
  whole program), and a 5 KB .xls with a cell at IV65536 takes 1 GB.

So `check` reads first what a file declares and then what it really holds, as a stream, a chunk at a time:

- an archive: each part's declared size, their total and each part's ratio of unpacked to packed, before
  anything is unpacked; then each part unpacked, never past the size it declares (a part that holds more is
  damaged, or lies to the reader); the parts calamine keeps whole (shared strings, styles) at most MAX_HELD;
- the cells: where every worksheet's cells are (the `r` of an .xlsx cell, the repeats of an .ods row or cell,
  the row and column of each .xls cell record), and the grids they make, at most MAX_CELLS cells together;
- an .xls: its compound file's sectors and the workbook stream, at most MAX_XLS_STREAM.

A file refused is named in a translated sentence, within a fraction of a second for a bomb. What passes takes
calamine at most about 200 MB to read (MAX_CELLS of text cells and MAX_HELD of shared strings, measured).
"""
from __future__ import annotations

import copy
import re
import struct
import zipfile
from collections.abc import Iterator
from pathlib import Path
from typing import BinaryIO

from app.errors import ValidationError, shown_name
from app.i18n import _

MAX_CELLS = 1_500_000  # a grid of this many cells takes calamine about 130 MB (text cells)
MAX_UNPACKED = 512 * 2**20  # all the parts of an archive together, unpacked
MAX_HELD = 32 * 2**20  # a part calamine reads whole (shared strings, styles): about twice this in memory
MAX_RATIO = 100  # unpacked to packed, for a part over RATIO_FROM; registers compress 5-20 times
RATIO_FROM = 2**20
MAX_PARTS = 10_000
MAX_XLS_STREAM = 64 * 2**20
_CHUNK = 2**20
_LONGEST_TAG = 2**20  # an XML tag longer than this is no spreadsheet's
_TAG_NAME = re.compile(rb"<[A-Za-z_][\w.\-]*(?::[A-Za-z_][\w.\-]*)?[\s/>]")

ZIP_MAGIC = (b"PK\x03\x04", b"PK\x05\x06")
OLE_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"


class Unreadable(ValueError):
    """The file is not a workbook that can be read; str() is why, translated, to follow "Cannot read FILE: "."""


def damaged() -> Unreadable:
    return Unreadable(_("it is damaged (cut short or changed), or it is not an Excel or OpenDocument spreadsheet"))


def password() -> Unreadable:
    return Unreadable(_("it is protected by a password; open it in the spreadsheet program, remove the password "
                        "and save it again"))


def not_a_spreadsheet() -> Unreadable:
    return Unreadable(_("it is not an Excel or OpenDocument spreadsheet, whatever its name says"))


def check(path: Path) -> str:
    """What `path` holds, "xlsx", "ods" or "xls", once it is known to be safe to read; raises ValidationError for
    a file too big to read and Unreadable for one that is not a workbook, or is damaged."""
    with path.open("rb") as f:
        head = f.read(8)
        if head.startswith(ZIP_MAGIC):
            return _Archive(f, path).check()
        if head == OLE_MAGIC:
            _check_xls(f, path)
            return "xls"
    raise not_a_spreadsheet()


def _too_big(path: Path, unpacked: int, packed: int) -> ValidationError:
    return ValidationError(_("%(file)s unpacks from %(packed)s MB to %(unpacked)s MB or more, far more than a "
                             "register holds: it is damaged or made to exhaust the computer, and is not read. Save "
                             "it again from the spreadsheet program, or as CSV.")
                           % {"file": shown_name(path.name), "packed": _mb(packed), "unpacked": _mb(unpacked)},
                           field="path")


def _too_many_cells(path: Path, cells: int) -> ValidationError:
    return ValidationError(_("The sheets of %(file)s span %(cells)s cells (rows × columns, up to the last filled "
                             "cell); at most %(limit)s can be read at once. Delete the far-away cells or the other "
                             "sheets, split the register into smaller files, or save it as CSV.")
                           % {"file": shown_name(path.name), "cells": f"{cells:,}", "limit": f"{MAX_CELLS:,}"},
                           field="path")


def _mb(size: int) -> str:
    return f"{size / 2**20:,.1f}"


# -- .xlsx and .ods: a zip archive ----------------------------------------------------------------------------


class _Archive:
    def __init__(self, f: BinaryIO, path: Path) -> None:
        self.f, self.path = f, path
        self.packed = path.stat().st_size

    def check(self) -> str:
        try:
            f = self.f
            f.seek(0)
            with zipfile.ZipFile(f) as archive:
                parts = [p for p in archive.infolist() if not p.is_dir()]
                kind = self._declared(parts)
                for part in parts:
                    self._unpacked(archive, part, kind)
        except _Overflow as e:
            raise _too_many_cells(self.path, e.cells) from None
        except Unreadable:
            raise
        except (zipfile.BadZipFile, zipfile.LargeZipFile, EOFError, NotImplementedError, ValueError) as e:
            raise damaged() from e
        except RuntimeError as e:  # zipfile's word for an encrypted part
            raise password() from e
        return kind

    def _declared(self, parts: list[zipfile.ZipInfo]) -> str:
        """What the archive is, from its table of contents; refused when what it declares is too much."""
        if len(parts) > MAX_PARTS:
            raise _too_big(self.path, sum(p.file_size for p in parts), self.packed)
        names = {p.filename for p in parts}
        if "content.xml" in names:
            kind = "ods"
        elif any(name.startswith("xl/") for name in names):
            kind = "xlsx"
        else:
            raise not_a_spreadsheet()
        total = 0
        for part in parts:
            if part.flag_bits & 0x1:
                raise password()
            total += part.file_size
            bomb = part.file_size > RATIO_FROM and part.file_size > MAX_RATIO * max(part.compress_size, 1)
            if bomb or total > MAX_UNPACKED:
                raise _too_big(self.path, total if not bomb else part.file_size, self.packed)
        return kind

    def _unpacked(self, archive: zipfile.ZipFile, part: zipfile.ZipInfo, kind: str) -> None:
        """Unpack one part as a stream, no further than it declares, and read where its cells are: every part as an
        .xlsx worksheet, content.xml as an .ods's sheets too, whatever the archive seems to be (calamine chooses
        by the file's name, or by what it finds first)."""
        readings: list[_Cells] = [_XlsxCells()]
        if part.filename == "content.xml":
            readings.append(_OdsCells())
        # zipfile stops at the declared size: told one byte more, it shows a part that holds more than it says.
        probe = copy.copy(part)
        probe.file_size = part.file_size + 1
        seen = 0
        with archive.open(probe) as stream:
            while chunk := stream.read(_CHUNK):
                seen += len(chunk)
                if seen > part.file_size:
                    raise damaged()
                for cells in readings:
                    cells.feed(chunk)
        for cells in readings:
            cells.end()
            if cells.total > MAX_CELLS:
                raise _too_many_cells(self.path, cells.total)
        # A worksheet is read as a stream; the other parts an .xlsx reader reads whole.
        held = kind == "xlsx" and not readings[0].sheet and part.filename.lower().endswith((".xml", ".rels"))
        if held and seen > MAX_HELD:
            raise _too_big(self.path, seen, self.packed)


class _Cells:
    """Where a part's cells are, read from its XML a chunk at a time; `total`: the cells of the grids they make."""

    def __init__(self) -> None:
        self.total = 0
        self.sheet = False
        self._tail = b""

    def feed(self, chunk: bytes) -> None:
        pass

    def end(self) -> None:
        pass

    def _whole_tags(self, chunk: bytes) -> bytes:
        """The chunk with what was left of the last one before it, cut after its last whole tag."""
        data = self._tail + chunk if self._tail else chunk
        cut = data.rfind(b"<")
        if cut == -1 or data.find(b">", cut) != -1:
            self._tail = b""
            return data
        self._tail = data[cut:]
        if len(self._tail) > _LONGEST_TAG:
            if _TAG_NAME.match(self._tail):  # a tag no spreadsheet writes, which might hide a cell's place
                raise damaged()
            self._tail = b""  # a '<' in a picture's bytes
        return data[:cut]


_COLUMN = {chr(ord("A") + i): i + 1 for i in range(26)}


def _column(letters: bytes | str) -> int:
    n = 0
    for letter in letters.decode() if isinstance(letters, bytes) else letters:
        n = n * 26 + _COLUMN[letter]
    return n


class _XlsxCells(_Cells):
    """An .xlsx part: every cell tag's place. Excel, WPS, LibreOffice and openpyxl begin each cell tag with its
    place (<c r="B7" ...>), so the places are found by one search, and checked to be every cell's; a part where
    they are not is read tag by tag, as calamine does (a cell without `r` follows the one before it)."""

    # `<` cannot stand in XML text or attribute values, so this finds cell tags only (and any in a comment, which
    # counts against the file, never for it).
    _LETTERS = re.compile(rb'<c r="([A-Z]{1,3})[0-9]')
    _ROWS = re.compile(rb'<c r="[A-Z]{1,3}([0-9]{1,7})"')
    _TAG_STARTS = (b"<c ", b"<c>", b"<c/", b"<c\t", b"<c\n", b"<c\r")
    _PREFIXED = re.compile(rb"<[A-Za-z_][\w.\-]*:c[\s>/]")
    _TOKEN = re.compile(rb"<(?:[A-Za-z_][\w.\-]*:)?(c|row)(?=[\s>/])([^>]*)>|</(?:[A-Za-z_][\w.\-]*:)?row\s*>")
    _PLACE = re.compile(rb"""(?:^|\s)r\s*=\s*(["'])\s*([A-Za-z]*)([0-9]*)\s*\1""")

    def __init__(self) -> None:
        super().__init__()
        self.rows = self.columns = 0
        self._letters: set[bytes] = set()
        self._exact = False  # tag by tag
        self._row = self._col = 0  # calamine's place for a cell without `r`, 0-based

    def feed(self, chunk: bytes) -> None:
        data = self._whole_tags(chunk)
        if not self.sheet and b"sheetData" in data:
            self.sheet = True
        if not self._exact:
            tags = sum(data.count(start) for start in self._TAG_STARTS)
            letters = self._LETTERS.findall(data)
            rows = self._ROWS.findall(data) if len(letters) == tags else ()
            if len(rows) == tags and not (b":c" in data and self._PREFIXED.search(data)):
                if tags:
                    self._letters.update(letters)
                    self.rows = max(self.rows, max(map(int, rows)))
                return
            self._exact = True
        self._tag_by_tag(data)

    def _tag_by_tag(self, data: bytes) -> None:
        for token in self._TOKEN.finditer(data):
            name, attributes = token.group(1), token.group(2)
            if name is None:  # </row>
                self._row += 1
                self._col = 0
                continue
            if attributes.endswith(b"/"):  # an empty element: calamine passes it by
                continue
            place = self._PLACE.search(attributes)
            if name == b"row":
                if place is not None and place.group(3):
                    self._row = int(place.group(3)) - 1
                continue
            if place is not None:
                if not place.group(2) or not place.group(3) or len(place.group(2)) > 3:
                    raise damaged()
                self._row, self._col = int(place.group(3)) - 1, _column(place.group(2).upper()) - 1
            self.rows = max(self.rows, self._row + 1)
            self.columns = max(self.columns, self._col + 1)
            self._col += 1

    def end(self) -> None:
        if self._letters:
            self.columns = max(self.columns, max(map(_column, self._letters)))
        # Counted from A1: calamine's grid starts at the first filled cell, so it is never larger.
        self.total = self.rows * self.columns


class _OdsCells(_Cells):
    """content.xml of an .ods: every sheet (calamine reads them all as the file opens), its rows and cells with
    their repeats. An empty cell (no value, no text) does not widen a sheet: LibreOffice writes a sheet's empty
    columns and rows to the end of the sheet as one repeated empty cell in one repeated row."""

    _TOKEN = re.compile(rb"<(table:table-row|table:table-cell|table:covered-table-cell)(?=[\s>/])([^>]*)>"
                        rb"|</(table:table-row|table:table)\s*>")
    _ROWS = re.compile(rb'table:number-rows-repeated\s*=\s*["\']\s*([0-9]+)')
    _COLUMNS = re.compile(rb'table:number-columns-repeated\s*=\s*["\']\s*([0-9]+)')

    def __init__(self) -> None:
        super().__init__()
        self._row = 0  # rows so far in this sheet
        self._height = self._width = 0  # this sheet's, up to its last filled row and column
        self._repeat = 1  # of the row now read
        self._col = self._filled = 0  # columns so far in the row, and up to its last filled cell

    def feed(self, chunk: bytes) -> None:
        for token in self._TOKEN.finditer(self._whole_tags(chunk)):
            opened, attributes, closed = token.groups()
            if opened == b"table:table-row":
                found = self._ROWS.search(attributes)
                self._repeat = int(found.group(1)) if found else 1
                self._col = self._filled = 0
                if attributes.endswith(b"/"):
                    self._row_end()
            elif opened is not None:  # a cell
                found = self._COLUMNS.search(attributes)
                self._col += int(found.group(1)) if found else 1
                if not attributes.endswith(b"/") or b"office:value-type" in attributes:
                    self._filled = self._col
            elif closed == b"table:table-row":
                self._row_end()
            else:  # </table:table>
                self._sheet_end()

    def _row_end(self) -> None:
        if self._filled:
            self._height = self._row + self._repeat
            self._width = max(self._width, self._filled)
        self._row += self._repeat
        self._repeat, self._col, self._filled = 1, 0, 0
        if self.total + self._height * self._width > MAX_CELLS:  # said as soon as it is known, not at the end
            raise _Overflow(self.total + self._height * self._width)

    def _sheet_end(self) -> None:
        self.total += self._height * self._width
        self._row = self._height = self._width = 0
        if self.total > MAX_CELLS:
            raise _Overflow(self.total)

    def end(self) -> None:
        self._sheet_end()


class _Overflow(Exception):
    def __init__(self, cells: int) -> None:
        super().__init__(cells)
        self.cells = cells


# -- .xls: a compound file holding the workbook stream of BIFF records ------------------------------------------

_FREE, _END_OF_CHAIN = 0xFFFFFFFF, 0xFFFFFFFE
_BOF = {0x0809, 0x0409, 0x0209, 0x0009}
_EOF = 0x000A
# Records of one cell whose first four bytes are its row and column (BIFF2 to BIFF8).
_CELL = {0x0001, 0x0002, 0x0003, 0x0004, 0x0005, 0x0006, 0x0406, 0x00FD, 0x0201, 0x0203, 0x0204, 0x0205,
         0x027E, 0x00D6}
_CELLS = {0x00BD, 0x00BE}  # MULRK, MULBLANK: a row, its first column ... and its last column at the end


def _check_xls(f: BinaryIO, path: Path) -> None:
    try:
        stream = _workbook_stream(f, path)
        total = _biff_cells(stream)
    except (struct.error, IndexError, KeyError) as e:
        raise damaged() from e
    if total > MAX_CELLS:
        raise _too_many_cells(path, total)


class _Compound:
    """The sectors of a compound file (Microsoft's CFB), read as far as finding one stream needs."""

    def __init__(self, f: BinaryIO) -> None:
        f.seek(0, 2)
        self.f, self.size = f, f.tell()
        f.seek(0)
        header = f.read(512)
        if len(header) < 512:
            raise damaged()
        shift, mini_shift = struct.unpack_from("<HH", header, 0x1E)
        if shift not in (9, 12) or mini_shift != 6:
            raise damaged()
        self.sector = 1 << shift
        self.sectors = (self.size + self.sector - 1) // self.sector  # no chain can be longer
        fat_sectors, self.directory_start = struct.unpack_from("<II", header, 0x2C)
        self.cutoff, self.minifat_start, _minifat_count, difat_start, difat_count = struct.unpack_from(
            "<IIIII", header, 0x38)
        fat_at = [n for n in struct.unpack_from("<109I", header, 0x4C) if n < _END_OF_CHAIN]
        per = self.sector // 4
        n = difat_start
        for _round in range(min(difat_count, self.sectors)):  # the DIFAT chain, never longer than the file
            if n >= _END_OF_CHAIN:
                break
            entries = struct.unpack("<%dI" % per, self._sector(n))
            fat_at += [s for s in entries[:-1] if s < _END_OF_CHAIN]
            n = entries[-1]
        if fat_sectors > self.sectors:
            raise damaged()
        self.fat: list[int] = []
        for n in fat_at[:fat_sectors]:
            self.fat += struct.unpack("<%dI" % per, self._sector(n))

    def _sector(self, n: int) -> bytes:
        self.f.seek((n + 1) * self.sector)
        data = self.f.read(self.sector)
        if len(data) < self.sector:
            raise damaged()
        return data

    def chain(self, start: int, fat: list[int] | None = None) -> Iterator[int]:
        fat = self.fat if fat is None else fat
        n, steps = start, 0
        while n < _END_OF_CHAIN:
            steps += 1
            if n >= len(fat) or steps > len(fat):  # outside the table, or a loop
                raise damaged()
            yield n
            n = fat[n]

    def sectors_of(self, start: int) -> Iterator[bytes]:
        for n in self.chain(start):
            yield self._sector(n)

    def stream(self, start: int, size: int) -> Iterator[bytes]:
        left = size
        for data in self.sectors_of(start):
            if left <= 0:
                break
            data = data[:left]
            left -= len(data)
            yield data
        if left > 0:
            raise damaged()

    def entries(self) -> Iterator[tuple[str, int, int, int]]:
        """(name, type, first sector, size) of each directory entry."""
        for data in self.sectors_of(self.directory_start):
            for at in range(0, len(data) - 127, 128):
                length, kind = struct.unpack_from("<HB", data, at + 64)
                start, size = struct.unpack_from("<IQ", data, at + 116)
                name = data[at:at + max(0, min(length, 64) - 2)].decode("utf-16-le", "replace")
                yield name, kind, start, size & 0xFFFFFFFF if self.sector == 512 else size

    def stream_bytes(self, entries: list[tuple[str, int, int, int]], start: int, size: int) -> Iterator[bytes]:
        if size >= self.cutoff:
            yield from self.stream(start, size)
            return
        # A small stream lives in the mini stream (the root entry's), in 64-byte sectors of a table of its own.
        root = next((e for e in entries if e[1] == 5), None)
        if root is None:
            raise damaged()
        big = list(self.chain(root[2]))
        minifat = [n for data in self.sectors_of(self.minifat_start)
                   for n in struct.unpack("<%dI" % (len(data) // 4), data)]
        data = b""
        for n in self.chain(start, minifat):
            if len(data) >= size:
                break
            at, within = divmod(n * 64, self.sector)
            if at >= len(big):
                raise damaged()
            data += self._sector(big[at])[within:within + 64]
        if len(data) < size:
            raise damaged()
        yield data[:size]


def _workbook_stream(f: BinaryIO, path: Path) -> Iterator[bytes]:
    compound = _Compound(f)
    entries = [e for e in compound.entries() if e[1] in (1, 2, 5)]
    names = {name.lower(): (kind, start, size) for name, kind, start, size in entries}
    if "encryptedpackage" in names:  # an .xlsx with a password is a compound file too
        raise password()
    found = names.get("workbook") or names.get("book")
    if found is None or found[0] != 2:
        raise not_a_spreadsheet()
    _kind, start, size = found
    if size > MAX_XLS_STREAM:
        raise ValidationError(_("The workbook in %s is too large to read at once; split it into smaller files, or "
                                "save it as CSV.") % shown_name(path.name), field="path")
    return compound.stream_bytes(entries, start, size)


def _biff_cells(stream: Iterator[bytes]) -> int:
    """The cells of the grids of every sheet (each BOF ... EOF), from A1 to the sheet's last cell record."""
    total = 0
    open_: list[list[int]] = []  # [rows, columns] of each substream begun and not ended
    buffer = b""
    for chunk in stream:
        buffer += chunk
        at = 0
        while at + 4 <= len(buffer):
            kind, length = struct.unpack_from("<HH", buffer, at)
            if at + 4 + length > len(buffer):
                break
            if kind in _CELL and length >= 4 and open_:
                row, column = struct.unpack_from("<HH", buffer, at + 4)
                grid = open_[-1]
                grid[0], grid[1] = max(grid[0], row + 1), max(grid[1], column + 1)
            elif kind in _CELLS and length >= 6 and open_:
                row, = struct.unpack_from("<H", buffer, at + 4)
                last, = struct.unpack_from("<H", buffer, at + 4 + length - 2)
                grid = open_[-1]
                grid[0], grid[1] = max(grid[0], row + 1), max(grid[1], last + 1)
            elif kind in _BOF:
                open_.append([0, 0])
            elif kind == _EOF and open_:
                rows, columns = open_.pop()
                total += rows * columns
            at += 4 + length
        buffer = buffer[at:]
    return total + sum(rows * columns for rows, columns in open_)
