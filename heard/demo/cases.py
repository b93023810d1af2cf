"""Deterministic, plausible demo cases of every kind.

The same seed and the same ``today`` always give the same council. Cases are written with
``bulk_create`` (and their due dates computed by the timescale engine) so that benchmarks can
scale the demo to 100,000 cases in reasonable time.
"""

from __future__ import annotations

import datetime
import random
from collections import defaultdict
from dataclasses import dataclass, field
from decimal import Decimal

from heard.cases import clocks
from heard.cases.bulk import BulkWriter
from heard.cases.choices import (
    REFERENCE_PREFIX,
    Consent,
    Finding,
    InformationOutcome,
    Kind,
    Procedure,
    RemedyKind,
    RequestType,
    Resolution,
    Status,
)
from heard.cases.models import (
    Action,
    Case,
    Extension,
    Learning,
    Part,
    Stage,
    Suspension,
)
from heard.taxonomy.models import Term

FIRST_NAMES = [
    "Olivia",
    "Amelia",
    "Isla",
    "Ava",
    "Mia",
    "Ivy",
    "Lily",
    "Freya",
    "Florence",
    "Sophia",
    "Noah",
    "Oliver",
    "George",
    "Arthur",
    "Muhammad",
    "Leo",
    "Harry",
    "Oscar",
    "Archie",
    "Henry",
    "Zainab",
    "Kofi",
    "Wiktoria",
    "Callum",
    "Megan",
    "Rhys",
    "Shannon",
    "Jamal",
    "Precious",
]
LAST_NAMES = [
    "Smith",
    "Jones",
    "Taylor",
    "Brown",
    "Williams",
    "Wilson",
    "Johnson",
    "Davies",
    "Patel",
    "Robinson",
    "Wright",
    "Thompson",
    "Evans",
    "Walker",
    "White",
    "Roberts",
    "Green",
    "Hall",
    "Khan",
    "Begum",
    "Kowalski",
    "Mensah",
    "Osei",
    "Murphy",
    "Hughes",
    "Edwards",
]
PART_TEXT = {
    "communication": "Phone calls and e-mails to the social worker were not returned",
    "staff-conduct": "The worker was rude during a home visit",
    "quality-of-service": "The assessment contained factual errors about the family",
    "delay": "The assessment took far longer than we were told it would",
    "decision": "Disagrees with the decision to end support from the service",
    "assessment": "The family's views were not included in the assessment",
    "contact-arrangements": "Contact with the children was cancelled at short notice",
    "placement": "The child was moved from the placement without notice",
    "financial": "The allowance was paid late and at the wrong rate",
    "information-sharing": "Personal information was shared with another family member",
    "failure-to-provide": "The agreed short breaks were not provided",
    "policy": "The policy on transport eligibility was applied unfairly",
}
QUOTES = [
    "Thank you for listening to us and for everything you have done for our family.",
    "Our social worker went above and beyond to make sure our son felt safe.",
    "The foster care team have been brilliant: always there when we needed them.",
    "I just wanted to say how much the youth worker has helped me this year.",
    "Clear, kind and quick. We could not have asked for more.",
]
LESSONS = [
    (
        "communication",
        "Families were not told when their worker changed.",
        "Send a letter naming the new worker within five working days of any change.",
    ),
    (
        "process-not-followed",
        "The assessment timescale was not monitored.",
        "Team managers to review open assessments weekly.",
    ),
    (
        "training",
        "Staff were unsure of the contact cancellation procedure.",
        "Refresher training on contact arrangements for all workers.",
    ),
    (
        "policy-change",
        "The transport policy was unclear about siblings.",
        "Revise the home to school transport policy wording on siblings.",
    ),
    (
        "misunderstanding",
        "The family misunderstood what support was on offer.",
        "Give families a written summary of the plan after each review.",
    ),
]


