"""No input gives a server error (issue 16): generated values posted to every form of the staff
pages and the public form, signed in as each role, and sent to every API operation with each
role's token; every answer must be something other than a 500.

The forms are found, not listed: every URL pattern of the site (from the URL conf) is reached by
following links from the home pages of a small demo council, signed in as an administrator,
and every ``<form method="post">`` on those pages is filled in with generated values for its own
fields. A pattern no page links to fails the test unless ``NOT_CRAWLED`` says why. The API's
operations come from its OpenAPI description.

Examples per form and role: ``HEARD_FUZZ_EXAMPLES`` (default 2; the test already makes several
hundred requests, which keeps it to a few minutes on each database).
"""

from __future__ import annotations

import datetime
import json
import os
import re
from collections import deque
from html.parser import HTMLParser
from urllib.parse import urljoin, urlparse

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command
from django.test import Client
from django.urls import URLPattern, URLResolver, get_resolver, resolve
from django.urls.exceptions import Resolver404
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from heard.accounts.models import User
from heard.api.models import ApiToken

pytestmark = pytest.mark.django_db

EXAMPLES = int(os.environ.get("HEARD_FUZZ_EXAMPLES", "2"))
RUN = settings(
    max_examples=EXAMPLES,
    deadline=None,
    database=None,
    suppress_health_check=list(HealthCheck),
)
#: One demo user per role.
ROLES = ["admin", "manager", "officer", "teammanager", "investigator", "viewer"]

#: URL patterns the crawl does not need to reach, with the reason.
NOT_CRAWLED = {
    "accounts:sign-in": "the crawler is signed in; the sign-in form is fuzzed signed out "
    "with the public form",
    "public:check": "the public journey: fuzzed step by step in its own test",
    "public:sent": "the public journey: fuzzed step by step in its own test",
    "public:start-again": "the public journey: fuzzed step by step in its own test",
    "accounts:sign-out": "signs the crawler out",
    "core:health": "takes no input",
    "exchange:import-confirm": "reached only after an upload; the upload form is fuzzed",
    "reports:annual-download": "renders a whole report to PDF, Word or XLSX: slow, takes no input",
    "reports:edition-download": "renders a whole report to PDF, Word or XLSX: slow, takes no input",
    "cases:document": "sends a stored file back; takes no input",
    "correspondence:attachment": "sends a stored file back; takes no input",
    "healthz": "for monitoring; takes no input",
    "jobs:job": "reached after asking for a download (a post, fuzzed); takes no input",
    "jobs:download": "sends a finished file back; takes no input",
    "public:progress": "reached only through the secret link in an acknowledgement; guessed "
    "and stopped links are tested in tests/public/test_tell_us_round_two.py",
    "public:stop-progress": "reached only through the secret link in an acknowledgement",
    "accounts:oidc-start": "single sign-on: needs the provider tests/accounts starts",
    "accounts:oidc-callback": "single sign-on: needs the provider tests/accounts starts",
    "accounts:second-factor": "reached only while a sign-in owes a second factor "
    "(tests/accounts/test_second_factor.py)",
    "accounts:second-factor-set-up": "reached only while a sign-in owes a second factor "
    "(tests/accounts/test_second_factor.py)",
    "reports:annual-chart": "an image in the annual report page; takes no input",
    "retention:remove-rule": "removes a rule the council set; takes no input "
    "(tests/retention/test_screens.py)",
}

#: Values that have broken parsers: huge and negative numbers, signs, Unicode digits, nulls,
#: format strings and TeX (matplotlib reads "$" in chart labels as mathematics).
AWKWARD = st.sampled_from([
    "", " ", "0", "-1", "1", "31", "99999999999999999999", "1e309", "NaN", "$", "$x$", "%s",
    "{0}", "<script>alert(1)</script>", "\x00", "²", "١٢", "2024-02-30", "30/02/2024",
    "../../etc/passwd", "a" * 5000,
])  # fmt: skip
VALUE = st.one_of(AWKWARD, st.text(max_size=40), st.integers(-(10**22), 10**22).map(str))


