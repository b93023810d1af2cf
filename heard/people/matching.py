"""How Heard tells whether two mentions of a person are the same person: plain Python, no
database, so that the data migration, the bulk writers, the "log a case" suggestions and the
search index all normalise names, postcodes, phones and e-mail addresses the same way.

Two mentions are taken to be the same person *automatically* only when the normalised name is
the same and at least one identifier agrees (e-mail, telephone, postcode or date of birth); a
name alone is never enough, as two parents can share a name. Representatives (MPs,
councillors, advocates, solicitors) are public in their role, so their name and the kind of
representative are enough. Anything weaker is only ever a *suggestion* that an officer accepts
or not.
"""

from __future__ import annotations

import re
import unicodedata

#: Words that are not part of who someone is.
_TITLES = frozenset(
    ["mr", "mrs", "ms", "miss", "mx", "dr", "prof", "sir", "dame", "rev", "cllr", "councillor",
     "mp", "rt", "hon", "the"]
)  # fmt: skip
#: A UK postcode anywhere in an address ("SW1A 1AA", "de221ab").
_POSTCODE = re.compile(r"\b([A-Z]{1,2}[0-9][A-Z0-9]?)\s*([0-9][A-Z]{2})\b", re.IGNORECASE)
_WORD = re.compile(r"[a-z0-9]+")


def fold(text: str) -> str:
    """Lower case without accents: "Zoë O'Brien" → "zoe o'brien"."""
    if not text or text.isascii():
        return (text or "").lower()
    decomposed = unicodedata.normalize("NFKD", text)
    return "".join(c for c in decomposed if not unicodedata.combining(c)).casefold()


def words(text: str) -> list[str]:
    """The searchable words of a text: folded, split on anything not a letter or digit."""
    return _WORD.findall(fold(text))


def name_key(name: str) -> str:
    """A name as compared: folded words without titles; "Mrs Zoë O'Brien" → "zoe o brien"."""
    return " ".join(w for w in words(name) if w not in _TITLES)


def postcode(text: str) -> str:
    """The last UK postcode in an address, written the standard way ("SW1A 1AA"), or ""."""
    found = _POSTCODE.findall(text or "")
    if not found:
        return ""
    outward, inward = found[-1]
    return f"{outward.upper()} {inward.upper()}"


def phone_key(phone: str) -> str:
    """A telephone number as digits, +44 written as 0; "" if too short to mean anything."""
    digits = re.sub(r"\D", "", phone or "")
    if digits.startswith("44") and (phone or "").lstrip().startswith("+"):
        digits = "0" + digits[2:]
    return digits if len(digits) >= 6 else ""


def email_key(email: str) -> str:
    return (email or "").strip().casefold()


def identifiers(*, email="", phone="", address="", postcode_value="", date_of_birth=None) -> set:
    """The identifiers of a mention, each tagged with what it is."""
    found = set()
    if email_key(email):
        found.add(("email", email_key(email)))
    if phone_key(phone):
        found.add(("phone", phone_key(phone)))
    code = postcode_value or postcode(address)
    if code:
        found.add(("postcode", code.replace(" ", "")))
    if date_of_birth:
        found.add(("dob", str(date_of_birth)))
    return found


def trigrams(word: str) -> set[str]:
    """pg_trgm's trigrams of one word: padded with two spaces before and one after."""
    padded = f"  {word} "
    return {padded[i : i + 3] for i in range(len(padded) - 2)}


def similarity(a: str, b: str) -> float:
    """pg_trgm's ``similarity`` for single words: shared trigrams over all trigrams."""
    ta, tb = trigrams(a), trigrams(b)
    if not ta or not tb:
        return 0.0
    return len(ta & tb) / len(ta | tb)
