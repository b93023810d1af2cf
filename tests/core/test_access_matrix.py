"""Every staff URL, as every role: who gets the page, who is refused, who must sign in; the
same for every operation of the API; and both again for a case restricted to named people and
for the person who answered Stage 1 of a case now at Stage 2.

A URL or an API operation that is not listed here fails this test, so nothing can be added
without deciding who may reach it.
"""

import datetime

import pytest
import time_machine
from django.core.files.base import ContentFile
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import URLPattern, URLResolver, get_resolver, reverse
from django.utils import timezone

from heard.api.models import ApiToken
from heard.cases import restriction, services, workflow
from heard.cases.choices import Kind
from heard.cases.documents import add_document
from heard.correspondence.models import Attachment, Correspondence
from heard.deadlines.models import ClosureDay
from heard.jobs.services import request_job
from heard.public.models import OnlineSubmission
from heard.reports import editions
from heard.reports.models import CategoryGroup, ContextFigure, SavedTable
from heard.retention.models import RetentionRule
from tests.factories import CaseFactory, StageFactory

ALL = {"administrator", "manager", "officer", "responding_manager", "investigator", "viewer"}
CASE_READERS = ALL - {"viewer"}
ADMINS = {"administrator", "manager"}
CASEWORK = {"administrator", "manager", "officer"}