class _Forms(HTMLParser):
    """The post forms of a page (action and fields) and its links."""

    def __init__(self):
        super().__init__()
        self.forms: list[dict] = []
        self.links: list[str] = []
        self._form: dict | None = None
        self._select: str | None = None

    def handle_starttag(self, tag, attrs):
        a = dict(attrs)
        if tag == "a" and a.get("href"):
            self.links.append(a["href"])
        elif tag == "form" and (a.get("method") or "").lower() == "post":
            self._form = {"action": a.get("action") or "", "fields": {}, "files": []}
            self.forms.append(self._form)
        elif tag == "form" and a.get("action"):
            # A search form: followed as a link with a word to search for.
            self.links.append(f"{a['action']}?q=a")
        elif self._form is None:
            return
        elif tag == "input" and a.get("name"):
            kind = (a.get("type") or "text").lower()
            if kind == "file":
                self._form["files"].append(a["name"])
            else:
                self._form["fields"].setdefault(a["name"], []).append(a.get("value") or "")
        elif tag == "textarea" and a.get("name"):
            self._form["fields"].setdefault(a["name"], []).append("")
        elif tag == "select" and a.get("name"):
            self._select = a["name"]
            self._form["fields"].setdefault(a["name"], [])
        elif tag == "option" and self._select:
            self._form["fields"][self._select].append(a.get("value") or "")
        elif tag == "button" and a.get("name"):
            self._form["fields"].setdefault(a["name"], []).append(a.get("value") or "")

    def handle_endtag(self, tag):
        if tag == "form":
            self._form = None
        elif tag == "select":
            self._select = None


def _patterns(resolver=None, namespace="") -> list[str]:
    found = []
    for p in (resolver or get_resolver()).url_patterns:
        if isinstance(p, URLResolver):
            inner = f"{namespace}{p.namespace}:" if p.namespace else namespace
            found += _patterns(p, inner)
        elif isinstance(p, URLPattern) and p.name:
            found.append(f"{namespace}{p.name}")
    return found


def _site_pattern(path: str) -> str | None:
    try:
        match = resolve(path)
    except Resolver404:
        return None
    return match.view_name


def _skipped(path: str) -> bool:
    return path.startswith(("/admin/", "/api/", "/static/")) or "/download/" in path


@pytest.fixture
def council(db):
    """A small demo council with what the demo lacks (editions, a saved table, a document)."""
    from io import StringIO

    call_command("demo", cases=40, seed=16, today=datetime.date(2026, 11, 20), stdout=StringIO())
    from tests.exchange import council_snapshot

    council_snapshot.setup()
    from heard.cases.models import Case

    # Case studies to choose from, so that an edition's case-study form is shown.
    Case.objects.filter(kind="complaint").update(
        case_study="An anonymised account of the case.", case_study_publishable=True
    )
    users = {name: User.objects.get(username=name) for name in ROLES}
    _add_what_the_demo_lacks(users)
    return users


def _add_what_the_demo_lacks(users):
    """Records whose pages and forms only appear when they exist: a rule for approving
    responses and a case waiting for it, online submissions, an Ombudsman remedy, a contact
    arrangement, two people who may be one, and an e-mail with no reference to be filed."""
    from heard.cases.approvals import set_rule
    from heard.cases.models import Case
    from heard.cases.workflow import add_remedy, triage
    from heard.correspondence.incoming import Message
    from heard.correspondence.services import record_incoming
    from heard.people.models import Person
    from heard.people.services import decide_arrangement

    admin = users["admin"]
    set_rule(
        "childrens_statutory",
        1,
        team_check=True,
        sign_off=True,
        signers=[users["manager"]],
        user=admin,
    )
    _send_the_online_form()
    _send_the_online_form()
    triage(Case.objects.order_by("-pk").first(), procedure="childrens_statutory", reason="Fuzz.")
    from heard.reports.services import add_category_group
    from heard.taxonomy.models import Term

    categories = Term.objects.filter(vocabulary="category").order_by("pk")[:2]
    add_category_group(user=admin, name="Staff", code="staff", categories=categories)
    ombudsman = Case.objects.filter(kind="ombudsman").order_by("pk").first()
    add_remedy(ombudsman, kind="apology", due_on=ombudsman.received_on, user=admin)
    first, second = Person.objects.order_by("pk")[:2]
    Person.objects.filter(pk=second.pk).update(name=first.name, name_key=first.name_key)
    decide_arrangement(
        first,
        level="persistent",
        reason="Telephones several times a day.",
        channels="email",
        review_on=datetime.date(2027, 2, 1),
        user=admin,
    )
    record_incoming(
        Message(
            sender="someone@example.org",
            on=datetime.datetime(2026, 11, 19, 9, 0, tzinfo=datetime.UTC),
            subject="About my complaint",
            body="I have no reference.",
            message_id="<fuzz-1@example.org>",
            attachments=[("note.txt", "text/plain", b"A note.")],
        ),
        case=None,
        actor="test",
    )


