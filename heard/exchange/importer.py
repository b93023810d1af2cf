"""Importing cases in the exchange format (from JSON, or from the flat CSV and XLSX templates
after ``flat.py`` has turned their rows into the same records).

Everything is checked before anything is written: the structure of each case (pydantic), every
vocabulary code, team, locality, username and linked reference, and the sense of the dates.
A file with any problem changes nothing and every problem is reported with where it is, the
field and a plain reason. Cases whose reference is already in Heard are left as they are, so
importing the same file twice changes nothing. The import is one transaction, written in bulk.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass, field

from django.db import transaction
from pydantic import ValidationError

from heard.accounts.models import User
from heard.cases import clocks
from heard.cases.bulk import BulkWriter
from heard.cases.models import (
    Action,
    Case,
    Extension,
    Learning,
    Part,
    Suspension,
)
from heard.deadlines.calendar import council_calendar
from heard.deadlines.models import CalendarSettings
from heard.exchange.schema import CaseRecord
from heard.taxonomy.models import Locality, ServiceArea, Term
from heard.timescales import TimescaleError

#: Which vocabulary each coded field of a case record uses.
CASE_CODES = {
    "channel": "channel",
    "representative_type": "representative_type",
    "enquiry_source": "enquiry_source",
}


@dataclass(frozen=True)
class Problem:
    where: str
    field: str
    reason: str

    def __str__(self) -> str:
        return (
            f"{self.where}, {self.field}: {self.reason}"
            if self.field
            else f"{self.where}: {self.reason}"
        )


class ImportFailed(Exception):
    def __init__(self, problems: list[Problem]):
        self.problems = problems
        super().__init__(f"{len(problems)} problem(s); nothing was imported.")


@dataclass
class ImportResult:
    created: int = 0
    unchanged: int = 0
    created_terms: list[str] = field(default_factory=list)
    #: The first new cases, for the upload page's preview.
    sample: list[CaseRecord] = field(default_factory=list)


class _Resolver:
    """Looks up codes and usernames, recording a problem (or, when asked, a new term) for each
    one that Heard does not know."""

    def __init__(self, create_missing: bool, declared_terms: dict[tuple[str, str], str]):
        self.create_missing = create_missing
        self.declared = declared_terms
        self.terms = {(t.vocabulary, t.code): t for t in Term.objects.all()}
        self.areas = {a.code: a for a in ServiceArea.objects.all()}
        self.localities = {loc.code: loc for loc in Locality.objects.all()}
        self.users = {u.username: u for u in User.objects.all()}
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
            label = self.declared.get(key) or code.replace("-", " ").capitalize()
            self.new_terms[key] = Term(vocabulary=vocabulary, code=code, label=label, order=999)
            return self.new_terms[key]
        self.problems.append(
            Problem(where, field_name, f"{code!r} is not a {vocabulary.replace('_', ' ')} code "
                    "Heard knows (add it, or import with --create-missing)")
        )  # fmt: skip
        return None

    def declare_areas(self, declared: Iterable[dict]) -> list[ServiceArea]:
        """Unsaved service areas for the document's ones that Heard lacks, parents first."""
        order = {"directorate": 0, "service": 1, "team": 2}
        created = []
        for row in sorted(declared, key=lambda row: order.get(row["level"], 3)):
            if row["code"] in self.areas:
                continue
            area = ServiceArea(
                code=row["code"], name=row["name"], level=row["level"],
                parent=self.areas.get(row.get("parent")) if row.get("parent") else None,
            )  # fmt: skip
            self.areas[area.code] = area
            created.append(area)
        return created

    def declare_localities(self, declared: Iterable[dict]) -> list[Locality]:
        created = []
        for row in declared:
            if row["code"] not in self.localities:
                self.localities[row["code"]] = Locality(code=row["code"], name=row["name"])
                created.append(self.localities[row["code"]])
        return created

    def area(self, code, where):
        if code is None:
            return None
        if code not in self.areas and self.create_missing:
            area = ServiceArea(code=code, name=code.replace("-", " ").capitalize(), level="team")
            self.areas[code] = area
            self.created_areas.append(area)
        if code not in self.areas:
            self.problems.append(Problem(where, "service_area", f"no team or service {code!r}"))
        return self.areas.get(code)

    def locality(self, code, where):
        if code is None:
            return None
        if code not in self.localities and self.create_missing:
            self.localities[code] = Locality(code=code, name=code.replace("-", " ").capitalize())
            self.created_localities.append(self.localities[code])
        if code not in self.localities:
            self.problems.append(Problem(where, "locality", f"no locality {code!r}"))
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
            self.problems.append(Problem(where, field_name, f"no Heard user {username!r}"))
        return self.users.get(username)


def _validation_problems(error: ValidationError, where: str) -> list[Problem]:
    problems = []
    for item in error.errors():
        path = ".".join(str(p) for p in item["loc"])
        problems.append(Problem(where, path, item["msg"]))
    return problems


def _check_sense(record: CaseRecord, where: str) -> list[Problem]:
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
    return problems


