"""What keeps the annual report fast: its charts are images of their own, the computed report
is kept until the data changes, and computing it costs the same queries however many cases
there are (issue #14)."""

import datetime
import io
import re

import pytest
from django.core.management import call_command
from django.db import connection
from django.test import override_settings
from django.test.utils import CaptureQueriesContext

from heard.cases.choices import Finding, Kind, Procedure, RequestType
from heard.cases.models import Action, Learning
from heard.reports import annual
from heard.reports.periods import ReportingYear
from tests.factories import CaseFactory, PartFactory, StageFactory, sign_in

pytestmark = pytest.mark.django_db
D = datetime.date
YEAR = 2023
PNG = b"\x89PNG\r\n\x1a\n"
KEPT = {
    "default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"},
    "reports": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache", "LOCATION": "kept"},
}


def _complaints(n: int, year: int = YEAR):
    for i in range(n):
        CaseFactory(kind=Kind.COMPLAINT, received_on=D(year, 5, 2) + datetime.timedelta(days=i))


def _chart_urls(html: str, year: int = YEAR) -> list[str]:
    return [
        part.split('"', 1)[0]
        for part in html.split('<img src="')[1:]
        if part.startswith(f"/reports/annual/{year}/charts/")
    ]


def test_the_page_links_its_charts_and_each_link_gives_the_chart(client_for):
    _complaints(8)
    client = client_for("manager")
    html = client.get(f"/reports/annual/{YEAR}/").content.decode()
    assert "data:image/png" not in html  # no chart is drawn inside the page
    urls = _chart_urls(html)
    assert f"/reports/annual/{YEAR}/charts/volumes.received.png" in urls
    for url in urls:
        response = client.get(url)
        assert response.status_code == 200, url
        assert response["Content-Type"] == "image/png" and response.content.startswith(PNG)


def test_a_chart_that_is_not_in_the_report_is_not_found(client_for):
    _complaints(8)
    client = client_for("manager")
    assert client.get(f"/reports/annual/{YEAR}/charts/no.such.table.png").status_code == 404
    # The appendix is a table without a chart.
    assert client.get(f"/reports/annual/{YEAR}/charts/appendix.definitions.png").status_code == 404


def test_a_viewer_gets_the_charts_of_the_publication_version(client_for):
    _complaints(8)
    client = client_for("viewer")
    html = client.get(f"/reports/annual/{YEAR}/").content.decode()
    urls = _chart_urls(html)
    assert urls and all(url.endswith("?publication=true") for url in urls)
    # Asking for every figure is not theirs to ask: the chart is of the suppressed report.
    plain = f"/reports/annual/{YEAR}/charts/volumes.received.png"
    assert client.get(plain).content == client.get(plain + "?publication=true").content


@override_settings(CACHES=KEPT)
def test_the_report_is_computed_once_until_the_data_changes(client_for):
    _complaints(8)
    client = client_for("manager")

    def stage_reads(url):
        with CaptureQueriesContext(connection) as captured:
            response = client.get(url)
        assert response.status_code == 200
        reads = [q["sql"] for q in captured if 'FROM "cases_stage"' in q["sql"]]
        return response, len(reads)

    page = f"/reports/annual/{YEAR}/"
    first, computing = stage_reads(page)
    assert computing >= 1  # the report read the stages
    again, kept = stage_reads(page)
    assert kept == 0 and again.content.count(b">8<") == first.content.count(b">8<")
    for url in _chart_urls(first.content.decode()):
        assert stage_reads(url)[1] == 0  # every chart of the page uses the kept report

    _complaints(1)  # the data changed: the next page shows it
    changed, recomputed = stage_reads(page)
    assert recomputed >= 1
    assert ">9<" in changed.content.decode()


def _every_kind_of_case(n: int):
    """``n`` cases of each kind, with stages, parts, findings, categories and learning."""
    for i in range(n):
        day = D(YEAR, 5, 1) + datetime.timedelta(days=i)
        complaint = CaseFactory(
            kind=Kind.COMPLAINT, procedure=Procedure.CHILDRENS_STATUTORY, received_on=day
        )
        part = PartFactory(case=complaint, number=1)
        stage = StageFactory(case=complaint, responded_on=day + datetime.timedelta(days=15),
                             outcome=Finding.UPHELD)  # fmt: skip
        stage.findings.create(part=part, finding=Finding.UPHELD)
        learning = Learning.objects.create(case=complaint, lesson="Call back", recorded_on=day)
        Action.objects.create(learning=learning, description="Train", owner="Team", due_on=day)
        CaseFactory(kind=Kind.COMPLIMENT, procedure="", received_on=day)
        CaseFactory(kind=Kind.OMBUDSMAN, procedure="", received_on=day)
        CaseFactory(kind=Kind.REPRESENTATION, procedure=Procedure.REPRESENTATION,
                    received_on=day)  # fmt: skip
        CaseFactory(kind=Kind.INFORMATION_REQUEST, procedure=Procedure.FOI,
                    request_type=RequestType.FOI, received_on=day)  # fmt: skip
        CaseFactory(kind=Kind.COMMENT, procedure="", received_on=day)