def _send_the_online_form():
    visitor = Client()
    for step, answers in [
        ("what", {"kind": "complaint"}),
        ("who", {"who": "child"}),
        ("age", {"age": "13-15"}),
        ("care", {"care": "in-care"}),
        ("advocate", {"advocate": "yes"}),
        ("referral", {"referral": "yes"}),
        ("about", {"what_happened": "I was moved without being asked."}),
        ("documents", {"continue": "1"}),
        ("contact", {"contact_by": "email", "name": "Joanna Quill", "email": "jo@example.org"}),
    ]:
        visitor.post(f"/tell-us/{step}/", answers)
    assert visitor.post("/tell-us/check/").status_code == 302


def _starts() -> list[str]:
    """The home pages, and pages only some records have: a case of each kind and at each
    stage, an online submission, a person with a contact arrangement, a case with an action
    still to do, and a draft edition."""
    from heard.cases.choices import Kind
    from heard.cases.models import Action, Case
    from heard.people.models import ContactArrangement
    from heard.reports.models import Edition

    starts = ["/", "/cases/", "/reports/", "/deadlines/", "/tell-us/", "/exchange/import/"]
    # The short form of each kind, reached by posting the kind on /cases/new/.
    starts += [f"/cases/new/{kind}/" for kind in sorted(Kind.values)]
    shown = set()
    for case in Case.objects.order_by("pk"):
        online = hasattr(case, "online_submission")
        key = (case.kind, case.procedure, case.stage_number, case.status, online)
        if key not in shown:
            shown.add(key)
            starts.append(f"/cases/{case.reference}/")
    for arrangement in ContactArrangement.objects.all():
        starts.append(f"/people/{arrangement.person_id}/")
    open_action = Action.objects.filter(completed_on__isnull=True).select_related("learning__case")
    if action := open_action.first():
        starts.append(f"/cases/{action.learning.case.reference}/")
    if draft := Edition.objects.filter(status=Edition.Status.DRAFT).first():
        starts.append(f"/reports/editions/{draft.pk}/edit/")
    return starts


def _crawl(client: Client) -> tuple[dict[str, list[str]], list[tuple[str, dict]]]:
    """Pages by URL pattern (up to two of each), and the post forms found on them."""
    by_pattern: dict[str, list[str]] = {}
    forms: dict[tuple, tuple[str, dict]] = {}
    starts = _starts()
    queue = deque(starts)
    seen = set()
    fetched = 0
    while queue and fetched < 400:
        path = queue.popleft()
        if path in seen or _skipped(path):
            continue
        seen.add(path)
        name = _site_pattern(urlparse(path).path)
        if name is None or (len(by_pattern.get(name, [])) >= 2 and path not in starts):
            continue
        fetched += 1
        response = client.get(path)
        if response.status_code != 200 or "html" not in response.get("Content-Type", ""):
            continue
        by_pattern.setdefault(name, []).append(path)
        page = _Forms()
        page.feed(response.content.decode())
        for form in page.forms:
            action = urljoin(path, form["action"]) if form["action"] else path
            key = (_site_pattern(urlparse(action).path), tuple(sorted(form["fields"])))
            forms.setdefault(key, (urlparse(action).path, form))
        for href in page.links:
            target = urlparse(urljoin(path, href))
            if not target.netloc and target.path not in seen:
                queue.append(target.path + (f"?{target.query}" if target.query else ""))
    return by_pattern, list(forms.values())


def _post_data(draw_value, form: dict) -> dict:
    data = {}
    for name, options in form["fields"].items():
        if name == "csrfmiddlewaretoken":
            continue
        choices = [o for o in options if o is not None]
        data[name] = draw_value(st.one_of(st.sampled_from(choices), VALUE) if choices else VALUE)
    for name in form["files"]:
        data[name] = SimpleUploadedFile(
            draw_value(st.sampled_from(["a.pdf", "b.txt", "$.png", "x", "../../x.docx"])),
            draw_value(st.binary(max_size=64)),
        )
    return data


def test_no_generated_input_to_any_form_gives_a_server_error(council):
    admin = Client()
    admin.force_login(council["admin"])
    pages, forms = _crawl(admin)
    site = {p for p in _patterns() if not p.startswith(("admin:", "api-", "api:"))}
    unreached = sorted(site - set(pages) - set(NOT_CRAWLED))
    # Pages that only answer POST (a form's action) count as reached when a form posts there.
    unreached = [p for p in unreached if p not in {_site_pattern(a) for a, _ in forms}]
    assert not unreached, f"no page links to {unreached}: link them, or say why in NOT_CRAWLED"
    assert len(forms) > 10

    for role in ROLES:
        client = Client()
        client.force_login(council[role])
        for action, form in forms:
            _poster(client, role, action, form)()


