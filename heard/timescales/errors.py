"""Errors the timescale engine raises, each with a plain sentence a user can act on."""


class TimescaleError(ValueError):
    """Base class: something about a clock or a rule that cannot be done."""


class ExtensionNotAllowed(TimescaleError):
    """An extension asked for more time than the rule allows (or the rule allows none)."""


class UnknownRule(TimescaleError):
    """No rule is in force for that procedure and stage on that date."""


class OutOfRange(TimescaleError):
    """A date outside the years the calendar can count (1950 to 2100)."""
