"""Fully filled cases: every field of the case, its stages, parts, findings, learning and
actions set, with values that are not the defaults (a "No" rather than "Not known", a fee with
pence, text over several lines), so that a form, the API or an export that drops or resets
anything shows it.

The cases are built through the workflow, as the screens build them, and the fields the
workflow does not set are then filled in directly. Call inside a frozen day after
:data:`TODAY`.
"""

from __future__ import annotations

import datetime
from decimal import Decimal

from heard.accounts.models import User
from heard.accounts.roles import Role
from heard.cases import services, workflow
from heard.cases.choices import (
    AgeBand,
    Consent,
    Disability,
    Ethnicity,
    Finding,
    InformationOutcome,
    Kind,
    Sex,
)
from heard.cases.models import Action, Case, Learning, Stage
from heard.taxonomy.models import Locality, ServiceArea, Term
from tests.factories import UserFactory

D = datetime.date
TODAY = D(2024, 11, 20)
RECEIVED = D(2024, 3, 4)

#: The kinds of case, and for complaints the stage reached, that every form test covers.
SHAPES = [
    ("complaint", 1),
    ("complaint", 2),
    ("complaint", 3),
    ("corporate", 2),
    ("compliment", None),
    ("comment", None),
    ("representation", 1),
    ("ombudsman", None),
    ("information_request", 1),
]


def shape_id(shape) -> str:
    kind, stage = shape
    return f"{kind}-stage-{stage}" if stage else kind


def _term(vocabulary: str, index: int = 1) -> Term:
    """Not the first term of a vocabulary, so that a select that falls back to its first
    option is caught."""
    terms = list(Term.objects.of(vocabulary))
    return terms[min(index, len(terms) - 1)]


def _team() -> ServiceArea:
    directorate, _ = ServiceArea.objects.get_or_create(
        code="full-directorate", defaults={"name": "Children's Services", "level": "directorate"}
    )
    service, _ = ServiceArea.objects.get_or_create(
        code="full-service",
        defaults={"name": "Children's Social Care", "level": "service", "parent": directorate},
    )
    team, _ = ServiceArea.objects.get_or_create(
        code="full-team",
        defaults={"name": "Family Support West", "level": "team", "parent": service},
    )
    return team


def _people():
    officer = UserFactory(username="full-officer", first_name="Olu", last_name="Officer")
    responder = UserFactory(
        username="full-responder",
        first_name="Rita",
        last_name="Responder",
        role=Role.RESPONDING_MANAGER,
    )
    return officer, responder


def _later_responder(number: int):
    user, _ = User.objects.get_or_create(
        username=f"full-investigator-{number}",
        defaults={"first_name": "Ivy", "last_name": f"Investigator {number}",
                  "role": Role.INVESTIGATOR},
    )  # fmt: skip
    return user


#: The details only one kind of case has (the exchange format carries them for that kind).
KIND_ONLY = {
    Kind.COMPLIMENT: ("staff_named", "compliment_source", "quote", "quote_publishable"),
    Kind.REPRESENTATION: ("enquiry_source",),
    Kind.OMBUDSMAN: (
        "lgsco_reference", "lgsco_enquiry_type", "lgsco_decision", "lgsco_decision_on",
        "lgsco_remedy", "lgsco_remedy_complied_on",
    ),
    Kind.INFORMATION_REQUEST: (
        "disclosure_requester", "identification_received_on", "information_outcome",
        "further_records_request",
    ),
}  # fmt: skip


def case_details(kind: str) -> dict:
    """Every detail a case of this kind has, with values that are not the defaults."""
    others = {name for k, names in KIND_ONLY.items() if k != kind for name in names}
    return {k: v for k, v in _all_details().items() if k not in others}


#: A name that must never appear in a report (tests/reports/test_staff_never_reported.py).
STAFF_COMPLAINED_ABOUT_NAME = "Quillon Staffordshire-Vantablack"


def _complained_about() -> User:
    user, _ = User.objects.get_or_create(
        username="full-complained-about",
        defaults={"first_name": "Morgan", "last_name": "Zephyrine-Subject",
                  "role": Role.RESPONDING_MANAGER},
    )  # fmt: skip
    return user