@dataclass
class Context:
    rng: random.Random
    today: datetime.date
    calendar: object
    teams: list
    localities: list
    users: dict
    terms: dict = field(default_factory=lambda: defaultdict(dict))

    def term(self, vocabulary: str, code: str | None = None):
        options = self.terms[vocabulary]
        if code is not None:
            return options[code]
        return self.rng.choice(list(options.values()))

    def pick(self, weighted: dict):
        return self.rng.choices(list(weighted), weights=list(weighted.values()))[0]

    def name(self) -> str:
        return f"{self.rng.choice(FIRST_NAMES)} {self.rng.choice(LAST_NAMES)}"

    def working_days_after(self, start: datetime.date, n: int) -> datetime.date:
        return self.calendar.add_working_days(start, n)

    def working_days_before(self, day: datetime.date, n: int) -> datetime.date:
        """The day from which ``day`` is ``n`` working days on."""
        earlier = day - datetime.timedelta(days=n * 2 + 10)
        while self.calendar.working_days_between(earlier, day) > n:
            earlier += datetime.timedelta(days=1)
        return earlier


KIND_WEIGHTS = {
    Kind.COMPLAINT: 55,
    Kind.COMPLIMENT: 18,
    Kind.COMMENT: 9,
    Kind.REPRESENTATION: 9,
    Kind.INFORMATION_REQUEST: 9,
}


class Builder(BulkWriter):
    """The bulk writer, with references numbered as the council would have allocated them."""

    def __init__(self, ctx: Context):
        super().__init__(actor="Demo data", note="Created by `heard demo`.")
        self.ctx = ctx
        self.counters: dict[tuple[str, int], int] = defaultdict(int)

    def reference(self, kind: str, received: datetime.date) -> str:
        prefix = REFERENCE_PREFIX[kind]
        self.counters[(prefix, received.year)] += 1
        return f"{prefix}-{received.year}-{self.counters[(prefix, received.year)]:05d}"

    def new_case(self, kind: str, received: datetime.date, **fields) -> Case:
        linked = fields.pop("linked_case", None)
        case = Case(
            kind=kind, reference=self.reference(kind, received), received_on=received, **fields
        )
        return self.add_case(case, linked)


def _received_dates(ctx: Context, count: int, years: int) -> list[datetime.date]:
    start = ctx.today - datetime.timedelta(days=365 * years)
    span = (ctx.today - start).days
    dates = []
    for _ in range(count):
        day = start + datetime.timedelta(days=ctx.rng.randrange(span + 1))
        if day.weekday() >= 5 and ctx.rng.random() < 0.85:
            day = ctx.calendar.next_working_day(day)
        dates.append(min(day, ctx.today))
    return sorted(dates)


