"""Every staff URL, as every role: who gets the page, who is refused, who must sign in.

A URL that is not listed in EXPECTED fails this test, so no page can be added without
deciding who may see it.
"""

import datetime

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import URLPattern, URLResolver, get_resolver

from heard.cases import workflow
from heard.cases.documents import add_document
from heard.deadlines.models import ClosureDay
from heard.reports import editions
from heard.reports.models import ContextFigure, SavedTable
from tests.factories import CaseFactory, StageFactory

ALL = {"administrator", "manager", "officer", "responding_manager", "investigator", "viewer"}
CASE_READERS = ALL - {"viewer"}
ADMINS = {"administrator", "manager"}
CASEWORK = {"administrator", "manager", "officer"}

#: url name -> (roles that get the page, the status they get)
EXPECTED = {
    "core:home": (ALL, 200),
    "cases:list": (CASE_READERS, 200),
    "cases:detail": (CASE_READERS, 200),
    "cases:new": (CASEWORK, 200),
    "cases:action": (CASEWORK, 200),
    # Responding managers and investigators answer the cases allocated to them.
    "cases:respond": (CASE_READERS, 200),
    "cases:edit": (CASEWORK, 200),
    "cases:stage": (CASE_READERS, 200),
    "cases:learning": (CASE_READERS, 200),
    "cases:complete-action": (CASE_READERS, 200),
    "cases:documents": (CASE_READERS, 200),
    "cases:document": (CASE_READERS, 200),
    "deadlines:calculator": (ALL, 200),
    "deadlines:closures": (ADMINS, 200),
    "deadlines:settings": (ADMINS, 200),
    # POST only: those allowed get "method not allowed" for a GET, the rest 403.
    "deadlines:remove-closure": (ADMINS, 405),
    "exchange:import": (ADMINS, 200),
    "exchange:import-confirm": (ADMINS, 405),
    # Reports: every role reads them (viewers only as published, small numbers suppressed);
    # casework roles prepare editions and custom tables; managers and administrators publish
    # editions and enter context figures.
    "reports:home": (ALL, 200),
    "reports:annual": (ALL, 200),
    "reports:annual-download": (ALL, 200),
    "reports:management": (ALL, 200),
    "reports:scrutiny": (ALL, 200),
    "reports:lgsco": (ALL, 200),
    "reports:editions": (ALL, 200),
    "reports:edition": (ALL, 200),
    "reports:edition-download": (ALL, 200),
    "reports:edition-new": (CASEWORK, 200),
    "reports:edition-edit": (CASEWORK, 200),
    "reports:edition-case-studies": (CASEWORK, 405),
    "reports:edition-tables": (CASEWORK, 405),
    "reports:edition-next": (CASEWORK, 405),
    "reports:edition-publish": (ADMINS, 200),
    "reports:context-figures": (ADMINS, 200),
    "reports:context-figure-add": (ADMINS, 200),
    "reports:context-figure-edit": (ADMINS, 200),
    "reports:context-figure-delete": (ADMINS, 200),
    "reports:tables": (CASEWORK, 200),
    "reports:table-new": (CASEWORK, 200),
    "reports:table": (CASEWORK, 200),
    "reports:table-delete": (CASEWORK, 200),
    # Search and people: whoever reads cases, within their scope; casework roles say who is
    # who and merge; managers and administrators decide contact arrangements.
    "search:results": (CASE_READERS, 200),
    "people:detail": (CASE_READERS, 200),
    "people:representatives": (CASE_READERS, 200),
    "people:edit": (CASEWORK, 200),
    "people:merge": (CASEWORK, 200),
    "people:choose": (CASEWORK, 200),
    "people:arrangement-new": (ADMINS, 200),
    "people:arrangement-review": (ADMINS, 200),
    "people:arrangement-end": (ADMINS, 200),
}
PUBLIC = {
    "core:health": 200,
    "accounts:sign-in": 200,
    "accounts:sign-out": 405,
    "public:start": 200,
    "public:step": 200,
    "public:check": 302,  # to the first question not yet answered
    "public:sent": 302,  # to the start, when nothing was sent
    "public:start-again": 405,
}
PUBLIC_ARGS = {"public:step": {"name": "what"}}


def _names(resolver=None, namespace=""):
    resolver = resolver or get_resolver()
    for pattern in resolver.url_patterns:
        if isinstance(pattern, URLResolver):
            inner = f"{namespace}{pattern.namespace}:" if pattern.namespace else namespace
            if pattern.namespace == "admin":
                continue  # Django's admin has its own staff-only rule, tested below.
            if pattern.namespace == "api":
                continue  # The API authenticates by token: tests/api/test_api.py walks it.
            yield from _names(pattern, inner)
        elif isinstance(pattern, URLPattern) and pattern.name:
            yield f"{namespace}{pattern.name}", pattern


