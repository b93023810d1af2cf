"""The public online form in a real browser, using only the keyboard, with axe-core checking
every page against WCAG 2.2 AA."""

from pathlib import Path

import pytest

from heard.cases.models import Case

pytestmark = pytest.mark.django_db(transaction=True, serialized_rollback=True)

AXE = Path(__file__).resolve().parents[2] / "assets" / "node_modules" / "axe-core" / "axe.min.js"
WCAG_22_AA = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22aa"]


def check_accessibility(page):
    assert AXE.exists(), "axe-core is missing: run `npm ci --prefix assets` (make test does)"
    # Evaluated through the browser's debugging protocol: a <script> tag with the source in
    # it would be (rightly) refused by Heard's Content Security Policy.
    page.evaluate(AXE.read_text(encoding="utf-8"))
    result = page.evaluate(
        "tags => axe.run(document, {runOnly: {type: 'tag', values: tags}})", WCAG_22_AA
    )
    problems = [
        f"{v['id']}: {v['help']} ({len(v['nodes'])} element(s), e.g. {v['nodes'][0]['target']})"
        for v in result["violations"]
    ]
    assert not problems, f"{page.url}: " + "; ".join(problems)


def tab_to(page, selector, limit=80):
    """Press Tab until the element matching ``selector`` has the focus."""
    for _ in range(limit):
        page.keyboard.press("Tab")
        if page.evaluate("s => document.activeElement.matches(s)", selector):
            return
    raise AssertionError(f"Could not reach {selector} with the Tab key")


def choose(page, value):
    # Tab enters a radio group once (on its checked radio, or its first); arrow keys move
    # within it. Stop on the wanted value.
    tab_to(page, "input[type=radio]")
    for _ in range(12):
        if page.evaluate("v => document.activeElement.value === v", value):
            break
        page.keyboard.press("ArrowDown")
    page.keyboard.press("Space")


def type_into(page, selector, text):
    tab_to(page, selector)
    page.keyboard.type(text)


def continue_(page, name="Continue"):
    for _ in range(80):
        page.keyboard.press("Tab")
        if page.evaluate(
            "n => document.activeElement.tagName === 'BUTTON'"
            " && document.activeElement.textContent.trim() === n",
            name,
        ):
            break
    else:
        raise AssertionError(f"Could not reach the {name} button with the Tab key")
    with page.expect_navigation():
        page.keyboard.press("Enter")
    check_accessibility(page)


def test_a_young_person_complains_using_only_the_keyboard(page):
    page.goto("/tell-us/")
    check_accessibility(page)
    tab_to(page, "a.govuk-button--start")
    with page.expect_navigation():
        page.keyboard.press("Enter")
    check_accessibility(page)

    continue_(page)  # nothing chosen: the error summary, which must be accessible too
    assert "Select what you want to tell us" in page.inner_text(".govuk-error-summary")
    choose(page, "complaint")
    continue_(page)
    choose(page, "child")
    continue_(page)
    choose(page, "13-15")
    continue_(page)
    choose(page, "in-care")
    continue_(page)
    assert "advocate" in page.inner_text("main")
    choose(page, "yes")
    continue_(page)
    type_into(page, "#id_what_happened", "My social worker keeps changing and nobody told me.")
    type_into(page, "#id_put_right", "Tell me who my social worker is.")
    continue_(page)
    continue_(page)  # no files
    choose(page, "email")
    type_into(page, "#id_name", "Jo")
    type_into(page, "#id_email", "jo@example.org")
    continue_(page)
    assert "Check your answers" in page.inner_text("h1")
    continue_(page, "Send")
    reference = page.inner_text(".govuk-panel__body strong")
    assert reference.startswith("CMP-")
    assert "will contact you by" in page.inner_text("main")

    case = Case.objects.get(reference=reference)
    assert case.status == "new" and case.channel.code == "web-form"
    assert case.advocate_offered and case.advocate_accepted and case.complainant_under_18
    assert case.complainant_looked_after and case.online_submission.age_band == "13-15"


def test_the_adult_route_and_its_error_pages_are_accessible(page, tmp_path):
    letter = tmp_path / "letter.pdf"
    letter.write_bytes(b"%PDF-1.4 a letter")
    page.goto("/tell-us/what/")
    page.get_by_label("Say thank you, or tell us what went well").check()
    page.get_by_role("button", name="Continue").click()
    page.get_by_label("Someone else").check()
    page.get_by_role("button", name="Continue").click()
    check_accessibility(page)  # "are you telling us about a child?"
    page.get_by_role("group", name="Are you telling us about a child").get_by_label("Yes").check()
    page.get_by_role("button", name="Continue").click()
    assert "Enter the child or young person's name" in page.inner_text(".govuk-error-summary")
    check_accessibility(page)
    page.get_by_label("The child or young person's name").fill("Sam")
    page.get_by_label("I'm not sure").check()
    page.get_by_role("button", name="Continue").click()
    page.get_by_label("What would you like to tell us?").fill("The foster team were wonderful.")
    page.get_by_role("button", name="Continue").click()
    page.get_by_label("Upload a file").set_input_files(str(letter))
    page.get_by_role("button", name="Upload this file").click()
    assert "letter.pdf" in page.inner_text("main")
    check_accessibility(page)
    page.get_by_role("button", name="Continue").click()
    page.get_by_label("I do not want to give my details").check()
    page.get_by_role("button", name="Continue").click()
    check_accessibility(page)
    page.get_by_role("button", name="Send").click()
    check_accessibility(page)
    case = Case.objects.get(kind="compliment")
    assert case.anonymous and case.child_consent == "unknown" and case.documents.count() == 1


def fill_in_an_anonymous_idea(page):
    """A foster carer's idea, with no details given, up to the check-your-answers page."""
    page.goto("/tell-us/what/")
    page.get_by_label("Tell us something, or make a suggestion").check()
    page.get_by_role("button", name="Continue").click()
    page.get_by_label("I am a foster carer").check()
    page.get_by_role("button", name="Continue").click()
    page.get_by_role("group", name="Are you telling us about a child").get_by_label("No").check()
    page.get_by_role("button", name="Continue").click()
    page.get_by_label("What would you like to tell us?").fill("An idea")
    page.get_by_role("button", name="Continue").click()
    page.get_by_role("button", name="Continue").click()
    page.get_by_label("I do not want to give my details").check()
    page.get_by_role("button", name="Continue").click()


def test_the_pages_for_when_things_go_wrong_are_accessible(page, settings):
    from django.db import connection

    settings.HEARD_PUBLIC_FORM_LIMIT = 0
    fill_in_an_anonymous_idea(page)
    page.get_by_role("button", name="Send").click()
    assert "Please try again later" in page.inner_text("h1")
    check_accessibility(page)

    with connection.cursor() as cursor:
        cursor.execute("ALTER TABLE django_session RENAME TO django_session_away")
    try:
        page.goto("/tell-us/who/")
        assert "Sorry, there is a problem with the service" in page.inner_text("h1")
        check_accessibility(page)
    finally:
        with connection.cursor() as cursor:
            cursor.execute("ALTER TABLE django_session_away RENAME TO django_session")
