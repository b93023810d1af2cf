"""The case page's cost: a fixed number of queries however much a case holds, and everything
it holds still on the page.

A case is built with one, then ten, of everything the page lists (parts, stages' extensions
and clock stops, findings, lessons and their actions, documents, letters with attachments,
related cases, approval steps, history entries, views), with the people, a restriction, a
legal hold and an approval rule, and its page must cost no more queries with ten than with
one (decision 0046, issue #16).
"""

import datetime

import pytest
import time_machine
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from heard.audit import services as audit
from heard.audit.models import AuditEvent
from heard.cases import approvals, documents, restriction, services, workflow
from heard.cases.choices import Finding, Kind, Resolution
from heard.cases.presence import LISTS, present
from heard.correspondence import services as correspondence
from heard.correspondence.incoming import Message
from heard.people.models import ContactArrangement
from heard.people.services import decide_arrangement, link_case
from heard.public.models import OnlineSubmission
from heard.retention.models import Review
from heard.retention.services import lift_hold, place_hold
from tests.factories import term

pytestmark = pytest.mark.django_db
D = datetime.date
STATUTORY = "childrens_statutory"


@pytest.fixture(autouse=True)
def frozen_today():
    with time_machine.travel(datetime.datetime(2024, 9, 2, 9, tzinfo=datetime.UTC), tick=False):
        yield


def _everything(n: int, personas, tag: str):
    """A Stage 2 complaint with ``n`` of everything the page lists."""
    officer, manager = personas["officer"], personas["manager"]
    case = services.log_case(
        user=officer, kind=Kind.COMPLAINT, received_on=D(2024, 3, 4), procedure=STATUTORY,
        complainant_name=f"Jordan Complainant {tag}", child_name=f"Riley Child {tag}",
        summary="Calls were not returned.",
        parts=[{"summary": f"Point {tag}-{i}"} for i in range(n)],
    )  # fmt: skip
    link_case(case, user=officer)
    reason = term("suspension_reason", "police")
    for i in range(n):
        day = D(2024, 3, 5) + datetime.timedelta(days=i)
        workflow.suspend(case, reason=reason, started_on=day, user=officer)
        workflow.resume(case, ended_on=day, user=officer)
    for i in range(n):
        workflow.extend(
            case, extended_to=11 + i, reason=f"Extension {tag}-{i}", agreed_on=D(2024, 3, 15),
            user=officer,
        )  # fmt: skip
    case.refresh_from_db()
    workflow.respond(
        case, responded_on=D(2024, 3, 15),
        findings={p.pk: Finding.UPHELD for p in case.parts.all()}, user=officer,
    )  # fmt: skip
    workflow.escalate(case, requested_on=D(2024, 4, 10), user=officer)
    approvals.set_rule(
        STATUTORY, 2, team_check=True, sign_off=True, signers=[manager], user=manager
    )
    approvals.record_step(case, step="check", decision="approved", user=officer)
    for i in range(n):
        learning = workflow.add_learning(
            case, category=None, lesson=f"Lesson {tag}-{i}", user=officer
        )
        for j in range(n):
            workflow.add_action(
                learning, description=f"Action {tag}-{i}-{j}", owner="Team lead",
                due_on=D(2024, 10, 1), user=officer,
            )  # fmt: skip
        documents.add_document(
            case, SimpleUploadedFile(f"doc-{tag}-{i}.pdf", b"%PDF-1.4 x", "application/pdf"),
            description=f"Document {tag}-{i}", user=officer,
        )  # fmt: skip
        files = [(f"attachment-{tag}-{i}-{j}.txt", "text/plain", b"x") for j in range(n)]
        letter = Message(
            sender="jordan@example.org", on=datetime.datetime(2024, 6, 1, tzinfo=datetime.UTC),
            subject=f"Letter {tag}-{i}", body="Hello", message_id=f"<{tag}-{i}@example.org>",
            attachments=files,
        )  # fmt: skip
        correspondence.record_incoming(letter, case=case, user=officer)
        services.log_case(
            user=officer, kind=Kind.COMPLAINT, received_on=D(2024, 6, 1), procedure=STATUTORY,
            linked_case=case, parts=[{"summary": "Again"}],
        )  # fmt: skip
    restriction.restrict(case, people=[officer, manager], reason=f"Restricted {tag}", user=manager)
    place_hold(case, reason=f"Held {tag}", user=personas["administrator"])
    for _ in range(n):
        audit.record("case.viewed", user=manager, case=case, obj=case)
        audit.record("case.viewed", user=officer, case=case, obj=case)
    case.refresh_from_db()
    return case