def _respond_stage(ctx: Context, b: Builder, case: Case, stage: Stage, parts, *, typical: int):
    """Decide acknowledgement, clock events and the response for one stage."""
    rng = ctx.rng
    ack_after = rng.choices([0, 1, 2, 3, 4, 6], weights=[15, 35, 30, 10, 6, 4])[0]
    ack_on = ctx.working_days_after(stage.requested_on, ack_after)
    if ack_on <= ctx.today:
        stage.acknowledged_on = ack_on
    suspensions = []
    if rng.random() < 0.03:
        start = ctx.working_days_after(stage.requested_on, rng.randint(2, 6))
        end = ctx.working_days_after(start, rng.randint(5, 30))
        reason = ctx.term("suspension_reason", rng.choice(["court", "police", "safeguarding"]))
        if end > ctx.today:
            end = None
        if start <= ctx.today:
            suspensions.append(
                Suspension(stage=stage, reason=reason, started_on=start, ended_on=end)
            )
    extended_to = None
    if (
        case.procedure == Procedure.CHILDRENS_STATUTORY
        and stage.number == 1
        and rng.random() < 0.12
    ):
        extended_to = 20
    elif (
        case.procedure == Procedure.CHILDRENS_STATUTORY and stage.number == 2 and rng.random() < 0.5
    ):
        extended_to = 65
    if extended_to and stage.acknowledged_on:
        stage.extended_to = extended_to
        b.extensions.append(
            Extension(
                stage=stage,
                agreed_on=ctx.working_days_after(stage.requested_on, min(typical - 1, 8)),
                extended_to=extended_to,
                reason="Complex complaint needing information from several teams; "
                "agreed with the complainant.",
            )
        )
    dates = clocks.stage_clock(
        ctx.calendar, case, stage, [(s.started_on, s.ended_on) for s in suspensions]
    )
    stage.acknowledgement_due, stage.response_due = dates.acknowledgement_due, dates.response_due
    stage.suspended = dates.paused
    b.suspensions.extend(suspensions)
    if dates.paused or stage.acknowledged_on is None:
        return None
    # Most responses on time, a tail of late ones.
    allowed = stage.extended_to or typical
    taken = max(1, int(rng.triangular(allowed * 0.3, allowed * 1.6, allowed * 0.8)))
    pause_days = sum(
        ctx.calendar.working_days_between(s.started_on, s.ended_on)
        for s in suspensions
        if s.ended_on
    )
    responded = ctx.working_days_after(stage.requested_on, taken + pause_days)
    if responded > ctx.today:
        return None
    due = stage.response_due
    if due and due < ctx.today <= ctx.working_days_after(due, 15) and rng.random() < 0.5:
        return None  # still being worked on, and now overdue
    stage.responded_on = responded
    if stage.response_due and responded > stage.response_due:
        stage.late_reason = ctx.term("late_reason")
    findings = []
    for part in parts:
        finding = ctx.pick(
            {
                Finding.UPHELD: 22,
                Finding.PARTIALLY_UPHELD: 20,
                Finding.NOT_UPHELD: 52,
                Finding.NO_FINDING: 4,
                Finding.WITHDRAWN: 2,
            }
        )
        findings.append(finding)
        b.findings.append((stage, part, finding))
    stage.outcome = clocks.derive_outcome(findings)
    stage.remedy_apology = stage.outcome in {Finding.UPHELD, Finding.PARTIALLY_UPHELD}
    return responded


