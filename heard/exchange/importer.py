"""Importing cases in the exchange format (from JSON, or from the flat CSV and XLSX templates
after ``flat.py`` has turned their rows into the same records).

Everything is checked before anything is written: the structure of each case (pydantic), every
vocabulary code, team, locality, username and linked reference, and the sense of the dates.
A file with any problem changes nothing and every problem is reported with where it is, the
field and a plain reason. Cases whose reference is already in Heard are left as they are, so
importing the same file twice changes nothing. The import is one transaction, written in bulk.

The cases are gone through twice, one at a time: first to check them all (keeping only their
references, links and problems), then, if there was no problem, to write them in one
transaction, a few thousand at a time. So a file of 100,000 cases is never held in memory
whole, and the number of queries does not grow with the number of cases.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from typing import Any

from django.db import transaction
from pydantic import ValidationError

from heard.accounts.models import User
from heard.audit import services as audit
from heard.cases import clocks
from heard.cases.bulk import BulkWriter, set_links
from heard.cases.independence import later_stages_answered_by_stage_one
from heard.cases.models import (
    Action,
    Case,
    Extension,
    Learning,
    Part,
    Restriction,
    Suspension,
)
from heard.cases.postcodes import MESSAGE as POSTCODE_MESSAGE
from heard.cases.postcodes import normalise_or_none
from heard.deadlines.calendar import council_calendar
from heard.deadlines.models import CalendarSettings
from heard.exchange import context_figures, declared
from heard.exchange.problems import Problem
from heard.exchange.schema import CaseRecord, StageRecord
from heard.taxonomy.models import Locality, ServiceArea, Term
from heard.timescales import TimescaleError
from heard.timescales.rules import RULES

#: Cases written at a time: enough for few queries, few enough to keep memory small.
CHUNK = 2000

#: Which vocabulary each coded field of a case record uses.
CASE_CODES = {
    "channel": "channel",
    "representative_type": "representative_type",
    "enquiry_source": "enquiry_source",
}


#: Procedures Heard keeps clocks for: a stage of one whose due dates cannot be computed is a
#: problem (a procedure with no timescale in Heard has no due dates, as on screen).
TIMED_PROCEDURES = frozenset(rule.procedure for rule in RULES)

#: What to do about a value a case uses that neither Heard nor the file's header has.
UNDECLARED_HINT = (
    "declare it in the file's {where} with its {what}, or import with --create-missing "
    '("Create vocabulary values, teams and localities" on the import page)'
)


class ImportFailed(Exception):
    def __init__(self, problems: list[Problem]):
        self.problems = problems
        super().__init__(f"{len(problems)} problem(s); nothing was imported.")


@dataclass
class ImportResult:
    created: int = 0
    unchanged: int = 0
    #: Every value the import adds: declared in the file, or (with create_missing) made up.
    created_terms: list[str] = field(default_factory=list)
    #: Values Heard has that the file's header gives other words for, and will take them.
    renamed_terms: list[str] = field(default_factory=list)
    #: The first new cases, for the upload page's preview.
    sample: list[CaseRecord] = field(default_factory=list)
    #: New context figures (those already in Heard with the same value are left alone).
    context_figures: int = 0


class _Resolver:
    """Looks up codes and usernames, recording a problem (or, when asked, a new term) for each
    one that Heard does not know."""

    def __init__(self, create_missing: bool):
        self.create_missing = create_missing
        self.terms = {(t.vocabulary, t.code): t for t in Term.objects.all()}
        self.areas = {a.code: a for a in ServiceArea.objects.all()}
        self.localities = {loc.code: loc for loc in Locality.objects.all()}
        self.users = {u.username: u for u in User.objects.all()}
        #: Who had an account before the import (a restriction may name only them).
        self.existing_users = set(self.users)
        self.new_terms: dict[tuple[str, str], Term] = {}
        self.new_users: list[User] = []
        self.created_areas: list[ServiceArea] = []
        self.created_localities: list[Locality] = []
        self.calendar = council_calendar()
        self.stage2_clock_start = CalendarSettings.current().stage2_clock_start
        self.problems: list[Problem] = []

    def term(self, vocabulary: str, code: str | None, where: str, field_name: str):
        if code is None or code == "":
            return None
        key = (vocabulary, code)
        if key in self.terms:
            return self.terms[key]
        if key in self.new_terms:
            return self.new_terms[key]
        if self.create_missing:
            self.new_terms[key] = Term(
                vocabulary=vocabulary, code=code, label=code.replace("-", " ").capitalize(),
                order=999,
            )  # fmt: skip
            return self.new_terms[key]
        self.problems.append(self._problem(where, field_name, (
            f"{code!r} is not a {vocabulary.replace('_', ' ')} code Heard knows or the file "
            "declares: " + UNDECLARED_HINT.format(where='"taxonomies"', what="label")
        )))  # fmt: skip
        return None

    @staticmethod
    def _problem(where: str, field_name: str, reason: str) -> Problem:
        return Problem(where, field_name, reason, reference=_reference_in(where))

    def area(self, code, where):
        if code is None:
            return None
        if code not in self.areas and self.create_missing:
            area = ServiceArea(code=code, name=code.replace("-", " ").capitalize(), level="team")
            self.areas[code] = area
            self.created_areas.append(area)
        if code not in self.areas:
            self.problems.append(self._problem(where, "service_area", (
                f"no team or service {code!r} in Heard or the file: "
                + UNDECLARED_HINT.format(where='"service_areas"', what="name and level")
            )))  # fmt: skip
        return self.areas.get(code)

    def locality(self, code, where):
        if code is None:
            return None
        if code not in self.localities and self.create_missing:
            self.localities[code] = Locality(code=code, name=code.replace("-", " ").capitalize())
            self.created_localities.append(self.localities[code])
        if code not in self.localities:
            self.problems.append(self._problem(where, "locality", (
                f"no locality {code!r} in Heard or the file: "
                + UNDECLARED_HINT.format(where='"localities"', what="name")
            )))  # fmt: skip
        return self.localities.get(code)

    def user(self, username, where, field_name):
        if not username:
            return None
        if username not in self.users and self.create_missing:
            # A placeholder for someone named in the old system: switched off, and with no
            # password, until an administrator completes the account.
            placeholder = User(username=username, is_active=False)
            placeholder.set_unusable_password()
            self.users[username] = placeholder
            self.new_users.append(placeholder)
        if username not in self.users:
            self.problems.append(self._problem(where, field_name, (
                f"no Heard user {username!r}: add the user first, or import with "
                "--create-missing to add a switched-off placeholder"
            )))  # fmt: skip
        return self.users.get(username)

    def restricted_to(self, record: CaseRecord, where: str) -> list[User]:
        """The people a restricted case is restricted to. Each must already have an account
        in Heard: a restriction is a promise about who may read the case, so it is never
        pointed at a placeholder made up by ``--create-missing`` (decision 0029)."""
        restriction = record.restriction
        if restriction is None:
            return []
        people = []
        for username in restriction.people:
            if username in self.existing_users:
                people.append(self.users[username])
                continue
            self.problems.append(
                Problem(
                    where,
                    "restriction.people",
                    f"no Heard user {username!r}: the case is restricted to them, and a case "
                    "can be restricted only to people who already have an account in Heard "
                    "(create it first; --create-missing does not create it)",
                )
            )
        return people


def _reference_in(where: str) -> str:
    """The reference in a place such as "case 3 (CMP-2017-00003)"."""
    if where.endswith(")") and " (" in where:
        return where[where.index(" (") + 2 : -1]
    return ""


def _named(where: str, raw: object) -> str:
    """``where`` with the case's reference, when the raw case has one that can be read (so
    that a case the schema refuses is still named by its reference)."""
    reference = raw.get("reference") if isinstance(raw, dict) else None
    if isinstance(reference, str) and reference.strip():
        return f"{where} ({reference.strip()[:60]})"
    return where


def _validation_problems(error: ValidationError, where: str) -> list[Problem]:
    problems = []
    for item in error.errors():
        path = ".".join(str(p) for p in item["loc"])
        problems.append(Problem(where, path, item["msg"], reference=_reference_in(where)))
    return problems


def _check_sense(record: CaseRecord, where: str) -> list[Problem]:
    problems = _sense(record, where)
    return [Problem(p.where, p.field, p.reason, reference=record.reference) for p in problems]


def _sense(record: CaseRecord, where: str) -> list[Problem]:
    problems = []
    numbers = [p.number for p in record.parts]
    if len(set(numbers)) != len(numbers):
        problems.append(Problem(where, "parts", "two parts have the same number"))
    stage_numbers = [s.number for s in record.stages]
    if len(set(stage_numbers)) != len(stage_numbers):
        problems.append(Problem(where, "stages", "two stages have the same number"))
    if record.status == "closed" and record.closed_on is None:
        problems.append(Problem(where, "closed_on", "a closed case needs the date it closed"))
    if record.closed_on and record.closed_on < record.received_on:
        problems.append(Problem(where, "closed_on", "before the case was received"))
    for i, stage in enumerate(record.stages):
        if stage.responded_on and stage.responded_on < stage.requested_on:
            problems.append(
                Problem(where, f"stages.{i}.responded_on", "before the stage was asked for")
            )
        unknown = set(stage.findings) - set(numbers)
        if unknown:
            problems.append(
                Problem(where, f"stages.{i}.findings", f"no part numbered {min(unknown)}")
            )
    if record.restriction is not None:
        problems.extend(_restriction_sense(record, where))
    responders = {s.number: s.responder for s in record.stages}
    for number in later_stages_answered_by_stage_one(responders):
        problems.append(
            Problem(
                where,
                f"stages.{stage_numbers.index(number)}.responder",
                f"{responders[number]} answered Stage 1, so cannot respond to Stage {number}",
            )
        )
    return problems


def _restriction_sense(record: CaseRecord, where: str) -> list[Problem]:
    """As on the screens: whoever the case is allocated to and whoever answers its stages must
    be among the people it is restricted to."""
    named = set(record.restriction.people)
    problems = []
    if len(named) != len(record.restriction.people):
        problems.append(Problem(where, "restriction.people", "a person is named twice"))
    if record.allocated_to and record.allocated_to not in named:
        problems.append(
            Problem(
                where,
                "restriction.people",
                f"the case is allocated to {record.allocated_to}, who is not one of the people "
                "it is restricted to",
            )
        )
    for stage in record.stages:
        if stage.responder and stage.responder not in named:
            problems.append(
                Problem(
                    where,
                    "restriction.people",
                    f"{stage.responder} answers Stage {stage.number}, but is not one of the "
                    "people the case is restricted to",
                )
            )
    return problems


@dataclass
class _Checked:
    """What checking keeps of the cases: little for each."""

    problems: list[Problem] = field(default_factory=list)
    new: set[str] = field(default_factory=set)
    unchanged: int = 0
    #: (where, linked reference) for each new case with a link.
    links: list[tuple[str, str]] = field(default_factory=list)
    sample: list[CaseRecord] = field(default_factory=list)


def import_records(
    raw_cases: Iterable[tuple[str, dict]],
    *,
    declared_terms: Iterable[dict] = (),
    declared_areas: Iterable[dict] = (),
    declared_localities: Iterable[dict] = (),
    declared_context_figures: Iterable[dict] = (),
    create_missing: bool = False,
    actor: str = "Import",
    progress: Callable[[int], None] | None = None,
    dry_run: bool = False,
) -> ImportResult:
    """Import cases given as (where, raw dict) pairs; ``where`` names the case in problems
    (for example "case 12" or "row 14"). Raises ``ImportFailed`` and writes nothing if any
    case has a problem. With ``dry_run`` it checks everything and writes nothing (the
    upload page's preview).

    The cases are gone through twice (check, then write): give a list, or an object that
    reads them afresh each time it is iterated (``files.JsonCases``); a one-off iterator is
    first kept in a list."""
    if iter(raw_cases) is raw_cases:
        raw_cases = list(raw_cases)
    resolver = _Resolver(create_missing)
    header = declared.check(
        resolver.terms, resolver.areas, resolver.localities,
        declared_terms=declared_terms, declared_areas=declared_areas,
        declared_localities=declared_localities,
    )  # fmt: skip
    existing = dict(Case.objects.values_list("reference", "pk"))
    checked = _check_all(raw_cases, resolver, existing, progress)
    figures, figure_problems = context_figures.check(declared_context_figures)
    problems = [
        *header.problems,
        *(Problem(*problem) for problem in figure_problems),
        *checked.problems,
        *_link_problems(checked, existing),
        *resolver.problems,
    ]
    if problems:
        raise ImportFailed(problems)
    result = ImportResult(
        created=len(checked.new),
        unchanged=checked.unchanged,
        created_terms=header.listing()
        + [f"{v}: {c}" for v, c in resolver.new_terms]
        + [f"team: {a.code}" for a in resolver.created_areas]
        + [f"locality: {loc.code}" for loc in resolver.created_localities]
        + [f"user: {u.username} (switched off)" for u in resolver.new_users],
        renamed_terms=header.renamings(),
        sample=checked.sample,
        context_figures=len(figures),
    )
    if dry_run:
        return result
    with transaction.atomic():
        _save_declared(header, actor)
        _save_new_values(resolver, resolver.created_areas, resolver.created_localities)
        _write_all(raw_cases, resolver, existing, actor)
        if figures:
            context_figures.write(figures)
            audit.record(
                "cases.imported",
                actor=actor,
                note=f"{len(figures)} context figure(s) imported: "
                + ", ".join(sorted({f"{f.code} {f.year}" for f in figures})),
            )
    return result


def _check_all(
    raw_cases: Iterable[tuple[str, dict]],
    r: _Resolver,
    existing: dict[str, int],
    progress: Callable[[int], None] | None,
) -> _Checked:
    """The first pass: every case's structure, sense, codes and link, keeping no case."""
    checked = _Checked()
    seen: dict[str, str] = {}
    for count, (where, raw) in enumerate(raw_cases, start=1):
        if progress and count % 1000 == 0:
            progress(count)
        try:
            record = CaseRecord.model_validate(raw)
        except ValidationError as error:
            checked.problems.extend(_validation_problems(error, _named(where, raw)))
            continue
        where = f"{where} ({record.reference})"
        if record.reference in seen:
            checked.problems.append(
                Problem(where, "reference", f"the same reference as {seen[record.reference]}")
            )
            continue
        seen[record.reference] = where
        checked.problems.extend(_check_sense(record, where))
        if record.reference in existing:
            checked.unchanged += 1
            continue
        checked.new.add(record.reference)
        _resolve(r, record, where)
        checked.problems.extend(_clock_problems(r, record, where))
        if record.linked_reference:
            checked.links.append((where, record.linked_reference))
        if len(checked.sample) < 20:  # for the upload page's preview
            checked.sample.append(record)
    return checked


def _link_problems(checked: _Checked, existing: dict[str, int]) -> list[Problem]:
    return [
        Problem(
            where,
            "linked_reference",
            f"no case {linked!r} in Heard or the file",
            reference=_reference_in(where),
        )
        for where, linked in checked.links
        if linked not in checked.new and linked not in existing
    ]


def _save_declared(header: declared.Declared, actor: str) -> None:
    """The values the file's header declares that Heard lacks, and the file's words for those
    it has, audited."""
    Term.objects.bulk_create(header.new_terms)
    for area in header.new_areas:  # parents first
        if area.parent is not None:
            area.parent_id = area.parent.pk  # known now that the parent is saved
        area.save()
    Locality.objects.bulk_create(header.new_localities)
    for term, label in header.renamed:
        term.label = label
        term.save(update_fields=["label"])
    listing, renamings = header.listing(), header.renamings()
    if listing or renamings:
        note = "; ".join(
            part for part in (
                f"created {len(listing)} value(s) the file declares: " + ", ".join(listing)
                if listing else "",
                "took the file's words for: " + ", ".join(renamings) if renamings else "",
            ) if part
        )  # fmt: skip
        audit.record("cases.imported", actor=actor, note=note[:2000])


def _save_new_values(r: _Resolver, areas: list[ServiceArea], localities: list[Locality]):
    """The vocabulary values, teams, localities and users the cases need that neither Heard
    nor the file's header has (only with ``create_missing``)."""
    Term.objects.bulk_create(r.new_terms.values())
    for area in areas:
        area.save()
    Locality.objects.bulk_create(localities)
    for user in r.new_users:
        user.save()


def _write_all(
    raw_cases: Iterable[tuple[str, dict]], r: _Resolver, existing: dict[str, int], actor: str
) -> None:
    """The second pass: build and write the new cases, ``CHUNK`` at a time, then their links.

    Everything was checked in the first pass; a problem now means the file changed in
    between, and raising it undoes the transaction."""
    r.create_missing = False  # everything missing was created before this pass
    writer = BulkWriter(actor=actor, note="Imported.")
    written: dict[str, int] = {}
    pending: list[tuple[Case, str | None]] = []
    links: list[tuple[int, str]] = []
    for where, record in _new_records(raw_cases, existing):
        if record.reference in written:
            raise ImportFailed([Problem(where, "reference", "the file changed while importing")])
        pending.append((_build(writer, r, record, where), record.linked_reference))
        if len(pending) >= CHUNK:
            _flush(writer, r, pending, written, links)
    _flush(writer, r, pending, written, links)
    writer.finish()
    targets = {**existing, **written}
    if any(linked not in targets for _, linked in links):
        raise ImportFailed([Problem("the file", "", "it changed while importing")])
    set_links((case_id, targets[linked]) for case_id, linked in links)


def _new_records(
    raw_cases: Iterable[tuple[str, dict]], existing: dict[str, int]
) -> Iterator[tuple[str, CaseRecord]]:
    for where, raw in raw_cases:
        try:
            record = CaseRecord.model_validate(raw)
        except ValidationError as error:
            raise ImportFailed(_validation_problems(error, where)) from None
        if record.reference not in existing:
            yield f"{where} ({record.reference})", record


def _flush(writer, r, pending, written, links) -> None:
    if r.problems:
        raise ImportFailed(r.problems)
    writer.flush()
    for case, linked in pending:
        written[case.reference] = case.pk
        if linked:
            links.append((case.pk, linked))
    pending.clear()


def _resolve(r: _Resolver, record: CaseRecord, where: str) -> None:
    """Look up every code, team, locality and username a new case names (problems, or new
    values with ``create_missing``, are kept by the resolver)."""
    _case_fields(r, record, where)
    _categories(r, record, where)
    _staff(r, record, where)
    for p in record.parts:
        _part_fields(r, p, where)
    for i, s in enumerate(record.stages):
        _stage_fields(r, s, where, i)
        for sp in s.suspensions:
            _suspension_fields(r, sp, where, i)
    for item in record.learning:
        _learning_fields(r, item, where)
    _restriction(r, record, where)


def _restriction(r: _Resolver, record: CaseRecord, where: str):
    """The unsaved restriction of a restricted case and its people (None if not restricted)."""
    if record.restriction is None:
        return None
    people = r.restricted_to(record, where)
    by = r.user(record.restriction.restricted_by, where, "restriction.restricted_by")
    restriction = Restriction(reason=record.restriction.reason, restricted_by=by)
    if record.restriction.restricted_at is not None:
        restriction.restricted_at = record.restriction.restricted_at
    return restriction, people


def _postcode(r: _Resolver, value: str, where: str) -> str:
    normalised = normalise_or_none(value)
    if normalised is None:
        r.problems.append(Problem(where, "complainant.postcode", f"{value!r}: {POSTCODE_MESSAGE}"))
        return value
    return normalised


def _staff(r: _Resolver, record: CaseRecord, where: str) -> list[User]:
    users = [
        r.user(username, where, "staff_complained_about")
        for username in record.staff_complained_about
    ]
    return [user for user in users if user is not None]


def _case_fields(r: _Resolver, record: CaseRecord, where: str) -> dict[str, Any]:
    person = record.complainant
    info = record.information_request
    equality = record.equality
    fields = {
        "reference": record.reference,
        "kind": record.kind,
        "status": record.status,
        "received_on": record.received_on,
        "channel": r.term("channel", record.channel, where, "channel"),
        "summary": record.summary,
        "desired_outcome": record.desired_outcome,
        "procedure": record.procedure or (info.request_type if info else "") or "",
        "triage_reason": record.triage_reason,
        "resolution": record.resolution or "",
        "resolution_reason": record.resolution_reason,
        "closed_on": record.closed_on,
        "complainant_name": person.name,
        "complainant_email": person.email,
        "complainant_phone": person.phone,
        "complainant_address": person.address,
        "complainant_postcode": _postcode(r, person.postcode, where),
        "complainant_role": r.term("complainant_role", person.role, where, "complainant.role"),
        "complainant_under_18": person.under_18,
        "complainant_looked_after": person.looked_after,
        "anonymous": person.anonymous,
        "child_name": record.child_name,
        "child_consent": record.child_consent,
        "representative_type": r.term(
            "representative_type", record.representative_type, where, "representative_type"
        ),
        "representative_name": record.representative_name,
        "advocate_offered": record.advocate_offered,
        "advocate_accepted": record.advocate_accepted,
        "service_area": r.area(record.service_area, where),
        "locality": r.locality(record.locality, where),
        "provider_involved": record.provider_involved,
        "provider_name": record.provider_name,
        "ofsted_notified": record.ofsted_notified,
        "staff_complained_about_names": "\n".join(
            " ".join(name.split()) for name in record.staff_complained_about_names if name.strip()
        ),
        "equality_age_band": (equality.age_band if equality else None) or "",
        "equality_sex": (equality.sex if equality else None) or "",
        "equality_ethnicity": (equality.ethnicity if equality else None) or "",
        "equality_disability": (equality.disability if equality else None) or "",
        "allocated_to": r.user(record.allocated_to, where, "allocated_to"),
        "enquiry_source": r.term("enquiry_source", record.enquiry_source, where, "enquiry_source"),
        "case_study": record.case_study,
        "case_study_publishable": record.case_study_publishable,
    }
    return fields | _kind_fields(r, record, where)


def _kind_fields(r: _Resolver, record: CaseRecord, where: str) -> dict[str, Any]:
    """The fields of a compliment, an Ombudsman case or an information request."""
    fields: dict[str, Any] = {}
    if compliment := record.compliment:
        fields.update(
            staff_named=compliment.staff_named, quote=compliment.quote,
            quote_publishable=compliment.quote_publishable,
            compliment_source=r.term(
                "compliment_source", compliment.source, where, "compliment.source"
            ),
        )  # fmt: skip
    if ombudsman := record.ombudsman:
        fields.update(
            lgsco_reference=ombudsman.reference,
            lgsco_enquiry_type=r.term(
                "lgsco_enquiry_type", ombudsman.enquiry_type, where, "ombudsman.enquiry_type"
            ),
            lgsco_decision=r.term(
                "lgsco_decision", ombudsman.decision, where, "ombudsman.decision"
            ),
            lgsco_decision_on=ombudsman.decision_on,
            lgsco_remedy=ombudsman.remedy,
            lgsco_remedy_complied_on=ombudsman.remedy_complied_on,
            lgsco_reply_due=ombudsman.reply_due, lgsco_replied_on=ombudsman.replied_on,
        )  # fmt: skip
    if info := record.information_request:
        fields.update(
            request_type=info.request_type,
            disclosure_requester=r.term(
                "disclosure_requester", info.requester, where, "information_request.requester"
            ),
            identification_received_on=info.identification_received_on,
            information_outcome=info.outcome or "",
            further_records_request=info.further_records_request,
        )  # fmt: skip
    return fields


def _categories(r: _Resolver, record: CaseRecord, where: str) -> list[Term]:
    terms = [r.term("category", code, where, "categories") for code in record.categories]
    return [term for term in terms if term is not None]


def _part_fields(r: _Resolver, p, where: str) -> dict[str, Any]:
    return {
        "number": p.number,
        "summary": p.summary,
        "category": r.term("category", p.category, where, f"parts.{p.number}.category"),
    }


def _learning_fields(r: _Resolver, item, where: str) -> dict[str, Any]:
    return {
        "category": r.term("learning_category", item.category, where, "learning.category"),
        "lesson": item.lesson,
        "recommendation": item.recommendation,
        "publishable": item.publishable,
        "recorded_on": item.recorded_on,
    }


def _stage_fields(r: _Resolver, s: StageRecord, where: str, i: int) -> dict[str, Any]:
    return {
        "late_request_reason": s.late_request_reason,
        "statement_agreed_on": s.statement_agreed_on,
        "acknowledged_on": s.acknowledged_on,
        "acknowledgement_due": s.acknowledgement_due,
        "response_due": s.response_due,
        "extended_to": s.extended_to,
        "responded_on": s.responded_on,
        "responder": r.user(s.responder, where, f"stages.{i}.responder"),
        "investigating_officer": s.investigating_officer,
        "investigating_officer_external": s.investigating_officer_external,
        "investigating_officer_fee": s.investigating_officer_fee,
        "independent_person": s.independent_person,
        "independent_person_fee": s.independent_person_fee,
        "report_received_on": s.report_received_on,
        "panel_on": s.panel_on,
        "panel_members": s.panel_members,
        "panel_recommendations": s.panel_recommendations,
        "adjudication_on": s.adjudication_on,
        "adjudication": s.adjudication,
        "outcome": s.outcome or "",
        "outcome_overridden": s.outcome_overridden,
        "outcome_override_reason": s.outcome_override_reason,
        "late_reason": r.term("late_reason", s.late_reason, where, f"stages.{i}.late_reason"),
        "late_reason_detail": s.late_reason_detail,
        "remedy_apology": s.remedy_apology,
        "remedy_financial": s.remedy_financial,
        "remedy_action": s.remedy_action,
    }


def _suspension_fields(r: _Resolver, sp, where: str, i: int) -> dict[str, Any]:
    return {
        "reason": r.term("suspension_reason", sp.reason, where, f"stages.{i}.suspensions.reason"),
        "started_on": sp.started_on,
        "ended_on": sp.ended_on,
        "note": sp.note,
    }


def _build(writer: BulkWriter, r: _Resolver, record: CaseRecord, where: str) -> Case:
    case = writer.add_case(Case(**_case_fields(r, record, where)))
    writer.categories.extend((case, term) for term in _categories(r, record, where))
    writer.staff.extend((case, user) for user in _staff(r, record, where))
    parts = {}
    for p in record.parts:
        parts[p.number] = Part(case=case, **_part_fields(r, p, where))
        writer.parts.append(parts[p.number])
    for i, s in enumerate(record.stages):
        _build_stage(writer, r, case, s, parts, where, i)
    if record.ombudsman:
        for remedy in record.ombudsman.remedies:
            writer.new_remedy(case, **remedy.model_dump())
    restricted = _restriction(r, record, where)
    if restricted is not None:
        restricted[0].case = case
        writer.restrictions.append(restricted)
    for n, item in enumerate(record.learning):
        learning = Learning(case=case, **_learning_fields(r, item, where))
        writer.learning.append(learning)
        for m, a in enumerate(item.actions):
            signer = r.user(a.signed_off_by, where, f"learning.{n}.actions.{m}.signed_off_by")
            writer.actions.append(
                (learning, Action(
                    description=a.description, owner=a.owner, due_on=a.due_on,
                    evidence=a.evidence, completed_on=a.completed_on,
                    signed_off_on=a.signed_off_on, signed_off_by=signer,
                    shared_with_complainant=a.shared_with_complainant,
                ))
            )  # fmt: skip
    return case


def _build_stage(writer, r, case, s: StageRecord, parts, where, i) -> None:
    stage = writer.new_stage(case, s.number, s.requested_on, **_stage_fields(r, s, where, i))
    suspensions = []
    for e in s.extensions:
        writer.extensions.append(Extension(stage=stage, **e.model_dump()))
    for sp in s.suspensions:
        suspensions.append((sp.started_on, sp.ended_on))
        writer.suspensions.append(Suspension(stage=stage, **_suspension_fields(r, sp, where, i)))
    for number, finding in s.findings.items():
        if number in parts:
            writer.findings.append((stage, parts[number], finding))
    if _needs_clock(case.procedure, stage):
        _compute_clock(r, stage, case, suspensions, where, i)


def _needs_clock(procedure: str, stage) -> bool:
    """Whether Heard computes the stage's due dates: the old system recorded neither, and
    Heard keeps clocks for the procedure."""
    return (
        stage.response_due is None
        and stage.acknowledgement_due is None
        and procedure in TIMED_PROCEDURES
    )


def _clock_reason(error: TimescaleError) -> str:
    return (
        f"its due dates cannot be computed ({error}): record the stage's "
        "acknowledgement_due and response_due in the file, or correct it"
    )


def _clock_problems(r: _Resolver, record: CaseRecord, where: str) -> list[Problem]:
    """A stage left without due dates would never show as late or due: every stage whose
    clock Heard computes must be computable, or the case is a problem."""
    info = record.information_request
    procedure = record.procedure or (info.request_type if info else "") or ""
    problems = []
    for i, s in enumerate(record.stages):
        if not _needs_clock(procedure, s):
            continue
        try:
            clocks.stage_due_dates(
                r.calendar, procedure=procedure, stage_number=s.number,
                received_on=record.received_on, requested_on=s.requested_on,
                statement_agreed_on=s.statement_agreed_on, acknowledged_on=s.acknowledged_on,
                extended_to=s.extended_to,
                suspensions=[(sp.started_on, sp.ended_on) for sp in s.suspensions],
                identification_received_on=info.identification_received_on if info else None,
                stage2_clock_start=r.stage2_clock_start,
            )  # fmt: skip
        except TimescaleError as error:
            problems.append(
                Problem(where, f"stages.{i}", _clock_reason(error), reference=record.reference)
            )
    return problems


def _compute_clock(r: _Resolver, stage, case, suspensions, where: str, i: int) -> None:
    """Due dates the old system did not record, from Heard's own rules (checked to be
    computable in the first pass)."""
    try:
        dates = clocks.stage_clock(r.calendar, case, stage, suspensions, r.stage2_clock_start)
    except TimescaleError as error:
        raise ImportFailed([Problem(where, f"stages.{i}", _clock_reason(error))]) from None
    stage.acknowledgement_due, stage.response_due = dates.acknowledgement_due, dates.response_due
    stage.suspended = dates.paused
