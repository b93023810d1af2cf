"""The online form's three routes (child, adult, representative) by keyboard alone, the progress
page, and the form without JavaScript on a 320 pixel wide screen; axe-core checks every page."""

import re

import pytest

from heard.cases.models import Case
from heard.notifications.models import OutboxMessage
from tests.browser.test_tell_us_journey import (
    check_accessibility,
    choose,
    continue_,
    fill_in_an_anonymous_idea,
    tab_to,
    type_into,
)

pytestmark = pytest.mark.django_db(transaction=True, serialized_rollback=True)


def _start(page):
    page.goto("/tell-us/")
    check_accessibility(page)
    tab_to(page, "a.govuk-button--start")
    with page.expect_navigation():
        page.keyboard.press("Enter")
    check_accessibility(page)


def _progress_path(to):
    body = OutboxMessage.objects.get(to=to, subject__startswith="We have received").body
    return "/" + re.search(r"https?://[^\s]+?/(tell-us/progress/[^\s]+/)", body).group(1)


def test_a_child_in_care_asks_for_an_advocate_and_follows_progress(page, settings):
    settings.HEARD_ADVOCACY_PROVIDER_NAME = "Speak Up Advocacy"
    settings.HEARD_ADVOCACY_PROVIDER_EMAIL = "referrals@speakup.example.org"
    _start(page)
    choose(page, "complaint")
    continue_(page)
    choose(page, "child")
    continue_(page)
    continue_(page)  # no age chosen: an accessible error
    assert "Select how old you are" in page.inner_text(".govuk-error-summary")
    choose(page, "10-12")
    continue_(page)
    choose(page, "in-care")
    continue_(page)
    choose(page, "yes")
    continue_(page)
    assert "Speak Up Advocacy" in page.inner_text("main")
    choose(page, "yes")
    continue_(page)
    type_into(page, "#id_what_happened", "I was moved to a new home without being asked.")
    continue_(page)
    continue_(page)  # no files
    choose(page, "advocate")
    type_into(page, "#id_name", "Jo")
    continue_(page)  # the advocate's details are missing
    assert "Enter the name of your advocate" in page.inner_text(".govuk-error-summary")
    type_into(page, "#id_helper_name", "Ali")
    type_into(page, "#id_helper_email", "ali@speakup.example.org")
    continue_(page)
    assert "Through Ali" in page.inner_text("main")
    continue_(page, "Send")
    main = page.inner_text("main")
    assert "We have asked Speak Up Advocacy to contact you" in main
    assert "private link" in main

    case = Case.objects.get()
    assert case.complainant_looked_after and case.online_submission.contact_via == "advocate"
    assert OutboxMessage.objects.filter(to="referrals@speakup.example.org").exists()

    page.goto(_progress_path("ali@speakup.example.org"))
    check_accessibility(page)
    assert case.reference in page.inner_text("main")
    assert "deciding what happens next" in page.inner_text("main")
    continue_(page, "Stop this link working")
    assert "stopped working" in page.inner_text("h1")


def test_an_adult_complains_by_keyboard(page):
    _start(page)
    choose(page, "complaint")
    continue_(page)
    choose(page, "parent")
    continue_(page)
    choose(page, "no")
    continue_(page)
    type_into(page, "#id_what_happened", "The review meeting was cancelled three times.")
    continue_(page)
    continue_(page)
    choose(page, "email")
    type_into(page, "#id_name", "Pat")
    type_into(page, "#id_email", "pat@example.org")
    continue_(page)
    continue_(page, "Send")
    assert page.inner_text(".govuk-panel__body strong").startswith("CMP-")
    assert Case.objects.get().complainant_role.code == "parent"


def test_a_representative_writes_for_a_constituent_by_keyboard(page):
    _start(page)
    choose(page, "complaint")
    continue_(page)
    choose(page, "representative")
    continue_(page)
    choose(page, "mp")
    type_into(page, "#id_organisation", "Anytown North")
    type_into(page, "#id_person_name", "Sam Smith")
    continue_(page)  # consent not confirmed
    assert "Confirm that the person has agreed" in page.inner_text(".govuk-error-summary")
    tab_to(page, "#id_consent")
    page.keyboard.press("Space")
    continue_(page)
    type_into(page, "#id_what_happened", "My constituent has waited six months for a reply.")
    continue_(page)
    continue_(page)
    choose(page, "email")
    type_into(page, "#id_name", "A. Member MP")
    type_into(page, "#id_email", "member@example.org")
    continue_(page)
    continue_(page, "Send")
    case = Case.objects.get()
    assert case.representative_type.code == "mp" and case.complainant_name == "Sam Smith"
    assert case.online_submission.consent_confirmed


def _fits(page):
    width = page.evaluate("document.documentElement.scrollWidth")
    assert width <= 320, f"{page.url} is {width} px wide at a 320 px screen"


def test_the_form_works_without_javascript_on_a_small_screen(browser, live_server):
    context = browser.new_context(
        base_url=live_server.url,
        java_script_enabled=False,
        viewport={"width": 320, "height": 640},
        locale="en-GB",
    )
    page = context.new_page()
    try:
        for path in ["/tell-us/", "/tell-us/privacy/", "/tell-us/accessibility/"]:
            page.goto(path)
            _fits(page)
        page.goto("/tell-us/what/")
        steps = [
            ("Complain about something that went wrong", None),
            ("I am a child or young person", None),
            ("16 or 17", None),
            ("No", "Do you live in care"),
            ("No", "Would you like an advocate"),
        ]
        for label, group in steps:
            scope = page.get_by_role("group", name=group) if group else page
            scope.get_by_label(label, exact=True).check()
            _fits(page)
            page.get_by_role("button", name="Continue").click()
        page.get_by_label("What happened?").fill("Nobody told me my review was moved.")
        page.get_by_role("button", name="Continue").click()
        _fits(page)
        page.get_by_role("button", name="Continue").click()
        page.get_by_label("Do not contact me").check()
        page.get_by_role("button", name="Continue").click()
        _fits(page)
        page.get_by_role("button", name="Send").click()
        _fits(page)
        assert "Thank you" in page.inner_text("h1")
    finally:
        context.close()
    assert Case.objects.get().online_submission.age_band == "16-17"


def test_the_information_pages_and_a_dead_link_are_accessible(page):
    for path in ["/tell-us/privacy/", "/tell-us/accessibility/", "/tell-us/progress/no-such/"]:
        page.goto(path)
        check_accessibility(page)
        assert page.inner_text("h1")


def test_the_receipt_for_a_form_kept_while_the_database_was_busy_is_accessible(page, settings):
    from tests.public.test_spool import DatabaseBusy

    fill_in_an_anonymous_idea(page)
    with DatabaseBusy():
        page.get_by_role("button", name="Send").click()
        assert "We have your form" in page.inner_text("h1")
        assert page.inner_text(".govuk-panel__body strong").startswith("R-")
    check_accessibility(page)
    from heard.public import spool

    assert spool.enter_waiting() == (1, 0)
    assert Case.objects.get().summary == "An idea"