#: url name -> (roles that get the page, the status they get)
EXPECTED = {
    # The second factor: anyone signed in may set one up (or see that they have); asking for
    # the code sends a session that has passed (or needs none) on to where it was going.
    "accounts:second-factor": (ALL, 302),
    "accounts:second-factor-set-up": (ALL, 200),
    # How many recovery codes are left, and a new set (for anyone with an authenticator app).
    "accounts:second-factor-recovery-codes": (ALL, 200),
    "core:home": (ALL, 200),
    "cases:list": (CASE_READERS, 200),
    "cases:detail": (CASE_READERS, 200),
    "cases:new": (CASEWORK, 200),
    "cases:new-kind": (CASEWORK, 200),
    "cases:action": (CASEWORK, 200),
    # Responding managers and investigators answer the cases allocated to them.
    "cases:respond": (CASE_READERS, 200),
    "cases:edit": (CASEWORK, 200),
    "cases:stage": (CASE_READERS, 200),
    "cases:learning": (CASE_READERS, 200),
    "cases:complete-action": (CASE_READERS, 200),
    "cases:learning-edit": (CASE_READERS, 200),
    "cases:action-edit": (CASE_READERS, 200),
    "cases:documents": (CASE_READERS, 200),
    "cases:document": (CASE_READERS, 200),
    # Complaints managers (and administrators) restrict cases to named people.
    "cases:restrict": (ADMINS, 200),
    # The complaints team's check of a response (a senior manager's sign-off: tests below).
    "cases:approval": (CASEWORK, 200),
    "cases:approval-settings": (ADMINS, 200),
    "cases:approval-setting": (ADMINS, 200),
    # Ombudsman remedies are agreed and signed off by the complaints team.
    "cases:remedy-new": (CASEWORK, 200),
    "cases:remedy-comply": (CASEWORK, 200),
    # What came in through the online form: casework roles record the advocate and stop links.
    "online:advocate-appointed": (CASEWORK, 200),
    "online:revoke-progress": (CASEWORK, 405),
    # Letters and e-mails: casework roles write them and triage the mailbox; everyone who
    # reads the case reads its files and adds to its contact log.
    "correspondence:write": (CASEWORK, 200),
    "correspondence:upload": (CASEWORK, 200),
    "correspondence:log": (CASE_READERS, 200),
    "correspondence:inbox": (CASEWORK, 200),
    "correspondence:file": (CASEWORK, 200),
    "correspondence:attachment": (CASE_READERS, 200),
    "deadlines:calculator": (ALL, 200),
    "deadlines:closures": (ADMINS, 200),
    "deadlines:settings": (ADMINS, 200),
    # POST only: those allowed get "method not allowed" for a GET, the rest 403.
    "deadlines:remove-closure": (ADMINS, 405),
    "exchange:import": (ADMINS, 200),
    "exchange:import-confirm": (ADMINS, 405),
    "exchange:export": (ADMINS, 200),
    # Reports: every role reads them (viewers only as published, small numbers suppressed);
    # casework roles prepare editions and custom tables; managers and administrators publish
    # editions and enter context figures.
    "reports:home": (ALL, 200),
    "reports:annual": (ALL, 200),
    "reports:annual-download": (ALL, 200),
    # A year without cases has no chart to draw: past the rule, every role is told so.
    "reports:annual-chart": (ALL, 404),
    "reports:management": (ALL, 200),
    "reports:scrutiny": (ALL, 200),
    "reports:lgsco": (ALL, 200),
    "reports:editions": (ALL, 200),
    "reports:edition": (ALL, 200),
    "reports:edition-download": (ALL, 200),
    "reports:edition-new": (CASEWORK, 200),
    "reports:edition-edit": (CASEWORK, 200),
    "reports:edition-case-studies": (CASEWORK, 405),
    "reports:edition-settings": (CASEWORK, 405),
    "reports:edition-tables": (CASEWORK, 405),
    "reports:edition-next": (CASEWORK, 405),
    "reports:edition-publish": (ADMINS, 200),
    "reports:context-figures": (ADMINS, 200),
    "reports:context-figure-add": (ADMINS, 200),
    "reports:context-figure-edit": (ADMINS, 200),
    "reports:context-figure-delete": (ADMINS, 200),
    # Groups of categories are the council's reporting vocabulary: administrators keep them.
    "reports:category-groups": (ADMINS, 200),
    "reports:category-group-add": (ADMINS, 200),
    "reports:category-group-edit": (ADMINS, 200),
    "reports:category-group-delete": (ADMINS, 200),
    "reports:tables": (CASEWORK, 200),
    "reports:table-new": (CASEWORK, 200),
    "reports:table": (CASEWORK, 200),
    "reports:table-delete": (CASEWORK, 200),
    # A job's page and file: whoever the page it came from shows the same thing to (here the
    # publication version of the annual report, which every role reads).
    "jobs:job": (ALL, 200),
    "jobs:download": (ALL, 200),
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
    # Retention: managers and administrators set the schedule, approve anonymisation, place
    # legal holds and export everything held about a person.
    "retention:schedule": (ADMINS, 200),
    "retention:remove-rule": (ADMINS, 405),
    "retention:reviews": (ADMINS, 200),
    "retention:hold": (ADMINS, 200),
    "retention:person-export": (ADMINS, 200),
}
PUBLIC = {
    "core:health": 200,
    "healthz": 503,  # no `heard worker` has run in the test database
    "accounts:sign-in": 200,
    "accounts:sign-out": 405,
    # Single sign-on is not set up in the suite (tests/accounts/test_single_sign_on.py sets it).
    "accounts:oidc-start": 404,
    "accounts:oidc-callback": 404,
    "public:start": 200,
    "public:step": 200,
    "public:check": 302,  # to the first question not yet answered
    "public:sent": 302,  # to the start, when nothing was sent
    "public:start-again": 405,
    "public:privacy": 200,
    "public:accessibility": 200,
    "public:progress": 404,  # no such link: the same answer as a stopped one
    "public:stop-progress": 405,
}
PUBLIC_ARGS = {
    "public:step": {"name": "what"},
    "public:progress": {"token": "no-such-link"},
    "public:stop-progress": {"token": "no-such-link"},
}


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


