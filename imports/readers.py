"""Read a CSV or XLSX file as a header and a stream of rows, whatever its encoding and dialect.

Rows come one at a time with the line they start on, so a file of any size is read in flat
memory and a bad row can be named. A file that cannot be read as a table at all raises
`FileError`, with a message a person can act on; nothing here raises anything else.
"""

from __future__ import annotations

import codecs
import csv
import datetime
import io
import zipfile
from collections.abc import Iterator
from dataclasses import dataclass
from typing import IO, Any

import charset_normalizer
from django.utils.translation import gettext as _

# Large enough for any real cell (a spreadsheet cell holds 32,767 characters); a longer one is
# refused as the row's error, a far longer one as the file's.
csv.field_size_limit(16 * 1024 * 1024)

SAMPLE_BYTES = 64 * 1024
DELIMITERS = (",", ";", "\t", "|")
XLSX_MAGIC = b"PK\x03\x04"
LATIN_ENCODINGS = frozenset(
    {"cp1250", "cp1252", "cp1254", "cp1257", "latin_1", "iso8859_2", "iso8859_9", "iso8859_15"}
    | {"mac_roman", "mac_latin2", "cp850", "cp437"}
)
BOMS = (
    (codecs.BOM_UTF8, "utf-8-sig"),
    (codecs.BOM_UTF16_LE, "utf-16"),
    (codecs.BOM_UTF16_BE, "utf-16"),
)


class FileError(Exception):
    """The file cannot be read as a table: nothing of it is imported."""


@dataclass
class Table:
    """A file's columns (as written, stripped) and its data rows: (line, {column: text}).

    Rows are keyed by the column's name in lower case, so presets find "Date_Start" as
    "date_start".
    """

    columns: list[str]
    rows: Iterator[tuple[int, dict[str, str]]]
    # where reading has got to, for a progress bar: bytes of a CSV, rows of an XLSX sheet
    position: Any
    total: int


def open_table(stream: IO[bytes], *, size: int, sheet: str | None = None) -> Table:
    """Open `stream` (binary, seekable) as a CSV or an XLSX file, told apart by content."""
    head = stream.read(len(XLSX_MAGIC))
    stream.seek(0)
    if not head:
        raise FileError(_("The file is empty."))
    if head == XLSX_MAGIC:
        return _xlsx(stream, sheet)
    return _csv(stream, size)


def _encoding(sample: bytes) -> str:
    for bom, name in BOMS:
        if sample.startswith(bom):
            return name
    try:
        # not final: the sample may end inside a character
        codecs.getincrementaldecoder("utf-8")().decode(sample, final=False)
        return "utf-8"
    except UnicodeDecodeError:
        pass
    best = charset_normalizer.from_bytes(sample).best()
    if best is None:
        raise FileError(_("The file is not text: it is neither CSV nor XLSX."))
    if best.encoding in LATIN_ENCODINGS:
        # a short sample cannot tell Western and Central European code pages apart; the
        # spreadsheets of English-, French- and Portuguese-speaking missions are Windows-1252
        try:
            sample.decode("cp1252")
            return "cp1252"
        except UnicodeDecodeError:
            pass
    return best.encoding


def _delimiter(header: str) -> str:
    """The candidate that splits the header line most often (quoted text aside)."""
    counts = {d: len(next(csv.reader([header], delimiter=d), [])) for d in DELIMITERS}
    return max(DELIMITERS, key=lambda d: counts[d])


def _header(cells: list[str]) -> list[str]:
    columns = [cell.strip().lstrip("\ufeff") for cell in cells]
    seen: set[str] = set()
    for column in columns:
        key = column.casefold()
        if key and key in seen:
            raise FileError(_("The column %(column)s appears twice.") % {"column": column})
        seen.add(key)
    if not any(columns):
        raise FileError(_("The first line holds no column names."))
    return columns


