"""What the case pages show, prepared so that templates hold no logic."""

from __future__ import annotations

import datetime

from django.utils import timezone

from heard.cases.choices import Status
from heard.cases.labels import label, say
from heard.cases.queries import list_queryset


def today() -> datetime.date:
    return timezone.localdate()


#: The stages the dashboards count cases at.
DASHBOARD_STAGES = (1, 2, 3)


def _tile(label: str, count: int, **params) -> dict:
    from heard.cases.trackers import tracker_url

    return {"label": label, "count": count, "url": tracker_url(**params)}


def countable(cases, now, calendar, *, allocated_to=None):
    """The cases any dashboard count could admit: open, overdue or due soon (of one officer,
    when given). A case none of the counts admits adds nothing to any of them, and leaving out
    the closed cases with nothing due lets the database search two indexes instead of reading
    every case. The officer is narrowed inside each branch, not around them, so that each
    branch is one search of the (officer, status) or (officer, next deadline) index: around
    them, SQLite read all 55,000 cases ever allocated to the demo officer."""
    from django.db.models import Q

    from heard.cases.trackers import due_soon_filter, overdue_filter

    branches = [
        Q(status__in=[Status.NEW, Status.OPEN]),
        overdue_filter(now),
        due_soon_filter(now, calendar),
    ]
    if allocated_to is not None:
        branches = [branch & Q(allocated_to=allocated_to) for branch in branches]
    return cases.filter(branches[0] | branches[1] | branches[2]).order_by()


def _counts(cases, now, calendar, *, allocated_to=None) -> dict:
    """Open, overdue, due soon, new, and open by stage, in one query, counted exactly as the
    trackers (``heard.cases.trackers``) list them, so each tile opens the cases it counts.
    Overdue and due soon look at every clock the council owes (the case's next deadline,
    ``schedule``), not only the stage response, with the trackers' own filters."""
    from django.db.models import Count, Q

    from heard.cases.trackers import due_soon_filter, overdue_filter

    still_open = Q(status__in=[Status.NEW, Status.OPEN])
    by_stage = {
        f"stage_{n}": Count("pk", filter=still_open & Q(stage_number=n)) for n in DASHBOARD_STAGES
    }
    return countable(cases, now, calendar, allocated_to=allocated_to).aggregate(
        open=Count("pk", filter=still_open),
        overdue=Count("pk", filter=overdue_filter(now)),
        due_soon=Count("pk", filter=due_soon_filter(now, calendar)),
        new=Count("pk", filter=Q(status=Status.NEW)),
        **by_stage,
    )


def _calendar():
    from heard.deadlines.calendar import council_calendar

    return council_calendar()


def work_summary(user, calendar=None, groups=None) -> dict:
    """The signed-in user's own work: each tile's link opens exactly the cases it counts.
    ``groups``: the manager's figures by team and officer (``team_groups``), when already
    counted: their own figures and the new cases are sums of those."""
    from django.db.models import F

    from heard.cases.trackers import LIST_FIELDS

    now = today()
    visible = list_queryset(user)
    if groups is None:
        mine = _counts(visible, now, calendar or _calendar(), allocated_to=user)
        new = visible.filter(status=Status.NEW).order_by().count()
    else:
        theirs = [group for group in groups if group["allocated_to"] == user.pk]
        mine = {name: sum(group[name] for group in theirs) for name in FIGURES}
        new = sum(group["new"] for group in groups)
    tiles = [
        _tile("Open cases allocated to you", mine["open"], view="mine"),
        _tile("Yours overdue", mine["overdue"], view="overdue", officer=user.pk),
        _tile(
            "Yours due in the next 5 working days",
            mine["due_soon"],
            view="due-soon",
            officer=user.pk,
        ),
        _tile("New cases to triage", new, view="new"),
    ]
    stages = [
        _tile(f"Stage {n}", mine[f"stage_{n}"], view="mine", stage=n) for n in DASHBOARD_STAGES
    ]
    # Everything allocated to them that the council still owes something on, soonest first.
    next_cases = (
        visible.filter(allocated_to=user, next_due_on__isnull=False)
        .order_by(F("next_due_on").asc(), "reference")
        .only(*LIST_FIELDS)[:10]
    )
    return {"tiles": tiles, "stages": stages, "next_cases": tracker_rows(next_cases, now)}