def _complaint(ctx: Context, b: Builder, received: datetime.date) -> Case:
    rng = ctx.rng
    role_code = ctx.pick(
        {
            "parent": 62,
            "child": 9,
            "foster-carer": 7,
            "care-leaver": 5,
            "special-guardian": 5,
            "adopter": 3,
            "other": 9,
        }
    )
    under_18 = role_code == "child"
    team = rng.choice(ctx.teams)
    statutory = team.parent.parent.name == "Children's Social Care" and rng.random() < 0.7
    procedure = Procedure.CHILDRENS_STATUTORY if statutory else Procedure.CORPORATE
    has_rep = rng.random() < 0.12
    case = b.new_case(
        Kind.COMPLAINT,
        received,
        status=Status.OPEN,
        channel=ctx.term(
            "channel",
            ctx.pick(
                {
                    "email": 40,
                    "telephone": 20,
                    "web-form": 20,
                    "letter": 8,
                    "complaint-form": 6,
                    "via-advocate": 3,
                    "in-person": 3,
                }
            ),
        ),
        procedure=procedure,
        triage_reason="About a children's social care function under the Children Act 1989."
        if statutory
        else "About a council service outside the statutory procedure.",
        complainant_name=ctx.name(),
        complainant_email=f"person{len(b.cases)}@example.invalid",
        complainant_role=ctx.term("complainant_role", role_code),
        complainant_under_18=under_18,
        complainant_looked_after=under_18 and rng.random() < 0.6,
        child_name="" if under_18 else ctx.name(),
        child_consent=Consent.NOT_NEEDED
        if under_18
        else ctx.pick({Consent.GIVEN: 3, Consent.NOT_NEEDED: 7}),
        advocate_offered=under_18 or None,
        advocate_accepted=(rng.random() < 0.5) if under_18 else None,
        representative_type=ctx.term("representative_type") if has_rep else None,
        representative_name=ctx.name() if has_rep else "",
        service_area=team,
        locality=rng.choice(ctx.localities),
        allocated_to=rng.choice([ctx.users["officer"], ctx.users["officer2"]]),
        provider_involved=rng.random() < 0.05,
    )
    n_parts = rng.choices([1, 2, 3, 4, 5], weights=[40, 28, 17, 10, 5])[0]
    codes = rng.sample(list(PART_TEXT), n_parts)
    parts = []
    for number, code in enumerate(codes, start=1):
        part = Part(
            case=case, number=number, summary=PART_TEXT[code], category=ctx.term("category", code)
        )
        parts.append(part)
        b.categories.append((case, ctx.term("category", code)))
    b.parts.extend(parts)
    case.summary = "; ".join(p.summary for p in parts) + "."
    case.desired_outcome = "An apology and an explanation of what will change."

    if rng.random() < 0.04:
        case.status, case.resolution = (
            Status.CLOSED,
            ctx.pick(
                {
                    Resolution.REFUSED_NOT_ELIGIBLE: 2,
                    Resolution.REFUSED_OUT_OF_TIME: 1,
                    Resolution.REFUSED_OTHER_PROCESS: 2,
                    Resolution.RESOLVED_ADR: 2,
                }
            ),
        )
        case.resolution_reason = "Explained to the complainant in writing."
        case.closed_on = min(ctx.working_days_after(received, 3), ctx.today)
        return case

    responders = [ctx.users["teammanager"], ctx.users["teammanager2"], ctx.users["teammanager3"]]
    if received > ctx.working_days_before(ctx.today, 5) and rng.random() < 0.6:
        # Arrived in the last few days: still waiting for the procedure to be decided.
        case.status, case.procedure, case.triage_reason = Status.NEW, "", ""
        return case
    stage = b.new_stage(case, 1, received, responder=rng.choice(responders))
    first_responder = stage.responder  # never a later stage's responder (independence)
    withdrawn_on = ctx.working_days_after(received, rng.randint(2, 8))
    if rng.random() < 0.03 and withdrawn_on <= ctx.today:
        stage.acknowledged_on = ctx.working_days_after(received, 1)
        dates = clocks.stage_clock(ctx.calendar, case, stage)
        stage.acknowledgement_due, stage.response_due = (
            dates.acknowledgement_due,
            dates.response_due,
        )
        case.status, case.resolution, case.closed_on = (
            Status.CLOSED,
            Resolution.WITHDRAWN,
            withdrawn_on,
        )
        case.resolution_reason = "The complainant withdrew the complaint."
        return case
    responded = _respond_stage(ctx, b, case, stage, parts, typical=10)
    if responded is None:
        return case
    last = responded
    max_stage = 3 if statutory else 2
    number = 1
    while number < max_stage and rng.random() < (0.07 if number == 1 else 0.3):
        number += 1
        requested = ctx.working_days_after(last, rng.randint(3, 18))
        if requested > ctx.today:
            break
        fields = {}
        if number == 2:
            fields["investigating_officer"] = ctx.name()
            fields["investigating_officer_external"] = statutory
            if statutory:
                fields["independent_person"] = ctx.name()
                fields["investigating_officer_fee"] = Decimal(rng.randrange(1800, 4200, 50))
                fields["independent_person_fee"] = Decimal(rng.randrange(600, 1400, 50))
            fields["statement_agreed_on"] = min(
                ctx.working_days_after(requested, rng.randint(3, 10)), ctx.today
            )
            fields["responder"] = ctx.users["investigator"]
        else:
            fields["panel_on"] = ctx.working_days_after(requested, rng.randint(15, 30))
            fields["panel_members"] = "Independent chair and two independent panellists"
            fields["responder"] = next(p for p in reversed(responders) if p != first_responder)
        stage = b.new_stage(case, number, requested, **fields)
        responded = _respond_stage(ctx, b, case, stage, parts, typical=25 if number == 2 else 30)
        if responded is None:
            return case
        # The report the council answers: the Investigating Officer's a week before the
        # adjudication, the panel's 4 working days after the panel (derived, not drawn, so the
        # demo's random choices are unchanged).
        if number == 2:
            stage.report_received_on = max(requested, ctx.working_days_before(responded, 5))
        elif stage.panel_on and ctx.working_days_after(stage.panel_on, 4) <= responded:
            stage.report_received_on = ctx.working_days_after(stage.panel_on, 4)
        if number == 3:
            # The Stage 3 response is the council's response to the panel, due from the panel's
            # report (decision 0028): counted again now that the report's date is known.
            stopped = [(x.started_on, x.ended_on) for x in b.suspensions if x.stage is stage]
            stage.response_due = clocks.stage_clock(ctx.calendar, case, stage, stopped).response_due
            if stage.response_due and responded > stage.response_due and not stage.late_reason:
                stage.late_reason = ctx.term("late_reason")
        last = responded
    case.status, case.resolution = Status.CLOSED, Resolution.RESPONDED
    case.closed_on = last
    if stage.outcome in {Finding.UPHELD, Finding.PARTIALLY_UPHELD} and rng.random() < 0.75:
        category, lesson, recommendation = rng.choice(LESSONS)
        learning = Learning(
            case=case,
            category=ctx.term("learning_category", category),
            lesson=lesson,
            recommendation=recommendation,
            publishable=rng.random() < 0.5,
            recorded_on=last,
        )
        b.learning.append(learning)
        due = ctx.working_days_after(last, rng.randint(10, 60))
        done = due <= ctx.today and rng.random() < 0.7
        b.actions.append(
            (
                learning,
                Action(
                    learning=learning,
                    description=recommendation,
                    owner=case.service_area.name + " manager",
                    due_on=due,
                    completed_on=due if done else None,
                    signed_off_on=due if done else None,
                    signed_off_by=ctx.users["manager"] if done else None,
                    evidence="Minutes of team meeting and revised guidance." if done else "",
                    shared_with_complainant=rng.random() < 0.6,
                ),
            )
        )
    return case


