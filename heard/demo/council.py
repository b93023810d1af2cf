"""The fictional demo council: its structure, places and staff."""

from __future__ import annotations

import datetime

from heard.accounts.models import User
from heard.accounts.roles import Role
from heard.taxonomy.models import Locality, ServiceArea

DEMO_PASSWORD = "heard-demo-password"  # noqa: S105 - printed for the demo on purpose

STRUCTURE: dict[str, dict[str, list[str]]] = {
    "Children's Social Care": {
        "Assessment and Safeguarding": [
            "Multi-Agency Safeguarding Hub",
            "Assessment Team North",
            "Assessment Team South",
            "Child Protection Conference Service",
        ],
        "Children in Care": [
            "Children in Care Team",
            "Fostering Service",
            "Residential Homes",
            "Care Leavers Team",
            "Adoption Service",
        ],
        "Disabled Children": ["Disabled Children's Team", "Short Breaks Service"],
    },
    "Early Help and Prevention": {
        "Early Help": ["Early Help Locality Teams", "Family Support Service"],
        "Youth Services": ["Youth Justice Service", "Youth Work"],
    },
    "Education, SEND and Inclusion": {
        "Special Educational Needs": ["SEND Assessment Team", "Educational Psychology"],
        "School Services": ["Admissions", "Home to School Transport", "Attendance and Inclusion"],
    },
}

LOCALITIES = ["Ashdown", "Brookvale", "Castlemere", "Dunmoor", "Eastwick", "Fenbridge"]

#: (username, first name, last name, role, job title)
STAFF = [
    ("admin", "Priya", "Shah", Role.ADMINISTRATOR, "Systems administrator"),
    ("manager", "Grace", "Okafor", Role.MANAGER, "Complaints manager"),
    ("officer", "Tom", "Baker", Role.OFFICER, "Complaints officer"),
    ("officer2", "Aisha", "Rahman", Role.OFFICER, "Complaints officer"),
    ("teammanager", "Dan", "Whitfield", Role.RESPONDING_MANAGER, "Team manager"),
    ("teammanager2", "Helen", "Price", Role.RESPONDING_MANAGER, "Team manager"),
    ("teammanager3", "Marek", "Nowak", Role.RESPONDING_MANAGER, "Service manager"),
    ("investigator", "Ruth", "Ellis", Role.INVESTIGATOR, "Independent investigating officer"),
    ("viewer", "Sam", "Carter", Role.VIEWER, "Head of service (reports)"),
]


def _slug(text: str) -> str:
    return "".join(c if c.isalnum() else "-" for c in text.lower()).strip("-").replace("--", "-")


def build_structure() -> list[ServiceArea]:
    """Create directorates, services and teams; return the teams."""
    teams = []
    for d_order, (directorate, services) in enumerate(STRUCTURE.items()):
        d = ServiceArea.objects.create(
            name=directorate, code=_slug(directorate), level="directorate", order=d_order
        )
        for s_order, (service, team_names) in enumerate(services.items()):
            s = ServiceArea.objects.create(
                name=service, code=_slug(service), level="service", parent=d, order=s_order
            )
            for t_order, team in enumerate(team_names):
                teams.append(
                    ServiceArea.objects.create(
                        name=team, code=_slug(team), level="team", parent=s, order=t_order
                    )
                )
    return teams


def build_localities() -> list[Locality]:
    return [Locality.objects.create(name=name, code=_slug(name)) for name in LOCALITIES]


def build_staff() -> dict[str, User]:
    users = {}
    for username, first, last, role, title in STAFF:
        user = User(
            username=username,
            first_name=first,
            last_name=last,
            role=role,
            job_title=title,
            email=f"{username}@demo.heard.invalid",
            is_staff=role == Role.ADMINISTRATOR,
            is_superuser=role == Role.ADMINISTRATOR,
        )
        user.set_password(DEMO_PASSWORD)
        user.save()
        users[username] = user
    return users


#: The demo council's context figures: (code, label, a typical value, whether complaints are
#: reported as a rate of it, the day it is counted on ("" for a count over the year)).
CONTEXT_FIGURES = [
    ("contacts", "Initial contacts received", 24000, False, ""),
    ("referrals", "Referrals to children's social care", 7400, False, ""),
    ("assessments", "Single assessments completed", 8500, False, ""),
    ("children-in-need", "Children in need (including child protection and in care)", 5400,
     True, "03-31"),
    ("looked-after", "Children looked after", 720, True, "03-31"),
    ("child-protection-plans", "Child protection plans started", 1000, False, ""),
]  # fmt: skip


def build_context_figures(rng, today: datetime.date, years: int) -> list:
    """A plausible series of context figures for each reporting year of the demo."""
    from heard.reports.models import ContextFigure
    from heard.reports.periods import ReportingYear

    last = ReportingYear.containing(today).year
    figures = []
    for order, (code, label, typical, rate_base, as_at) in enumerate(CONTEXT_FIGURES):
        value = typical
        for year in range(last - years, last + 1):
            value = round(value * rng.uniform(0.93, 1.08))
            figures.append(
                ContextFigure(
                    code=code,
                    label=label,
                    year=year,
                    value=value,
                    as_at=datetime.date(year + 1, 3, 31) if as_at else None,
                    source="Demo council performance data",
                    rate_base=rate_base,
                    order=order,
                )
            )
    return ContextFigure.objects.bulk_create(figures)