def _poster(client, role, action, form):
    @RUN
    @given(data=st.data())
    def post(data):
        response = client.post(action, _post_data(data.draw, form))
        assert response.status_code < 500, (role, action)

    return post


def test_no_generated_input_to_the_public_form_gives_a_server_error(council):
    steps = ["what", "who", "advocate", "behalf", "about", "documents", "contact", "check"]

    @RUN
    @given(data=st.data())
    def journey(data):
        visitor = Client(REMOTE_ADDR=f"192.0.2.{data.draw(st.integers(1, 254))}")
        for step in steps:
            path = f"/tell-us/{step}/"
            page = visitor.get(path)
            assert page.status_code < 500, path
            if page.status_code != 200:
                continue
            found = _Forms()
            found.feed(page.content.decode())
            for form in found.forms:
                response = visitor.post(path, _post_data(data.draw, form))
                assert response.status_code < 500, path

    for _ in range(3):  # three visitors per example budget, each a different path
        journey()

    @RUN
    @given(data=st.data())
    def sign_in(data):
        visitor = Client(REMOTE_ADDR=f"198.51.100.{data.draw(st.integers(1, 254))}")
        fields = {"username": data.draw(VALUE), "password": data.draw(VALUE)}
        assert visitor.post("/accounts/sign-in/", fields).status_code < 500

    sign_in()


def _operations(client: Client, key: str) -> list[tuple[str, str, dict]]:
    spec = client.get("/api/v1/openapi.json", HTTP_AUTHORIZATION=f"Bearer {key}").json()
    found = []
    for path, methods in spec["paths"].items():
        for method, operation in methods.items():
            body = operation.get("requestBody", {}).get("content", {}).get("application/json")
            schema = body["schema"] if body else None
            if schema and "$ref" in schema:
                schema = spec["components"]["schemas"][schema["$ref"].rsplit("/", 1)[1]]
            params = [p["name"] for p in operation.get("parameters", []) if p["in"] == "query"]
            found.append((method, path, {"body": schema, "query": params}))
    return found


JSON_VALUE = st.one_of(
    VALUE, st.integers(-(10**22), 10**22), st.booleans(), st.none(),
    st.lists(st.one_of(VALUE, st.integers()), max_size=3),
    st.dictionaries(st.sampled_from(["part", "finding", "x"]), VALUE, max_size=2),
)  # fmt: skip


def test_no_generated_input_to_any_api_operation_gives_a_server_error(council):
    from heard.cases.models import Case

    references = list(Case.objects.order_by("reference").values_list("reference", flat=True)[:5])
    keys = {role: ApiToken.issue(user, "fuzz")[1] for role, user in council.items()}
    client = Client()
    operations = _operations(client, keys["admin"])
    assert len(operations) > 10
    for role, key in keys.items():
        for method, path, shape in operations:
            _caller(client, role, key, method, path, shape, references)()


def _caller(client, role, key, method, path, shape, references):
    @RUN
    @given(data=st.data())
    def call(data):
        filled = re.sub(
            r"\{(\w+)\}",
            lambda m: data.draw(
                st.sampled_from(references) | VALUE.filter(lambda v: "/" not in v)
                if m.group(1) == "reference"
                else st.integers(-(10**12), 10**12).map(str) | AWKWARD
            ),
            path,
        )
        query = {name: data.draw(VALUE) for name in shape["query"] if data.draw(st.booleans())}
        headers = {"HTTP_AUTHORIZATION": f"Bearer {key}"}
        if method == "get":
            response = client.get(filled, query, **headers)
        else:
            properties = (shape["body"] or {}).get("properties", {})
            body = {name: data.draw(JSON_VALUE) for name in properties}
            response = client.generic(
                method.upper(), filled, data=json.dumps(body),
                content_type="application/json", **headers,
            )  # fmt: skip
        assert response.status_code < 500, (role, method, filled)

    return call


@pytest.mark.parametrize(
    ("method", "path"),
    [
        ("get", "/api/v1/cases/\x00"),
        ("post", "/api/v1/cases/\x00/acknowledge"),
        ("get", "/cases/\x00/"),
    ],
)
def test_a_reference_with_a_null_character_is_not_found(personas, method, path):
    """Found by the API fuzzing on PostgreSQL, which refuses NUL in a query: a 500 before."""
    _, key = ApiToken.issue(personas["officer"], "null")
    client = Client()
    client.force_login(personas["officer"])
    response = client.generic(
        method.upper(), path, data="{}", content_type="application/json",
        HTTP_AUTHORIZATION=f"Bearer {key}",
    )  # fmt: skip
    assert response.status_code in {404, 422}  # not found, or the empty body refused first
