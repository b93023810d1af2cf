"""The case-level facts a report reads, loaded once per report in a handful of queries.

Reports need every case open at any time in a window of reporting years, with its stages,
parts, findings and learning. Loading these as plain rows (``values()``) and computing in
Python keeps each measure readable, makes the semantics testable without SQL, and costs a
fixed number of queries whatever the size of the council (asserted in the tests).
"""

from __future__ import annotations

import datetime
import gc
from collections.abc import Iterable
from contextlib import contextmanager
from dataclasses import dataclass, field
from decimal import Decimal

from django.db.models import Q

from heard.cases.choices import Kind, Status
from heard.cases.models import Action, Case, Learning, Part, PartFinding, Stage
from heard.reports.periods import ReportingYear
from heard.reports.rows import flat, rows
from heard.taxonomy.models import Locality, ServiceArea, Term
from heard.timescales.calendar import WorkingCalendar


@dataclass(slots=True)
class StageFacts:
    number: int
    requested_on: datetime.date
    statement_agreed_on: datetime.date | None
    acknowledged_on: datetime.date | None
    acknowledgement_due: datetime.date | None
    response_due: datetime.date | None
    responded_on: datetime.date | None
    extended_to: int | None
    outcome: str
    late_reason_id: int | None
    investigating_officer_external: bool
    investigating_officer_fee: Decimal | None
    independent_person_fee: Decimal | None
    panel_on: datetime.date | None
    #: Finding by part number.
    findings: dict[int, str] = field(default_factory=dict)


@dataclass(slots=True, frozen=True)
class PartFacts:
    """A part complained about (frozen: the loader gives every part with the same number and
    category the same object, a few dozen for tens of thousands of parts)."""

    number: int
    category_id: int | None


@dataclass(slots=True)
class ActionFacts:
    due_on: datetime.date
    completed_on: datetime.date | None
    signed_off_on: datetime.date | None


@dataclass(slots=True)
class LearningFacts:
    category_id: int | None
    lesson: str
    publishable: bool
    recorded_on: datetime.date
    actions: list[ActionFacts] = field(default_factory=list)


@dataclass(slots=True)
class CaseFacts:
    id: int
    reference: str
    kind: str
    status: str
    procedure: str
    resolution: str
    received_on: datetime.date
    closed_on: datetime.date | None
    channel_id: int | None
    complainant_role_id: int | None
    under_18: bool | None
    looked_after: bool | None
    advocate_offered: bool | None
    advocate_accepted: bool | None
    representative_type_id: int | None
    service_area_id: int | None
    locality_id: int | None
    enquiry_source_id: int | None
    compliment_source_id: int | None
    quote: str
    quote_publishable: bool
    lgsco_enquiry_type_id: int | None
    lgsco_decision_id: int | None
    lgsco_decision_on: datetime.date | None
    request_type: str
    disclosure_requester_id: int | None
    information_outcome: str
    further_records_request: bool
    linked_case_id: int | None
    provider_involved: bool
    case_study: str
    case_study_publishable: bool
    #: Equality monitoring answers ("" when not answered): counted only, small numbers
    #: always suppressed (``heard.reports.sections.complainants.equality``).
    equality_age_band: str
    equality_sex: str
    equality_ethnicity: str
    equality_disability: str
    category_ids: list[int] = field(default_factory=list)
    stages: list[StageFacts] = field(default_factory=list)
    parts: list[PartFacts] = field(default_factory=list)
    learning: list[LearningFacts] = field(default_factory=list)
    #: True when a complaint was later logged from this contact (``linked_case``).
    became_complaint: bool = False

    def stage(self, number: int) -> StageFacts | None:
        for stage in self.stages:
            if stage.number == number:
                return stage
        return None

    def stage_on(self, day: datetime.date) -> StageFacts | None:
        """The stage the case was at on ``day``: the latest one requested by then."""
        current = None
        for stage in self.stages:
            if stage.requested_on <= day:
                current = stage
        return current

    def open_on(self, day: datetime.date) -> bool:
        return self.received_on <= day and (self.closed_on is None or self.closed_on > day)


@dataclass(frozen=True)
class TermInfo:
    id: int
    vocabulary: str
    code: str
    label: str
    order: int


