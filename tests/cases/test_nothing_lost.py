"""Nothing is lost when a form is saved: every staff edit form, opened on a fully filled case
of every kind and saved as the browser would send it, unchanged, changes no stored value and
writes no audit entry of a change.

The edit forms are found from the URL configuration: every page of the staff apps is either
round-tripped here or listed in ``NOT_EDIT_FORMS`` with the reason, so a new edit form fails
``test_every_staff_page_is_either_round_tripped_or_not_an_edit_form`` until it is covered.
"""

from __future__ import annotations

import datetime
from decimal import Decimal

import pytest
import time_machine
from django.urls import URLResolver, get_resolver, reverse

from heard.audit.models import AuditEvent
from heard.cases.models import Action, Case
from heard.reports.models import ContextFigure
from tests.full_cases import SHAPES, full_case, shape_id, snapshot_everything
from tests.html_forms import submitted

pytestmark = pytest.mark.django_db

#: The apps whose pages staff use. (The admin is Django's; the API and the public form have
#: their own tests.)
STAFF_NAMESPACES = {
    "core", "accounts", "cases", "deadlines", "exchange", "reports", "people", "retention",
    "correspondence", "search", "online", "jobs",
}  # fmt: skip


def _case_pages(name):
    def urls(case):
        return [reverse(name, args=[case.reference])]

    return urls


def _learning_pages(case):
    return [
        reverse("cases:learning-edit", args=[case.reference, x.pk]) for x in case.learning.all()
    ]


def _action_pages(case):
    actions = Action.objects.filter(learning__case=case)
    return [reverse("cases:action-edit", args=[case.reference, a.pk]) for a in actions]


def _context_figure_pages(case):
    figure = ContextFigure.objects.create(
        code="children-in-need",
        label="Children in need",
        year=2023,
        value=Decimal("2450.50"),
        as_at=datetime.date(2024, 3, 31),
        source="CIN census",
        rate_base=True,
        order=3,
    )
    return [reverse("reports:context-figure-edit", args=[figure.pk])]


def _calendar_settings_pages(case):
    return [reverse("deadlines:settings")]


def _everyone_on(case) -> list:
    """Whoever a restriction of ``case`` must name: its officer and every stage's responder."""
    people = [case.allocated_to, *(s.responder for s in case.stages.all() if s.responder_id)]
    return [p for p in people if p is not None]


def _restrict_pages(case):
    """The case restricted, by the manager, to its officer and responders and one more."""
    from heard.accounts.models import User
    from heard.cases import restriction

    extra = User.objects.get(username="officer")
    restriction.restrict(
        case,
        people=[*_everyone_on(case), extra],
        reason="About a member of the complaints team.\nKeep it to the people named.",
        user=User.objects.get(username="manager"),
    )
    return [reverse("cases:restrict", args=[case.reference])]


def _approval_setting_pages(case):
    """Every stage of the case's procedure needs a check and a sign-off by named managers."""
    from heard.accounts.models import User
    from heard.cases import approvals

    procedure = case.procedure or "childrens_statutory"
    signers = [User.objects.get(username="manager"), User.objects.get(username="full-officer")]
    pages = []
    for number in range(1, approvals.STAGES.get(procedure, 1) + 1):
        approvals.set_rule(
            procedure, number, team_check=True, sign_off=True, signers=signers,
            user=signers[0],
        )  # fmt: skip
        pages.append(reverse("cases:approval-setting", args=[procedure, number]))
    return pages


def _edition_settings_pages(case):
    """A draft annual report edition with an outcome basis other than the default and two
    sections left out. Its settings form sits on the edition's edit page."""
    from heard.accounts.models import User
    from heard.reports import annual, definitions, editions

    manager = User.objects.get(username="manager")
    basis = [b for b in definitions.OUTCOME_BASES if b != definitions.DEFAULT_OUTCOME_BASIS][0]
    edition = editions.create_edition("annual", 2023, manager, outcome_basis=basis)
    off = [key for key, _ in annual.switchable_sections()][:2]
    editions.update_settings(edition, basis, off, manager, edition.version)
    edition.refresh_from_db()
    assert edition.sections_off == sorted(off)
    return [
        (
            reverse("reports:edition-edit", args=[edition.pk]),
            reverse("reports:edition-settings", args=[edition.pk]),
        )
    ]


def _category_group_pages(case):
    """A group of two of the council's categories, the case's own among them."""
    from heard.accounts.models import User
    from heard.reports import services
    from heard.taxonomy.models import Term

    manager = User.objects.get(username="manager")
    categories = list(Term.objects.filter(vocabulary="category").order_by("pk")[:2])
    group = services.add_category_group(
        user=manager, name="Staff behaviour", code="staff-behaviour", categories=categories
    )
    return [reverse("reports:category-group-edit", args=[group.pk])]