def _case_args(case, *, action: str = "acknowledge") -> dict:
    """The URL arguments of every page about ``case`` (adding a lesson with an action and a
    document, so that those pages have something to show)."""
    learning = workflow.add_learning(case, category=None, lesson="Call back within a day")
    plan = workflow.add_action(
        learning,
        description="Train the team",
        owner="Team manager",
        due_on=datetime.date(2030, 1, 1),
    )
    document = add_document(case, SimpleUploadedFile("letter.txt", b"Dear Sam"))
    OnlineSubmission.objects.create(case=case, route="child")
    letter = Correspondence.objects.create(
        case=case, direction="out", channel="letter", subject="Letter", on=timezone.now()
    )
    letter_file = Attachment(
        correspondence=letter, name="letter.txt", content_type="text/plain", size=8
    )
    letter_file.file.save("letter.txt", ContentFile(b"Dear Sam"))
    ref = case.reference
    return {
        "cases:detail": {"reference": ref},
        "cases:action": {"reference": ref, "action": action},
        "cases:respond": {"reference": ref},
        "cases:edit": {"reference": ref},
        "cases:stage": {"reference": ref},
        "cases:learning": {"reference": ref},
        "cases:complete-action": {"reference": ref, "pk": plan.pk},
        "cases:learning-edit": {"reference": ref, "pk": learning.pk},
        "cases:action-edit": {"reference": ref, "pk": plan.pk},
        "cases:documents": {"reference": ref},
        "cases:document": {"reference": ref, "pk": document.pk},
        "cases:restrict": {"reference": ref},
        "retention:hold": {"reference": ref},
        "cases:approval": {"reference": ref, "step": "check"},
        "online:advocate-appointed": {"reference": ref},
        "online:revoke-progress": {"reference": ref},
        "correspondence:write": {"reference": ref},
        "correspondence:upload": {"reference": ref},
        "correspondence:log": {"reference": ref},
        "correspondence:attachment": {"reference": ref, "pk": letter_file.pk},
    }


#: The pages about one case.
CASE_PAGES = sorted(
    {
        "cases:detail", "cases:action", "cases:respond", "cases:edit", "cases:stage",
        "cases:learning", "cases:complete-action", "cases:documents", "cases:document",
        "cases:restrict", "cases:approval", "cases:learning-edit", "cases:action-edit",
        "retention:hold",
        "online:advocate-appointed",
        "online:revoke-progress", "correspondence:write", "correspondence:upload",
        "correspondence:log", "correspondence:attachment",
    }
)  # fmt: skip


@pytest.fixture
def url_args(personas):
    case = CaseFactory(allocated_to=personas["responding_manager"], child_name="Sam Example")
    StageFactory(case=case, responder=personas["investigator"])
    closure = ClosureDay.objects.create(date=datetime.date(2030, 12, 30), description="Closed")
    manager = personas["manager"]
    published = editions.create_edition("annual", 2023, manager, publication=True)
    editions.publish(published, manager)
    draft = editions.create_edition("annual", 2023, manager)
    figure = ContextFigure.objects.create(
        code="children-in-need", label="Children in need", year=2023, value=1200
    )
    group = CategoryGroup.objects.create(name="Staff behaviour", code="staff-behaviour")
    table = SavedTable.objects.create(
        name="Complaints by kind", spec={"measure": "cases", "rows": "kind", "year": 2023}
    )
    ombudsman = CaseFactory(kind="ombudsman", reference="LGO-2024-00001", procedure="")
    remedy = workflow.add_remedy(ombudsman, kind="apology", due_on=datetime.date(2030, 1, 1))
    unfiled = Correspondence.objects.create(
        direction="in", channel="email", subject="New", on=timezone.now()
    )
    job = request_job(
        manager, "report", {"report": "annual", "year": 2023, "publication": True, "format": "json"}
    )
    from heard.people.models import CaseLink
    from heard.people.services import decide_arrangement

    complainant = CaseLink.objects.get(case=case, role="complainant").person
    child = CaseLink.objects.get(case=case, role="child").person
    arrangement = decide_arrangement(
        child, level="persistent", reason="Calls", channels="Phone",
        review_on=datetime.date(2100, 1, 1), user=manager,
    )  # fmt: skip
    rule = RetentionRule.objects.create(kind="complaint", procedure="corporate", years=8)
    return {
        "jobs:job": {"pk": job.pk},
        "jobs:download": {"pk": job.pk},
        "people:detail": {"pk": complainant.pk},
        "people:edit": {"pk": complainant.pk},
        "people:merge": {"pk": complainant.pk, "other": child.pk},
        "people:choose": {"reference": case.reference},
        "people:arrangement-new": {"pk": complainant.pk},
        "people:arrangement-review": {"pk": arrangement.pk},
        "people:arrangement-end": {"pk": arrangement.pk},
        "retention:person-export": {"pk": complainant.pk},
        "retention:remove-rule": {"pk": rule.pk},
        "reports:annual": {"year": 2023},
        "reports:annual-download": {"year": 2023, "fmt": "json"},
        "reports:annual-chart": {"year": 2023, "table": "volumes.received"},
        "reports:scrutiny": {"year": 2023},
        "reports:lgsco": {"year": 2023},
        "reports:edition": {"pk": published.pk},
        "reports:edition-download": {"pk": published.pk, "fmt": "json"},
        "reports:edition-edit": {"pk": draft.pk},
        "reports:edition-case-studies": {"pk": draft.pk},
        "reports:edition-settings": {"pk": draft.pk},
        "reports:edition-tables": {"pk": draft.pk},
        "reports:edition-next": {"pk": published.pk},
        "reports:edition-publish": {"pk": draft.pk},
        "reports:context-figure-edit": {"pk": figure.pk},
        "reports:context-figure-delete": {"pk": figure.pk},
        "reports:category-group-edit": {"pk": group.pk},
        "reports:category-group-delete": {"pk": group.pk},
        "reports:table": {"pk": table.pk},
        "reports:table-delete": {"pk": table.pk},
        **_case_args(case),
        "cases:approval-setting": {"procedure": "childrens_statutory", "stage": 2},
        "cases:new-kind": {"kind": "complaint"},
        "cases:remedy-new": {"reference": ombudsman.reference},
        "cases:remedy-comply": {"reference": ombudsman.reference, "pk": remedy.pk},
        "correspondence:file": {"pk": unfiled.pk},
        "deadlines:remove-closure": {"pk": closure.pk},
        "exchange:import-confirm": {"token": "5d1f3c9e-0000-4000-8000-000000000000"},
    }


