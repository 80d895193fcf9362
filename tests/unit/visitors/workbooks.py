"""Workbooks made by the tests, byte by byte where no library writes them: an .ods as LibreOffice saves it, and
hostile .xlsx files (a zip bomb, a part that holds more than it declares, a cell far away). The .xls files are
made once by tests/fixtures/make_xls.py (no maintained library writes .xls) and kept in tests/fixtures/."""
from __future__ import annotations

import struct
import zlib
from dataclasses import dataclass
from datetime import date, datetime, time
from pathlib import Path
from xml.sax.saxutils import escape

FIXTURES = Path(__file__).resolve().parents[2] / "fixtures"


@dataclass
class Packed:
    """A part's bytes already deflated, with what the archive declares of it."""
    deflated: bytes
    crc: int
    size: int


def deflated(data: bytes) -> Packed:
    c = zlib.compressobj(9, zlib.DEFLATED, -15)
    return Packed(c.compress(data) + c.flush(), zlib.crc32(data), len(data))


def write_zip(path: Path, parts: dict[str, bytes | Packed], stored: tuple[str, ...] = ()) -> Path:
    """A zip archive of `parts`, each deflated (or kept as it is when named in `stored`), as zipfile would write
    it, but taking parts deflated already, whose declared size may be anything."""
    local, central = bytearray(), bytearray()
    for name, part in parts.items():
        raw = name.encode()
        if name in stored:
            assert isinstance(part, bytes)
            method, body, crc, size = 0, part, zlib.crc32(part), len(part)
        else:
            packed = part if isinstance(part, Packed) else deflated(part)
            method, body, crc, size = 8, packed.deflated, packed.crc, packed.size
        at = len(local)
        local += struct.pack("<IHHHHHIIIHH", 0x04034B50, 20, 0, method, 0, 0x21, crc, len(body), size, len(raw), 0)
        local += raw + body
        central += struct.pack("<IHHHHHHIIIHHHHHII", 0x02014B50, 20, 20, 0, method, 0, 0x21, crc, len(body), size,
                               len(raw), 0, 0, 0, 0, 0, at) + raw
    end = struct.pack("<IHHHHIIH", 0x06054B50, 0, 0, len(parts), len(parts), len(central), len(local), 0)
    path.write_bytes(bytes(local + central + end))
    return path


def xlsx_parts(sheet: bytes | Packed) -> dict[str, bytes | Packed]:
    """The parts of a one-sheet workbook, as Excel names them, around `sheet` (xl/worksheets/sheet1.xml)."""
    ns = 'xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"'
    rel = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
    return {
        "[Content_Types].xml": (
            '<?xml version="1.0" encoding="UTF-8"?><Types xmlns="http://schemas.openxmlformats.org/package/2006/'
            'content-types"><Default Extension="rels" ContentType="application/vnd.openxmlformats-package.'
            'relationships+xml"/><Default Extension="xml" ContentType="application/xml"/><Override PartName="/xl/'
            'workbook.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"/>'
            '<Override PartName="/xl/worksheets/sheet1.xml" ContentType="application/vnd.openxmlformats-'
            'officedocument.spreadsheetml.worksheet+xml"/></Types>').encode(),
        "_rels/.rels": (
            '<?xml version="1.0" encoding="UTF-8"?><Relationships xmlns="http://schemas.openxmlformats.org/package/'
            f'2006/relationships"><Relationship Id="rId1" Type="{rel}/officeDocument" Target="xl/workbook.xml"/>'
            '</Relationships>').encode(),
        "xl/workbook.xml": (
            f'<?xml version="1.0" encoding="UTF-8"?><workbook {ns} xmlns:r="{rel}"><sheets><sheet name="来访登记" '
            'sheetId="1" r:id="rId1"/></sheets></workbook>').encode(),
        "xl/_rels/workbook.xml.rels": (
            '<?xml version="1.0" encoding="UTF-8"?><Relationships xmlns="http://schemas.openxmlformats.org/package/'
            f'2006/relationships"><Relationship Id="rId1" Type="{rel}/worksheet" Target="worksheets/sheet1.xml"/>'
            '</Relationships>').encode(),
        "xl/worksheets/sheet1.xml": sheet,
    }


