"""Timescale rules as data, versioned by the date they took effect, each with its source.

A rule says, for one stage of one procedure, how long there is to acknowledge and to respond,
what event starts the response clock, how far it can be extended, and where that comes from.
``rule_for(procedure, stage, on)`` picks the version in force on a date (normally the date the
case was received). Add a new version by appending a rule with a later ``effective_from`` and
closing the previous one with ``effective_to``; old cases keep the rule they started under.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass, replace
from typing import Literal

from heard.timescales.errors import UnknownRule

Unit = Literal["working_days", "months"]
ClockStart = Literal["received", "requested", "acknowledged", "statement_agreed"]
#: What a milestone counts from: the stage's own response clock (its limit, after extensions
#: and stopped days), the request, the panel, or the receipt of the stage's report.
MilestoneStart = Literal["stage_limit", "requested", "panel", "report"]


@dataclass(frozen=True)
class MilestoneRule:
    """A later step of a stage with its own due date: the Investigating Officer's report and
    the adjudication at Stage 2, the panel, its report and the council's response at Stage 3."""

    key: str
    name: str
    #: Working days after ``after`` (0 with ``after="stage_limit"``: due with the stage).
    days: int
    after: MilestoneStart
    #: Never due later than the stage's own limit (the Stage 2 adjudication falls inside the
    #: 25, or at most 65, working days), unless the event it counts from came after that limit.
    within_stage_limit: bool = False


@dataclass(frozen=True)
class StageRule:
    procedure: str
    stage: int
    name: str
    effective_from: datetime.date
    effective_to: datetime.date | None
    #: Working days from the stage's start to acknowledge (None: no acknowledgement clock).
    acknowledge_days: int | None
    #: Time to respond (None: agreed with the complainant case by case).
    respond: int | None
    respond_unit: Unit = "working_days"
    respond_from: ClockStart = "requested"
    #: The most the response time may be extended to, in all, in ``respond_unit`` (None: no
    #: extension allowed).
    max_extended_to: int | None = None
    #: Working days within which the complainant may ask for this stage after the previous
    #: stage's response (None: no limit set).
    request_within: int | None = None
    #: Calendar override (FOI counts a bank holiday in any part of the UK).
    region: str | None = None
    #: Calendar months after which a written explanation is owed if there is still no
    #: response (adult social care: 6).
    explanation_after_months: int | None = None
    #: Calendar months after the matter within which a complaint should normally be made.
    made_within_months: int | None = None
    #: Later steps of the stage, each with its own due date.
    milestones: tuple[MilestoneRule, ...] = ()
    #: The later step that *is* the stage's response (Stage 3: the council's response to the
    #: panel, decision 0028). The stage's response is then due when that step is, and
    #: ``respond`` is the time to the first step (the panel), from which the rest are counted
    #: until their events happen (``timescales.clocks.stage_response_due``).
    response_step: str | None = None
    source: str = ""
    notes: str = ""

    def in_force(self, on: datetime.date) -> bool:
        return self.effective_from <= on and (self.effective_to is None or on <= self.effective_to)

    def describe_limit(self) -> str:
        unit = "working days" if self.respond_unit == "working_days" else "calendar months"
        return f"{self.max_extended_to} {unit}"


@dataclass(frozen=True)
class Target:
    """A timescale that reports measure against: statutory ones come from the rules, local
    ones are set by the council on top (for example, acknowledge within 2 working days)."""

    kind: Literal["statutory", "local"]
    measure: Literal["acknowledge", "respond"]
    working_days: int
    procedure: str | None = None  # None: every procedure
    stage: int | None = None  # None: every stage
    label: str = ""


_EPOCH = datetime.date(1990, 1, 1)
_CODE_IN_FORCE = datetime.date(2026, 4, 1)

CHILDRENS = (
    "Children Act 1989 Representations Procedure (England) Regulations 2006 (SI 2006/1738), "
    "and 'Getting the Best from Complaints' (DfES, 2006)"
)
CODE = (
    "Local Government and Social Care Ombudsman, Complaint Handling Code (in force for the "
    "Ombudsman from 1 April 2026)"
)