def _compliment(ctx: Context, b: Builder, received: datetime.date) -> Case:
    rng = ctx.rng
    publishable = rng.random() < 0.5
    return b.new_case(
        Kind.COMPLIMENT,
        received,
        status=Status.CLOSED,
        closed_on=received,
        channel=ctx.term(
            "channel", ctx.pick({"email": 5, "letter": 3, "telephone": 1, "web-form": 2})
        ),
        service_area=rng.choice(ctx.teams),
        staff_named=ctx.name(),
        compliment_source=ctx.term("compliment_source"),
        quote=rng.choice(QUOTES),
        quote_publishable=publishable,
        summary="Compliment received about the service.",
        allocated_to=ctx.users["officer"],
    )


def _comment(ctx: Context, b: Builder, received: datetime.date) -> Case:
    rng = ctx.rng
    return b.new_case(
        Kind.COMMENT,
        received,
        status=Status.CLOSED,
        closed_on=min(ctx.working_days_after(received, 2), ctx.today),
        channel=ctx.term("channel", ctx.pick({"telephone": 6, "email": 4})),
        service_area=rng.choice(ctx.teams),
        complainant_name=ctx.name(),
        complainant_role=ctx.term("complainant_role", "parent"),
        resolution=Resolution.NO_FURTHER_ACTION,
        summary="Concern raised and resolved informally by the team manager the same week.",
        allocated_to=ctx.users["officer2"],
    )


def _representation(ctx: Context, b: Builder, received: datetime.date) -> Case:
    rng = ctx.rng
    source = ctx.pick({"mp": 7, "councillor": 3})
    case = b.new_case(
        Kind.REPRESENTATION,
        received,
        status=Status.OPEN,
        procedure=Procedure.REPRESENTATION,
        channel=ctx.term("channel", "email"),
        enquiry_source=ctx.term("enquiry_source", source),
        representative_name=ctx.name() + (" MP" if source == "mp" else ""),
        complainant_name=ctx.name(),
        service_area=rng.choice(ctx.teams),
        summary="Enquiry on behalf of a constituent about support for their family.",
        allocated_to=ctx.users["officer"],
    )
    stage = b.new_stage(case, 1, received, responder=ctx.users["teammanager"])
    _clock_only(ctx, case, stage, typical=10)
    return case


