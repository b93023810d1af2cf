"""What must reach the audit trail does: every page about a case, as every role that may open
it; every API read; `heard export`; every change made in the admin; and nothing that an
unauthenticated caller does."""

import io
import re

import pytest
from django.contrib import admin
from django.core.management import call_command
from django.urls import reverse

from heard.api.models import ApiToken
from heard.audit.admin_audit import AuditedAdmin
from heard.audit.models import AuditEvent, SecurityEvent
from heard.cases.actions import ACTIONS
from heard.reports import editions
from heard.taxonomy.models import Term
from tests.core.test_access_matrix import EXPECTED, url_args  # noqa: F401

pytestmark = pytest.mark.django_db


def _case_page_names() -> list[str]:
    from tests.core.test_access_matrix import _names

    return sorted(name for name, p in _names() if "reference" in str(p.pattern))


CASE_PAGES = _case_page_names()


def _new_entries(since: int, **filters):
    return AuditEvent.objects.filter(id__gt=since, **filters)


def _last_id() -> int:
    return AuditEvent.objects.order_by("-id").values_list("id", flat=True).first() or 0


def test_the_case_pages_are_every_url_naming_a_case():
    from tests.core.test_access_matrix import _names

    naming_a_case = {name for name, p in _names() if "reference" in str(p.pattern)}
    assert naming_a_case == set(CASE_PAGES)
    assert naming_a_case <= set(EXPECTED), "every page naming a case is in the access matrix"


@pytest.mark.parametrize("name", CASE_PAGES)
def test_every_page_about_a_case_is_audited_for_every_role(client, personas, url_args, name):  # noqa: F811
    from django.urls import resolve

    from heard.cases.models import Case

    allowed, status = EXPECTED[name]
    kwargs = url_args[name]
    case = Case.objects.get(reference=kwargs["reference"])
    slugs = sorted(ACTIONS) if name == "cases:action" else [None]
    for role in sorted(allowed):
        client.force_login(personas[role])
        for slug in slugs:
            url = reverse(name, kwargs={**kwargs, "action": slug} if slug else kwargs)
            since = _last_id()
            response = client.get(url)
            if response.status_code == 405 and status == 405:
                continue  # POST only: nothing is shown to a GET
            if response.status_code != 200:
                assert name == "cases:action", (url, role, response.status_code)
                continue  # an action that does not apply to this case shows nothing
            assert resolve(url).kwargs["reference"] == case.reference
            entries = _new_entries(since, case_id=case.pk, user=personas[role])
            assert entries.exists(), f"{role} opened {url} unaudited"


def test_a_page_that_already_records_its_view_is_not_recorded_twice(client, personas, url_args):  # noqa: F811
    client.force_login(personas["manager"])
    since = _last_id()
    client.get(reverse("cases:detail", kwargs=url_args["cases:detail"]))
    assert [e.action for e in _new_entries(since)] == ["case.viewed"]


def test_a_case_the_user_may_not_see_writes_nothing(client, personas, url_args):  # noqa: F811
    client.force_login(personas["investigator"])
    since = _last_id()
    assert client.get(reverse("cases:edit", kwargs=url_args["cases:edit"])).status_code == 403
    assert not _new_entries(since).exists()


@pytest.fixture
def token_for(personas):
    def make(role, scope="read"):
        token, key = ApiToken.issue(personas[role], "coverage", scope=scope)
        return token, {"HTTP_AUTHORIZATION": f"Bearer {key}"}

    return make


def test_every_api_read_is_audited(client, personas, url_args, token_for):  # noqa: F811
    from heard.cases.models import Case

    case = Case.objects.get(reference=url_args["cases:detail"]["reference"])
    manager = personas["manager"]
    published = editions.create_edition("annual", 2023, manager, publication=True)
    editions.publish(published, manager)
    values = {"reference": case.reference, "year": "2023", "edition_id": str(published.pk)}
    token, headers = token_for("manager")
    paths = client.get("/api/v1/openapi.json").json()["paths"]
    reads = [path for path, operations in paths.items() if "get" in operations]
    assert "/api/v1/cases/{reference}" in reads
    for path in reads:
        url = path.format(**values)
        if path.endswith("/search"):
            url += "?q=" + case.reference
        since = _last_id()
        response = client.get(url, **headers)
        assert response.status_code == 200, url
        entries = _new_entries(since, user=manager, object_id=str(token.pk))
        assert entries.exists(), f"{url} unaudited"
        if "{reference}" in path:
            assert entries.filter(case_id=case.pk, action="api.case_read").exists()


