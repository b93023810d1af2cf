"""Search, from the user's side: what it finds, what it shows, what it never reveals."""

import datetime
import json

import pytest
from django.core.management import call_command
from django.urls import reverse
from django.utils import timezone

from heard.audit.models import AuditEvent
from heard.cases import restriction, workflow
from heard.cases.bulk import BulkWriter
from heard.cases.models import Case
from heard.correspondence import services as correspondence
from heard.correspondence.incoming import Message
from heard.people.models import CaseLink
from heard.people.services import update_person
from heard.search import services
from heard.search.models import SearchDocument
from tests.conftest import PERSONAS
from tests.factories import CaseFactory, PartFactory, StageFactory

pytestmark = pytest.mark.django_db
D = datetime.date


@pytest.fixture
def cases(personas):
    """A few cases with everything search finds, one allocated to the responding manager."""
    return {
        "brennan": CaseFactory(
            complainant_name="Aoife Brennan",
            complainant_email="aoife.brennan@example.org",
            complainant_phone="07700 900123",
            complainant_address="4 Mill Lane\nDerby\nDE22 1AB",
            child_name="Liam Brennan",
            summary="The foster placement ended without notice.",
            allocated_to=personas["responding_manager"],
        ),
        "okafor": CaseFactory(
            complainant_name="Chidi Okafor",
            complainant_address="12 High Street, Matlock DE4 3AG",
            summary="Transport to school was cancelled twice.",
        ),
        "mp": CaseFactory(
            reference="REP-2024-00007",
            kind="representation",
            complainant_name="Priya Shah",
            representative_name="Jane Hollis MP",
            summary="Asked about a delayed assessment.",
        ),
    }


def _found(user, text):
    return [result.case.reference for result in services.search(user, text).results]


def test_it_finds_a_case_by_surname_and_says_which_field_matched(officer, cases):
    found = services.search(officer, "brennan")
    assert [r.case.reference for r in found.results] == [cases["brennan"].reference]
    labels = {m.label for m in found.results[0].matches}
    assert {"Complainant", "Child"} <= labels
    assert found.total == 1


def test_it_finds_a_postcode_with_or_without_its_space_in_any_case(officer, cases):
    for typed in ("DE22 1AB", "de221ab", "De22 1ab"):
        found = services.search(officer, typed)
        assert [r.case.reference for r in found.results] == [cases["brennan"].reference], typed
        assert found.results[0].matches[0].label == "Complainant's address"


def test_it_finds_a_reference_exactly_in_any_case_first(officer, cases):
    for typed in ("REP-2024-00007", "rep-2024-00007"):
        found = services.search(officer, typed)
        assert found.results[0].case.reference == "REP-2024-00007"
        assert found.results[0].matches[0].label == "Reference"


def test_it_finds_telephone_e_mail_and_words_of_the_summary(officer, cases):
    assert _found(officer, "07700 900 123") == [cases["brennan"].reference]
    assert _found(officer, "+44 7700 900123") == [cases["brennan"].reference]
    assert _found(officer, "aoife.brennan@example.org") == [cases["brennan"].reference]
    assert _found(officer, "foster placement") == [cases["brennan"].reference]
    assert _found(officer, "transport cancelled") == [cases["okafor"].reference]


def test_it_finds_the_text_of_parts(officer, cases):
    PartFactory(case=cases["okafor"], number=1, summary="The escort was not vetted")
    found = services.search(officer, "escort vetted")
    assert [r.case.reference for r in found.results] == [cases["okafor"].reference]
    assert found.results[0].matches[0].label == "Part 1"


def test_it_finds_a_date_of_birth_however_it_is_written(officer, cases):
    child = CaseLink.objects.get(case=cases["brennan"], role="child").person
    update_person(child, changes={"date_of_birth": D(2012, 3, 9)}, user=officer)
    for typed in ("9/3/2012", "09/03/2012", "2012-03-09", "9 March 2012", "9th Mar 2012"):
        found = services.search(officer, typed)
        assert [r.case.reference for r in found.results] == [cases["brennan"].reference], typed
        assert found.results[0].matches[0].label == "Child's date of birth"