def _information_request(ctx: Context, b: Builder, received: datetime.date) -> Case:
    rng = ctx.rng
    request_type = ctx.pick(
        {RequestType.SAR: 50, RequestType.FOI: 35, RequestType.EIR: 3, RequestType.DISCLOSURE: 12}
    )
    procedure = {
        RequestType.SAR: Procedure.SAR,
        RequestType.FOI: Procedure.FOI,
        RequestType.EIR: Procedure.EIR,
        RequestType.DISCLOSURE: Procedure.DISCLOSURE,
    }[request_type]
    case = b.new_case(
        Kind.INFORMATION_REQUEST,
        received,
        status=Status.OPEN,
        procedure=procedure,
        request_type=request_type,
        channel=ctx.term("channel", "email"),
        complainant_name=ctx.name(),
        allocated_to=ctx.users["officer2"],
        disclosure_requester=ctx.term("disclosure_requester")
        if request_type == RequestType.DISCLOSURE
        else None,
        summary={
            RequestType.SAR: "Request for a copy of my social care records.",
            RequestType.FOI: "Request for numbers of children placed out of area.",
            RequestType.EIR: "Request for information about a planned site.",
            RequestType.DISCLOSURE: "Request for records to support an investigation.",
        }[request_type],
    )
    if request_type == RequestType.SAR and rng.random() < 0.3:
        case.identification_received_on = min(
            ctx.working_days_after(received, rng.randint(2, 15)), ctx.today
        )
    stage = b.new_stage(case, 1, received)
    _clock_only(ctx, case, stage, typical=20)
    if stage.responded_on:
        case.information_outcome = ctx.pick(
            {
                InformationOutcome.RELEASED: 5,
                InformationOutcome.PARTLY: 4,
                InformationOutcome.NO_RECORDS: 1,
                InformationOutcome.WITHHELD: 1,
            }
        )
    return case


def _clock_only(ctx: Context, case: Case, stage: Stage, *, typical: int) -> None:
    """A single-stage clock with no findings (enquiries and information requests)."""
    stage.acknowledged_on = min(
        ctx.working_days_after(stage.requested_on, ctx.rng.randint(0, 3)), ctx.today
    )
    dates = clocks.stage_clock(ctx.calendar, case, stage)
    stage.acknowledgement_due, stage.response_due = dates.acknowledgement_due, dates.response_due
    taken = max(1, int(ctx.rng.triangular(typical * 0.3, typical * 1.5, typical * 0.8)))
    responded = ctx.working_days_after(stage.requested_on, taken)
    if responded <= ctx.today:
        stage.responded_on = responded
        if stage.response_due and responded > stage.response_due:
            stage.late_reason = ctx.term("late_reason")
        case.status, case.resolution, case.closed_on = (
            Status.CLOSED,
            Resolution.RESPONDED,
            responded,
        )