def test_an_api_read_shows_in_the_cases_history(client, personas, url_args, token_for):  # noqa: F811
    _, headers = token_for("manager")
    reference = url_args["cases:detail"]["reference"]
    client.get(f"/api/v1/cases/{reference}", **headers)
    client.force_login(personas["manager"])
    page = client.get(reverse("cases:detail", args=[reference])).content.decode()
    assert "Case read through the API" in page


def test_a_thousand_anonymous_api_calls_write_no_audit_entry(client):
    since = _last_id()
    for number in range(1000):
        response = client.get(f"/api/v1/cases/caller-chosen-text-{number}")
        assert response.status_code == 401
    assert not _new_entries(since).exists()
    logged = SecurityEvent.objects.get()
    assert (logged.kind, logged.address, logged.count) == ("api.unauthenticated", "127.0.0.1", 1000)
    assert logged.sample == "GET /api/v1/cases/caller-chosen-text-0"


def test_the_security_log_stays_small_however_many_addresses_call(client, settings):
    settings.HEARD_SECURITY_LOG_ADDRESSES = 5
    for number in range(40):
        client.get("/api/v1/cases", REMOTE_ADDR=f"192.0.2.{number}")
    rows = SecurityEvent.objects.all()
    assert rows.count() == 6
    assert rows.get(address="*").count == 35


def test_heard_export_is_audited(personas, url_args):  # noqa: F811
    since = _last_id()
    call_command("export", stdout=io.StringIO())
    entry = _new_entries(since).get()
    assert entry.action == "cases.exported_exchange" and entry.actor == "heard export"
    assert re.search(r"^\d+ case\(s\)", entry.note)


def test_every_admin_that_can_change_anything_is_audited(personas, rf):
    request = rf.get("/admin/")
    request.user = personas["administrator"]
    for model, model_admin in admin.site._registry.items():
        changes = (
            model_admin.has_add_permission(request)
            or model_admin.has_change_permission(request)
            or model_admin.has_delete_permission(request)
        )
        if changes:
            assert isinstance(model_admin, AuditedAdmin), model.__name__


def test_admin_changes_to_users_roles_and_vocabularies_are_audited(client, personas):
    administrator = personas["administrator"]
    client.force_login(administrator)
    officer = personas["officer"]
    page = reverse("admin:accounts_user_change", args=[officer.pk])
    form = client.get(page).context["adminform"].form
    data = {
        key: value
        for key, value in {**form.initial, "role": "manager"}.items()
        if value is not None and key not in {"password", "groups", "user_permissions"}
    }
    data["last_login_0"] = data["last_login_1"] = ""
    data["date_joined_0"], data["date_joined_1"] = "01/01/2024", "09:00:00"
    response = client.post(page, data)
    assert response.status_code == 302, response.context["adminform"].form.errors
    entry = AuditEvent.objects.filter(action="admin.changed").latest("id")
    assert entry.user == administrator and entry.object_id == str(officer.pk)
    assert {"field": "role", "old": "officer", "new": "manager"} in entry.changes

    password = reverse("admin:auth_user_password_change", args=[officer.pk])
    client.post(
        password,
        {
            "password1": "a-new-long-unusual-pass",
            "password2": "a-new-long-unusual-pass",
            "usable_password": "true",
        },
    )
    assert AuditEvent.objects.filter(
        action="admin.password_set", object_id=str(officer.pk)
    ).exists()

    term = Term.objects.filter(vocabulary="channel").first()
    term_page = reverse("admin:taxonomy_term_change", args=[term.pk])
    term_form = client.get(term_page).context["adminform"].form
    term_data = {k: v for k, v in term_form.initial.items() if v is not None}
    term_data["label"] = "Phone call"
    assert client.post(term_page, term_data).status_code == 302
    entry = AuditEvent.objects.filter(action="admin.changed", object_type="term").latest("id")
    assert {"field": "label", "old": term.label, "new": "Phone call"} in entry.changes


def test_token_issue_and_revoke_are_audited(client, personas):
    from heard.api import tokens

    token, _ = tokens.issue(personas["officer"], "Power BI", scope="read", actor="heard token")
    issued = AuditEvent.objects.get(action="api.token_issued")
    assert issued.actor == "heard token" and issued.object_id == str(token.pk)
    assert {"field": "scope", "old": None, "new": "Read only"} in issued.changes
    client.force_login(personas["administrator"])
    client.post(
        reverse("admin:api_apitoken_changelist"),
        {"action": "revoke", "_selected_action": [token.pk]},
    )
    revoked = AuditEvent.objects.get(action="api.token_revoked")
    assert revoked.user == personas["administrator"]
    token.refresh_from_db()
    assert token.revoked_at is not None