# Each test below opens every URL in one go, with the objects they are about made once (making
# them for each URL was most of the suite's time), and lists every URL that answered wrongly.


@pytest.mark.parametrize("role", sorted(ALL))
def test_it_applies_the_rule(client, personas, url_args, role):
    client.force_login(personas[role])
    wrong = []
    for name in sorted(EXPECTED):
        allowed, ok_status = EXPECTED[name]
        expected = ok_status if role in allowed else 403
        got = client.get(reverse(name, kwargs=url_args.get(name, {}))).status_code
        if got != expected:
            wrong.append(f"{name}: {got}, not {expected}")
    assert wrong == []


def test_it_sends_anonymous_users_to_sign_in(client, url_args):
    wrong = []
    for name in sorted(EXPECTED):
        response = client.get(reverse(name, kwargs=url_args.get(name, {})))
        if response.status_code != 302 or not response["Location"].startswith(
            reverse("accounts:sign-in")
        ):
            wrong.append(f"{name}: {response.status_code} {response.get('Location', '')}")
    assert wrong == []


@pytest.mark.parametrize("name", sorted(PUBLIC))
def test_it_leaves_public_pages_open(client, db, name):
    from django.urls import reverse

    assert client.get(reverse(name, kwargs=PUBLIC_ARGS.get(name, {}))).status_code == PUBLIC[name]


@pytest.mark.parametrize("role", sorted(ALL))
def test_it_keeps_the_admin_for_administrators(client, personas, role):
    client.force_login(personas[role])
    response = client.get("/admin/")
    assert response.status_code == (200 if role == "administrator" else 302)


# A restricted case ----------------------------------------------------------------------------
#: The people the restricted case below is restricted to: the complaints manager who restricted
#: it, and the responding manager and investigator it is allocated to.
NAMED = {"manager", "responding_manager", "investigator"}


@pytest.fixture
def restricted_args(personas):
    case = CaseFactory(allocated_to=personas["responding_manager"])
    StageFactory(case=case, responder=personas["investigator"])
    args = _case_args(case)
    restriction.restrict(
        case,
        people=[personas["responding_manager"], personas["investigator"]],
        reason="About a member of the complaints team",
        user=personas["manager"],
    )
    return args