@dataclass(frozen=True)
class GroupInfo:
    """A named group of focus categories the council reports as one figure."""

    code: str
    name: str
    category_ids: frozenset[int]


@dataclass(frozen=True)
class AreaInfo:
    id: int
    code: str
    name: str
    level: str
    order: int
    parent_id: int | None


CASE_FIELDS = {
    "id": "id",
    "reference": "reference",
    "kind": "kind",
    "status": "status",
    "procedure": "procedure",
    "resolution": "resolution",
    "received_on": "received_on",
    "closed_on": "closed_on",
    "channel_id": "channel_id",
    "complainant_role_id": "complainant_role_id",
    "under_18": "complainant_under_18",
    "looked_after": "complainant_looked_after",
    "advocate_offered": "advocate_offered",
    "advocate_accepted": "advocate_accepted",
    "representative_type_id": "representative_type_id",
    "service_area_id": "service_area_id",
    "locality_id": "locality_id",
    "enquiry_source_id": "enquiry_source_id",
    "compliment_source_id": "compliment_source_id",
    "quote": "quote",
    "quote_publishable": "quote_publishable",
    "lgsco_enquiry_type_id": "lgsco_enquiry_type_id",
    "lgsco_decision_id": "lgsco_decision_id",
    "lgsco_decision_on": "lgsco_decision_on",
    "request_type": "request_type",
    "disclosure_requester_id": "disclosure_requester_id",
    "information_outcome": "information_outcome",
    "further_records_request": "further_records_request",
    "linked_case_id": "linked_case_id",
    "provider_involved": "provider_involved",
    "case_study": "case_study",
    "case_study_publishable": "case_study_publishable",
    "equality_age_band": "equality_age_band",
    "equality_sex": "equality_sex",
    "equality_ethnicity": "equality_ethnicity",
    "equality_disability": "equality_disability",
}

STAGE_FIELDS = (
    "id",
    "case_id",
    "number",
    "requested_on",
    "statement_agreed_on",
    "acknowledged_on",
    "acknowledgement_due",
    "response_due",
    "responded_on",
    "extended_to",
    "outcome",
    "late_reason_id",
    "investigating_officer_external",
    "investigating_officer_fee",
    "independent_person_fee",
    "panel_on",
)

#: Positions of money in a stage row.
STAGE_DECIMALS = tuple(i for i, name in enumerate(STAGE_FIELDS) if name.endswith("_fee"))


class Dataset:
    """Every case open at any time from the start of ``first`` to the end of ``last``, with
    the council's vocabularies, service areas and localities to label them."""

    def __init__(
        self,
        first: ReportingYear,
        last: ReportingYear,
        calendar: WorkingCalendar,
        cases: list[CaseFacts],
        terms: dict[int, TermInfo],
        areas: dict[int, AreaInfo],
        localities: dict[int, str],
        today: datetime.date,
        groups: list[GroupInfo] | None = None,
    ):
        self.first = first
        self.last = last
        self.calendar = calendar
        self.cases = cases
        self.terms = terms
        self.areas = areas
        self.localities = localities
        self.today = today
        self.groups = groups or []
        self._area_at: dict[tuple[int | None, str], AreaInfo | None] = {}

    # Labels -----------------------------------------------------------------------------

    def term(self, term_id: int | None) -> TermInfo | None:
        return self.terms.get(term_id) if term_id is not None else None

    def terms_of(self, vocabulary: str) -> list[TermInfo]:
        found = [t for t in self.terms.values() if t.vocabulary == vocabulary]
        return sorted(found, key=lambda t: (t.order, t.label))

    def area_at(self, area_id: int | None, level: str) -> AreaInfo | None:
        """The directorate, service or team above (or at) a case's service area (worked out
        once per area and level: tables ask for it for every case)."""
        key = (area_id, level)
        try:
            return self._area_at[key]
        except KeyError:
            pass
        node = self.areas.get(area_id) if area_id is not None else None
        while node is not None and node.level != level:
            node = self.areas.get(node.parent_id) if node.parent_id else None
        self._area_at[key] = node
        return node

    def kind(self, kind: str) -> list[CaseFacts]:
        return [case for case in self.cases if case.kind == kind]


#: Tracked objects made while loading above which a full collection follows.
MANY_NEW_OBJECTS = 50_000