def _page(client, case) -> str:
    response = client.get(reverse("cases:detail", args=[case.reference]))
    assert response.status_code == 200
    return response.content.decode()


def test_the_case_page_costs_the_same_queries_however_much_a_case_holds(
    client_for, personas, django_assert_max_num_queries
):
    small = _everything(1, personas, "small")
    big = _everything(10, personas, "big")
    for name in ("officer", "manager"):
        client = client_for(name)
        _page(client, small)
        with django_assert_max_num_queries(31) as counted:
            _page(client, small)
        with django_assert_max_num_queries(len(counted.captured_queries)):
            _page(client, big)


def test_the_case_page_shows_everything_a_full_case_holds(client_for, personas):
    case = _everything(10, personas, "big")
    page = _page(client_for("officer"), case)
    shown = [
        "Jordan Complainant big", "Riley Child big", "Person records:",
        "Restricted big", "Held big", "Stage 2",
        *(f"Point big-{i}" for i in range(10)),
        *(f"Extension big-{i}" for i in range(10)),
        *(f"Lesson big-{i}" for i in range(10)),
        *(f"Action big-{i}-{j}" for i in range(10) for j in range(10)),
        *(f"Document big-{i}" for i in range(10)),
        *(f"Letter big-{i}" for i in range(10)),
        *(f"attachment-big-{i}-{j}.txt" for i in range(10) for j in range(10)),
    ]  # fmt: skip
    for text in shown:
        assert text in page, text
    assert page.count("Clock stopped</dt>") == 10
    history = page.split(">History<")[1]
    # The views in a row are one line, with this one and everyone who looked.
    assert "Case viewed 21 times" in history
    assert "Response checked by the complaints team" in history
    assert "Approval of the Stage 2 response" in page
    related = page.split("Related cases")[1].split("</ul>")[0]
    assert related.count("<li>") == 10
    # Viewing it was audited, as every view is.
    assert "Case viewed 22 times" in _page(client_for("officer"), case)


def _truly_present(case, user) -> set[str]:
    """Which lists of the case page hold anything for ``case``, asked one by one."""
    from heard.cases.access_models import ApprovalStep, Restriction
    from heard.cases.models import Case, Extension, PartFinding, Suspension

    asked = {
        "stages": case.stages.exists(),
        "parts": case.parts.exists(),
        "findings": PartFinding.objects.filter(stage__case=case).exists(),
        "extensions": Extension.objects.filter(stage__case=case).exists(),
        "suspensions": Suspension.objects.filter(stage__case=case).exists(),
        "categories": case.categories.exists(),
        "staff_complained_about": case.staff_complained_about.exists(),
        "learning": case.learning.exists(),
        "documents": case.documents.exists(),
        "correspondence": case.correspondence.exists(),
        "approval_steps": ApprovalStep.objects.filter(stage__case=case).exists(),
        "legal_holds": case.legal_holds.filter(lifted_at__isnull=True).exists(),
        "linked_here": Case.objects.filter(linked_case=case).exists(),
        "people": case.people_links.exists(),
        "arrangements": ContactArrangement.objects.filter(person__links__case=case).exists(),
        "restriction": Restriction.objects.filter(case=case).exists(),
        "online_submission": OnlineSubmission.objects.filter(case=case).exists(),
        "retention_review": Review.objects.filter(case=case).exists(),
        "remedies": case.remedies.exists(),
        "hidden_cases": Restriction.objects.exclude(people=user).exists(),
    }
    assert set(asked) == set(LISTS), "a list of the page that this test does not ask about"
    return {name for name, found in asked.items() if found}