# fmt: off
RULES: tuple[StageRule, ...] = (
    # --- Children's statutory procedure ----------------------------------------------------
    StageRule(
        "childrens_statutory", 1, "Stage 1: local resolution", _EPOCH, None,
        acknowledge_days=5, respond=10, respond_from="received", max_extended_to=20,
        made_within_months=12,
        source=f"{CHILDRENS}, reg. 14(2) and (3): response within 10 working days, extendable "
        "to 20. Acknowledgement within 5 working days as commonly applied by councils.",
        notes="Complaints should normally be made within one year of the matter (reg. 9).",
    ),
    StageRule(
        "childrens_statutory", 2, "Stage 2: investigation", _EPOCH, None,
        acknowledge_days=5, respond=25, respond_from="requested", max_extended_to=65,
        request_within=20,
        milestones=(
            MilestoneRule("io_report", "Investigating Officer's report", 0, "stage_limit"),
            MilestoneRule(
                "adjudication", "Adjudication (the council's response)", 20, "report",
                within_stage_limit=True,
            ),
        ),
        source=f"{CHILDRENS}, reg. 17(2) and (3): 25 working days, extendable to 65; the "
        "request within 20 working days of the Stage 1 response (reg. 17(1)). The council "
        "chooses whether the clock starts on the request or on agreement of the statement of "
        "complaint. 'Getting the Best from Complaints': the council responds (the "
        "adjudication) within 20 working days of receiving the Investigating Officer's report.",
        notes="The report is due by the stage limit; the adjudication 20 working days after the "
        "report arrives, but no later than the stage limit (see docs/decisions/0012).",
    ),
    StageRule(
        "childrens_statutory", 3, "Stage 3: review panel", _EPOCH, None,
        acknowledge_days=5, respond=30, respond_from="requested", max_extended_to=None,
        request_within=20,
        milestones=(
            MilestoneRule("panel", "Review panel", 30, "requested"),
            MilestoneRule("panel_report", "Panel's report", 5, "panel"),
            MilestoneRule("panel_response", "Council's response to the panel", 15, "report"),
        ),
        # The stage's response is the council's response to the panel's recommendations
        # (decision 0028): due 15 working days after the panel's report.
        response_step="panel_response",
        source=f"{CHILDRENS}, regs. 18-20: request within 20 working days of the Stage 2 "
        "adjudication; panel within 30 working days of the request; panel report within 5 "
        "working days of the panel; the council's response within 15 working days of the "
        "report.",
        notes="The stage's response is the council's response to the panel's recommendations "
        "(see docs/decisions/0028).",
    ),
    # --- Corporate complaints --------------------------------------------------------------
    StageRule(
        "corporate", 1, "Stage 1 (local policy before the Code)", _EPOCH,
        _CODE_IN_FORCE - datetime.timedelta(days=1),
        acknowledge_days=3, respond=20, respond_from="received", max_extended_to=None,
        source="The council's own corporate complaints policy before the Complaint Handling "
        "Code: respond within 20 working days of receipt.",
    ),
    StageRule(
        "corporate", 2, "Stage 2 (local policy before the Code)", _EPOCH,
        _CODE_IN_FORCE - datetime.timedelta(days=1),
        acknowledge_days=3, respond=20, respond_from="requested", max_extended_to=None,
        source="The council's own corporate complaints policy before the Complaint Handling "
        "Code: respond within 20 working days of the request.",
    ),
    StageRule(
        "corporate", 1, "Stage 1", _CODE_IN_FORCE, None,
        acknowledge_days=5, respond=10, respond_from="acknowledged", max_extended_to=20,
        source=f"{CODE}, paragraphs 6.2 to 6.4: 'Complaints should be acknowledged, and logged "
        "at stage 1 ... within five working days of the complaint being received'; 'a full "
        "response to stage 1 complaints within 10 working days of the complaint being "
        "acknowledged'; 'Any extension should be no more than 10 working days without good "
        "reason'.",
    ),
    StageRule(
        "corporate", 2, "Stage 2", _CODE_IN_FORCE, None,
        acknowledge_days=5, respond=20, respond_from="acknowledged", max_extended_to=40,
        source=f"{CODE}, section 6, Stage 2: acknowledged within five working days of the "
        "escalation request; a full response within 20 working days of acknowledgement; any "
        "extension no more than 20 further working days without good reason, explained to the "
        "complainant with the Ombudsman's details (paragraph 6.5).",
        notes="The Stage 2 extension limit follows the Code's Stage 2 provisions as councils "
        "publish them; the Stage 1 wording was checked against the Code on lgo.org.uk.",
    ),
    # --- Adult social care (one stage; response period agreed) -----------------------------
    StageRule(
        "adult_social_care", 1, "Response", _EPOCH, None,
        acknowledge_days=3, respond=None, respond_from="received", max_extended_to=None,
        explanation_after_months=6,
        source="Local Authority Social Services and National Health Service Complaints "
        "(England) Regulations 2009 (SI 2009/309), reg. 13 (acknowledge within 3 working days; "
        "response period agreed with the complainant) and reg. 14(2) (a written explanation "
        "if there is no response within 6 months).",
    ),
    # --- Information requests --------------------------------------------------------------
    StageRule(
        "sar", 1, "Subject access request", _EPOCH, None,
        acknowledge_days=None, respond=1, respond_unit="months", respond_from="received",
        max_extended_to=3,
        source="UK GDPR Article 12(3): one month of receipt (or of receipt of the "
        "identification needed), extendable by two further months for complex or numerous "
        "requests; the ICO's guidance on calculating time limits.",
    ),
    StageRule(
        "foi", 1, "Freedom of information request", _EPOCH, None,
        acknowledge_days=None, respond=20, respond_from="received", max_extended_to=40,
        region="united-kingdom",
        source="Freedom of Information Act 2000, s.10(1) and (6): the 20th working day "
        "following receipt, a working day excluding a bank holiday in any part of the UK; "
        "s.10(3) public-interest extension, which the ICO expects to be no more than 20 further "
        "working days.",
    ),
    StageRule(
        "eir", 1, "Environmental information request", _EPOCH, None,
        acknowledge_days=None, respond=20, respond_from="received", max_extended_to=40,
        source="Environmental Information Regulations 2004, reg. 5(2) and 7(1): 20 working "
        "days, extendable to 40 for complex and voluminous requests.",
    ),
    StageRule(
        "disclosure", 1, "Disclosure request", _EPOCH, None,
        acknowledge_days=None, respond=20, respond_from="received", max_extended_to=40,
        source="Local default for disclosure requests from the police and other agencies.",
    ),
    # --- MP and councillor enquiries (local) -----------------------------------------------
    StageRule(
        "representation", 1, "Enquiry", _EPOCH, None,
        acknowledge_days=2, respond=10, respond_from="received", max_extended_to=20,
        source="Local default for MP and councillor enquiries (acknowledge in 2 working days, "
        "respond in 10); councils set their own.",
    ),
)
# fmt: on

