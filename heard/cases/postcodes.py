"""UK postcodes, written one way: capitals, one space before the last three characters
("sw1a1aa" → "SW1A 1AA"), so that the same postcode always reads and matches the same."""

from __future__ import annotations

import re

from django.core.exceptions import ValidationError

_FULL = re.compile(r"^([A-Z]{1,2}[0-9][A-Z0-9]?)([0-9][A-Z]{2})$")

MESSAGE = "Enter a real postcode, like SW1A 1AA"


def normalise(value: str) -> str:
    """The postcode written the standard way; "" for nothing. Raises ``ValidationError``
    with a plain message for something that is not a UK postcode."""
    squeezed = re.sub(r"\s+", "", value or "").upper()
    if not squeezed:
        return ""
    match = _FULL.match(squeezed)
    if not match:
        raise ValidationError({"complainant_postcode": MESSAGE})
    return f"{match.group(1)} {match.group(2)}"


def normalise_or_none(value: str) -> str | None:
    """The postcode written the standard way, or None if it is not one."""
    try:
        return normalise(value)
    except ValidationError:
        return None