def _all_details() -> dict:
    return {
        "channel": _term("channel", 2),
        "summary": "The social worker did not return calls.\nThe plan was changed without us.",
        "desired_outcome": "An apology,\nand a new plan.",
        "complainant_name": "Alex Parent",
        "complainant_email": "alex.parent@example.org",
        "complainant_phone": "01234 567890",
        "complainant_address": "1 High Street\nTowntown",
        "complainant_postcode": "AB1 2CD",
        "complainant_role": _term("complainant_role", 1),
        "complainant_under_18": False,
        "complainant_looked_after": True,
        "anonymous": True,
        "child_name": "Casey Child",
        "child_consent": Consent.GIVEN,
        "representative_type": _term("representative_type", 1),
        "representative_name": "Councillor Rep",
        "advocate_offered": True,
        "advocate_accepted": False,
        "service_area": _team(),
        "locality": Locality.objects.get_or_create(code="full-westside", name="Westside")[0],
        "provider_involved": True,
        "provider_name": "Sunny Homes Ltd",
        "ofsted_notified": False,
        "staff_complained_about": [_complained_about()],
        "staff_complained_about_names": f"{STAFF_COMPLAINED_ABOUT_NAME}\nPat Carer",
        "equality_age_band": AgeBand.AGE_35_44,
        "equality_sex": Sex.FEMALE,
        "equality_ethnicity": Ethnicity.MIXED,
        "equality_disability": Disability.PREFER_NOT_TO_SAY,
        "staff_named": "Sam Worker and Pat Carer",
        "compliment_source": _term("compliment_source", 1),
        "quote": "Sam listened,\nand things changed.",
        "quote_publishable": True,
        "enquiry_source": _term("enquiry_source", 1),
        "lgsco_reference": "23 012 345",
        "lgsco_enquiry_type": _term("lgsco_enquiry_type", 2),
        "lgsco_decision": _term("lgsco_decision", 5),
        "lgsco_decision_on": D(2024, 10, 1),
        "lgsco_remedy": "Apologise and pay £250.",
        "lgsco_remedy_complied_on": D(2024, 10, 15),
        "disclosure_requester": _term("disclosure_requester", 1),
        "identification_received_on": D(2024, 3, 11),
        "information_outcome": InformationOutcome.PARTLY,
        "further_records_request": True,
        "case_study": "A parent's calls went unanswered;\nthe team now calls back in a day.",
        "case_study_publishable": True,
    }


def _stage_details(number: int, responder) -> dict:
    details = {"responder": responder}
    if number == 2:
        details.update(
            investigating_officer="Ivy Investigator",
            investigating_officer_external=True,
            investigating_officer_fee=Decimal("2450.50"),
            independent_person="Ian Independent",
            independent_person_fee=Decimal("975.25"),
            adjudication="The council accepts the findings,\nand apologises.",
        )
    if number == 3:
        details.update(
            panel_members="Chair: P. Panel\nMember: Q. Member",
            panel_recommendations="Review the plan.\nTrain the team.",
            adjudication="The council accepts the panel's recommendations.",
        )
    return details


def _stage_dates(stage: Stage) -> dict:
    start = stage.requested_on
    if stage.number == 2:
        return {
            "statement_agreed_on": start + datetime.timedelta(days=5),
            "adjudication_on": start + datetime.timedelta(days=40),
        }
    if stage.number == 3:
        return {
            "panel_on": start + datetime.timedelta(days=20),
            "adjudication_on": start + datetime.timedelta(days=30),
        }
    return {}


def _answer(case: Case, stage: Stage, user, on: datetime.date) -> None:
    parts = list(case.parts.order_by("number"))
    findings = {p.pk: (Finding.UPHELD if p.number == 1 else Finding.NOT_UPHELD) for p in parts}
    workflow.respond(
        case,
        responded_on=on,
        findings=findings,
        late_reason=_term("late_reason", 1),
        late_reason_detail="The manager was away.",
        remedy_apology=True,
        remedy_financial=Decimal("1250.00"),
        remedy_action="Put the plan right.",
        user=user,
    )


def _fill_stage(case: Case, stage: Stage, responder, user) -> None:
    workflow.update_stage(
        case, changes={**_stage_details(stage.number, responder), **_stage_dates(stage)}, user=user
    )