@contextmanager
def gc_paused(collect: bool = True):
    """Pause Python's cyclic garbage collector while the rows become facts.

    Loading creates several hundred thousand small objects (rows, dates, facts, lists), none
    of them in reference cycles. Each time tracked objects grow by a quarter the collector walks
    every object in the process, which for 34,000 cases cost more than all the queries (0.6 s
    of 1.4 s). Reference counting still frees everything. Afterwards, when many objects were
    made, one full collection counts them as old at once; left to itself, the collector would
    walk them three times more (young, middle, then all) while the sections run.

    A report that loads and computes in one go (``heard.reports.annual.build``) pauses the
    collector around both instead: its facts are freed by reference counting when it returns,
    so nothing is left for a full collection to walk (that collection cost a tenth of the
    report at 50,000 cases), and it passes ``collect=False``: the full collection afterwards
    would only walk every other object in the process (60 ms in a process holding nothing
    else; far more beside another report's facts), while the few objects it returns are
    walked by the next young collection as usual. Nested pauses leave it to the outermost.
    """
    enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if enabled:  # unless something else had paused it
            gc.enable()
            if collect and gc.get_count()[0] > MANY_NEW_OBJECTS:
                gc.collect()


def load(
    first: ReportingYear,
    last: ReportingYear,
    calendar: WorkingCalendar,
    today: datetime.date | None = None,
) -> Dataset:
    """Load the cases open at any time between the start of ``first`` and the end of ``last``."""
    today = today or datetime.date.today()
    with gc_paused():
        cases = _cases(first, last)
    from heard.cases.restriction import withhold_text

    withhold_text(cases)  # a restricted case is counted, its words never printed
    terms = {
        t.id: TermInfo(t.id, t.vocabulary, t.code, t.label, t.order) for t in Term.objects.all()
    }
    # Categories in the council's order (sorted here: ordering in SQL needs a join).
    rank = {term.id: (term.order, term.id) for term in terms.values()}
    for case in cases:
        if len(case.category_ids) > 1:
            case.category_ids.sort(key=rank.__getitem__)
    areas = {
        a.id: AreaInfo(a.id, a.code, a.name, a.level, a.order, a.parent_id)
        for a in ServiceArea.objects.all()
    }
    localities = dict(Locality.objects.values_list("id", "name"))
    return Dataset(first, last, calendar, cases, terms, areas, localities, today, _groups())


def _groups() -> list[GroupInfo]:
    """The council's category groups with their categories, in its order (one query)."""
    from heard.reports.models import CategoryGroup

    groups: dict[int, tuple[str, str, set[int]]] = {}
    for group_id, code, name, term_id in CategoryGroup.objects.values_list(
        "id", "code", "name", "categories"
    ):
        groups.setdefault(group_id, (code, name, set()))[2].update(
            () if term_id is None else (term_id,)
        )
    return [GroupInfo(code, name, frozenset(ids)) for code, name, ids in groups.values()]


#: At most this many ids are listed one by one in a query (see ``_superset``).
FEW_IDS = 500


def _superset(column: str, wanted: Iterable[int], start: int) -> Q:
    """Rows whose ``column`` is an id from the lowest to the highest of ``wanted``, without
    those below ``start`` that are not wanted (when there are at most ``FEW_IDS`` wanted ids
    below it, listed). A superset of ``wanted`` that the database reads in the order of an
    index on ``column``, cheaper than looking each wanted id up in it."""
    wanted = list(wanted)
    if not wanted:  # none (ids start at 1), still asked for: the same queries every time
        return Q(**{f"{column}__lt": 1})
    column_range = Q(**{f"{column}__gte": min(wanted), f"{column}__lte": max(wanted)})
    below = sorted(i for i in wanted if i < start)
    if not below or len(below) > FEW_IDS:
        return column_range
    return column_range & (Q(**{f"{column}__gte": start}) | Q(**{f"{column}__in": below}))