def test_a_misspelt_name_is_found_by_trigram_similarity(officer, cases):
    found = services.search(officer, "Brenan")
    assert [r.case.reference for r in found.results] == [cases["brennan"].reference]
    assert found.widened == [("brenan", ["brennan"])]
    assert _found(officer, "Okafro") == [cases["okafor"].reference]
    assert _found(officer, "Zzyzx") == []


def test_exact_matches_rank_above_prefix_and_names_above_text(officer, personas):
    in_text = CaseFactory(complainant_name="Sam Lee", summary="Spoke to Mr Hale at school.")
    named = CaseFactory(complainant_name="Robin Hale")
    found = _found(officer, "hale")
    assert found.index(named.reference) < found.index(in_text.reference)


def _correspond(cases, personas):
    """A letter, an e-mail received and a contact-log entry, on three different cases."""
    officer = personas["officer"]
    correspondence.log_contact(
        cases["okafor"],
        channel="letter",
        direction="out",
        on=timezone.localdate(),
        correspondent="Chidi Okafor",
        subject="Your transport complaint",
        body="We will arrange a minibus from Tuesday.",
        user=officer,
    )
    message = Message(
        sender="Aoife Brennan <aoife.brennan@example.org>",
        on=timezone.now(),
        subject="Respite weekends",
        body="The respite weekends stopped in June.",
        message_id="<respite@example.org>",
    )
    correspondence.record_incoming(message, case=cases["brennan"], actor="tests")
    correspondence.log_contact(
        cases["mp"],
        channel="phone",
        direction="in",
        on=timezone.localdate(),
        correspondent="Jane Hollis MP",
        subject="Caseworker call",
        body="Asked whether the occupational therapist has visited.",
        user=officer,
    )


def test_letters_e_mails_and_the_contact_log_are_searched_with_what_matched(
    officer, personas, cases
):
    _correspond(cases, personas)
    for typed, case, label in (
        ("minibus", "okafor", "Letter"),
        ("respite weekends", "brennan", "E-mail received"),
        ("occupational therapist", "mp", "Phone call"),
    ):
        found = services.search(officer, typed)
        assert [r.case.reference for r in found.results] == [cases[case].reference], typed
        assert found.results[0].matches[0].label == label
        assert typed.split()[0] in found.results[0].matches[0].value.lower()


def test_the_search_page_shows_the_letter_that_matched(client_for, personas, cases):
    _correspond(cases, personas)
    page = client_for("officer").get(reverse("search:results"), {"q": "minibus"})
    text = page.content.decode()
    assert cases["okafor"].reference in text and "Letter" in text and "minibus" in text


def test_an_e_mail_waiting_for_triage_is_found_once_filed_on_its_case(officer, cases):
    message = Message(
        sender="someone@example.org",
        on=timezone.now(),
        subject="Hydrotherapy sessions",
        body="",
        message_id="<hydro@example.org>",
    )
    item, _ = correspondence.record_incoming(message, case=None, actor="tests")
    assert _found(officer, "hydrotherapy") == []
    correspondence.file_on_case(item, cases["okafor"], user=officer)
    assert _found(officer, "hydrotherapy") == [cases["okafor"].reference]
    item.delete()
    assert _found(officer, "hydrotherapy") == []


@pytest.mark.parametrize("role", sorted(PERSONAS))
def test_results_are_exactly_the_matching_cases_the_role_may_see(personas, cases, role):
    user = personas[role]
    StageFactory(case=cases["okafor"], responder=personas["investigator"])
    _correspond(cases, personas)
    hidden = CaseFactory(complainant_name="Rowan Ashby", allocated_to=personas["manager"])
    correspondence.log_contact(
        hidden, channel="note", direction="none", on=timezone.localdate(), correspondent="",
        subject="", body="The trampoline incident", user=personas["manager"],
    )  # fmt: skip
    manager = personas["manager"]
    restriction.restrict(hidden, people=[manager], reason="Staff", user=manager)
    visible = set(Case.objects.visible_to(user).values_list("reference", flat=True))
    if role != "manager":
        assert _found(user, "trampoline") == [] and services.search(user, "trampoline").total == 0
    for typed in (
        "brennan", "okafor", "de22 1ab", "REP-2024-00007", "the", "Brenan",
        "minibus", "respite", "occupational", "weekends tuesday", "trampoline",
    ):  # fmt: skip
        found = services.search(user, typed)
        references = {r.case.reference for r in found.results}
        assert references <= visible
        everyone = {r.case.reference for r in services.search(personas["manager"], typed).results}
        assert references == everyone & visible
        assert found.total == len(references)  # the count too, never the hidden ones


