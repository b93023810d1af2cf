"""The order of the online form's pages, which depends on the answers so far.

Answers live in the visitor's session under ``tell_us`` until they send them. One question per
page. Children and young people are asked their age, whether they live in care, and whether they
want an advocate (and, where the council has an advocacy service, whether we may refer them);
representatives say whom they act for and confirm consent; other adults are asked whether they
speak for a child.
"""

from __future__ import annotations

from django.conf import settings

SESSION_KEY = "tell_us"

TITLES = {
    "what": "What do you want to tell us?",
    "who": "Who are you?",
    "age": "How old are you?",
    "care": "Do you live in care, or did you use to?",
    "advocate": "Would you like someone to help you?",
    "referral": "Can we ask an advocate to contact you?",
    "representative": "Who are you writing for?",
    "behalf": "Are you telling us about a child or young person?",
    "about": "What is it about?",
    "documents": "Do you want to send us a photo or a letter?",
    "contact": "How should we contact you?",
    "check": "Check your answers",
}


def steps(answers: dict) -> list[str]:
    """The pages this visitor goes through, in order."""
    path = ["what", "who"]
    if answers.get("who") == "child":
        path += ["age", "care", "advocate"]
        if answers.get("advocate") == "yes" and settings.HEARD_ADVOCACY_PROVIDER_EMAIL:
            path.append("referral")
    elif answers.get("who") == "representative":
        path.append("representative")
    elif answers.get("who"):
        path.append("behalf")
    path += ["about", "documents", "contact", "check"]
    return path


def route(answers: dict) -> str:
    """child, representative or adult: which contact choices and wording the person gets."""
    who = answers.get("who")
    return who if who in {"child", "representative"} else "adult"


#: Pages that belong to one route only: forgotten when the person changes who they are.
ROUTE_PAGES = {"age", "care", "advocate", "referral", "representative", "behalf"}


def forget_other_routes(answers: dict) -> None:
    keep = set(steps(answers))
    for page in ROUTE_PAGES - keep:
        answers.pop(page, None)
        if page in answers.get("done", []):
            answers["done"].remove(page)


def next_step(answers: dict, current: str) -> str:
    path = steps(answers)
    return path[path.index(current) + 1] if current in path[:-1] else "check"


def previous_step(answers: dict, current: str) -> str | None:
    path = steps(answers)
    if current not in path or path.index(current) == 0:
        return None
    return path[path.index(current) - 1]


def first_missing(answers: dict) -> str | None:
    """The first page not yet answered (so nobody can skip ahead to "check")."""
    for step in steps(answers)[:-1]:
        if step not in answers.get("done", []):
            return step
    return None
