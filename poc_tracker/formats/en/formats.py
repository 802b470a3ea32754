"""English dates as missions write them: day before month, months by name, a 24-hour clock.

Django's own English formats are American: 03/04/2026 reads as 4 March to most of a mission's
staff, and "2 p.m." is not how a Joint Operations Centre logs an alert.
"""

DATE_FORMAT = "j F Y"
SHORT_DATE_FORMAT = "j M Y"
TIME_FORMAT = "H:i"
DATETIME_FORMAT = "j F Y, H:i"
SHORT_DATETIME_FORMAT = "j M Y H:i"
YEAR_MONTH_FORMAT = "F Y"
MONTH_DAY_FORMAT = "j F"
FIRST_DAY_OF_WEEK = 1  # Monday, as the ISO weeks the figures are counted in