#: Month names as the case tables show dates ("5 Nov 2026"), fixed rather than taken from the
#: locale, like Django's "j M Y".
MONTHS = ("Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec")


def short_date(day: datetime.date | None) -> str:
    """A date as the case tables show it, "5 Nov 2026"; "" for none."""
    return f"{day.day} {MONTHS[day.month - 1]} {day.year}" if day else ""


def tracker_rows(cases, now=None) -> list[dict]:
    """Rows of a case list, every cell ready to print: the case tables are the most-read
    pages, and fifty rows of template lookups and date filters cost more than the query.

    A row is overdue when something the council owes on the case is past its date
    (``trackers.overdue_filter``, the "Overdue" tracker's own rule), which may be a later step
    rather than the response."""
    from django.urls import reverse

    from heard.cases.choices import Kind

    now = now or today()
    # One reverse for the page, not one per row (a reference needs no quoting: letters,
    # digits and hyphens).
    detail_url = reverse("cases:detail", args=["REFERENCE"])
    kinds, statuses = dict(Kind.choices), dict(Status.choices)
    rows = []
    for case in cases:
        if case.stage_suspended and not case.stage_responded_on:
            response_due = "Clock stopped"
        else:
            response_due = short_date(case.stage_response_due)
        rows.append(
            {
                "url": detail_url.replace("REFERENCE", case.reference),
                "reference": case.reference,
                "from": "Anonymous" if case.anonymous else case.complainant_name or "Not recorded",
                "kind": kinds.get(case.kind, case.kind),
                "received": short_date(case.received_on),
                "team": str(case.service_area) if case.service_area_id else "",
                "stage": case.stage_number or "",
                "response_due": response_due,
                "next_due": short_date(case.next_due_on),
                "next_label": case.next_due_label,
                "overdue": bool(case.next_due_on and case.next_due_on < now),
                "officer": str(case.allocated_to) if case.allocated_to_id else "",
                "status": statuses.get(case.status, case.status),
            }
        )
    return rows


#: What the team dashboard groups the cases it counts by: the team (with the two areas above
#: it, for the roll-up) and the officer (with what decides whether their list can be opened).
_TEAM = ("service_area", "service_area__name", "service_area__parent",
         "service_area__parent__parent")  # fmt: skip
_OFFICER = ("allocated_to", "allocated_to__first_name", "allocated_to__last_name",
            "allocated_to__is_active", "allocated_to__role")  # fmt: skip


#: The figures counted for each group of cases (see ``team_groups``).
FIGURES = ("open", "overdue", "due_soon", "new", *(f"stage_{n}" for n in DASHBOARD_STAGES))


def team_groups(user, calendar=None) -> list[dict]:
    """The cases any dashboard figure could count (``countable``), counted in groups of
    (team, officer), in one query: each group's open, overdue, due soon, new and open by
    stage, counted exactly as ``_counts`` counts them."""
    from django.db.models import Count, Q

    from heard.cases.trackers import due_soon_filter, overdue_filter

    now = today()
    calendar = calendar or _calendar()
    still_open = Q(status__in=[Status.NEW, Status.OPEN])
    figures = {
        "open": Count("pk", filter=still_open),
        "overdue": Count("pk", filter=overdue_filter(now)),
        "due_soon": Count("pk", filter=due_soon_filter(now, calendar)),
        "new": Count("pk", filter=Q(status=Status.NEW)),
        **{
            f"stage_{n}": Count("pk", filter=still_open & Q(stage_number=n))
            for n in DASHBOARD_STAGES
        },
    }
    return list(
        countable(list_queryset(user), now, calendar)
        .values(*_TEAM, *_OFFICER)
        .annotate(**figures)
        .order_by()
    )