def test_computing_the_annual_report_costs_the_same_queries_for_any_number_of_cases():
    def queries_for(n):
        _every_kind_of_case(n)
        with CaptureQueriesContext(connection) as captured:
            annual.build(YEAR)
        return len(captured)

    annual.build(YEAR)  # the first report also creates the council's calendar settings
    few = queries_for(3)
    assert queries_for(12) == few <= 20


def _last_year_complaints(n: int):
    from heard.reports.presenters import last_complete_year

    year = last_complete_year()
    for i in range(n):
        CaseFactory(kind=Kind.COMPLAINT, received_on=D(year, 5, 2) + datetime.timedelta(days=i))
    return year


def _complaints_received(html: str, year: int) -> list[int]:
    """The complaints received in ``year`` as the volumes section's drafted text gives them."""
    label = ReportingYear.of(year).label
    return [int(n) for n in re.findall(rf"Complaints?: (\d+) in {label}, ", html)]


@override_settings(CACHES=KEPT)
def test_the_worker_makes_the_report_ready_and_the_page_never_shows_old_figures(client_for):
    year = _last_year_complaints(8)
    client = client_for("manager")
    page = f"/reports/annual/{year}/"

    def stage_reads(url):
        with CaptureQueriesContext(connection) as captured:
            response = client.get(url)
        assert response.status_code == 200
        html = response.content.decode()
        return _complaints_received(html, year), sum(
            'FROM "cases_stage"' in q["sql"] for q in captured
        )

    said = io.StringIO()
    call_command("worker", "--once", stdout=said)
    assert "annual report made ready" in said.getvalue()
    assert stage_reads(page) == ([8], 0)  # ready before anyone asked: nothing computed
    assert stage_reads(page + "?publication=true")[1] == 0  # the publication version too

    _last_year_complaints(1)  # a change the worker has not seen yet: the page computes it
    received, computing = stage_reads(page)
    assert received == [9] and computing >= 1

    _last_year_complaints(1)  # another change, and the worker runs first
    call_command("worker", "--once", stdout=io.StringIO())
    assert stage_reads(page) == ([10], 0)

    quiet = io.StringIO()  # nothing changed since: nothing is computed again
    call_command("worker", "--once", stdout=quiet)
    assert "annual report made ready" not in quiet.getvalue()


@override_settings(CACHES=KEPT)
def test_the_worker_draws_the_charts_of_the_report_it_makes_ready(client_for, monkeypatch):
    from heard.reports.render import charts

    year = _last_year_complaints(8)
    call_command("worker", "--once", stdout=io.StringIO())
    charts.forget_drawn()  # only what the worker left in the shared cache remains

    def draw(*args):
        raise AssertionError("a chart of the page was drawn when the page asked for it")

    monkeypatch.setattr(charts, "_draw", draw)
    for mode in ("", "?publication=true"):
        client = client_for("manager")
        html = client.get(f"/reports/annual/{year}/{mode}").content.decode()
        urls = [u for u in _chart_urls(html, year) if u]
        assert urls
        for url in urls:
            response = client.get(url)
            assert response.status_code == 200 and response.content.startswith(PNG), url


@override_settings(CACHES=KEPT)
def test_signing_in_and_searching_change_no_figure_so_the_kept_report_stays(client, personas):
    """People signing in and searching all day must not make the worker compute again."""
    year = _last_year_complaints(3)
    call_command("worker", "--once", stdout=io.StringIO())
    signed = sign_in(client, "officer")
    assert signed.status_code == 302 and "sign-in" not in signed["Location"]
    assert client.get("/search/?q=smith").status_code == 200
    said = io.StringIO()
    call_command("worker", "--once", stdout=said)
    assert "annual report made ready" not in said.getvalue()
    with CaptureQueriesContext(connection) as captured:
        page = client.get(f"/reports/annual/{year}/")
    assert _complaints_received(page.content.decode(), year) == [3]
    assert not [q for q in captured if 'FROM "cases_stage"' in q["sql"]]


def test_the_worker_looks_at_the_data_when_idle_now_and_then_and_computes_at_most_so_often():
    from heard.reports import ready

    now = [100.0]
    readier = ready.Readier(clock=lambda: now[0])
    assert readier.due()
    readier.looked_at = readier.computed_at = now[0]
    now[0] += ready.LOOK_EVERY
    assert not readier.due()  # computed too recently
    now[0] += ready.AT_MOST_EVERY
    assert readier.due()
    readier.computed_at, readier.looked_at = None, now[0]
    now[0] += ready.LOOK_EVERY / 2
    assert not readier.due()  # looked too recently
    now[0] += ready.LOOK_EVERY
    assert readier.due()
    readier.worked()  # a job ran: jobs first, the report once the worker has been idle
    assert not readier.due()
    now[0] += ready.LOOK_EVERY
    assert readier.due()