def _cases(first: ReportingYear, last: ReportingYear) -> list[CaseFacts]:
    """The cases with their stages, findings, parts, categories and learning.

    Stages, parts, categories and learning are read for the range of case ids the window
    spans, skipping the ids below the cases received in it other than the few older cases
    still open in it (``_superset``), and kept when their case is in the window. That reads
    a few more rows than the window's, but asking SQLite for the rows of each case in the
    window (``case_id IN (...)``) looked each one up in an index and cost twice as much.
    Findings and actions are read likewise for the stages (learning) kept, without joining
    their stage (learning) to reach its case.
    """
    in_window = {"received_on__lte": last.end}
    open_in_window = Case.objects.filter(**in_window).exclude(closed_on__lt=first.start)
    cases = [
        CaseFacts(*row)
        for row in rows(open_in_window.order_by("received_on", "id"), CASE_FIELDS.values())
    ]
    by_id = {case.id: case for case in cases}
    if not cases:
        return cases
    # The cases received in the window have the window's newest ids; the few still open from
    # before it are listed by id, and the ids between them and the window's are skipped.
    received = [case.id for case in cases if case.received_on >= first.start]
    ids = _superset("case_id", by_id, min(received, default=0))

    stages_by_id: dict[int, StageFacts] = {}
    newer = set(received)
    newer_stages: list[int] = []  # the stages of the cases received in the window
    for stage_id, case_id, *rest in rows(
        Stage.objects.filter(ids).order_by("case_id", "number"),
        STAGE_FIELDS,
        decimals=STAGE_DECIMALS,
    ):
        if case := by_id.get(case_id):
            stage = stages_by_id[stage_id] = StageFacts(*rest)
            case.stages.append(stage)
            if case_id in newer:
                newer_stages.append(stage_id)

    part_numbers: dict[int, int] = {}
    parts: dict[tuple[int, int | None], PartFacts] = {}  # each (number, category) made once
    for part_id, case_id, number, category_id in rows(
        Part.objects.filter(ids).order_by("case_id", "number"),
        ("id", "case_id", "number", "category_id"),
    ):
        if case := by_id.get(case_id):
            part_numbers[part_id] = number
            shared = parts.get((number, category_id))
            if shared is None:
                shared = parts[number, category_id] = PartFacts(number, category_id)
            case.parts.append(shared)

    # Unordered (the model's ordering joins parts and sorts every finding in SQL); each
    # stage's findings are put in part order below.
    for stage_id, part_id, finding in rows(
        PartFinding.objects.filter(
            _superset("stage_id", stages_by_id, min(newer_stages, default=0))
        ).order_by(),
        ("stage_id", "part_id", "finding"),
    ):
        if stage := stages_by_id.get(stage_id):
            stage.findings[part_numbers[part_id]] = finding
    for stage in stages_by_id.values():
        if len(stage.findings) > 1:
            stage.findings = dict(sorted(stage.findings.items()))

    through = Case.categories.through
    for case_id, term_id in rows(through.objects.filter(ids), ("case_id", "term_id")):
        if case := by_id.get(case_id):
            case.category_ids.append(term_id)

    learning_by_id: dict[int, LearningFacts] = {}
    newer_learning: list[int] = []
    for learning_id, case_id, category_id, lesson, publishable, recorded_on in rows(
        Learning.objects.filter(ids).order_by("case_id", "recorded_on", "id"),
        ("id", "case_id", "category_id", "lesson", "publishable", "recorded_on"),
    ):
        if case := by_id.get(case_id):
            learning = learning_by_id[learning_id] = LearningFacts(
                category_id, lesson, publishable, recorded_on
            )
            case.learning.append(learning)
            if case_id in newer:
                newer_learning.append(learning_id)
    for learning_id, due_on, completed_on, signed_off_on in rows(
        Action.objects.filter(
            _superset("learning_id", learning_by_id, min(newer_learning, default=0))
        ).order_by("learning_id", "due_on", "id"),
        ("learning_id", "due_on", "completed_on", "signed_off_on"),
    ):
        if learning := learning_by_id.get(learning_id):
            learning.actions.append(ActionFacts(due_on, completed_on, signed_off_on))

    # Every complaint logged from a contact, kept when the contact is in the window: one
    # indexed look-up, where asking for links into the window re-ran its whole selection.
    for contact_id in flat(
        Case.objects.filter(
            kind=Kind.COMPLAINT, linked_case__isnull=False, linked_case__kind=Kind.COMMENT
        ).order_by(),
        "linked_case_id",
    ):
        if contact_id in by_id:
            by_id[contact_id].became_complaint = True
    return cases


__all__ = ["Dataset", "CaseFacts", "StageFacts", "load", "Status"]