def test_the_search_page_and_the_header_box(client_for, cases):
    client = client_for("officer")
    home = client.get(reverse("core:home")).content.decode()
    assert 'id="header-search-q"' in home and 'action="/search/"' in home
    page = client.get(reverse("search:results"), {"q": "okafor"}).content.decode()
    assert cases["okafor"].reference in page and "1 case found" in page
    person = CaseLink.objects.get(case=cases["okafor"], role="complainant").person_id
    assert reverse("people:detail", args=[person]) in page


def test_the_search_page_says_what_is_wrong_with_an_empty_search(client_for):
    page = client_for("officer").get(reverse("search:results"), {"q": "  "}).content.decode()
    assert "Enter a name, reference, postcode" in page and "govuk-error-summary" in page


def test_a_viewer_has_no_search_box_and_no_search(client_for, cases):
    client = client_for("viewer")
    assert 'id="header-search-q"' not in client.get(reverse("core:home")).content.decode()
    assert client.get(reverse("search:results"), {"q": "brennan"}).status_code == 403


def test_every_search_is_audited_with_who_searched_for_what(officer, cases):
    services.search(officer, "Brennan")
    event = AuditEvent.objects.filter(action="search.performed").latest("id")
    assert event.user == officer and "“Brennan”" in event.note and "1 case" in event.note


def test_the_index_follows_changes_to_a_case(officer, cases):
    case = cases["okafor"]
    workflow.update_details(case, changes={"complainant_name": "Chidi Nwosu"}, user=officer)
    assert _found(officer, "nwosu") == [case.reference]
    # The person linked keeps their own name until someone changes it on their page.
    person = CaseLink.objects.get(case=case, role="complainant").person
    assert _found(officer, "okafor") == [case.reference]
    update_person(person, changes={"name": "Chidi Nwosu"}, user=officer)
    assert _found(officer, "okafor") == []
    Case.objects.filter(pk=case.pk).delete()
    assert _found(officer, "nwosu") == []
    assert not SearchDocument.objects.filter(pk=case.pk).exists()


def test_cases_written_in_bulk_are_linked_and_indexed(officer):
    writer = BulkWriter(actor="tests")
    writer.add_case(
        Case(
            reference="CMP-2020-00001",
            kind="complaint",
            status="open",
            received_on=D(2020, 5, 1),
            complainant_name="Ffion Pritchard",
        )  # fmt: skip
    )
    writer.save()
    assert _found(officer, "pritchard") == ["CMP-2020-00001"]
    assert CaseLink.objects.filter(case__reference="CMP-2020-00001").count() == 1


def test_a_rebuild_gives_the_same_index(officer, cases):
    before = {d.pk: (d.names, d.body, d.entries) for d in SearchDocument.objects.all()}
    call_command("search_index", "--rebuild", stdout=open("/dev/null", "w"))  # noqa: SIM115
    after = {d.pk: (d.names, d.body, d.entries) for d in SearchDocument.objects.all()}
    assert before == after and len(after) == Case.objects.count()
    assert _found(officer, "Brenan") == [cases["brennan"].reference]


@pytest.mark.parametrize("role", ["officer", "responding_manager"])
def test_a_search_runs_a_fixed_number_of_queries(personas, role, django_assert_max_num_queries):
    """However many cases match, and whether the scope is every case (a complaints officer)
    or SQL (a responding manager's, listed once per search)."""
    user = personas[role]
    for n in range(3):
        CaseFactory(complainant_name=f"Alex Morgan{n} Quill", allocated_to=user)
    with django_assert_max_num_queries(15):
        assert len(services.search(user, "quill").results) == 3
    for n in range(60):
        CaseFactory(complainant_name=f"Alex Morgan{n} Quill", allocated_to=user)
    with django_assert_max_num_queries(15):
        found = services.search(user, "quill")
        assert len(found.results) == services.LIMIT and found.total == 63