def team_dashboard(user, calendar=None, groups=None) -> dict:
    """For the complaints manager: the whole team's work, by kind, team and officer. Each
    figure links to the tracker that lists exactly those cases: open ones to "All open cases",
    overdue ones (a closed Ombudsman case with a remedy not complied with included) to
    "Overdue", filtered by the team or officer.

    The tiles, the teams and the officers are sums of the groups of ``team_groups`` (one
    query; three queries, each reading every open case, cost the manager's home page more
    than the rest of it)."""
    from django.urls import reverse

    if groups is None:
        groups = team_groups(user, calendar)
    counts = {name: sum(group[name] for group in groups) for name in FIGURES}
    # The teams and officers tables list open and overdue cases only.
    listed = [group for group in groups if group["open"] or group["overdue"]]
    by_team = _within_teams(_summed(listed, _TEAM, ("service_area__name",)))
    by_officer = sorted(
        _summed(listed, _OFFICER, ("allocated_to__first_name", "allocated_to__last_name")),
        key=lambda r: (-r["open"], -r["overdue"], r["label"], r["id"] or 0),
    )
    trackers = reverse("cases:list")
    for row in by_team:
        _link(row, "team", row["id"], trackers)
    for row in by_officer:
        # The tracker offers the people who may be allocated cases now; someone who has left
        # is counted but has no list of their own to open.
        reachable = row["allocated_to__is_active"] and _reads_cases(row["allocated_to__role"])
        _link(row, "officer", row["id"] if reachable else None, trackers)
    return {
        "tiles": [
            _tile("Open cases", counts["open"], view="open"),
            _tile("Overdue", counts["overdue"], view="overdue"),
            _tile("Due in the next 5 working days", counts["due_soon"], view="due-soon"),
            _tile("New cases to triage", counts["new"], view="new"),
        ],
        "stages": [
            _tile(f"Stage {n}", counts[f"stage_{n}"], view="open", stage=n)
            for n in DASHBOARD_STAGES
        ],
        "by_team": [row for row in by_team if row["open"] or row["overdue"]],
        "by_officer": [row for row in by_officer if row["open"] or row["overdue"]],
    }


def _summed(groups: list[dict], fields: tuple, label_fields: tuple) -> list[dict]:
    """The groups' open and overdue figures added up by ``fields`` (the first is the id),
    each row labelled with ``label_fields`` ("Not recorded" when they are empty)."""
    rows: dict = {}
    for group in groups:
        key = group[fields[0]]
        row = rows.get(key)
        if row is None:
            row = rows[key] = {name: group[name] for name in fields}
            row.update(open=0, overdue=0, id=key)
            row["label"] = " ".join(filter(None, (group[f] for f in label_fields)))
            row["label"] = row["label"] or "Not recorded"
        row["open"] += group["open"]
        row["overdue"] += group["overdue"]
    return list(rows.values())


def _reads_cases(role) -> bool:
    from heard.accounts.roles import CASE_READER_ROLES

    return role in CASE_READER_ROLES


def _link(row: dict, name: str, value, trackers: str) -> None:
    """The row's links to its open and overdue cases (``trackers``: the case list's address,
    reversed once for the whole table)."""
    from heard.cases.trackers import tracker_url

    for view in ("open", "overdue"):
        link = tracker_url(address=trackers, view=view, **{name: value}) if value else ""
        row[f"{view}_url"] = link


def _within_teams(rows: list[dict]) -> list[dict]:
    """Each directorate, service or team's figures with those of the areas under it, as the
    tracker's team filter lists them (a service's list includes its teams' cases)."""
    totals = {row["id"]: dict(row) for row in rows}
    for row in rows:
        for above in (row["service_area__parent"], row["service_area__parent__parent"]):
            if above in totals and row["id"] is not None:
                totals[above]["open"] += row["open"]
                totals[above]["overdue"] += row["overdue"]
    return sorted(totals.values(), key=lambda r: (-r["open"], -r["overdue"], r["label"]))


def history(case, user=None, stages=None) -> list[dict]:
    """The case's history, newest first, in words (see ``heard.audit.history``), less a later
    stage's drafts for whoever answered Stage 1 (``independence.readable_history``)."""
    from heard.audit.history import rows
    from heard.cases.independence import readable_history

    return rows(readable_history(case, user, stages))


