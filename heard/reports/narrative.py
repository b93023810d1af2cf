"""Drafted paragraphs, generated from the figures, for staff to edit before publishing.

Sentences are short and plain, say what changed on last year, name the largest categories and
what was late. They are drafts: an edition keeps the staff's own text in their place.
"""

from __future__ import annotations

from heard.reports.context import ReportContext
from heard.reports.document import Table


def plural(n: int, one: str, many: str | None = None) -> str:
    return f"{n:,} {one if n == 1 else (many or one + 's')}"


def join(words: list[str]) -> str:
    """ "a", "a and b", "a, b and c"."""
    if len(words) <= 1:
        return "".join(words)
    return ", ".join(words[:-1]) + " and " + words[-1]


#: Row keys that are not a category of anything: drafted sentences never name them as the
#: largest ("the largest number was in Not recorded" says nothing).
NOT_A_CATEGORY = {"not-recorded", "not_recorded", "unknown"}


def direction(previous: int, current: int) -> str:
    if current > previous:
        return "up from"
    if current < previous:
        return "down from"
    return "the same as"


def change_sentences(table: Table, ctx: ReportContext, limit: int = 4) -> str:
    """ "292 complaints were received in 2017-18, up from 189 in 2016-17 (54%)." for the
    rows of a year-by-year table with the most cases this year."""
    this, last = ctx.year.key, ctx.previous.key
    rows = [r for r in table.rows if not r.total and isinstance(r.cells.get(this), int)]
    rows = sorted(rows, key=lambda r: -r.cells[this])[:limit]
    sentences = []
    for row in rows:
        current, previous = row.cells[this], row.cells.get(last) or 0
        if not current and not previous:
            continue
        sentence = (
            f"{row.label}: {current:,} in {ctx.year.label}, "
            f"{direction(previous, current)} {previous:,} in {ctx.previous.label}"
        )
        pct = row.cells.get("change")
        if isinstance(pct, int) and current != previous:
            sentence += f" ({abs(pct)}% {'more' if pct > 0 else 'fewer'})"
        sentences.append(sentence + ".")
    return " ".join(sentences)


def largest(table: Table, column: str, noun: str, limit: int = 3) -> str:
    """ "The largest were X (96), Y (59) and Z (49)." from a table's count column."""
    rows = [
        r
        for r in table.rows
        if not r.total and isinstance(r.cells.get(column), int) and r.key not in NOT_A_CATEGORY
    ]
    rows = [r for r in sorted(rows, key=lambda r: -r.cells[column]) if r.cells[column]][:limit]
    if not rows:
        return f"There were no {noun} to report."
    parts = [f"{r.label} ({r.cells[column]:,})" for r in rows]
    listed = parts[0] if len(parts) == 1 else ", ".join(parts[:-1]) + " and " + parts[-1]
    return f"The largest numbers of {noun} were: {listed}."
