"""Rows read for a report straight from the database cursor, with dates as dates.

Django's per-value converters cost more than the queries themselves for the hundreds of
thousands of values a report reads, so ``rows`` runs a queryset's SQL on the cursor.
PostgreSQL's driver gives dates, booleans and decimals as Python values already. SQLite gives
booleans as numbers (fine as they are), decimals as numbers (converted here, ``decimals``) and
dates as text: each date column is named ``heard_day_<n> [heard_day]`` so that Python's sqlite3
module hands its values to the converter registered below while it fetches the row, in C.
That converter is a dictionary look-up of the text: each different day is parsed once and then
shared (dates cannot change). A report reads a few hundred thousand dates but only a few
thousand different days; Django's own converter parsed every one, and casting them to text
and parsing them afterwards in Python cost a fifth of loading.
"""

from __future__ import annotations

import datetime
import sqlite3
from decimal import Decimal
from operator import itemgetter

from django.db import connection
from django.db.models import DateField, DateTimeField, F
from django.utils.dateparse import parse_date

#: The sqlite3 converter of the report's date columns (see the module's docstring).
DAY_CONVERTER = "heard_day"


class _Days(dict):
    """ISO dates as SQLite gives them (bytes) read as ``datetime.date``, each parsed once.

    Kept for the life of the process: it holds one entry per different day ever read, a few
    thousand for decades of cases."""

    def __missing__(self, text: bytes) -> datetime.date:
        day = self[text] = parse_date(text.decode())
        return day


_DAYS = _Days()
sqlite3.register_converter(DAY_CONVERTER, _DAYS.__getitem__)


def rows(queryset, names, decimals: tuple[int, ...] = ()) -> list[tuple] | list[list]:
    """The rows of ``queryset.values_list(*names)``, fetched with the database cursor directly
    (``decimals``: the positions of money, read as ``Decimal``)."""
    sqlite = connection.vendor == "sqlite"
    aliases = {}
    for i, name in enumerate(names):
        day = sqlite and _is_date(queryset.model, name)
        aliases[f"{DAY_CONVERTER}_{i}" if day else f"column_{i}"] = F(name)
    sql, params = queryset.values(**aliases).query.sql_with_params()
    for alias in aliases:
        if alias.startswith(DAY_CONVERTER):
            sql = sql.replace(f'AS "{alias}"', f'AS "{alias} [{DAY_CONVERTER}]"', 1)
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        found = cursor.fetchall()
    if not decimals or not found:
        return found
    money = itemgetter(*decimals)
    none = money((None,) * len(found[0]))
    result = []
    for row in found:
        if money(row) != none:  # checked in one step: most rows have no money at all
            row = list(row)
            for i in decimals:
                if row[i] is not None and not isinstance(row[i], Decimal):
                    row[i] = Decimal(str(row[i]))
        result.append(row)
    return result


def flat(queryset, name: str) -> list:
    """The values of one column."""
    return [row[0] for row in rows(queryset, (name,))]


def _is_date(model, name: str) -> bool:
    """Whether ``name`` (a field of ``model``, or a path such as ``part__number``) is a date."""
    *path, last = name.split("__")
    for step in path:
        model = model._meta.get_field(step).related_model
    field = model._meta.get_field(last)
    return isinstance(field, DateField) and not isinstance(field, DateTimeField)
