"""Measures defined once: percentages, change on a previous year, medians and bands.

Percentages are rounded to whole numbers with halves rounded up (away from zero), as
councils' published tables do; Python's own ``round`` rounds halves to even, which would
make 2.5% show as 2%. Every percentage in a report says what it is a percentage of.
"""

from __future__ import annotations

import statistics
from collections.abc import Iterable
from decimal import ROUND_HALF_UP, Decimal

ROUNDING_NOTE = (
    "Percentages are rounded to the nearest whole number (halves rounded up), so they may not "
    "add up to 100."
)


def round_half_up(value: float | Decimal, places: int = 0) -> int | float:
    quantum = Decimal(1).scaleb(-places)
    rounded = Decimal(str(value)).quantize(quantum, rounding=ROUND_HALF_UP)
    return int(rounded) if places == 0 else float(rounded)


def percent(part: int | float, whole: int | float) -> int | None:
    """``part`` as a whole-number percentage of ``whole``; None when there is no whole."""
    if not whole:
        return None
    return round_half_up(Decimal(str(part)) * 100 / Decimal(str(whole)))


def change(previous: int | float | None, current: int | float | None) -> int | None:
    """Percentage change from ``previous`` to ``current`` (None when there was nothing before)."""
    if previous in (None, 0) or current is None:
        return None
    return round_half_up(
        (Decimal(str(current)) - Decimal(str(previous))) * 100 / Decimal(str(previous))
    )


def median(values: Iterable[int | float]) -> float | None:
    values = list(values)
    if not values:
        return None
    return round_half_up(statistics.median(values), 1)


def band(days: int, bands: list[tuple[str, int | None]]) -> str:
    """The label of the first band whose upper limit (inclusive) ``days`` does not pass;
    the last band has no limit (None)."""
    for label, upper in bands:
        if upper is None or days <= upper:
            return label
    raise ValueError("The last band must have no upper limit.")
