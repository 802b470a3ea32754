"""Text written into CSV and spreadsheet files, made safe from formula injection.

A cell whose text starts with =, +, -, @, a tab or a carriage return is run as a formula by
spreadsheet programs (`=HYPERLINK(...)`, `=cmd|...`). Such text is written with a leading
apostrophe, which spreadsheets show as plain text; numbers are written as numbers.
"""

from __future__ import annotations

from typing import Any

FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def safe_cell(value: Any) -> Any:
    """`value` as a CSV or XLSX cell: text that could start a formula is quoted."""
    if isinstance(value, str) and value.startswith(FORMULA_STARTS):
        return "'" + value
    return value