@pytest.mark.parametrize("role", sorted(ALL))
def test_a_restricted_case_is_reached_only_by_the_people_named(
    client, personas, restricted_args, role
):
    """Every page about a restricted case, as every role: a role that may not see the page is
    refused as usual; anyone else not named on the case is told there is no such case."""
    client.force_login(personas[role])
    wrong = []
    for name in CASE_PAGES:
        allowed, ok_status = EXPECTED[name]
        expected = ok_status if role in NAMED else 404
        if role not in allowed:
            expected = 403
        got = client.get(reverse(name, kwargs=restricted_args[name])).status_code
        if got != expected:
            wrong.append(f"{name}: {got}, not {expected}")
    assert wrong == []


# The person who answered Stage 1 ---------------------------------------------------------------
#: Pages about a case at Stage 2 that whoever answered Stage 1 may not use, whatever their role.
NOT_FOR_STAGE_ONE = {"cases:respond", "cases:stage", "cases:action", "cases:approval"}
DRAFT = "The council accepts the findings of the investigation, in draft"


def stage_two_case(personas, answerer: str):
    """A complaint whose Stage 1 ``answerer`` answered; now at Stage 2, answered by the
    investigator, with a draft adjudication recorded by the complaints team."""
    officer = personas["officer"]
    with time_machine.travel(datetime.datetime(2024, 3, 14, 12, tzinfo=datetime.UTC)):
        case = services.log_case(
            user=officer, kind=Kind.COMPLAINT, received_on=datetime.date(2024, 3, 4),
            procedure="childrens_statutory", parts=[{"summary": "Calls not returned"}],
            allocated_to=personas["responding_manager"],
        )  # fmt: skip
        workflow.update_stage(case, changes={"responder": personas[answerer]}, user=officer)
        workflow.respond(
            case, responded_on=datetime.date(2024, 3, 13),
            findings={p.pk: "not-upheld" for p in case.parts.all()}, user=personas[answerer],
        )  # fmt: skip
        workflow.escalate(case, requested_on=datetime.date(2024, 3, 14), user=officer)
        workflow.update_stage(
            case,
            changes={"responder": personas["investigator"], "adjudication": DRAFT},
            user=officer,
        )
    case.refresh_from_db()
    return case


def _text(response) -> str:
    if response.streaming:
        return b"".join(response.streaming_content).decode()
    return response.content.decode()


@pytest.mark.parametrize("answerer", ["responding_manager", "manager"])
def test_whoever_answered_stage_one_stays_out_of_stage_two(client, personas, answerer):
    case = stage_two_case(personas, answerer)
    args = _case_args(case, action="allocate")
    client.force_login(personas[answerer])
    wrong = []
    for name in CASE_PAGES:
        allowed, ok_status = EXPECTED[name]
        response = client.get(reverse(name, kwargs=args[name]))
        if answerer not in allowed or name in NOT_FOR_STAGE_ONE:
            if response.status_code != 403:
                wrong.append(f"{name}: {response.status_code}, not 403")
            elif answerer in allowed and "answered Stage 1" not in response.content.decode():
                wrong.append(f"{name}: refused without saying why")
        elif response.status_code != ok_status:
            wrong.append(f"{name}: {response.status_code}, not {ok_status}")
        elif DRAFT in _text(response):
            wrong.append(f"{name}: shows the Stage 2 draft")
    assert wrong == []


def test_the_stage_two_draft_is_there_for_the_others(client, personas):
    case = stage_two_case(personas, "responding_manager")
    for role in ("officer", "investigator"):
        client.force_login(personas[role])
        assert DRAFT in client.get(reverse("cases:detail", args=[case.reference])).content.decode()