def import_records(
    raw_cases: Iterable[tuple[str, dict]],
    *,
    declared_terms: Iterable[dict] = (),
    declared_areas: Iterable[dict] = (),
    declared_localities: Iterable[dict] = (),
    create_missing: bool = False,
    actor: str = "Import",
    progress: Callable[[int], None] | None = None,
    dry_run: bool = False,
) -> ImportResult:
    """Import cases given as (where, raw dict) pairs; ``where`` names the case in problems
    (for example "case 12" or "row 14"). Raises ``ImportFailed`` and writes nothing if any
    case has a problem. With ``dry_run`` it checks everything and writes nothing (the
    upload page's preview)."""
    declared = {(t["vocabulary"], t["code"]): t.get("label", "") for t in declared_terms}
    resolver = _Resolver(create_missing, declared)
    new_areas, new_localities = [], []
    if create_missing:
        new_areas = resolver.declare_areas(declared_areas)
        new_localities = resolver.declare_localities(declared_localities)
    existing = set(Case.objects.values_list("reference", flat=True))
    records: list[tuple[str, CaseRecord]] = []
    seen: dict[str, str] = {}
    problems: list[Problem] = []
    for count, (where, raw) in enumerate(raw_cases, start=1):
        try:
            record = CaseRecord.model_validate(raw)
        except ValidationError as error:
            problems.extend(_validation_problems(error, where))
            continue
        where = f"{where} ({record.reference})"
        if record.reference in seen:
            problems.append(
                Problem(where, "reference", f"the same reference as {seen[record.reference]}")
            )
            continue
        seen[record.reference] = where
        problems.extend(_check_sense(record, where))
        records.append((where, record))
        if progress and count % 1000 == 0:
            progress(count)
    new_records = [(w, r) for w, r in records if r.reference not in existing]
    writer = BulkWriter(actor=actor, note="Imported.")
    by_reference: dict[str, Case] = {}
    for where, record in new_records:
        by_reference[record.reference] = _build(writer, resolver, record, where)
    for where, record in new_records:
        if record.linked_reference:
            target = by_reference.get(record.linked_reference)
            if target is None and record.linked_reference in existing:
                target = Case.objects.get(reference=record.linked_reference)
            if target is None:
                problems.append(
                    Problem(where, "linked_reference", f"no case {record.linked_reference!r}")
                )
            else:
                writer.link(by_reference[record.reference], target)
    problems.extend(resolver.problems)
    if problems:
        raise ImportFailed(problems)
    result = ImportResult(
        created=len(new_records),
        unchanged=len(records) - len(new_records),
        created_terms=[f"{v}: {c}" for v, c in resolver.new_terms]
        + [f"team: {a.code}" for a in resolver.created_areas]
        + [f"locality: {loc.code}" for loc in resolver.created_localities]
        + [f"user: {u.username} (switched off)" for u in resolver.new_users],
        sample=[record for _, record in new_records[:20]],
    )
    if dry_run:
        return result
    with transaction.atomic():
        Term.objects.bulk_create(resolver.new_terms.values())
        for area in [*new_areas, *resolver.created_areas]:  # parents first
            if area.parent is not None:
                area.parent_id = area.parent.pk  # known now that the parent is saved
            area.save()
        Locality.objects.bulk_create([*new_localities, *resolver.created_localities])
        for user in resolver.new_users:
            user.save()
        writer.save()
    return result