def _person_pages(case):
    """Every person record linked to the case."""
    return [reverse("people:edit", args=[link.person_id]) for link in case.people_links.all()]


#: Every edit form, by URL name: the pages to open for a fully filled case.
EDIT_FORMS = {
    "cases:edit": _case_pages("cases:edit"),
    "cases:stage": lambda case: _case_pages("cases:stage")(case) if case.stages.exists() else [],
    "cases:learning-edit": _learning_pages,
    "cases:action-edit": _action_pages,
    "reports:context-figure-edit": _context_figure_pages,
    "deadlines:settings": _calendar_settings_pages,
    "cases:restrict": _restrict_pages,
    "cases:approval-setting": _approval_setting_pages,
    "reports:edition-settings": _edition_settings_pages,
    "reports:category-group-edit": _category_group_pages,
    "people:edit": _person_pages,
    "people:choose": _case_pages("people:choose"),
}

#: Every other staff page, and why it is not an edit form of something already recorded.
NOT_EDIT_FORMS = {
    "core:home": "a dashboard",
    "core:health": "a health check",
    "accounts:sign-in": "signing in",
    "accounts:sign-out": "signing out",
    "cases:list": "a list with filters (GET)",
    "cases:new": "chooses the kind of a new case",
    "cases:new-kind": "logs a new case",
    "cases:detail": "shows a case",
    "cases:respond": "records a new response, once",
    "cases:learning": "records new learning",
    "cases:complete-action": "signs an action off, once",
    "cases:documents": "adds a new document",
    "cases:document": "downloads a document",
    "cases:action": "a workflow transition (triage, allocate, extend …): each makes a change",
    "deadlines:calculator": "a calculator (GET)",
    "deadlines:closures": "adds a new closure day",
    "deadlines:remove-closure": "removes a closure day",
    "exchange:import": "uploads a new import",
    "exchange:import-confirm": "confirms an import",
    "reports:home": "a list of reports",
    "reports:annual": "shows a report",
    "reports:annual-chart": "an image of one of the report's charts",
    "reports:annual-download": "downloads a report",
    "reports:management": "shows a report",
    "reports:scrutiny": "shows a report",
    "reports:lgsco": "shows a report",
    "reports:editions": "a list of editions",
    "reports:edition-new": "starts a new edition",
    "reports:edition": "shows an edition",
    "reports:edition-download": "downloads an edition",
    "reports:edition-edit": "the edition's narrative: covered by the reports tests",
    "reports:edition-case-studies": "chooses case studies: covered by the reports tests",
    "reports:edition-tables": "adds or removes a custom table",
    "reports:edition-publish": "publishes (freezes) an edition, once",
    "reports:edition-next": "starts the next edition",
    "reports:context-figures": "a list of context figures",
    "reports:context-figure-add": "adds a new context figure",
    "reports:context-figure-delete": "deletes a context figure",
    "reports:tables": "a list of custom tables",
    "reports:table-new": "builds a new custom table",
    "reports:table": "shows a custom table",
    "reports:table-delete": "deletes a custom table",
    "cases:remedy-new": "records a new Ombudsman remedy",
    "cases:remedy-comply": "records compliance with a remedy, once",
    "cases:approval": "records one check or sign-off step, once",
    "cases:approval-settings": "a list of the approval rules",
    "exchange:export": "starts an export job",
    "reports:category-groups": "a list of category groups",
    "reports:category-group-add": "adds a new category group",
    "reports:category-group-delete": "removes a category group",
    "accounts:second-factor": "enters a code to sign in",
    "accounts:second-factor-set-up": "sets up a new second factor, once",
    "accounts:second-factor-recovery-codes": "issues a new set of recovery codes",
    "accounts:oidc-start": "starts single sign-on",
    "accounts:oidc-callback": "finishes single sign-on",
    "people:detail": "shows a person",
    "people:representatives": "a list of representatives",
    "people:merge": "merges two people, once",
    "people:arrangement-new": "records a new contact arrangement",
    "people:arrangement-review": "records a review of an arrangement, once",
    "people:arrangement-end": "ends an arrangement, once",
    "correspondence:inbox": "a list of e-mails to file",
    "correspondence:file": "files an e-mail on a case, once",
    "correspondence:write": "writes a new letter or e-mail",
    "correspondence:upload": "adds a new e-mail file",
    "correspondence:log": "logs a new contact or note",
    "correspondence:attachment": "downloads an attachment",
    "search:results": "a search (GET)",
    "online:advocate-appointed": "records an advocate's appointment, once",
    "online:revoke-progress": "stops a progress link, once",
    "jobs:job": "shows a job's progress",
    "jobs:download": "downloads a job's file",
    "retention:schedule": "sets a retention rule (a new rule, or replaces one)",
    "retention:remove-rule": "removes a retention rule",
    "retention:reviews": "approves cases for anonymisation",
    "retention:hold": "places or lifts a legal hold, once",
    "retention:person-export": "downloads a subject access export",
}