def case_page(case, user) -> dict:
    """Everything the case page shows, in a fixed number of queries: none is made per stage,
    part, letter, lesson or history entry (a test holds it to that), and none for a list
    the case has nothing in (``heard.cases.presence``)."""
    from django.db.models import Prefetch

    from heard.accounts import roles
    from heard.cases.actions import ACTIONS
    from heard.cases.models import Action, Extension, PartFinding, Suspension
    from heard.cases.presence import present
    from heard.deadlines.calendar import council_calendar
    from heard.people.presenters import arrangement_warnings, case_people

    has = present(case, user)
    # Each list is of one case (or one stage, or one lesson), so it is ordered by its own
    # columns: the models' default orders begin with the case ("case", "stage", "learning"),
    # which costs every query a join of the case and of the rows above it, and Django the
    # work of compiling them, for the same order.
    stages = []
    if "stages" in has:
        stages = list(case.stages.order_by("number").select_related("responder", "late_reason"))
    ids = [stage.pk for stage in stages]
    findings = _by("stage_id", has, "findings", lambda: PartFinding.objects.filter(stage__in=ids))
    extensions = _by(
        "stage_id", has, "extensions",
        lambda: Extension.objects.filter(stage__in=ids).order_by("agreed_on", "id"),
    )  # fmt: skip
    suspensions = _by(
        "stage_id", has, "suspensions",
        lambda: Suspension.objects.filter(stage__in=ids)
        .select_related("reason")
        .order_by("started_on", "id"),
    )  # fmt: skip
    parts = []
    if "parts" in has:
        parts = list(case.parts.select_related("category").order_by("number"))
    # Read once for the Summary's rows and the page's list of categories.
    many = {
        name: list(getattr(case, name).all()) if name in has else []
        for name in ("categories", "staff_complained_about")
    }
    now = today()
    calendar = council_calendar()
    clocks = []
    for stage in stages:
        found = {f.part_id: f for f in findings.get(stage.pk, [])}
        clock = {
            "stage": stage,
            "rows": stage_rows(stage),
            "findings": [(p, found.get(p.pk)) for p in parts],
            "extensions": extensions.get(stage.pk, []),
            "suspensions": suspensions.get(stage.pk, []),
        }
        clock["stopped"] = (
            stage.responded_on is None and stage.suspended and case.status != "closed"
        )
        if stage.responded_on is None and stage.response_due and case.status != "closed":
            left = calendar.working_days_between(now, stage.response_due)
            clock["days_left"] = left
            clock["overdue"] = left < 0
            clock["overdue_by"] = -left
        clocks.append(clock)
    actions = []
    if roles.can_run_casework(user):
        actions = [a for a in ACTIONS.values() if a.available(case, stages)]
    can_respond = (
        roles.can_record_response(user)
        and case.status != "closed"
        and any(s.responded_on is None for s in stages)
        and not any(s.suspended for s in stages if s.responded_on is None)
    )
    learning = []
    if "learning" in has:
        learning = list(
            case.learning.select_related("category")
            .order_by("recorded_on", "id")
            .prefetch_related(
                Prefetch(
                    "actions",
                    queryset=Action.objects.select_related("signed_off_by").order_by(
                        "due_on", "id"
                    ),
                )
            )
        )
    sections = case_sections(case, stages, many=many, suspensions=suspensions)
    people = []
    if "people" in has:
        people = case_people(case, arrangements="arrangements" in has)
    context = {
        "case": case,
        "parts": parts,
        "clocks": clocks,
        "categories": many["categories"],
        "sections": [
            section
            for section in sections
            if section["title"] != EQUALITY_SECTION or roles.can_run_casework(user)
        ],
        "history": history(case, user, stages),
        "actions": actions,
        "can_respond": can_respond,
        "can_edit": roles.can_run_casework(user),
        "can_contribute": roles.can_record_response(user),
        "latest_stage": stages[-1] if stages else None,
        "stages": stages,  # for the Deadlines panel, with the calendar: not read again
        "calendar": calendar,
        "learning": learning,
        "documents": (list(case.documents.order_by("uploaded_at")) if "documents" in has else []),
        "links": related_cases(case, user, linked_here="linked_here" in has),
        "correspondence": (
            list(case.correspondence.prefetch_related("attachments"))
            if "correspondence" in has
            else []
        ),
        "people": people,
        "people_warnings": arrangement_warnings(people) if "arrangements" in has else [],
        "online_submission": _one(case, "online_submission")
        if "online_submission" in has
        else None,
        "present": has,
        "today": now,
    }
    from heard.cases.access_presenters import adjust_case_page

    return adjust_case_page(context, user)  # restriction, independent stages, approvals


def _one(case, name: str):
    """The row of a one-to-one relation of ``case`` (its online submission …), or None."""
    try:
        return getattr(case, name)
    except case._meta.get_field(name).related_model.DoesNotExist:
        return None


