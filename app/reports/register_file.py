"""The visitor register as a file, CSV or XLSX, with the same columns both ways (VIS-5, VIS-6).

Writing: a text cell that starts with = + - @ or a tab (or a carriage return) could be run as a formula by a
spreadsheet; in XLSX it is stored as a string cell, in CSV it is written after a single quote, which is how
spreadsheets mark text. Reading takes the quote off again, so an exported file imports unchanged.
Reading a CSV: UTF-8 with or without BOM, else GB18030 (what Excel on a Chinese Windows writes).
openpyxl is imported only when an XLSX is written or read.
"""
from __future__ import annotations

import csv
import io
from collections.abc import Iterable, Iterator
from datetime import datetime
from pathlib import Path

from app.errors import ValidationError, file_reason
from app.i18n import _

COLUMNS = ("来访时间", "类型", "姓名", "手机", "人数", "渠道", "意向", "置业顾问", "备注")
FORMATS = ("csv", "xlsx")
_RISKY = ("=", "+", "-", "@", "\t", "\r")


def format_of(path: str | Path) -> str:
    suffix = Path(path).suffix.lower().lstrip(".")
    if suffix not in FORMATS:
        raise ValidationError(_("Choose a .csv or .xlsx file."), field="path")
    return suffix


def risky(text: str) -> bool:
    return text.startswith(_RISKY)


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


def _write_xlsx(path: Path, rows: Iterable[list[object]]) -> int:
    from openpyxl import Workbook
    from openpyxl.cell import WriteOnlyCell

    book = Workbook(write_only=True)
    sheet = book.create_sheet(_("Visitor register"))
    sheet.append(list(COLUMNS))
    n = 0
    for row in rows:
        cells = []
        for v in row:
            cell = WriteOnlyCell(sheet, value=v)
            if isinstance(v, str):
                cell.data_type = "s"  # never a formula, whatever it starts with
            cells.append(cell)
        sheet.append(cells)
        n += 1
    book.save(path)
    return n


def read(path: str | Path) -> Iterator[tuple[int, dict[str, str]]]:
    """(row number as the spreadsheet shows it, {column: text}) for every non-empty row after the header."""
    kind = format_of(path)
    try:
        table = _read_csv(Path(path)) if kind == "csv" else _read_xlsx(Path(path))
        header = next(table, None)
    except (OSError, ValueError, KeyError, csv.Error) as e:
        raise ValidationError(_("Cannot read %(file)s: %(reason)s") % {"file": Path(path).name,
                                                                       "reason": file_reason(e)},
                              field="path") from e
    if header is None:
        raise ValidationError(_("The file is empty."), field="path")
    names = [str(h or "").strip().lstrip("\ufeff") for h in header]
    missing = [c for c in COLUMNS if c not in names]
    if missing:
        raise ValidationError(_("The first row must name the columns %(columns)s; missing: %(missing)s")
                              % {"columns": ", ".join(COLUMNS), "missing": ", ".join(missing)}, field="path")
    where = {c: names.index(c) for c in COLUMNS}
    for number, values in enumerate(table, start=2):
        texts = [_text(v) for v in values]
        if not any(texts):
            continue
        texts += [""] * (len(names) - len(texts))
        yield number, {c: texts[i] for c, i in where.items()}


def _text(value: object) -> str:
    if value is None:
        return ""
    if isinstance(value, datetime):
        return value.strftime("%Y-%m-%d %H:%M:%S")
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    text = str(value).strip()
    return text[1:] if text.startswith("'") and risky(text[1:]) else text


def _read_csv(path: Path) -> Iterator[list[str]]:
    data = path.read_bytes()
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError:
        text = data.decode("gb18030")  # raises ValueError (UnicodeDecodeError) when it is neither
    return iter(list(csv.reader(io.StringIO(text, newline=""))))


def _read_xlsx(path: Path) -> Iterator[tuple[object, ...]]:
    from openpyxl import load_workbook

    try:
        book = load_workbook(path, read_only=True, data_only=True)
    except Exception as e:  # openpyxl raises zipfile, XML and its own errors for a file that is not XLSX
        raise ValueError(str(e) or type(e).__name__) from e
    rows = list(book.worksheets[0].iter_rows(values_only=True))
    book.close()
    return iter(rows)
