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

#: What the online form calls the demo council's teams: what each does, in the public's words.
PUBLIC_NAMES: dict[str, tuple[str, str]] = {
    "Multi-Agency Safeguarding Hub": (
        "Help when a child may not be safe",
        "Where calls and reports about a child's safety first come to us.",
    ),
    "Assessment Team North": (
        "Social workers who assess a family's needs (north)",
        "Social workers who meet families to find out what help they need.",
    ),
    "Assessment Team South": (
        "Social workers who assess a family's needs (south)",
        "Social workers who meet families to find out what help they need.",
    ),
    "Child Protection Conference Service": (
        "Child protection meetings",
        "The meetings that plan how to keep a child safe.",
    ),
    "Children in Care Team": (
        "Social workers for children in care",
        "Social workers for children and young people who live in care.",
    ),
    "Fostering Service": ("Fostering", "Foster carers and the people who support them."),
    "Residential Homes": ("Children's homes", "The council's children's homes."),
    "Care Leavers Team": (
        "Support for care leavers",
        "Personal advisers for young people who have left care.",
    ),
    "Adoption Service": ("Adoption", "Adopting a child, and support after adoption."),
    "Disabled Children's Team": (
        "Social workers for disabled children",
        "Support for disabled children and their families.",
    ),
    "Short Breaks Service": (
        "Short breaks for disabled children",
        "Activities and overnight stays that give families a break.",
    ),
    "Early Help Locality Teams": (
        "Early help for families",
        "Support for families before problems get bigger.",
    ),
    "Family Support Service": ("Family support", "Family support workers."),
    "Youth Justice Service": (
        "Youth justice",
        "Working with young people who have been in trouble with the police.",
    ),
    "Youth Work": ("Youth clubs and youth workers", "Youth clubs and activities."),
    "SEND Assessment Team": (
        "Special educational needs assessments",
        "Education, health and care needs assessments and plans.",
    ),
    "Educational Psychology": ("Educational psychologists", "Educational psychologists."),
    "Admissions": ("School places", "Applying for a school place."),
    "Home to School Transport": ("Transport to school", "Help getting to and from school."),
    "Attendance and Inclusion": (
        "School attendance",
        "Help when a child is missing school or has been excluded.",
    ),
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
                public_name, public_description = PUBLIC_NAMES.get(team, ("", ""))
                teams.append(
                    ServiceArea.objects.create(
                        name=team,
                        code=_slug(team),
                        level="team",
                        parent=s,
                        order=t_order,
                        public_name=public_name,
                        public_description=public_description,
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
