"""Publication mode for any report: what may leave the building.

- Tables: small numbers suppressed (``heard.reports.suppression``).
- Drafted paragraphs: they are written from the unsuppressed figures, so any sentence that
  states a count from 1 to the threshold (in figures or in words) is left out in publication
  mode. Staff write what they want published in an
  edition's narrative, which replaces the draft.
- Free text: sections only ever give text marked publishable (quotes, lessons, case studies);
  names and case summaries never reach a report.
"""

from __future__ import annotations

import re

from heard.reports.document import Report
from heard.reports.suppression import suppress, threshold_setting

_NUMBER_WORDS = {
    "one": 1, "two": 2, "three": 3, "four": 4, "five": 5,
    "six": 6, "seven": 7, "eight": 8, "nine": 9, "ten": 10,
}  # fmt: skip
_SENTENCE = re.compile(r"(?<=[.!?])\s+")
#: A whole number (thousands separators allowed) that is not part of a year range or a date.
_INTEGER = re.compile(r"(?<![\d,.\-/])(\d{1,3}(?:,\d{3})*|\d+)(?![\d\-/]|,\d)(%?)")


def reveals_small_number(sentence: str, threshold: int) -> bool:
    """True if the sentence states a count from 1 to ``threshold`` (a percentage is not a
    count: "5%" is kept)."""
    for match in _INTEGER.finditer(sentence):
        value, percent = int(match.group(1).replace(",", "")), match.group(2)
        if not percent and 1 <= value <= threshold:
            return True
    words = re.findall(r"[a-z]+", sentence.lower())
    return any(1 <= _NUMBER_WORDS.get(word, 0) <= threshold for word in words)


def redact(text: str, threshold: int) -> str:
    """``text`` without the sentences that :func:`reveals_small_number`."""
    kept = [
        s for s in _SENTENCE.split(text.strip()) if s and not reveals_small_number(s, threshold)
    ]
    return " ".join(kept)


def for_publication(report: Report, threshold: int | None = None) -> Report:
    """A copy of ``report`` fit to publish: suppressed tables and redacted drafts."""
    threshold = threshold_setting() if threshold is None else threshold
    published = suppress(report, threshold)
    for section in published.sections:
        section.narrative = redact(section.narrative, threshold)
    return published
