"""Reading what someone typed into the search box: plain Python, no database.

A query becomes a list of :class:`Term`; a case matches when every term matches one of its
words (in any column, or in the one column a term is tied to). Dates, postcodes and telephone
numbers are recognised whole and turned into the compact words the index holds for them (see
``heard.search.documents.entry_words``), so "12/03/2010", "SW1A 1AA" and "07700 900 123" find
a date of birth, an address and a telephone number.
"""

from __future__ import annotations

import datetime
import re
from dataclasses import dataclass, field

from heard.people import matching

MAX_LENGTH = 200
_REFERENCE = re.compile(r"^[A-Za-z]{2,6}-\d{4}-\d{1,8}$")
_MONTHS = {
    name: number
    for number, names in enumerate(
        [
            ("jan", "january"), ("feb", "february"), ("mar", "march"), ("apr", "april"),
            ("may",), ("jun", "june"), ("jul", "july"), ("aug", "august"),
            ("sep", "sept", "september"), ("oct", "october"), ("nov", "november"),
            ("dec", "december"),
        ],
        start=1,
    )
    for name in names
}  # fmt: skip
_NUMERIC_DATE = re.compile(r"\b(\d{1,4})[/.\-](\d{1,2})[/.\-](\d{2,4})\b")
_WORDY_DATE = re.compile(r"\b(\d{1,2})(?:st|nd|rd|th)?\s+([A-Za-z]{3,9})\.?,?\s+(\d{4})\b")
_PHONE = re.compile(r"^[+()\d\s\-]+$")


@dataclass
class Term:
    """One thing the case must contain: the word typed, and other words that count too."""

    word: str
    #: Only this column ("dates", "address", "contact") or any column ("").
    column: str = ""
    #: Words starting with ``word`` count (all but the shortest words and fixed forms).
    prefix: bool = True
    #: Other words that count: names close to a misspelt one.
    alternatives: list[str] = field(default_factory=list)
    #: Whether a misspelling may be looked for among names.
    fuzzy: bool = False

    def words(self) -> list[str]:
        return [self.word, *self.alternatives]

    def matches(self, word: str) -> bool:
        if word == self.word or word in self.alternatives:
            return True
        return self.prefix and word.startswith(self.word)


@dataclass
class Query:
    text: str
    terms: list[Term]
    #: The text as a case reference, if it could be one ("cmp-2024-00012" → "CMP-2024-00012").
    reference: str = ""

    @property
    def is_empty(self) -> bool:
        return not self.terms and not self.reference


def _date(day: int, month: int, year: int) -> datetime.date | None:
    if year < 100:
        year += 2000 if year <= datetime.date.today().year % 100 else 1900
    try:
        return datetime.date(year, month, day)
    except ValueError:
        return None


def _take_dates(text: str) -> tuple[str, list[datetime.date]]:
    found = []

    def numeric(match):
        a, b, c = (int(g) for g in match.groups())
        day = _date(c, b, a) if len(match[1]) == 4 else _date(a, b, c)  # ISO or British
        if day is None:
            return match[0]
        found.append(day)
        return " "

    def wordy(match):
        month = _MONTHS.get(match[2].lower())
        day = _date(int(match[1]), month, int(match[3])) if month else None
        if day is None:
            return match[0]
        found.append(day)
        return " "

    text = _NUMERIC_DATE.sub(numeric, text)
    text = _WORDY_DATE.sub(wordy, text)
    return text, found


def parse(text: str) -> Query:
    # No control characters: they mean nothing here, and PostgreSQL text refuses NUL.
    text = "".join(c if c.isprintable() else " " for c in (text or "")).strip()[:MAX_LENGTH]
    query = Query(text=text, terms=[])
    if _REFERENCE.match(text):
        query.reference = text.upper()
    rest, dates = _take_dates(text)
    query.terms += [
        Term(day.isoformat().replace("-", ""), column="dates", prefix=False) for day in dates
    ]
    code = matching.postcode(rest)
    if code:
        query.terms.append(Term(code.replace(" ", "").lower(), column="address", prefix=False))
        rest = re.sub(
            re.escape(code.split()[0]) + r"\s*" + re.escape(code.split()[1]),
            " ",
            rest,
            flags=re.IGNORECASE,
        )
    if _PHONE.match(rest.strip()) and len(re.sub(r"\D", "", rest)) >= 6:
        query.terms.append(Term(matching.phone_key(rest.strip()), column="contact"))
        rest = ""
    for word in dict.fromkeys(matching.words(rest)):
        query.terms.append(
            Term(word, prefix=len(word) >= 3, fuzzy=len(word) >= 3 and word.isalpha())
        )
    return query
