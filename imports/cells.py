"""Turn one cell's text into a value, or say in a sentence why it cannot be one.

Each reader raises `CellError` with the reason; the preset adds the column and the engine
the line, so a person can find the cell and mend it.
"""

from __future__ import annotations

import datetime
import decimal
import re

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

from core.validators import validate_record_date

# A spreadsheet cell holds at most this many characters; a longer cell is not a value.
MAX_CELL = 32_767

# Dates as the sources write them: ISO dates with or without a time (GED, newer ACLED),
# ACLED's older day-month-year forms.
DATE_FORMATS = ("%d %B %Y", "%d-%b-%Y", "%d %b %Y", "%d-%B-%Y")
ISO_DATE = re.compile(
    r"^(\d{4}-\d{2}-\d{2})(?:[ T]\d{1,2}:\d{2}(?::\d{2}(?:\.\d+)?)?)?(?:Z|[+-]\d{2}:?\d{2})?$"
)


class CellError(ValueError):
    """A cell that holds no valid value; its message says why."""


def text(value: str, *, max_length: int | None = None) -> str:
    value = value.strip()
    limit = MAX_CELL if max_length is None else max_length
    if len(value) > limit:
        raise CellError(
            _("%(length)s characters, more than the %(limit)s this field holds.")
            % {"length": len(value), "limit": limit}
        )
    return value


def count(value: str) -> int:
    """A whole number of people, 0 when blank; "3.0" is 3 (spreadsheets write counts so)."""
    value = value.strip().replace("\u00a0", "").replace(" ", "")
    if not value:
        return 0
    try:
        number = decimal.Decimal(value)
    except decimal.InvalidOperation:
        raise CellError(_("%(value)s is not a whole number.") % {"value": value[:40]}) from None
    if not number.is_finite() or number != number.to_integral_value():
        raise CellError(_("%(value)s is not a whole number.") % {"value": value[:40]})
    if number < 0:
        raise CellError(_("A count cannot be negative (%(value)s).") % {"value": value[:40]})
    if number > 2_000_000_000:
        raise CellError(_("%(value)s is too large for a count.") % {"value": value[:40]})
    return int(number)


def number(value: str) -> decimal.Decimal | None:
    """Any finite number, None when blank: a source's own estimate or code."""
    value = value.strip()
    if not value:
        return None
    try:
        parsed = decimal.Decimal(value)
    except decimal.InvalidOperation:
        raise CellError(_("%(value)s is not a number.") % {"value": value[:40]}) from None
    if not parsed.is_finite():
        raise CellError(_("%(value)s is not a number.") % {"value": value[:40]})
    return parsed


def coordinate(value: str, *, limit: int) -> decimal.Decimal | None:
    """A latitude (limit 90) or longitude (limit 180) to six places; None when blank."""
    parsed = number(value)
    if parsed is None:
        return None
    if not -limit <= parsed <= limit:
        raise CellError(
            _("%(value)s lies outside -%(limit)s to %(limit)s.")
            % {"value": value.strip()[:40], "limit": limit}
        )
    return parsed.quantize(decimal.Decimal("0.000001"), rounding=decimal.ROUND_HALF_EVEN)


def date(value: str, *, date_format: str | None = None) -> datetime.date | None:
    """A date as the source wrote it, None when blank; checked against the record window."""
    value = value.strip()
    if not value:
        return None
    parsed = _parse_date(value, date_format)
    if parsed is None:
        raise CellError(_("%(value)s is not a date.") % {"value": value[:40]})
    try:
        validate_record_date(parsed)
    except ValidationError as error:
        raise CellError(" ".join(error.messages)) from None
    return parsed


def _parse_date(value: str, date_format: str | None) -> datetime.date | None:
    if date_format:
        try:
            return datetime.datetime.strptime(value, date_format).date()  # noqa: DTZ007 - a day, no instant
        except ValueError:
            return None
    match = ISO_DATE.match(value)
    if match:
        try:
            return datetime.date.fromisoformat(match.group(1))
        except ValueError:
            return None
    for form in DATE_FORMATS:
        try:
            return datetime.datetime.strptime(value, form).date()  # noqa: DTZ007 - a day, no instant
        except ValueError:
            continue
    return None
