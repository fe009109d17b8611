"""French (as in Canada): "3 septembre 2025", "1 134,5" (a narrow no-break space)."""

from __future__ import annotations

DATE_FORMAT = "j F Y"
DATETIME_FORMAT = "j F Y, H:i"
TIME_FORMAT = "H:i"
YEAR_MONTH_FORMAT = "F Y"
MONTH_DAY_FORMAT = "j F"
SHORT_DATE_FORMAT = "Y-m-d"
SHORT_DATETIME_FORMAT = "Y-m-d H:i"
FIRST_DAY_OF_WEEK = 0  # Sunday, as in Canada
DATE_INPUT_FORMATS = ["%Y-%m-%d", "%d/%m/%Y"]
DECIMAL_SEPARATOR = ","
# A narrow no-break space (U+202F): a group never breaks across lines, and it is the
# space CLDR gives French (Decision 69).
THOUSAND_SEPARATOR = "\u202f"
NUMBER_GROUPING = 3
