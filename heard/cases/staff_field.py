"""The members of staff a complaint is about, typed one a line: a Heard user (by "Name
(username)", their username, or a full name only one user has) or anyone else by name.

The field shows the users it holds as "Name (username)", which reads back as the same user,
so a form saved unchanged changes nothing (and Django sees the text unchanged).
"""

from __future__ import annotations

import re

from django import forms

from heard.accounts.models import User

_WITH_USERNAME = re.compile(r"^(?P<name>.*?)\s*\((?P<username>[^()]+)\)\s*$")


def as_text(users, names: str) -> str:
    """What the field shows: the users as "Name (username)", then the other names."""
    lines = [f"{user.get_full_name() or user.username} ({user.username})" for user in users]
    lines.extend(line for line in (names or "").splitlines() if line.strip())
    return "\n".join(lines)


def case_text(case) -> str:
    if not case.pk:
        return ""
    users = sorted(case.staff_complained_about.all(), key=lambda u: (str(u), u.pk))
    return as_text(users, case.staff_complained_about_names)


def parse(text: str) -> tuple[list, str]:
    """(users, other names one a line) from the typed lines; each line matches a user by
    "(username)", by username, or by a full name exactly one active user has."""
    users: list[User] = []
    names: list[str] = []
    for raw in (text or "").splitlines():
        line = " ".join(raw.split())
        if not line:
            continue
        user = _user(line)
        if user is None:
            if line not in names:
                names.append(line)
        elif user not in users:
            users.append(user)
    return users, "\n".join(names)


def _user(line: str):
    match = _WITH_USERNAME.match(line)
    if match:
        found = User.objects.filter(username=match.group("username").strip()).first()
        if found is not None:
            return found
    found = User.objects.filter(username__iexact=line).first()
    if found is not None:
        return found
    first, _, last = line.rpartition(" ")
    if first and last:
        same = list(
            User.objects.filter(first_name__iexact=first, last_name__iexact=last, is_active=True)[
                :2
            ]
        )
        if len(same) == 1:
            return same[0]
    return None


class StaffComplainedAboutField(forms.CharField):
    """Cleans to (users, names); compares as text, so unchanged text is no change."""

    def __init__(self, **kwargs):
        kwargs.setdefault("label", "Staff complained about")
        kwargs.setdefault("required", False)
        kwargs.setdefault(
            "help_text",
            "One person a line. A member of staff who uses Heard is matched to their account; "
            "anyone else is kept by name. Never shown in reports.",
        )
        kwargs.setdefault("widget", forms.Textarea(attrs={"rows": 2}))
        super().__init__(**kwargs)

    def clean(self, value):
        return parse(super().clean(value))
