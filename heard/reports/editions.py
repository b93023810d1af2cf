"""Report editions: drafts that staff edit, then publish, frozen.

A draft edition is computed live from the case data each time it is shown, with the staff's
narrative in place of the drafted paragraphs, the case studies they chose and the custom
tables they added. Publishing computes it once more and stores the whole report as JSON in
``Edition.frozen``; from then on the edition is rendered from that JSON only, so corrections
to case data never change what was published. A correction is a new edition
(:func:`new_edition_from`), which starts as a draft with the same text and choices.

Every change is made here, in one transaction, with its audit event; two people editing the
same draft are kept apart by ``Edition.version`` (a stale version is refused, nothing is
overwritten).
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from django.db import transaction
from django.db.models import Max
from django.utils import timezone

from heard.audit import services as audit
from heard.reports import definitions
from heard.reports.document import Report, Section
from heard.reports.models import Edition, SavedTable
from heard.reports.render import json as report_json

#: The reports an edition can be made of, with their names as staff see them.
REPORTS = {
    "annual": "Annual report",
    "scrutiny": "Scrutiny committee report",
    "lgsco": "Complaint Handling Code annual report",
}
#: The title of the section an edition's custom tables are added in.
CUSTOM_SECTION_ID = "additional"
CUSTOM_SECTION_TITLE = "Additional tables"


class EditionRefused(ValueError):
    """The change makes no sense for the edition as it is (it is published…)."""


class EditionConflict(Exception):
    """Someone else saved the edition after the user opened it."""


# Computing a report ---------------------------------------------------------------------------


def _base(
    kind: str,
    year: int,
    *,
    publication: bool,
    case_studies: list[int] | None,
    outcome_basis: str = definitions.DEFAULT_OUTCOME_BASIS,
    leave_out: Iterable[str] = (),
) -> Report:
    """The report as computed from the data, before any edition's text is applied (in
    publication mode the builders suppress small numbers themselves)."""
    if kind == "annual":
        from heard.reports import annual

        return annual.build(
            year,
            publication=publication,
            case_studies=case_studies,
            outcome_basis=outcome_basis,
            leave_out=leave_out,
        )
    if kind == "scrutiny":
        from heard.reports import scrutiny

        return scrutiny.build(year, publication, outcome_basis)
    if kind == "lgsco":
        from heard.reports import lgsco_code

        return lgsco_code.build(year, publication, outcome_basis)
    raise EditionRefused(f"There is no report called {kind!r}.")


def _edition_base(edition: Edition) -> Report:
    return _base(
        edition.report,
        edition.year,
        publication=edition.publication,
        case_studies=edition.case_studies or None,
        outcome_basis=edition.outcome_basis,
        leave_out=edition.sections_off or (),
    )


def annual_report(year: int, *, publication: bool) -> Report:
    """The annual report for a year, live, as anyone may see it (no edition's text): kept
    until the data changes, so that its page, its charts and its downloads compute it once."""
    from heard.reports import cache

    return cache.computed(
        "annual",
        (year, publication),
        lambda: _base("annual", year, publication=publication, case_studies=None),
    )


def drafts(edition: Edition) -> dict[str, Section]:
    """The sections of the edition's report with their drafted paragraphs, by section id."""
    report = _edition_base(edition)
    return {section.id: section for section in report.sections}


def compute(edition: Edition) -> Report:
    """The edition's report as it would be published now."""
    report = _edition_base(edition)
    for section in report.sections:
        text = (edition.narrative or {}).get(section.id, "")
        if text.strip():
            section.narrative = text
    tables = [
        _custom_table(saved, edition.year, edition.outcome_basis)
        for saved in edition.custom_tables.all()
    ]
    if edition.publication:
        from heard.reports.suppression import suppress_table

        tables = [suppress_table(table) for table in tables]
    if tables:
        report.sections.append(
            Section(
                id=CUSTOM_SECTION_ID,
                title=CUSTOM_SECTION_TITLE,
                narrative=(edition.narrative or {}).get(CUSTOM_SECTION_ID, ""),
                tables=tables,
            )
        )
    report.edition = describe(edition)
    return report


def _custom_table(saved: SavedTable, year: int, outcome_basis: str):
    from heard.reports import custom

    # A saved table is shown for the edition's year (with the same years before it), on the
    # edition's outcome basis.
    spec = custom_spec({**saved.spec, "year": year, "name": saved.name})
    table = custom.build(spec, outcome_basis=outcome_basis)
    table.id = f"{CUSTOM_SECTION_ID}.{saved.pk}"
    return table


def custom_spec(data: dict):
    """A saved table's definition as a ``heard.reports.custom.TableSpec``."""
    from heard.reports import custom

    spec_class = custom.TableSpec
    if hasattr(spec_class, "model_validate"):
        return spec_class.model_validate(data)
    if hasattr(spec_class, "from_dict"):
        return spec_class.from_dict(data)
    return spec_class(**data)


def describe(edition: Edition) -> dict[str, Any]:
    """What a rendered report says about the edition it is (no names of staff)."""
    return {
        "id": edition.pk,
        "report": edition.report,
        "year": edition.year,
        "number": edition.number,
        "status": edition.status,
        "publication": edition.publication,
        "outcome_basis": edition.outcome_basis,
        "sections_off": list(edition.sections_off or []),
        "published_at": (
            edition.published_at.isoformat(timespec="seconds") if edition.published_at else None
        ),
    }


def render(edition: Edition) -> Report:
    """A published edition from its frozen JSON; a draft computed live."""
    if edition.is_published and edition.frozen:
        return Report.from_dict(edition.frozen)
    return compute(edition)


# Changing an edition --------------------------------------------------------------------------


def _locked(edition: Edition, version: int | None = None) -> Edition:
    """The edition re-read under a row lock; refused if published or if ``version`` is stale."""
    current = Edition.objects.select_for_update().get(pk=edition.pk)
    if current.is_published:
        raise EditionRefused(
            f"Edition {current.number} was published on "
            f"{timezone.localtime(current.published_at):%-d %B %Y} and cannot be changed. "
            "Make a new edition to correct it."
        )
    if version is not None and current.version != version:
        raise EditionConflict(
            "Someone else saved this edition after you opened it, so your changes were not "
            "saved. Their changes are shown below: make yours again."
        )
    return current


def _saved(current: Edition, edition: Edition, fields: list[str]) -> Edition:
    current.version += 1
    current.save(update_fields=[*fields, "version"])
    for name in [*fields, "version"]:
        setattr(edition, name, getattr(current, name))
    return current


@transaction.atomic
def create_edition(
    report: str,
    year: int,
    user,
    publication: bool = True,
    outcome_basis: str = definitions.DEFAULT_OUTCOME_BASIS,
) -> Edition:
    """A new draft edition of a report for a year, numbered after the last one."""
    if report not in REPORTS:
        raise EditionRefused(f"There is no report called {report!r}.")
    if outcome_basis not in definitions.OUTCOME_BASES:
        raise EditionRefused(f"There is no outcome basis called {outcome_basis!r}.")
    last = Edition.objects.filter(report=report, year=year).aggregate(n=Max("number"))["n"]
    edition = Edition.objects.create(
        report=report,
        year=year,
        number=(last or 0) + 1,
        publication=publication,
        outcome_basis=outcome_basis,
        created_by=user,
    )
    audit.record_created("report.edition.created", edition, user=user)
    return edition


def _clean(text: str) -> str:
    return "\n".join(line.rstrip() for line in (text or "").replace("\r\n", "\n").split("\n"))


@transaction.atomic
def update_narratives(edition: Edition, texts: dict[str, str], user, version: int) -> Edition:
    """Save the staff's text for several sections at once (text equal to the drafted
    paragraph, or empty, means: use the drafted paragraph)."""
    current = _locked(edition, version)
    narrative = dict(current.narrative or {})
    changes = []
    for section_id, text in texts.items():
        text = _clean(text).strip()
        old = narrative.get(section_id, "")
        if text == old:
            continue
        if text:
            narrative[section_id] = text
        else:
            narrative.pop(section_id, None)
        changes.append({"field": f"narrative.{section_id}", "old": old, "new": text})
    if not changes:
        return edition
    current.narrative = narrative
    _saved(current, edition, ["narrative"])
    audit.record("report.narrative.updated", user=user, obj=current, changes=changes)
    return edition


def update_narrative(edition: Edition, section_id: str, text: str, user, version: int) -> Edition:
    """Save the staff's text for one section (see :func:`update_narratives`)."""
    return update_narratives(edition, {section_id: text}, user, version)


@transaction.atomic
def choose_case_studies(
    edition: Edition, case_ids: Iterable[int], user, version: int | None = None
) -> Edition:
    """The cases whose (publishable) case studies the edition prints; none: every one."""
    current = _locked(edition, version)
    chosen = sorted({int(pk) for pk in case_ids})
    old = list(current.case_studies or [])
    if chosen == sorted(old):
        return edition
    current.case_studies = chosen
    _saved(current, edition, ["case_studies"])
    audit.record(
        "report.case_studies.chosen",
        user=user,
        obj=current,
        changes=[{"field": "case_studies", "old": old, "new": chosen}],
    )
    return edition


@transaction.atomic
def update_settings(
    edition: Edition, outcome_basis: str, sections_off: Iterable[str], user, version: int
) -> Edition:
    """Choose the edition's outcome basis and the sections it leaves out."""
    if outcome_basis not in definitions.OUTCOME_BASES:
        raise EditionRefused(f"There is no outcome basis called {outcome_basis!r}.")
    current = _locked(edition, version)
    off = sorted(set(sections_off))
    changes = []
    if current.outcome_basis != outcome_basis:
        changes.append({"field": "outcome_basis", "old": current.outcome_basis,
                        "new": outcome_basis})  # fmt: skip
    if sorted(current.sections_off or []) != off:
        changes.append({"field": "sections_off", "old": current.sections_off or [], "new": off})
    if not changes:
        return edition
    current.outcome_basis = outcome_basis
    current.sections_off = off
    _saved(current, edition, ["outcome_basis", "sections_off"])
    audit.record("report.edition.settings_changed", user=user, obj=current, changes=changes)
    return edition


@transaction.atomic
def add_custom_table(edition: Edition, saved_table: SavedTable, user) -> Edition:
    current = _locked(edition)
    if current.custom_tables.filter(pk=saved_table.pk).exists():
        return edition
    current.custom_tables.add(saved_table)
    _saved(current, edition, [])
    audit.record(
        "report.edition.table_added", user=user, obj=current, note=f"Table: {saved_table.name}"
    )
    return edition


@transaction.atomic
def remove_custom_table(edition: Edition, saved_table: SavedTable, user) -> Edition:
    current = _locked(edition)
    if not current.custom_tables.filter(pk=saved_table.pk).exists():
        return edition
    current.custom_tables.remove(saved_table)
    _saved(current, edition, [])
    audit.record(
        "report.edition.table_removed", user=user, obj=current, note=f"Table: {saved_table.name}"
    )
    return edition


@transaction.atomic
def publish(edition: Edition, user, version: int | None = None) -> Edition:
    """Compute the edition once more and freeze it: its figures and text never change after."""
    current = _locked(edition, version)
    current.status = Edition.Status.PUBLISHED
    current.published_at = timezone.now()
    current.published_by = user
    report = compute(current)
    current.frozen = report_json.data(report)
    _saved(current, edition, ["status", "published_at", "published_by", "frozen"])
    audit.record(
        "report.edition.published",
        user=user,
        obj=current,
        note=f"{REPORTS.get(current.report, current.report)} {current.year}, "
        f"edition {current.number}",
    )
    return edition


@transaction.atomic
def new_edition_from(edition: Edition, user) -> Edition:
    """The next edition of the same report and year, as a draft with the same narrative, case
    studies, custom tables and publication mode; its figures are computed afresh."""
    source = Edition.objects.get(pk=edition.pk)
    last = Edition.objects.filter(report=source.report, year=source.year).aggregate(
        n=Max("number")
    )["n"]
    new = Edition.objects.create(
        report=source.report,
        year=source.year,
        number=(last or 0) + 1,
        publication=source.publication,
        outcome_basis=source.outcome_basis,
        sections_off=list(source.sections_off or []),
        narrative=dict(source.narrative or {}),
        case_studies=list(source.case_studies or []),
        created_by=user,
    )
    new.custom_tables.set(source.custom_tables.all())
    audit.record(
        "report.edition.created",
        user=user,
        obj=new,
        note=f"Edition {new.number}, from edition {source.number}",
    )
    return new