def _build(writer: BulkWriter, r: _Resolver, record: CaseRecord, where: str) -> Case:
    person = record.complainant
    compliment = record.compliment
    ombudsman = record.ombudsman
    info = record.information_request
    case = Case(
        reference=record.reference,
        kind=record.kind,
        status=record.status,
        received_on=record.received_on,
        channel=r.term("channel", record.channel, where, "channel"),
        summary=record.summary,
        desired_outcome=record.desired_outcome,
        procedure=record.procedure or (info.request_type if info else "") or "",
        triage_reason=record.triage_reason,
        resolution=record.resolution or "",
        resolution_reason=record.resolution_reason,
        closed_on=record.closed_on,
        complainant_name=person.name,
        complainant_email=person.email,
        complainant_phone=person.phone,
        complainant_address=person.address,
        complainant_role=r.term("complainant_role", person.role, where, "complainant.role"),
        complainant_under_18=person.under_18,
        complainant_looked_after=person.looked_after,
        anonymous=person.anonymous,
        child_name=record.child_name,
        child_consent=record.child_consent,
        representative_type=r.term(
            "representative_type", record.representative_type, where, "representative_type"
        ),
        representative_name=record.representative_name,
        advocate_offered=record.advocate_offered,
        advocate_accepted=record.advocate_accepted,
        service_area=r.area(record.service_area, where),
        locality=r.locality(record.locality, where),
        provider_involved=record.provider_involved,
        provider_name=record.provider_name,
        ofsted_notified=record.ofsted_notified,
        allocated_to=r.user(record.allocated_to, where, "allocated_to"),
        enquiry_source=r.term("enquiry_source", record.enquiry_source, where, "enquiry_source"),
        case_study=record.case_study,
        case_study_publishable=record.case_study_publishable,
    )
    if compliment:
        case.staff_named, case.quote = compliment.staff_named, compliment.quote
        case.quote_publishable = compliment.quote_publishable
        case.compliment_source = r.term(
            "compliment_source", compliment.source, where, "compliment.source"
        )
    if ombudsman:
        case.lgsco_reference = ombudsman.reference
        case.lgsco_enquiry_type = r.term(
            "lgsco_enquiry_type", ombudsman.enquiry_type, where, "ombudsman.enquiry_type"
        )
        case.lgsco_decision = r.term(
            "lgsco_decision", ombudsman.decision, where, "ombudsman.decision"
        )
        case.lgsco_decision_on = ombudsman.decision_on
        case.lgsco_remedy = ombudsman.remedy
        case.lgsco_remedy_complied_on = ombudsman.remedy_complied_on
    if info:
        case.request_type = info.request_type
        case.disclosure_requester = r.term(
            "disclosure_requester", info.requester, where, "information_request.requester"
        )
        case.identification_received_on = info.identification_received_on
        case.information_outcome = info.outcome or ""
        case.further_records_request = info.further_records_request
    writer.add_case(case)
    for code in record.categories:
        term = r.term("category", code, where, "categories")
        if term is not None:
            writer.categories.append((case, term))
    parts = {}
    for p in record.parts:
        part = Part(
            case=case, number=p.number, summary=p.summary,
            category=r.term("category", p.category, where, f"parts.{p.number}.category"),
        )  # fmt: skip
        parts[p.number] = part
        writer.parts.append(part)
    for i, s in enumerate(record.stages):
        _build_stage(writer, r, case, s, parts, where, i)
    for item in record.learning:
        learning = Learning(
            case=case,
            category=r.term("learning_category", item.category, where, "learning.category"),
            lesson=item.lesson,
            recommendation=item.recommendation,
            publishable=item.publishable,
            recorded_on=item.recorded_on,
        )
        writer.learning.append(learning)
        for a in item.actions:
            writer.actions.append(
                (learning, Action(
                    description=a.description, owner=a.owner, due_on=a.due_on,
                    evidence=a.evidence, completed_on=a.completed_on,
                    signed_off_on=a.signed_off_on,
                    shared_with_complainant=a.shared_with_complainant,
                ))
            )  # fmt: skip
    return case


def _build_stage(writer, r, case, s, parts, where, i) -> None:
    stage = writer.new_stage(
        case, s.number, s.requested_on,
        statement_agreed_on=s.statement_agreed_on, acknowledged_on=s.acknowledged_on,
        acknowledgement_due=s.acknowledgement_due, response_due=s.response_due,
        extended_to=s.extended_to, responded_on=s.responded_on,
        responder=r.user(s.responder, where, f"stages.{i}.responder"),
        investigating_officer=s.investigating_officer,
        investigating_officer_external=s.investigating_officer_external,
        investigating_officer_fee=s.investigating_officer_fee,
        independent_person=s.independent_person, independent_person_fee=s.independent_person_fee,
        panel_on=s.panel_on, panel_members=s.panel_members,
        panel_recommendations=s.panel_recommendations, adjudication_on=s.adjudication_on,
        adjudication=s.adjudication, outcome=s.outcome or "",
        outcome_overridden=s.outcome_overridden, outcome_override_reason=s.outcome_override_reason,
        late_reason=r.term("late_reason", s.late_reason, where, f"stages.{i}.late_reason"),
        late_reason_detail=s.late_reason_detail, remedy_apology=s.remedy_apology,
        remedy_financial=s.remedy_financial, remedy_action=s.remedy_action,
    )  # fmt: skip
    suspensions = []
    for e in s.extensions:
        writer.extensions.append(Extension(stage=stage, **e.model_dump()))
    for sp in s.suspensions:
        reason = r.term("suspension_reason", sp.reason, where, f"stages.{i}.suspensions.reason")
        suspensions.append((sp.started_on, sp.ended_on))
        writer.suspensions.append(
            Suspension(
                stage=stage, reason=reason, started_on=sp.started_on, ended_on=sp.ended_on,
                note=sp.note,
            )
        )  # fmt: skip
    for number, finding in s.findings.items():
        if number in parts:
            writer.findings.append((stage, parts[number], finding))
    if stage.response_due is None and stage.acknowledgement_due is None and case.procedure:
        _compute_clock(r, stage, case, suspensions)


def _compute_clock(r: _Resolver, stage, case, suspensions) -> None:
    """Due dates the old system did not record, from Heard's own rules."""
    try:
        dates = clocks.stage_clock(r.calendar, case, stage, suspensions, r.stage2_clock_start)
    except TimescaleError:
        return  # no rule for it (or an extension beyond the rule): keep what was recorded
    stage.acknowledgement_due, stage.response_due = dates.acknowledgement_due, dates.response_due
    stage.suspended = dates.paused