def test_it_has_an_access_rule_for_every_url():
    names = dict(_names())
    assert set(names) == set(EXPECTED) | set(PUBLIC)
    for name, pattern in names.items():
        assert hasattr(pattern.callback, "access_rule"), f"{name} has no access rule"


@pytest.fixture
def url_args(personas):
    case = CaseFactory(allocated_to=personas["responding_manager"], child_name="Sam Example")
    StageFactory(case=case, responder=personas["investigator"])
    learning = workflow.add_learning(case, category=None, lesson="Call back within a day")
    action = workflow.add_action(
        learning,
        description="Train the team",
        owner="Team manager",
        due_on=datetime.date(2030, 1, 1),
    )
    document = add_document(case, SimpleUploadedFile("letter.txt", b"Dear Sam"))
    closure = ClosureDay.objects.create(date=datetime.date(2030, 12, 30), description="Closed")
    manager = personas["manager"]
    published = editions.create_edition("annual", 2023, manager, publication=True)
    editions.publish(published, manager)
    draft = editions.create_edition("annual", 2023, manager)
    figure = ContextFigure.objects.create(
        code="children-in-need", label="Children in need", year=2023, value=1200
    )
    table = SavedTable.objects.create(
        name="Complaints by kind", spec={"measure": "cases", "rows": "kind", "year": 2023}
    )
    from heard.people.models import CaseLink
    from heard.people.services import decide_arrangement

    complainant = CaseLink.objects.get(case=case, role="complainant").person
    child = CaseLink.objects.get(case=case, role="child").person
    arrangement = decide_arrangement(
        child, level="persistent", reason="Calls", channels="Phone",
        review_on=datetime.date(2100, 1, 1), user=manager,
    )  # fmt: skip
    return {
        "people:detail": {"pk": complainant.pk},
        "people:edit": {"pk": complainant.pk},
        "people:merge": {"pk": complainant.pk, "other": child.pk},
        "people:choose": {"reference": case.reference},
        "people:arrangement-new": {"pk": complainant.pk},
        "people:arrangement-review": {"pk": arrangement.pk},
        "people:arrangement-end": {"pk": arrangement.pk},
        "reports:annual": {"year": 2023},
        "reports:annual-download": {"year": 2023, "fmt": "json"},
        "reports:scrutiny": {"year": 2023},
        "reports:lgsco": {"year": 2023},
        "reports:edition": {"pk": published.pk},
        "reports:edition-download": {"pk": published.pk, "fmt": "json"},
        "reports:edition-edit": {"pk": draft.pk},
        "reports:edition-case-studies": {"pk": draft.pk},
        "reports:edition-tables": {"pk": draft.pk},
        "reports:edition-next": {"pk": published.pk},
        "reports:edition-publish": {"pk": draft.pk},
        "reports:context-figure-edit": {"pk": figure.pk},
        "reports:context-figure-delete": {"pk": figure.pk},
        "reports:table": {"pk": table.pk},
        "reports:table-delete": {"pk": table.pk},
        "cases:detail": {"reference": case.reference},
        "cases:action": {"reference": case.reference, "action": "acknowledge"},
        "cases:respond": {"reference": case.reference},
        "cases:edit": {"reference": case.reference},
        "cases:stage": {"reference": case.reference},
        "cases:learning": {"reference": case.reference},
        "cases:complete-action": {"reference": case.reference, "pk": action.pk},
        "cases:documents": {"reference": case.reference},
        "cases:document": {"reference": case.reference, "pk": document.pk},
        "deadlines:remove-closure": {"pk": closure.pk},
        "exchange:import-confirm": {"token": "5d1f3c9e-0000-4000-8000-000000000000"},
    }


@pytest.mark.parametrize("name", sorted(EXPECTED))
@pytest.mark.parametrize("role", sorted(ALL))
def test_it_applies_the_rule(client, personas, url_args, name, role):
    from django.urls import reverse

    url = reverse(name, kwargs=url_args.get(name, {}))
    allowed, ok_status = EXPECTED[name]
    client.force_login(personas[role])
    response = client.get(url)
    assert response.status_code == (ok_status if role in allowed else 403)


@pytest.mark.parametrize("name", sorted(EXPECTED))
def test_it_sends_anonymous_users_to_sign_in(client, url_args, name):
    from django.urls import reverse

    url = reverse(name, kwargs=url_args.get(name, {}))
    response = client.get(url)
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("accounts:sign-in"))


@pytest.mark.parametrize("name", sorted(PUBLIC))
def test_it_leaves_public_pages_open(client, db, name):
    from django.urls import reverse

    assert client.get(reverse(name, kwargs=PUBLIC_ARGS.get(name, {}))).status_code == PUBLIC[name]


@pytest.mark.parametrize("role", sorted(ALL))
def test_it_keeps_the_admin_for_administrators(client, personas, role):
    client.force_login(personas[role])
    response = client.get("/admin/")
    assert response.status_code == (200 if role == "administrator" else 302)