def _staff_url_names(resolver=None, namespace=""):
    for pattern in (resolver or get_resolver()).url_patterns:
        if isinstance(pattern, URLResolver):
            inner = f"{namespace}{pattern.namespace}:" if pattern.namespace else namespace
            if pattern.namespace and pattern.namespace not in STAFF_NAMESPACES:
                continue
            yield from _staff_url_names(pattern, inner)
        elif namespace:
            yield f"{namespace}{pattern.name}"


def test_every_staff_page_is_either_round_tripped_or_not_an_edit_form():
    names = set(_staff_url_names())
    unclassified = names - set(EDIT_FORMS) - set(NOT_EDIT_FORMS)
    assert not unclassified, f"Add these pages to EDIT_FORMS or NOT_EDIT_FORMS: {unclassified}"
    gone = (set(EDIT_FORMS) | set(NOT_EDIT_FORMS)) - names
    assert not gone, f"These pages no longer exist: {gone}"


@pytest.fixture(autouse=True)
def frozen_today():
    with time_machine.travel(datetime.datetime(2024, 11, 20, 12, tzinfo=datetime.UTC), tick=False):
        yield


def _audited_changes(since: int):
    events = AuditEvent.objects.filter(pk__gt=since).exclude(
        action__in={"case.viewed", "document.viewed", "case.opened", "api.case_read", "api.called"}
    )
    return [(event.action, event.changes) for event in events]


def _last_event() -> int:
    return AuditEvent.objects.order_by("-pk").values_list("pk", flat=True).first() or 0


@pytest.mark.parametrize("shape", SHAPES, ids=shape_id)
def test_saving_an_edit_form_unchanged_changes_nothing(client_for, shape):
    """Every edit form of one fully filled case, each saved as it is shown. The case is made
    once for all the forms (making it for each form was a minute of the suite): a form that
    changes something is named, and the next form is checked against the data as it left."""
    case = full_case(*shape)
    client = client_for("manager")
    wrong = []
    for form_name in sorted(EDIT_FORMS):
        pages = EDIT_FORMS[form_name](case)  # some make what the form edits (a rule, a group)
        before, last_event = snapshot_everything(), _last_event()
        for url in pages:
            # A page, or (the page, where its form posts) when the form posts elsewhere.
            url, action = url if isinstance(url, tuple) else (url, None)
            page = client.get(url)
            if page.status_code != 200:
                wrong.append(f"{form_name}: {url} answered {page.status_code}")
                continue
            data = submitted(page.content.decode(), action=action)
            response = client.post(action or url, data)
            if response.status_code != 302:
                wrong.append(f"{form_name}: {url} refused: {response.content.decode()[:3000]}")
        after = snapshot_everything()
        if after != before:
            changed = sorted(k for k in set(before) | set(after) if before.get(k) != after.get(k))
            wrong.append(f"{form_name} changed {changed}")
        if audited := _audited_changes(last_event):
            wrong.append(f"{form_name} audited {audited}")
        case.refresh_from_db()
    assert wrong == [], "\n".join(wrong)


@pytest.mark.parametrize("shape", SHAPES, ids=shape_id)
def test_a_retired_term_or_responder_survives_a_save(client_for, shape):
    """A value the council has since switched off (a channel no longer used, a responder who
    left) is still the case's value: saving the form keeps it."""
    from heard.taxonomy.models import Term

    case = full_case(*shape)
    Term.objects.filter(
        pk__in=[
            case.channel_id,
            case.complainant_role_id,
            *case.categories.values_list("pk", flat=True),
        ]
    ).update(active=False)
    Term.objects.filter(pk__in=case.learning.values("category")).update(active=False)
    stage = case.stages.order_by("-number").first()
    if stage is not None and stage.responder_id:
        stage.responder.is_active = False
        stage.responder.save()
    before = snapshot_everything()
    client = client_for("manager")
    urls = [reverse("cases:edit", args=[case.reference]), *_learning_pages(case)]
    if stage is not None:
        urls.append(reverse("cases:stage", args=[case.reference]))
    for url in urls:
        data = submitted(client.get(url).content.decode())
        assert client.post(url, data).status_code == 302, url
    assert snapshot_everything() == before
    assert Case.objects.get(pk=case.pk).version == case.version