def _csv(stream: IO[bytes], size: int) -> Table:
    sample = stream.read(SAMPLE_BYTES)
    stream.seek(0)
    encoding = _encoding(sample)
    text = io.TextIOWrapper(stream, encoding=encoding, newline="", errors="strict")
    try:
        first = text.readline()
    except UnicodeDecodeError as error:
        raise FileError(
            _("The file is not valid %(encoding)s.") % {"encoding": encoding}
        ) from error
    reader = csv.reader(
        _chain(first, text, encoding), delimiter=_delimiter(first.rstrip("\r\n")), strict=True
    )
    try:
        columns = _header(next(reader))
    except StopIteration:
        raise FileError(_("The file is empty.")) from None
    except csv.Error as error:
        raise FileError(_("Line 1 cannot be read: %(reason)s.") % {"reason": error}) from error
    return Table(
        columns=columns,
        rows=_csv_rows(reader, [c.casefold() for c in columns]),
        position=lambda: stream.tell(),
        total=size,
    )


def _chain(first: str, rest: io.TextIOWrapper, encoding: str) -> Iterator[str]:
    """The header line, then the file's other lines, with a decoding error made a FileError."""
    yield first
    line = 1
    while True:
        try:
            text = rest.readline()
        except UnicodeDecodeError as error:
            raise FileError(
                _("Line %(line)s is not valid %(encoding)s.")
                % {"line": line + 1, "encoding": encoding}
            ) from error
        if not text:
            return
        line += 1
        yield text


def _csv_rows(reader: Any, columns: list[str]) -> Iterator[tuple[int, dict[str, str]]]:
    end = reader.line_num
    while True:
        start = end + 1
        try:
            cells = next(reader)
        except StopIteration:
            return
        except csv.Error as error:
            raise FileError(
                _("Line %(line)s cannot be read: %(reason)s.") % {"line": start, "reason": error}
            ) from error
        end = reader.line_num
        if not any(cell.strip() for cell in cells):
            continue  # a blank line between rows
        yield start, _row(columns, cells)


# A row's cells beyond the header's, under a key no column name can take.
EXTRA = "\x00extra"


def _row(columns: list[str], cells: list[str]) -> dict[str, str]:
    row = dict(zip(columns, cells, strict=False))
    if len(cells) < len(columns):
        for column in columns[len(cells) :]:
            row.setdefault(column, "")
        row[EXTRA] = f"-{len(columns) - len(cells)}"
    elif len(cells) > len(columns) and any(cell.strip() for cell in cells[len(columns) :]):
        row[EXTRA] = f"+{len(cells) - len(columns)}"
    return row


def _xlsx(stream: IO[bytes], sheet: str | None) -> Table:
    from openpyxl import load_workbook
    from openpyxl.utils.exceptions import InvalidFileException

    try:
        # read_only streams the sheet; formulas are kept as their text, never evaluated
        book = load_workbook(stream, read_only=True, data_only=False)
        if sheet is not None and sheet not in book.sheetnames:
            raise FileError(_("The workbook has no sheet named %(sheet)s.") % {"sheet": sheet})
        worksheet = book[sheet] if sheet is not None else book.worksheets[0]
        rows = worksheet.iter_rows(values_only=True)
        first = next(rows, None)
    except (zipfile.BadZipFile, InvalidFileException, KeyError, OSError, ValueError) as error:
        raise FileError(_("The file is not a readable XLSX workbook.")) from error
    if first is None:
        raise FileError(_("The sheet is empty."))
    columns = _header([_cell(value) for value in first])
    read = [1]
    return Table(
        columns=columns,
        rows=_xlsx_rows(rows, [c.casefold() for c in columns], read),
        position=lambda: read[0],
        total=worksheet.max_row or 0,
    )


def _xlsx_rows(
    rows: Iterator[tuple[Any, ...]], columns: list[str], read: list[int]
) -> Iterator[tuple[int, dict[str, str]]]:
    line = 1
    while True:
        try:
            values = next(rows, None)
        except (zipfile.BadZipFile, KeyError, OSError, ValueError, EOFError) as error:
            raise FileError(
                _("The workbook cannot be read after line %(line)s.") % {"line": line}
            ) from error
        if values is None:
            return
        line += 1
        read[0] = line
        cells = [_cell(value) for value in values]
        if not any(cell.strip() for cell in cells):
            continue
        yield line, _row(columns, cells)


def _cell(value: Any) -> str:
    """A spreadsheet value as the text a CSV of it would hold."""
    if value is None:
        return ""
    if isinstance(value, datetime.datetime):
        return value.date().isoformat() if value.time() == datetime.time() else value.isoformat()
    if isinstance(value, datetime.date):
        return value.isoformat()
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value)