def _by(key: str, has, name: str, rows) -> dict:
    """The rows (``rows()``, a queryset) grouped by ``key``, read only when the case has any
    of the list ``name`` (``heard.cases.presence``)."""
    grouped: dict = {}
    if name in has:
        for row in rows():
            grouped.setdefault(getattr(row, key), []).append(row)
    return grouped


def related_cases(case, user, *, linked_here: bool = True) -> list:
    """The cases linked to this one that ``user`` may see, in one query: the case it is
    linked to first, then those linked to it, newest first. ``linked_here``: whether any
    case may be linked to this one (none is when known not: ``heard.cases.presence``)."""
    from django.db.models import Q

    from heard.cases.models import Case

    if not case.linked_case_id and not linked_here:
        return []
    linked = Q(linked_case=case.pk)
    if case.linked_case_id:  # (never "id IS NULL OR …": SQLite would read every case)
        linked |= Q(pk=case.linked_case_id)
    found = list(
        Case.objects.visible_to(user).filter(linked).only("reference", "kind", "linked_case")
    )
    return [c for c in found if c.pk == case.linked_case_id] + [
        c for c in found if c.linked_case_id == case.pk
    ]


#: Kept apart from the narrative, and shown only to the complaints team (decision 0027).
EQUALITY_SECTION = "Equality monitoring"


# What a case records, shown -----------------------------------------------------------------

#: The case page's sections, each a list of fields in the order people read them. A field of
#: the case that is in none of them (a field added later) is shown under "Other details", so
#: that nothing recorded is ever visible only in the history or the edit form.
CASE_SECTIONS = (
    ("Summary", (
        "received_on", "channel", "procedure", "triage_reason", "request_type", "service_area",
        "locality", "allocated_to", "categories", "resolution", "closed_on",
        "resolution_reason", "summary", "desired_outcome",
    )),
    ("People", (
        "complainant_name", "anonymous", "complainant_role", "complainant_under_18",
        "complainant_looked_after", "complainant_email", "complainant_phone",
        "complainant_address", "complainant_postcode", "child_name", "child_consent",
        "representative_name", "representative_type", "advocate_offered", "advocate_accepted",
    )),
    ("Staff complained about", ("staff_complained_about", "staff_complained_about_names")),
    ("The enquiry", ("enquiry_source",)),
    ("Providers and inspection", ("provider_involved", "provider_name", "ofsted_notified")),
    ("The compliment", ("staff_named", "compliment_source", "quote", "quote_publishable")),
    ("The Ombudsman", (
        "lgsco_reference", "lgsco_enquiry_type", "lgsco_decision", "lgsco_decision_on",
        "lgsco_remedy", "lgsco_remedy_complied_on",
    )),
    ("The information request", (
        "disclosure_requester", "identification_received_on", "information_outcome",
        "further_records_request",
    )),
    ("Case study for the annual report", ("case_study", "case_study_publishable")),
    (EQUALITY_SECTION, (
        "equality_age_band", "equality_sex", "equality_ethnicity", "equality_disability",
    )),
)  # fmt: skip

#: Fields shown elsewhere on the page (the heading, the clocks, related cases) or kept only
#: for Heard's own bookkeeping.
CASE_SHOWN_ELSEWHERE = frozenset(
    {
        "id", "reference", "kind", "status", "linked_case", "created_at", "updated_at",
        "version", "stage_number", "stage_acknowledgement_due", "stage_response_due",
        "stage_responded_on", "stage_suspended", "needs_learning", "next_due_on",
        "next_due_label",
    }
)  # fmt: skip

#: A stage's fields in the order the page lists them; fields added later follow.
STAGE_ORDER = (
    "requested_on", "acknowledged_on", "acknowledgement_due", "response_due", "extended_to",
    "responder", "statement_agreed_on", "investigating_officer",
    "investigating_officer_external", "investigating_officer_fee", "independent_person",
    "independent_person_fee", "investigation_report_on", "panel_on", "panel_members",
    "panel_recommendations", "adjudication_on", "adjudication", "responded_on", "late_reason",
    "late_reason_detail", "outcome", "outcome_overridden", "outcome_override_reason",
    "remedy_apology", "remedy_financial", "remedy_action",
)  # fmt: skip
STAGE_SHOWN_ELSEWHERE = frozenset({"id", "case", "number", "suspended"})


