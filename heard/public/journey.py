"""The order of the online form's pages, which depends on the answers so far.

Answers live in the visitor's session under ``tell_us`` until they send them. One question per
page; children and young people get their own page about an advocate; adults are asked whether
they speak for a child.
"""

from __future__ import annotations

SESSION_KEY = "tell_us"

TITLES = {
    "what": "What do you want to tell us?",
    "who": "Who are you?",
    "advocate": "Would you like someone to help you?",
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
        path.append("advocate")
    elif answers.get("who"):
        path.append("behalf")
    path += ["about", "documents", "contact", "check"]
    return path


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