#: Local targets reported beside the statutory ones; a council's own replace these.
DEFAULT_LOCAL_TARGETS: tuple[Target, ...] = (
    Target("local", "acknowledge", 2, label="Acknowledged within 2 working days"),
    Target("local", "respond", 20, label="Responded to within 20 working days"),
)


@dataclass(frozen=True)
class ExtensionPolicy:
    """A council's own rule for extending corporate complaints (a council setting): the
    Complaint Handling Code's limits (``"code"``, the default), no extensions at all
    (``"none"``), or the council's own limit in all for each stage (``"own"``)."""

    mode: Literal["code", "none", "own"] = "code"
    stage1_max: int | None = None
    stage2_max: int | None = None


CODE_DEFAULTS = ExtensionPolicy()


def apply_policy(rule: StageRule, policy: ExtensionPolicy | None) -> StageRule:
    """The rule as the council applies it: for corporate complaints, its extension policy
    replaces the rule's limit; every other procedure keeps the law's."""
    if policy is None or policy.mode == "code" or rule.procedure != "corporate":
        return rule
    if policy.mode == "none":
        return replace(
            rule, max_extended_to=None, notes="The council allows no extension at this stage."
        )
    limit = {1: policy.stage1_max, 2: policy.stage2_max}.get(rule.stage)
    if limit is None:
        return rule
    return replace(
        rule,
        max_extended_to=limit,
        notes=f"The council's own limit: at most {limit} working days in all.",
    )


def rule_for(
    procedure: str, stage: int, on: datetime.date, rules: tuple[StageRule, ...] = RULES
) -> StageRule:
    """The rule in force for a procedure's stage on a date."""
    for rule in rules:
        if rule.procedure == procedure and rule.stage == stage and rule.in_force(on):
            return rule
    raise UnknownRule(
        f"There is no timescale for stage {stage} of the {procedure.replace('_', ' ')} "
        f"procedure on {on:%-d %B %Y}."
    )


def has_rule(procedure: str, stage: int, on: datetime.date) -> bool:
    try:
        rule_for(procedure, stage, on)
    except UnknownRule:
        return False
    return True


def statutory_targets(rule: StageRule) -> list[Target]:
    targets = []
    if rule.acknowledge_days is not None:
        targets.append(
            Target("statutory", "acknowledge", rule.acknowledge_days, rule.procedure, rule.stage)
        )
    if rule.respond is not None and rule.respond_unit == "working_days":
        targets.append(Target("statutory", "respond", rule.respond, rule.procedure, rule.stage))
    return targets