def full_case(kind: str, stage: int | None = None) -> Case:
    """A case of ``kind`` (or "corporate" for a corporate complaint) with every field set;
    complaints opened at ``stage`` with the earlier stages answered."""
    officer, responder = _people()
    procedure = ""
    if kind == "complaint":
        procedure = "childrens_statutory"
    elif kind == "corporate":
        kind, procedure = "complaint", "corporate"
    details = case_details(kind)
    extra = {}
    if kind == Kind.INFORMATION_REQUEST:
        extra["request_type"] = "sar"
    case = services.log_case(
        user=officer,
        kind=kind,
        received_on=RECEIVED,
        procedure=procedure,
        parts=[
            {"summary": "Calls were not returned", "category": _term("category", 3)},
            {"summary": "The plan was changed", "category": _term("category", 4)},
        ]
        if kind == Kind.COMPLAINT
        else [],
        **{k: v for k, v in details.items() if k not in {"channel"}},
        channel=details["channel"],
        **extra,
    )
    case.categories.set([_term("category", 1), _term("category", 2)])
    workflow.allocate(case, to=officer, user=officer)
    if kind == Kind.OMBUDSMAN:
        other = services.log_case(
            user=officer, kind=Kind.COMPLAINT, received_on=RECEIVED, procedure="corporate"
        )
        Case.objects.filter(pk=case.pk).update(linked_case=other)
    case.refresh_from_db()
    first = case.stages.order_by("number").first()
    if first is not None:
        workflow.acknowledge(case, on=first.requested_on + datetime.timedelta(days=1), user=officer)
        extend_to = 20 if case.procedure == "childrens_statutory" else None
        if extend_to:
            workflow.extend(
                case,
                extended_to=extend_to,
                reason="Complex: several teams involved.",
                agreed_on=first.requested_on + datetime.timedelta(days=3),
                user=officer,
            )
        workflow.suspend(
            case,
            reason=_term("suspension_reason", 1),
            started_on=first.requested_on + datetime.timedelta(days=4),
            note="Police enquiry.",
            user=officer,
        )
        workflow.resume(
            case, ended_on=first.requested_on + datetime.timedelta(days=9), user=officer
        )
        _fill_stage(case, first, responder, officer)
    day = RECEIVED + datetime.timedelta(days=60)
    for number in range(2, (stage or 1) + 1):
        _answer(case, case.stages.get(number=number - 1), officer, day)
        workflow.escalate(case, requested_on=day + datetime.timedelta(days=7), user=officer)
        current = case.stages.get(number=number)
        workflow.acknowledge(
            case, on=current.requested_on + datetime.timedelta(days=1), user=officer
        )
        # Later stages are answered by someone independent of Stage 1 (independence.py).
        _fill_stage(case, current, _later_responder(number), officer)
        day += datetime.timedelta(days=70)
    learning = workflow.add_learning(
        case,
        category=_term("learning_category", 2),
        lesson="Return calls within a day.\nRecord each call.",
        recommendation="Set up a call-back rota.",
        publishable=True,
        user=officer,
    )
    done = workflow.add_action(
        learning,
        description="Write the call-back procedure",
        owner="Team manager, Family Support West",
        due_on=D(2024, 9, 30),
        shared_with_complainant=True,
        user=officer,
    )
    workflow.complete_action(
        done, completed_on=D(2024, 9, 20), evidence="Procedure v2 issued.", user=officer
    )
    workflow.add_action(
        learning,
        description="Train the team\non the new procedure",
        owner="Practice lead",
        due_on=D(2024, 12, 31),
        user=officer,
    )
    case.refresh_from_db()
    return case


def snapshot_everything() -> dict:
    """Every stored value of every row a case owns (and of the context figures, restrictions,
    approval rules and report editions), to compare before and after: a save that changes
    nothing leaves this exactly as it was."""
    from heard.cases.models import (
        ApprovalRule,
        Extension,
        Part,
        PartFinding,
        Remedy,
        Restriction,
        Suspension,
    )
    from heard.reports.models import ContextFigure, Edition

    models = (Case, Stage, Part, PartFinding, Extension, Suspension, Learning, Action, Remedy)
    settings = (ContextFigure, Restriction, ApprovalRule, Edition)
    result = {}
    for model in (*models, *settings):
        rows = {}
        for obj in model.objects.order_by("pk"):
            values = {
                f.attname: getattr(obj, f.attname)
                for f in model._meta.concrete_fields
                if f.name != "updated_at"
            }
            for m2m in model._meta.many_to_many:
                values[m2m.name] = sorted(getattr(obj, m2m.name).values_list("pk", flat=True))
            rows[obj.pk] = values
        result[model.__name__] = rows
    return result


def _natural(obj) -> object:
    """A related row by what identifies it outside this database."""
    from heard.accounts.models import User

    if obj is None:
        return None
    if isinstance(obj, Term):
        return (obj.vocabulary, obj.code)
    if isinstance(obj, User):
        return obj.username
    if isinstance(obj, ServiceArea | Locality):
        return obj.code
    if isinstance(obj, Case):
        return obj.reference
    return str(obj)


#: Bookkeeping that another database may number differently.
_BOOKKEEPING = {"id", "case", "stage", "learning", "part", "created_at", "updated_at", "version"}


def _row(obj) -> dict:
    values = {}
    for field in obj._meta.concrete_fields:
        if field.name in _BOOKKEEPING:
            continue
        value = getattr(obj, field.name)
        values[field.name] = _natural(value) if field.is_relation else value
    for m2m in obj._meta.many_to_many:
        values[m2m.name] = sorted(_natural(t) for t in getattr(obj, m2m.name).all())
    return values


def natural_snapshot() -> dict:
    """Every case with everything it owns, keyed by reference, stage and part number, with
    related rows by their codes: two databases holding the same cases give the same value."""
    result = {}
    for case in Case.objects.order_by("reference"):
        stages = []
        for stage in case.stages.order_by("number"):
            stages.append(
                {
                    **_row(stage),
                    "findings": sorted(
                        (f.part.number, f.finding) for f in stage.findings.select_related("part")
                    ),
                    "extensions": [_row(e) for e in stage.extensions.all()],
                    "suspensions": [_row(s) for s in stage.suspensions.all()],
                }
            )
        result[case.reference] = {
            **_row(case),
            "parts": [_row(p) for p in case.parts.order_by("number")],
            "stages": stages,
            "learning": [
                {**_row(item), "actions": [_row(a) for a in item.actions.all()]}
                for item in case.learning.all()
            ],
        }
    return result