def sheet_xml(cells: list[tuple[str, str]]) -> bytes:
    """A worksheet of text cells, each (place, text): one row element per cell, in the given order."""
    rows = []
    for place, value in cells:
        row = "".join(c for c in place if c.isdigit())
        rows.append(f'<row r="{row}"><c r="{place}" t="inlineStr"><is><t>{escape(value)}</t></is></c></row>')
    return ('<?xml version="1.0" encoding="UTF-8"?><worksheet xmlns="http://schemas.openxmlformats.org/'
            f'spreadsheetml/2006/main"><sheetData>{"".join(rows)}</sheetData></worksheet>').encode()


def bomb_xlsx(path: Path, gigabytes: int = 1) -> Path:
    """About 1 MB that unpacks to `gigabytes` GB: a worksheet of a header and then a run of spaces. The run is
    deflated once, 4 MB of it, and repeated (a full flush makes each piece stand alone)."""
    head = sheet_xml([("A1", "姓名"), ("B1", "手机")]).replace(b"</sheetData></worksheet>", b"")
    tail = b"</sheetData></worksheet>"
    block = b" " * 2**22
    c = zlib.compressobj(9, zlib.DEFLATED, -15)
    pieces = [c.compress(head) + c.flush(zlib.Z_FULL_FLUSH)]
    piece = c.compress(block) + c.flush(zlib.Z_FULL_FLUSH)
    crc = zlib.crc32(head)
    for _ in range(gigabytes * 256):
        pieces.append(piece)
        crc = zlib.crc32(block, crc)
    pieces.append(c.compress(tail) + c.flush())
    crc = zlib.crc32(tail, crc)
    size = len(head) + gigabytes * 2**30 + len(tail)
    return write_zip(path, xlsx_parts(Packed(b"".join(pieces), crc, size)))


def lying_xlsx(path: Path, declared: int = 2000) -> Path:
    """A worksheet that declares `declared` bytes and holds 64 MB: a reader that trusts the archive's word reads
    far more than it was told."""
    real = deflated(sheet_xml([("A1", "姓名"), ("B1", "手机")]).replace(b"<sheetData>", b"<sheetData>" + b" " * 2**26))
    return write_zip(path, xlsx_parts(Packed(real.deflated, real.crc, declared)))


def far_cell_xlsx(path: Path, place: str = "XFD1048576") -> Path:
    """A workbook of a few hundred bytes: a header and one cell far away, which asks for a grid from A1 to it."""
    return write_zip(path, xlsx_parts(sheet_xml([("A1", "姓名"), ("B1", "手机"), (place, "x")])))


# -- .ods -----------------------------------------------------------------------------------------------------


def _ods_cell(value: object) -> str:
    if value is None or value == "":
        return "<table:table-cell/>"
    if isinstance(value, datetime):
        return (f'<table:table-cell office:value-type="date" office:date-value="{value:%Y-%m-%dT%H:%M:%S}">'
                f"<text:p>{value:%Y-%m-%d %H:%M}</text:p></table:table-cell>")
    if isinstance(value, date):
        return (f'<table:table-cell office:value-type="date" office:date-value="{value:%Y-%m-%d}">'
                f"<text:p>{value:%Y-%m-%d}</text:p></table:table-cell>")
    if isinstance(value, time):
        return (f'<table:table-cell office:value-type="time" office:time-value="PT{value:%H}H{value:%M}M{value:%S}S">'
                f"<text:p>{value:%H:%M}</text:p></table:table-cell>")
    if isinstance(value, (int, float)):
        return (f'<table:table-cell office:value-type="float" office:value="{value}"><text:p>{value}</text:p>'
                "</table:table-cell>")
    return f'<table:table-cell office:value-type="string"><text:p>{escape(str(value))}</text:p></table:table-cell>'