def test_someone_who_has_left_stays_named_when_a_setting_is_saved(client_for):
    """A person named on a restriction, or as a senior manager who may sign off, who has since
    left (switched off) or changed role stays named when the form is saved unchanged."""
    from heard.accounts.models import User
    from heard.accounts.roles import Role

    case = full_case("complaint", 2)
    urls = [*_restrict_pages(case), *_approval_setting_pages(case)]
    User.objects.filter(username="officer").update(is_active=False)
    User.objects.filter(username="full-officer").update(role=Role.VIEWER)
    before = snapshot_everything()
    client = client_for("manager")
    for url in urls:
        data = submitted(client.get(url).content.decode())
        assert client.post(url, data).status_code == 302, url
    assert snapshot_everything() == before


def _empty_the_database():
    """No cases, teams, localities or context figures. (Staff accounts stay: the audit trail,
    which cannot be deleted, refers to them.)"""
    from heard.taxonomy.models import Locality, ServiceArea

    Case.objects.update(linked_case=None)
    Case.objects.all().delete()
    while ServiceArea.objects.exists():
        ServiceArea.objects.filter(children__isnull=True).delete()
    Locality.objects.all().delete()
    ContextFigure.objects.all().delete()


def test_heard_export_then_import_into_an_empty_database_keeps_every_field(tmp_path):
    """``heard export``, then ``heard import`` of that file into an empty database: every
    field of every case, stage, part, finding, extension, suspension, learning and action is
    as it was."""
    import io

    from django.core.management import call_command

    from tests.full_cases import natural_snapshot

    for shape in SHAPES:
        full_case(*shape)
    before = natural_snapshot()
    path = tmp_path / "cases.json"
    call_command("export", output=str(path), stdout=io.StringIO())
    _empty_the_database()
    assert not Case.objects.exists()
    call_command("import", str(path), create_missing=True, stdout=io.StringIO())
    after = natural_snapshot()
    assert after.keys() == before.keys()
    assert _differences(before, after) == []


def _differences(old, new, where=""):
    """Where two nested values differ, as (path, old, new)."""
    if isinstance(old, dict) and isinstance(new, dict):
        return [
            found
            for key in old.keys() | new.keys()
            for found in _differences(old.get(key), new.get(key), f"{where}/{key}")
        ]
    if isinstance(old, list) and isinstance(new, list) and len(old) == len(new):
        return [
            found
            for index, (a, b) in enumerate(zip(old, new, strict=True))
            for found in _differences(a, b, f"{where}[{index}]")
        ]
    return [] if old == new else [(where, old, new)]


@pytest.fixture
def api(client, personas):
    from heard.api.models import ApiToken

    _, key = ApiToken.issue(personas["manager"], "tests")
    client.defaults["HTTP_AUTHORIZATION"] = f"Bearer {key}"
    return client


def _api_url(case):
    return f"/api/v1/cases/{case.reference}"


@pytest.mark.parametrize("shape", SHAPES, ids=shape_id)
def test_putting_a_case_back_through_the_api_unchanged_changes_nothing(api, shape):
    case = full_case(*shape)
    before = snapshot_everything()
    last_event = AuditEvent.objects.order_by("-pk").values_list("pk", flat=True).first() or 0
    record = api.get(_api_url(case)).json()
    response = api.put(_api_url(case), record, content_type="application/json")
    assert response.status_code == 200, response.json()
    assert response.json() == record
    assert snapshot_everything() == before
    assert [a for a in _audited_changes(last_event) if a[0] != "api.called"] == []


def test_a_detail_put_through_the_api_is_saved_and_audited_and_state_is_refused(api):
    case = full_case("complaint", 1)
    record = api.get(_api_url(case)).json()
    record["complainant"]["under_18"] = None
    record["advocate_accepted"] = True
    changed = api.put(_api_url(case), record, content_type="application/json")
    assert changed.status_code == 200, changed.json()
    case.refresh_from_db()
    assert (case.complainant_under_18, case.advocate_accepted) == (None, True)
    audited = AuditEvent.objects.filter(action="case.changed").latest("pk").changes
    assert {c["field"] for c in audited} == {"complainant_under_18", "advocate_accepted"}
    stale = api.put(_api_url(case), record, content_type="application/json")
    assert stale.status_code == 409 and stale.json()["error"]["code"] == "conflict"
    fresh = api.get(_api_url(case)).json()
    fresh["status"] = "closed"
    refused = api.put(_api_url(case), fresh, content_type="application/json")
    assert refused.status_code == 409
    assert "status cannot be changed here" in refused.json()["error"]["message"]