def _bare(personas, **fields):
    """A compliment, logged with nothing else: none of the page's lists has anything."""
    fields = {"kind": Kind.COMPLIMENT, "received_on": D(2024, 3, 4), **fields}
    return services.log_case(user=personas["officer"], **fields)


def test_the_page_knows_which_lists_a_case_has(personas):
    officer, administrator = personas["officer"], personas["administrator"]
    bare = _bare(personas)
    full = _everything(1, personas, "full")  # restricted to the officer and the manager
    held_then_lifted = _bare(
        personas, staff_complained_about=[officer], categories=[term("category", "delay")]
    )
    place_hold(held_then_lifted, reason="Held", user=administrator)
    lift_hold(held_then_lifted, reason="Lifted", user=administrator)
    OnlineSubmission.objects.create(case=held_then_lifted, route="adult")
    Review.objects.create(
        case=held_then_lifted, due_on=D(2024, 3, 4), rule="Six years", listed_at=timezone.now()
    )
    decide_arrangement(
        full.people_links.first().person, level="persistent", reason="Calls daily",
        channels="E-mail only", review_on=D(2025, 3, 1), user=personas["manager"],
    )  # fmt: skip
    ombudsman = services.log_case(
        user=officer, kind=Kind.OMBUDSMAN, received_on=D(2024, 3, 4), linked_case=bare
    )
    workflow.add_remedy(ombudsman, kind="apology", due_on=D(2024, 10, 1), user=officer)
    cases = [bare, full, held_then_lifted, ombudsman]
    for case in cases:
        for user in personas.values():
            assert present(case, user) == _truly_present(case, user), (case, user)
    # Between them, the cases (and readers) have and lack every list: each answer was
    # checked both ways.
    seen = [present(case, user) for case in cases for user in personas.values()]
    assert set().union(*seen) == set(LISTS)
    assert all(any(name not in has for has in seen) for name in LISTS)


def _reads(captured, table: str) -> bool:
    return any(
        f'FROM "{table}"' in query["sql"] and '"has_stages"' not in query["sql"]
        for query in captured
    )


def test_a_case_with_nothing_listed_costs_no_query_for_its_empty_lists(
    client_for, personas, django_assert_max_num_queries
):
    full = _everything(1, personas, "full")
    bare = _bare(personas)
    client = client_for("manager")
    _page(client, full)
    with django_assert_max_num_queries(31) as counted:
        _page(client, full)
    with CaptureQueriesContext(connection) as captured:
        page = _page(client, bare)
    assert len(captured) < len(counted.captured_queries) - 10
    for table in (
        "cases_stage", "cases_part", "cases_partfinding", "cases_extension", "cases_suspension",
        "cases_learning", "cases_document", "correspondence_correspondence",
        "cases_approvalstep", "cases_approvalrule", "retention_legalhold", "people_caselink",
        "cases_remedy",
    ):  # fmt: skip
        assert not _reads(captured, table), table
    # The page still says what it has nothing of, and the view was audited.
    assert "None yet." in page
    assert AuditEvent.objects.filter(action="case.viewed", case_id=bare.pk).count() == 1


def test_the_retention_date_is_shown_to_those_who_may_change_it_only(client_for, personas):
    """Only they are shown how long a closed case is kept, and only for them is the rule read."""
    from heard.accounts.roles import can_administer

    case = _bare(personas)
    workflow.close(
        case, resolution=Resolution.RESPONDED, on=D(2024, 3, 5), user=personas["officer"]
    )
    shown_to = set()
    for name in personas:
        response = client_for(name).get(reverse("cases:detail", args=[case.reference]))
        if response.status_code == 200 and "Kept until 5 March 2030" in response.content.decode():
            shown_to.add(name)
    assert shown_to == {name for name, user in personas.items() if can_administer(user)}
    assert shown_to