def test_a_search_checks_the_scope_in_one_statement(personas):
    """A responding manager's scope (the cases of their stages: tens of thousands in a large
    council) is most of the work of their search, so a search that finds more than a page
    and counts the rest checks it once, not once for the page and again for the count."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    user = personas["responding_manager"]
    for n in range(services.LIMIT + 5):
        CaseFactory(complainant_name=f"Alex Morgan{n} Quill", allocated_to=user)
    CaseFactory(complainant_name="Sam Quill")  # not theirs
    with CaptureQueriesContext(connection) as queries:
        found = services.search(user, "quill")
    assert (len(found.results), found.total) == (services.LIMIT, services.LIMIT + 5)
    scoped = [q["sql"] for q in queries.captured_queries if '"responder_id"' in q["sql"]]
    assert len(scoped) == 1, scoped


def _cases_read_without_an_index(plan: dict) -> list[dict]:
    """The nodes of a PostgreSQL plan (JSON) that read cases_case other than by an index
    condition: a whole-table scan, or a walk of a whole index."""
    found = []

    def walk(node):
        if node.get("Relation Name") == "cases_case" and not (
            node.get("Index Cond") or node.get("Recheck Cond")
        ):
            found.append(node)
        for child in node.get("Plans", []):
            walk(child)

    walk(plan[0]["Plan"])
    return found


@pytest.mark.parametrize("probe", [True, False], ids=["case by case", "scope gathered"])
def test_on_postgresql_a_managers_search_never_reads_every_case(personas, probe, monkeypatch):
    """The scope of a responding manager is read through indexes (their stages by
    ``(responder, case)``, cases by ``allocated_to`` or by key), whether PostgreSQL looks
    each match up in it or gathers it whole: never by reading every case in the council,
    which is what the scope as an ``OR`` of conditions on the case cost (a parallel scan of
    100,000 cases in every statement). The planner is asked with full-table reads priced
    out, so the test holds with a handful of cases: if no index can serve the scope, the
    plan still reads all the cases (or walks a whole index of them), and the test fails."""
    from django.db import connection, transaction
    from django.test.utils import CaptureQueriesContext

    from heard.search.engines import postgres

    if connection.vendor != "postgresql":
        pytest.skip("the plan of PostgreSQL (SQLite lists or checks the scope: see above)")
    monkeypatch.setattr(postgres, "PROBE", 10**9 if probe else -1)
    user = personas["responding_manager"]
    mine = [CaseFactory(complainant_name="Kim Tremayne", allocated_to=user) for _ in range(3)]
    StageFactory(case=CaseFactory(complainant_name="Kim Tremayne"), responder=user)
    for _ in range(30):
        CaseFactory(complainant_name="Kim Tremayne")
    with CaptureQueriesContext(connection) as queries:
        assert services.search(user, "tremayne").total == 4
        assert services.search(user, mine[0].reference).results[0].case == mine[0]
    scoped = [q["sql"] for q in queries.captured_queries if '"responder_id"' in q["sql"]]
    assert scoped
    with transaction.atomic():
        with connection.cursor() as cursor:
            cursor.execute("ANALYZE cases_case")
            cursor.execute("ANALYZE cases_stage")
            cursor.execute("SET LOCAL enable_seqscan = off")
            for sql in scoped:
                cursor.execute("EXPLAIN (FORMAT JSON) " + sql)
                plan = cursor.fetchone()[0]
                plan = json.loads(plan) if isinstance(plan, str) else plan
                assert _cases_read_without_an_index(plan) == [], sql
        transaction.set_rollback(True)


def test_the_results_page_runs_a_fixed_number_of_queries(
    client_for, personas, django_assert_max_num_queries
):
    """What a result shows is loaded with the results (no query per case or person)."""
    client = client_for("officer")
    CaseFactory(complainant_name="Alex Quill", child_name="Sam Quill")
    with django_assert_max_num_queries(40) as few:
        assert "1 case found" in client.get(reverse("search:results"), {"q": "quill"}).text
    for _ in range(20):
        CaseFactory(complainant_name="Alex Quill", child_name="Sam Quill")
    with django_assert_max_num_queries(len(few.captured_queries)):
        page = client.get(reverse("search:results"), {"q": "quill"}).text
    assert "21 cases found" in page and page.count("Sam Quill") >= 21


def test_more_than_a_page_says_how_many_in_all(officer):
    for _ in range(services.LIMIT + 5):
        CaseFactory(complainant_name="Kim Tremayne")
    found = services.search(officer, "tremayne")
    assert len(found.results) == services.LIMIT and found.total == services.LIMIT + 5
    assert not found.more


@pytest.mark.parametrize("role", ["officer", "responding_manager"])
def test_counting_stops_past_the_count_limit_and_says_more_than(
    client_for, personas, role, monkeypatch
):
    """Counting every case a common word matches costs more than finding the best of them, so
    the count stops at ``COUNT_LIMIT`` (1,000; 4 here) and says "more than"; the cases out of
    scope are never among those counted."""
    monkeypatch.setattr(services, "COUNT_LIMIT", 4)
    user = personas[role]
    for _ in range(6):
        CaseFactory(complainant_name="Kim Tremayne")  # allocated to no one
    mine = [CaseFactory(complainant_name="Kim Tremayne", allocated_to=user) for _ in range(4)]
    found = services.search(user, "tremayne", limit=2)
    if role == "officer":
        assert (found.total, found.more) == (4, True)
        page = client_for(role).get(reverse("search:results"), {"q": "tremayne"}).text
        assert "More than 4 cases found" in page
        event = AuditEvent.objects.filter(action="search.performed").latest("pk")
        assert "more than 4 cases" in event.note
    else:  # exactly four in scope: not "more than"
        assert (found.total, found.more) == (4, False)
        assert {r.case for r in found.results} <= set(mine)


def test_only_the_most_recent_candidates_are_ranked(officer, monkeypatch):
    """A common word matches most of the council; ranking reads every match it ranks, so
    only the ``CANDIDATES`` most recent are ranked (1,000; 3 here). Within them a name still
    ranks above text, and the count is not bounded by them."""
    from heard.search import engines
    from heard.search.engines import postgres

    monkeypatch.setattr(engines, "CANDIDATES", 3)
    monkeypatch.setattr(postgres, "RANK_ALL", -1)  # as if "hale" were common
    older = CaseFactory(complainant_name="Robin Hale")
    CaseFactory(summary="Mr Hale said so.")
    newer = [
        CaseFactory(complainant_name="Robin Hale"),
        CaseFactory(summary="Mr Hale said so."),
        CaseFactory(summary="Mr Hale said so again."),
    ]
    found = services.search(officer, "hale", limit=2)
    assert found.total == 5
    references = [r.case.reference for r in found.results]
    assert references[0] == newer[0].reference  # the name first, among the three most recent
    assert older.reference not in references
    assert set(references) <= {case.reference for case in newer}


def test_on_postgresql_rarer_words_have_every_match_ranked(officer, monkeypatch):
    """PostgreSQL ranks every match of words it estimates match at most ``RANK_ALL`` cases
    (found through the GIN index): an old case named so still comes first."""
    from django.db import connection

    from heard.search import engines

    if connection.vendor != "postgresql":
        pytest.skip("SQLite finds the most recent matches first whatever the words")
    monkeypatch.setattr(engines, "CANDIDATES", 3)
    older = CaseFactory(complainant_name="Robin Hale")
    for _ in range(4):
        CaseFactory(summary="Mr Hale said so.")
    found = services.search(officer, "hale", limit=2)
    assert found.results[0].case == older and found.total == 5


@pytest.mark.parametrize("few", [0, 200])
def test_each_search_checks_its_own_users_scope(personas, cases, few, monkeypatch):
    """The SQLite engine checks a scope given as SQL for the few cases the words match, or
    (more than ``FEW``; here 0, then 200) lists it once per search in a temporary table of
    the connection: one user's search never sees the previous user's list."""
    from heard.search.engines import sqlite

    monkeypatch.setattr(sqlite, "FEW", few)
    manager, investigator = personas["responding_manager"], personas["investigator"]
    StageFactory(case=cases["okafor"], responder=investigator)
    for _ in range(2):
        assert _found(manager, "brennan") == [cases["brennan"].reference]
        assert _found(investigator, "brennan") == []
        assert _found(investigator, "okafor") == [cases["okafor"].reference]
        assert _found(manager, "okafor") == []


def test_typed_syntax_is_never_read_as_a_query_language(officer, cases):
    for typed in (
        '"',
        "brennan OR",
        "NEAR(",
        "a:b",
        "'; DROP TABLE x; --",
        "*",
        "()",
        "-",
        "\x00a",
    ):
        services.search(officer, typed)  # no error from either engine


# The API ------------------------------------------------------------------------------------


def test_the_api_searches_within_the_callers_scope(api, cases):
    body = api("officer").get("/api/v1/search", {"q": "Brenan"}).json()
    assert [r["reference"] for r in body["results"]] == [cases["brennan"].reference]
    assert body["close_names"] == {"brenan": ["brennan"]}
    assert {"label": "Child", "value": "Liam Brennan"} in body["results"][0]["matches"]
    roles = {p["role"] for p in body["results"][0]["people"]}
    assert roles == {"complainant", "child"}
    assert api("responding_manager").get("/api/v1/search", {"q": "okafor"}).json() == {
        "query": "okafor", "total": 0, "more": False, "close_names": {}, "results": [],
    }  # fmt: skip
    searches = AuditEvent.objects.filter(action="search.performed")
    assert any(event.note.startswith("API") for event in searches)


def test_the_api_answers_errors_in_its_usual_shape(api, client, cases):
    response = client.get("/api/v1/search", {"q": "brennan"})
    assert response.status_code == 401
    response = api("viewer").get("/api/v1/search", {"q": "brennan"})
    assert response.status_code == 403 and response.json()["error"]["code"] == "forbidden"
    for bad in ({}, {"q": ""}, {"q": "   "}, {"q": "x" * 201}):
        response = api("officer").get("/api/v1/search", bad)
        assert response.status_code == 422, bad
        assert response.json()["error"]["code"] == "invalid"
    assert json.loads(api("officer").get("/api/v1/openapi.json").content)["paths"]["/api/v1/search"]


def test_sqlite_matches_once_and_checks_the_scope_afterwards(personas, cases):
    """A scope given as SQL (the responding manager's) must not reach FTS5 as rowids to look
    up one by one: that runs the full-text query once per case in scope (two minutes at
    100,000 cases). The plan shows such a lookup as "=" in FTS5's index."""
    from django.db import connection

    from heard.search.engines import sqlite
    from heard.search.query import parse

    if connection.vendor != "sqlite":
        pytest.skip("the plan of SQLite's FTS5; PostgreSQL joins the scope (see the engine)")
    scope, hidden = services._scope(personas["responding_manager"])
    assert scope and hidden == []
    plan = sqlite.plan(parse("placement without").terms, scope, exclude=[])
    fts = next(line for line in plan.splitlines() if "search_fts VIRTUAL TABLE" in line)
    assert "INDEX 0:M" in fts, plan  # the match alone, no rowid lookups


@pytest.mark.parametrize("role", ["responding_manager", "investigator"])
def test_a_listed_scope_finds_exactly_what_a_checked_one_does(personas, cases, role, monkeypatch):
    """Each engine checks a scope given as SQL in one of two ways, by how many cases the
    words match: case by case (SQLite for at most ``FEW``, PostgreSQL for an estimate of at
    most ``PROBE``), or the whole scope at once (listed by SQLite, gathered by PostgreSQL).
    Both find exactly the same."""
    from heard.search.engines import postgres, sqlite

    user = personas[role]
    StageFactory(case=cases["okafor"], responder=personas["investigator"])
    _correspond(cases, personas)
    typed = ["brennan", "okafor", "de22 1ab", "REP-2024-00007", "the", "Brenan", "minibus"]
    checked = {text: services.search(user, text) for text in typed}
    monkeypatch.setattr(sqlite, "FEW", 0)
    monkeypatch.setattr(postgres, "PROBE", -1)
    for text in typed:
        listed = services.search(user, text)
        assert [r.case for r in listed.results] == [r.case for r in checked[text].results]
        assert (listed.total, listed.more) == (checked[text].total, checked[text].more)


def test_whoever_sees_every_case_searches_with_the_restricted_ones_left_out(personas, cases):
    """No scope as SQL for a complaints officer: only the restricted cases they are not named
    on, left out by id (a short list however large the council)."""
    manager = personas["manager"]
    restriction.restrict(cases["okafor"], people=[manager], reason="Staff", user=manager)
    assert services._scope(personas["officer"]) == (None, [cases["okafor"].pk])
    assert services._scope(manager) == (None, [])
    assert _found(personas["officer"], "okafor") == []
    assert services.search(personas["officer"], "okafor").total == 0