# The API ----------------------------------------------------------------------------------------
API = "/api/v1"
#: (method, path) -> (roles that may call it, the status they get)
API_EXPECTED = {
    ("get", "/cases"): (CASE_READERS, 200),
    ("post", "/cases"): (CASEWORK, 201),
    ("get", "/cases/{reference}"): (CASE_READERS, 200),
    ("put", "/cases/{reference}"): (CASEWORK, 200),
    ("get", "/search"): (CASE_READERS, 200),
    ("post", "/cases/{reference}/acknowledge"): (CASEWORK, 200),
    ("post", "/cases/{reference}/extend"): (CASEWORK, 200),
    ("post", "/cases/{reference}/respond"): (CASE_READERS, 200),
    ("post", "/cases/{reference}/escalate"): (CASEWORK, 200),
    ("post", "/cases/{reference}/close"): (CASEWORK, 200),
    ("get", "/taxonomies"): (ALL, 200),
    ("get", "/reports/annual/{year}"): (ALL, 200),
    ("get", "/reports/editions"): (ALL, 200),
    ("get", "/reports/editions/{edition_id}"): (ALL, 200),
    ("get", "/reports/management"): (ALL, 200),
    ("get", "/reports/scrutiny/{year}"): (ALL, 200),
    ("get", "/reports/lgsco/{year}"): (ALL, 200),
}
API_BODIES = {
    "/cases": {"kind": "compliment", "received_on": "2024-03-04"},
    "/cases/{reference}/acknowledge": {"on": "2024-03-05"},
    "/cases/{reference}/extend": {
        "extended_to": 20, "reason": "Complex", "agreed_on": "2024-03-08"
    },
    "/cases/{reference}/respond": {
        "responded_on": "2024-03-13", "findings": [{"part": 1, "finding": "upheld"}]
    },
    "/cases/{reference}/escalate": {"requested_on": "2024-03-14"},
    "/cases/{reference}/close": {"resolution": "withdrawn", "on": "2024-03-13", "reason": "Asked"},
}  # fmt: skip
#: Query strings for the operations that need one.
API_QUERIES = {"/search": {"q": "Calls"}}


def test_it_has_an_access_rule_for_every_api_operation():
    from heard.api.api import api

    operations = {
        (method, path.removeprefix(API))
        for path, methods in api.get_openapi_schema()["paths"].items()
        for method in methods
    }
    assert operations == set(API_EXPECTED)


def _api_case(personas, *, answered: bool = False):
    """A Stage 1 complaint allocated to the responding manager, whose Stage 1 the investigator
    answers (answered already when ``answered``, ready to escalate)."""
    case = services.log_case(
        user=personas["officer"], kind=Kind.COMPLAINT, received_on=datetime.date(2024, 3, 4),
        procedure="childrens_statutory", parts=[{"summary": "Calls not returned"}],
        allocated_to=personas["responding_manager"],
    )  # fmt: skip
    workflow.update_stage(
        case, changes={"responder": personas["investigator"]}, user=personas["officer"]
    )
    if answered:
        workflow.respond(
            case, responded_on=datetime.date(2024, 3, 13),
            findings={p.pk: "upheld" for p in case.parts.all()}, user=personas["officer"],
        )  # fmt: skip
    case.refresh_from_db()
    return case


@pytest.fixture
def api_call(client, personas):
    """``api_call(role, method, path, case)``: the API's answer to that role's token."""
    travel = time_machine.travel(datetime.datetime(2024, 3, 14, 12, tzinfo=datetime.UTC))
    travel.start()
    manager = personas["manager"]
    published = editions.create_edition("annual", 2023, manager, publication=True)
    editions.publish(published, manager)

    def call(role, method, path, case=None):
        _, key = ApiToken.issue(personas[role], "tests")
        url = API + path.format(
            reference=case.reference if case else "", year=2023, edition_id=published.pk
        )
        headers = {"HTTP_AUTHORIZATION": f"Bearer {key}"}
        if method == "get":
            return client.get(url, API_QUERIES.get(path, {}), **headers)
        if method == "put":
            # The case as the caller reads it (GET then PUT), or, for a caller who may not read
            # it, as its responding manager (allocated, never restricted out) reads it; sent
            # back with a changed summary.
            read = client.get(url, **headers)
            if read.status_code != 200:
                reader = ApiToken.issue(personas["responding_manager"], "tests")[1]
                read = client.get(url, HTTP_AUTHORIZATION=f"Bearer {reader}")
            read = read.json()
            body = read | {"summary": "Changed through the API"}
            return client.put(url, body, content_type="application/json", **headers)
        body = {"version": case.version} if case else {}
        body |= API_BODIES[path]
        return client.post(url, body, content_type="application/json", **headers)

    yield call
    travel.stop()


