"""The values an import file declares in its header: vocabulary values (``taxonomies``),
service areas and localities.

A file that declares a value says what it is called, so Heard creates every declared value it
lacks, with the file's words, and lists them before anything is imported; a value a case uses
that the file does not declare and Heard does not know is a problem (see docs/decisions/0038).
A declared value Heard already has under other words takes the file's words (a council's
"Substantiated" for *upheld*), listed as a renaming in the same way.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field

from pydantic import ValidationError

from heard.exchange.problems import Problem
from heard.exchange.schema import LocalityRecord, ServiceAreaRecord, TermRecord
from heard.taxonomy.models import Locality, ServiceArea, Term, Vocabulary

LEVELS = {"directorate": 0, "service": 1, "team": 2}


@dataclass
class Declared:
    """What the header adds to Heard, unsaved until the import is written."""

    #: (vocabulary, code) → the file's record, for every declared value.
    terms: dict[tuple[str, str], TermRecord] = field(default_factory=dict)
    new_terms: list[Term] = field(default_factory=list)
    #: (term, the file's label) for values Heard has under other words.
    renamed: list[tuple[Term, str]] = field(default_factory=list)
    new_areas: list[ServiceArea] = field(default_factory=list)
    new_localities: list[Locality] = field(default_factory=list)
    problems: list[Problem] = field(default_factory=list)

    def listing(self) -> list[str]:
        """Each value to be created or renamed, as the preview and the command list them."""
        lines = [f"{t.vocabulary}: {t.code} ({t.label})" for t in self.new_terms]
        lines += [f"{a.level}: {a.code} ({a.name})" for a in self.new_areas]
        lines += [f"locality: {loc.code} ({loc.name})" for loc in self.new_localities]
        return lines

    def renamings(self) -> list[str]:
        return [
            f"{t.vocabulary}: {t.code} from {t.label!r} to {label!r}" for t, label in self.renamed
        ]


def _records(model, rows: Iterable[dict], where: str, problems: list[Problem]) -> list:
    records = []
    for i, raw in enumerate(rows, 1):
        try:
            records.append(model.model_validate(raw))
        except ValidationError as error:
            for item in error.errors():
                name = ".".join(str(p) for p in item["loc"])
                code = raw.get("code") if isinstance(raw, dict) else None
                place = f"{where} {i}" + (f" ({code})" if isinstance(code, str) else "")
                problems.append(Problem(place, name, item["msg"]))
    return records


def check(
    terms: dict[tuple[str, str], Term],
    areas: dict[str, ServiceArea],
    localities: dict[str, Locality],
    *,
    declared_terms: Iterable[dict] = (),
    declared_areas: Iterable[dict] = (),
    declared_localities: Iterable[dict] = (),
) -> Declared:
    """Check the header against what Heard has (``terms``, ``areas`` and ``localities``, which
    gain the new values so that the cases can use them)."""
    out = Declared()
    vocabularies = set(Vocabulary.values)
    for i, record in enumerate(_records(TermRecord, declared_terms, "taxonomies", out.problems), 1):
        key = (record.vocabulary, record.code)
        if record.vocabulary not in vocabularies:
            out.problems.append(Problem(
                f"taxonomies {i} ({record.code})", "vocabulary",
                f"{record.vocabulary!r} is not a vocabulary of Heard's (one of: "
                f"{', '.join(sorted(vocabularies))})",
            ))  # fmt: skip
            continue
        if key in out.terms:
            out.problems.append(Problem(
                f"taxonomies {i} ({record.code})", "code",
                f"the file declares {record.vocabulary} {record.code!r} twice",
            ))  # fmt: skip
            continue
        out.terms[key] = record
        if key in terms:
            if terms[key].label != record.label:
                out.renamed.append((terms[key], record.label))
            continue
        term = Term(
            vocabulary=record.vocabulary, code=record.code, label=record.label,
            active=record.active, order=999 if record.order is None else record.order,
        )  # fmt: skip
        terms[key] = term
        out.new_terms.append(term)
    area_records = _records(ServiceAreaRecord, declared_areas, "service_areas", out.problems)
    for record in sorted(area_records, key=lambda r: LEVELS[r.level]):  # parents first
        if record.code in areas:
            continue
        parent = areas.get(record.parent) if record.parent else None
        if record.parent and parent is None:
            out.problems.append(Problem(
                f"service area {record.code}", "parent",
                f"no directorate or service {record.parent!r} in the file or in Heard",
            ))  # fmt: skip
        area = ServiceArea(
            code=record.code, name=record.name, level=record.level, parent=parent,
            order=record.order or 0,
        )  # fmt: skip
        areas[area.code] = area
        out.new_areas.append(area)
    for record in _records(LocalityRecord, declared_localities, "localities", out.problems):
        if record.code not in localities:
            localities[record.code] = Locality(code=record.code, name=record.name)
            out.new_localities.append(localities[record.code])
    return out
