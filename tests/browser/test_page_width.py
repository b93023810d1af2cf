"""Every staff page fits a 1200 pixel wide window: the page itself never scrolls sideways. A
wide table scrolls inside its own box (the GOV.UK pattern for wide tables), so the page's
header, navigation and text stay where they are.

The pages are found as tests/core/test_no_server_errors.py finds them: by following links from
the home pages of a small demo council, signed in as an administrator, one page (or two) of
every URL pattern.
"""

import datetime
from io import StringIO

import pytest
from django.core.management import call_command
from django.test import Client

from heard.accounts.models import User
from heard.demo.council import DEMO_PASSWORD

pytestmark = pytest.mark.django_db(transaction=True, serialized_rollback=True)

WIDTH = 1200


@pytest.fixture
def council():
    from tests.core.test_no_server_errors import ROLES, _add_what_the_demo_lacks

    call_command("demo", cases=40, seed=16, today=datetime.date(2026, 11, 20), stdout=StringIO())
    users = {name: User.objects.get(username=name) for name in ROLES}
    _add_what_the_demo_lacks(users)
    return users


def _staff_pages(user) -> list[str]:
    from tests.core.test_no_server_errors import _crawl

    client = Client()
    client.force_login(user)
    by_pattern, _ = _crawl(client)
    return sorted(
        path
        for name, paths in by_pattern.items()
        if not name.startswith("public:")
        for path in paths
    )


def _sign_in(page, username):
    page.goto("/accounts/sign-in/")
    page.get_by_label("Username").fill(username)
    page.get_by_label("Password").fill(DEMO_PASSWORD)
    page.get_by_role("button", name="Sign in").click()
    page.wait_for_url(lambda url: "/sign-in/" not in url)


def _too_wide(page, paths) -> dict[str, list[int]]:
    too_wide = {}
    for path in paths:
        page.goto(path)
        widths = page.evaluate(
            "() => [document.scrollingElement.scrollWidth, document.scrollingElement.clientWidth]"
        )
        if widths[0] > widths[1]:
            too_wide[path] = widths
    return too_wide


#: The pages whose tables differ by role: the dashboard (each role's own work and, for the
#: casework roles, the team's), the case list and the trackers.
BY_ROLE = ["/", "/cases/", "/deadlines/", "/reports/"]


def test_no_staff_page_scrolls_sideways_at_1200_pixels(council, page, browser, live_server):
    from heard.cases.models import Case

    pages = _staff_pages(council["admin"])
    assert len(pages) > 40, pages  # the crawl reached the site, not only its home page
    page.set_viewport_size({"width": WIDTH, "height": 900})
    _sign_in(page, "admin")
    assert _too_wide(page, pages) == {}

    # Each role's own dashboard and lists, with work of their own whatever the demo gave.
    open_cases = list(
        Case.objects.exclude(status="closed").order_by("pk").values_list("pk", flat=True)
    )
    for role in ("manager", "officer", "teammanager", "investigator", "viewer"):
        Case.objects.filter(pk__in=open_cases[:8]).update(allocated_to=council[role])
        context = browser.new_context(
            base_url=live_server.url, locale="en-GB", viewport={"width": WIDTH, "height": 900}
        )
        try:
            own = context.new_page()
            _sign_in(own, role)
            assert _too_wide(own, BY_ROLE) == {}, role
        finally:
            context.close()