@pytest.mark.parametrize("role", sorted(ALL))
def test_the_api_applies_the_rule(personas, api_call, role):
    wrong = []
    for operation in sorted(API_EXPECTED):
        method, path = operation
        case = _api_case(personas, answered=path.endswith("escalate"))
        allowed, ok_status = API_EXPECTED[operation]
        expected = ok_status if role in allowed else 403
        response = api_call(role, method, path, case if "{reference}" in path else None)
        if response.status_code != expected:
            wrong.append(
                f"{method} {path}: {response.status_code}, not {expected}: {response.json()}"
            )
    assert wrong == []


@pytest.mark.parametrize("role", sorted(ALL))
def test_the_api_reaches_a_restricted_case_only_for_the_people_named(personas, api_call, role):
    wrong = []
    for operation in sorted(op for op in API_EXPECTED if "{reference}" in op[1]):
        method, path = operation
        case = _api_case(personas, answered=path.endswith("escalate"))
        restriction.restrict(
            case,
            people=[personas["responding_manager"], personas["investigator"]],
            reason="About a member of the complaints team",
            user=personas["manager"],
        )
        allowed, ok_status = API_EXPECTED[operation]
        response = api_call(role, method, path, case)
        if role not in allowed:
            expected, code = 403, None
        elif role in NAMED:
            expected, code = ok_status, None
        else:
            expected, code = 404, "not_found"
        if response.status_code != expected or (code and response.json()["error"]["code"] != code):
            wrong.append(
                f"{method} {path}: {response.status_code}, not {expected}: {response.json()}"
            )
        listed = api_call(role, "get", "/cases")
        if role in CASE_READERS:
            references = [item["reference"] for item in listed.json()["items"]]
            if (case.reference in references) != (role in NAMED):
                wrong.append(f"{method} {path}: GET /cases lists it wrongly")
    assert wrong == []


def test_the_api_keeps_stage_two_from_whoever_answered_stage_one(personas, api_call):
    case = stage_two_case(personas, "responding_manager")
    record = api_call("responding_manager", "get", "/cases/{reference}", case).json()
    stage_two = record["stages"][1]
    assert stage_two["adjudication"] == "" and stage_two["responder"] is None
    assert stage_two["requested_on"] == "2024-03-14"  # the clock is still shown
    assert (
        api_call("officer", "get", "/cases/{reference}", case).json()["stages"][1]["adjudication"]
        == DRAFT
    )
    refused = api_call("responding_manager", "post", "/cases/{reference}/respond", case)
    assert refused.status_code == 403
    assert "answered Stage 1" in refused.json()["error"]["message"]


# No bypass ---------------------------------------------------------------------------------------
#: Modules that answer a request, and the lines in them allowed to read every case: none may
#: reach a case for a user but through ``Case.objects.visible_to`` (``heard.cases.access``).
REQUEST_MODULES = (
    "views.py", "presenters.py", "api.py", "new_case.py", "trackers.py", "queries.py", "forms.py",
)  # fmt: skip
EVERY_CASE_ALLOWED = {
    # The first year the reports page offers: a date, no case.
    ("heard/reports/presenters.py", "first_day = Case.objects.order_by"),
    # Case studies to choose for a report: restricted cases are left out on the next line.
    ("heard/reports/presenters.py", "Case.objects.filter(case_study_publishable=True"),
    # A linked case, for someone with no user (the importer's checks): visible_to otherwise.
    ("heard/cases/forms.py", "Case.objects.visible_to(self.user) if self.user else"),
}


def test_no_request_reaches_cases_but_through_the_case_scope():
    """A page, an API call or a search page that read ``Case.objects`` directly would show
    restricted cases and other people's cases: this fails until it goes through the scope."""
    import pathlib
    import re

    root = pathlib.Path(__file__).resolve().parents[2]
    found = []
    for path in sorted((root / "heard").rglob("*.py")):
        if path.name not in REQUEST_MODULES:
            continue
        relative = path.relative_to(root).as_posix()
        for line in path.read_text().splitlines():
            if re.search(r"\bCase\.objects\.(?!visible_to\()", line) and not any(
                relative == allowed_path and snippet in line
                for allowed_path, snippet in EVERY_CASE_ALLOWED
            ):
                found.append(f"{relative}: {line.strip()}")
    assert found == []