def write_ods(path: Path, rows: list[list[object]], *, title_span: int = 0) -> Path:
    """An .ods as LibreOffice Calc saves it: each row filled out to 1,024 columns by one repeated empty cell, and
    the rest of the sheet's 1,048,576 rows as one repeated empty row. The first row, when `title_span`, is one
    cell merged across that many columns."""
    body = []
    for n, row in enumerate(rows):
        cells = [_ods_cell(v) for v in row]
        if n == 0 and title_span:
            cells = [cells[0].replace("<table:table-cell ", f'<table:table-cell table:number-columns-spanned="'
                                                            f'{title_span}" table:number-rows-spanned="1" ', 1),
                     f'<table:covered-table-cell table:number-columns-repeated="{title_span - 1}"/>']
            width = title_span
        else:
            width = len(row)
        cells.append(f'<table:table-cell table:number-columns-repeated="{1024 - width}"/>')
        body.append(f'<table:table-row table:style-name="ro1">{"".join(cells)}</table:table-row>')
    body.append(f'<table:table-row table:style-name="ro1" table:number-rows-repeated="{1048576 - len(rows)}">'
                '<table:table-cell table:number-columns-repeated="1024"/></table:table-row>')
    content = (
        '<?xml version="1.0" encoding="UTF-8"?><office:document-content '
        'xmlns:office="urn:oasis:names:tc:opendocument:xmlns:office:1.0" '
        'xmlns:table="urn:oasis:names:tc:opendocument:xmlns:table:1.0" '
        'xmlns:text="urn:oasis:names:tc:opendocument:xmlns:text:1.0" office:version="1.3"><office:body>'
        '<office:spreadsheet><table:table table:name="来访登记"><table:table-column '
        'table:number-columns-repeated="1024"/>' + "".join(body) +
        "</table:table></office:spreadsheet></office:body></office:document-content>")
    manifest = (
        '<?xml version="1.0" encoding="UTF-8"?><manifest:manifest xmlns:manifest="urn:oasis:names:tc:opendocument:'
        'xmlns:manifest:1.0" manifest:version="1.3"><manifest:file-entry manifest:full-path="/" manifest:media-type='
        '"application/vnd.oasis.opendocument.spreadsheet"/><manifest:file-entry manifest:full-path="content.xml" '
        'manifest:media-type="text/xml"/></manifest:manifest>')
    return write_zip(path, {"mimetype": b"application/vnd.oasis.opendocument.spreadsheet",
                            "content.xml": content.encode(), "META-INF/manifest.xml": manifest.encode()},
                     stored=("mimetype",))


# -- .xls whose workbook stream is small: kept in the compound file's mini stream ------------------------------

_FREE, _END, _FAT = 0xFFFFFFFF, 0xFFFFFFFE, 0xFFFFFFFD


def biff_records(stream: bytes) -> bytes:
    """A workbook stream without the padding after its last record (Excel pads it to 4,096 bytes)."""
    at, end = 0, 0
    while at + 4 <= len(stream):
        kind, length = struct.unpack_from("<HH", stream, at)
        if kind == 0 and length == 0:
            break
        at += 4 + length
        end = at
    return stream[:end]


def compound_file(path: Path, workbook: bytes) -> Path:
    """A compound file (512-byte sectors) holding one stream, Workbook, under 4,096 bytes: as such a small stream
    must be, in the mini stream (64-byte sectors, their own table). Sectors: 0 the table, 1 the directory, 2 the
    mini stream's table, 3… the mini stream."""
    assert len(workbook) < 4096
    minis = (len(workbook) + 63) // 64
    mini_stream = workbook.ljust(minis * 64, b"\x00")
    big = (len(mini_stream) + 511) // 512
    fat = [_FAT, _END, _END] + [3 + i + 1 for i in range(big - 1)] + [_END]
    fat += [_FREE] * (128 - len(fat))
    minifat = [i + 1 for i in range(minis - 1)] + [_END]
    minifat += [_FREE] * (128 - len(minifat))

    def entry(name: str, kind: int, child: int, start: int, size: int) -> bytes:
        raw = name.encode("utf-16-le") + b"\x00\x00"
        return (raw.ljust(64, b"\x00") + struct.pack("<HBBIII", len(raw), kind, 1, _FREE, _FREE, child)
                + b"\x00" * 36 + struct.pack("<IQ", start, size))

    directory = (entry("Root Entry", 5, 1, 3, len(mini_stream)) + entry("Workbook", 2, _FREE, 0, len(workbook))
                 + b"\x00" * 256)
    header = (bytes.fromhex("d0cf11e0a1b11ae1") + b"\x00" * 16
              + struct.pack("<HHHHH", 0x3E, 3, 0xFFFE, 9, 6) + b"\x00" * 6
              + struct.pack("<IIIIIIIII", 0, 1, 1, 0, 4096, 2, 1, _END, 0)
              + struct.pack("<109I", 0, *([_FREE] * 108)))
    assert len(header) == 512
    body = (struct.pack("<128I", *fat) + directory + struct.pack("<128I", *minifat)
            + mini_stream.ljust(big * 512, b"\x00"))
    path.write_bytes(header + body)
    return path