def _recorded(model, name: str, value) -> bool:
    """Whether a value was recorded: not empty, and for a plain tick box, ticked. (A
    yes/no/not known answer of "No" is recorded; a tick box left empty is not.)"""
    if value is None or value == "" or value == []:
        return False
    if value is False:
        return model._meta.get_field(name).null
    return True


def _value(obj, name: str, many=None):
    field = obj._meta.get_field(name)
    if field.many_to_many:
        items = many[name] if many is not None and name in many else getattr(obj, name).all()
        return [str(item) for item in items]
    if field.is_relation:
        related = getattr(obj, name)
        if name == "service_area" and related is not None:
            return " › ".join(str(area) for area in related.lineage())
        return str(related) if related is not None else None
    return getattr(obj, name)


def _row(obj, name: str, many=None) -> dict | None:
    value = _value(obj, name, many)
    if not _recorded(type(obj), name, value):
        return None
    shown = say(value, name)
    if name == "extended_to":
        unit = "calendar months" if obj.case.procedure == "sar" else "working days"
        shown = f"{value} {unit} in all"
    return {"name": name, "label": label(name), "value": shown}


def _fields_in_order(model, declared, elsewhere) -> list[str]:
    names = [f.name for f in model._meta.get_fields() if f.concrete]
    names = [n for n in names if n not in elsewhere]
    known = [n for n in declared if n in names]
    return known + [n for n in names if n not in known]


def case_sections(case, stages=None, *, many=None, suspensions=None) -> list[dict]:
    """The case's recorded details in sections of (label, value) rows; empty sections are
    left out. ``stages``: the case's stages, when already read; ``many``: its many-to-many
    fields' items by field name, and ``suspensions`` its stages' clock stops by stage id,
    when already read."""
    from heard.cases.models import Case

    declared = [name for _, names in CASE_SECTIONS for name in names]
    everything = _fields_in_order(Case, declared, CASE_SHOWN_ELSEWHERE)
    sections = [(title, [n for n in names if n in everything]) for title, names in CASE_SECTIONS]
    others = [n for n in everything if n not in declared]
    if others:
        sections.append(("Other details", others))
    result = []
    for title, names in sections:
        rows = [row for row in (_row(case, name, many) for name in names) if row]
        if title == "The information request":
            rows.extend(_identification_rows(case, stages, suspensions))
        if rows:
            result.append({"title": title, "rows": rows})
    return result


def stage_rows(stage) -> list[dict]:
    """Every recorded detail of a stage, as (label, value) rows."""
    from heard.cases.models import Stage

    names = _fields_in_order(Stage, STAGE_ORDER, STAGE_SHOWN_ELSEWHERE)
    return [row for row in (_row(stage, name) for name in names) if row]


def _identification_rows(case, stages=None, suspensions=None) -> list[dict]:
    """For a subject access request whose clock waits for proof of identity: how the date
    identification arrived moved the response due date. ``suspensions``: the stages' clock
    stops by stage id, when already read."""
    from heard.cases.clocks import stage_due_dates
    from heard.deadlines.calendar import council_calendar
    from heard.timescales import TimescaleError

    if not case.identification_received_on or not case.procedure:
        return []
    if stages is None:
        stages = list(case.stages.order_by("number"))
    stage = min(stages, key=lambda s: s.number, default=None)
    if stage is None or stage.response_due is None:
        return []
    stops = stage.suspensions.all() if suspensions is None else suspensions.get(stage.pk, [])
    try:
        without = stage_due_dates(
            council_calendar(),
            procedure=case.procedure,
            stage_number=stage.number,
            received_on=case.received_on,
            requested_on=stage.requested_on,
            acknowledged_on=stage.acknowledged_on,
            extended_to=stage.extended_to,
            suspensions=[(s.started_on, s.ended_on) for s in stops],
        ).response_due
    except TimescaleError:
        return []
    if without is None or without == stage.response_due:
        text = f"The response is due {say(stage.response_due)}; identification did not move it."
    else:
        text = (
            f"The clock started when identification arrived: the response is due "
            f"{say(stage.response_due)} rather than {say(without)}."
        )
    return [{"name": "identification_moved", "label": "Effect on the due date", "value": text}]