def _ombudsman(ctx: Context, b: Builder, complaint: Case) -> Case:
    rng = ctx.rng
    received = ctx.working_days_after(complaint.closed_on, rng.randint(10, 120))
    if received > ctx.today:
        return None
    decision = ctx.pick(
        {
            "referred-back": 3,
            "closed-initial-enquiries": 10,
            "advice-given": 1,
            "incomplete-invalid": 2,
            "not-upheld": 5,
            "upheld-fault-injustice": 4,
            "upheld-remedied": 2,
        }
    )
    decided = ctx.working_days_after(received, rng.randint(20, 120))
    closed = decided <= ctx.today
    # The Ombudsman's enquiry asks for a reply within 20 working days; the council replies in
    # 15. (Derived from the dates above, so the demo's random choices are unchanged.)
    reply_due = ctx.working_days_after(received, 20)
    replied = ctx.working_days_after(received, 15)
    case = b.new_case(
        Kind.OMBUDSMAN,
        received,
        status=Status.CLOSED if closed else Status.OPEN,
        closed_on=decided if closed else None,
        linked_case=complaint,
        lgsco_reference=f"{received.year % 100:02d} {rng.randint(0, 99999):05d}",
        lgsco_enquiry_type=ctx.term(
            "lgsco_enquiry_type",
            "detailed-investigation"
            if decision.startswith("upheld") or decision == "not-upheld"
            else "initial-assessment",
        ),
        lgsco_decision=ctx.term("lgsco_decision", decision) if closed else None,
        lgsco_decision_on=decided if closed else None,
        lgsco_remedy="Apology and a payment of £300 for distress."
        if closed and decision == "upheld-fault-injustice"
        else "",
        service_area=complaint.service_area,
        complainant_name=complaint.complainant_name,
        summary="Complainant asked the Local Government and Social Care Ombudsman to investigate.",
        allocated_to=ctx.users["manager"],
        lgsco_reply_due=reply_due,
        lgsco_replied_on=replied if replied <= ctx.today else None,
    )
    if closed and decision == "upheld-fault-injustice":
        due = ctx.working_days_after(decided, 20)
        done = ctx.working_days_after(decided, 12)
        complied = done if done <= ctx.today else None
        for kind, amount in ((RemedyKind.APOLOGY, None), (RemedyKind.PAYMENT, Decimal(300))):
            b.new_remedy(
                case, kind=kind, amount=amount, due_on=due, complied_on=complied,
                evidence="Copy sent to the Ombudsman." if complied else "",
            )  # fmt: skip
        case.lgsco_remedy_complied_on = complied
    return case


def build_cases(ctx: Context, count: int, years: int = 4) -> int:
    for term in Term.objects.all():
        ctx.terms[term.vocabulary][term.code] = term
    b = Builder(ctx)
    makers = {
        Kind.COMPLAINT: _complaint,
        Kind.COMPLIMENT: _compliment,
        Kind.COMMENT: _comment,
        Kind.REPRESENTATION: _representation,
        Kind.INFORMATION_REQUEST: _information_request,
    }
    for received in _received_dates(ctx, count, years):
        kind = ctx.pick(KIND_WEIGHTS)
        case = makers[kind](ctx, b, received)
        if (
            kind == Kind.COMPLAINT
            and case.closed_on
            and case.resolution == Resolution.RESPONDED
            and ctx.rng.random() < 0.04
        ):
            _ombudsman(ctx, b, case)
    if b.cases:
        contacts = [c for c in b.cases if c.kind == Kind.COMMENT]
        complaints = [c for c in b.cases if c.kind == Kind.COMPLAINT]
        for contact in contacts[: max(1, len(contacts) // 8)]:
            later = [
                c for c in complaints if c.received_on > contact.received_on and not b.is_linked(c)
            ]
            if later:
                b.link(later[0], contact)
    return b.save()


CASE_STUDIES = [
    "A young person in care complained that they had not been told when their social worker "
    "changed. The team apologised, introduced the new worker in person, and now writes to "
    "children whenever their worker changes.",
    "A parent complained that an assessment was shared with them on the morning of a meeting. "
    "The complaint was upheld; assessments are now shared at least two working days before.",
    "A foster carer complained about delays in payments. The finance process was reviewed and "
    "payments are now made on a fixed day each month.",
    "A family complained that their child's Education, Health and Care Plan was late. The "
    "service apologised, completed the plan and added weekly tracking of plans near their due "
    "date.",
]


def add_case_studies(rng: random.Random) -> int:
    """Mark a few closed complaints with learning as anonymised case studies, some of them
    chosen for publication, as complaints teams do for their annual report."""
    chosen = list(
        Case.objects.filter(kind=Kind.COMPLAINT, status=Status.CLOSED, learning__isnull=False)
        .order_by("id")
        .values_list("id", flat=True)
        .distinct()
    )
    picked = [case_id for case_id in chosen if rng.random() < 0.05]
    for case_id in picked:
        Case.objects.filter(pk=case_id).update(
            case_study=rng.choice(CASE_STUDIES), case_study_publishable=rng.random() < 0.7
        )
    return len(picked)
