"""The staff roles and what each may do.

Every access decision in Heard is made here, in one place, so that a screen, the API and the
tests ask the same question and get the same answer.
"""

from __future__ import annotations

from django.db import models


class Role(models.TextChoices):
    ADMINISTRATOR = "administrator", "Administrator"
    MANAGER = "manager", "Complaints manager"
    OFFICER = "officer", "Complaints officer"
    RESPONDING_MANAGER = "responding_manager", "Responding manager"
    INVESTIGATOR = "investigator", "Investigator"
    VIEWER = "viewer", "Viewer (reports only)"


#: Roles that see every case and run the complaints process.
CASEWORK_ROLES = frozenset({Role.ADMINISTRATOR, Role.MANAGER, Role.OFFICER})
#: Roles that see only the cases (or stages) allocated to them.
ALLOCATED_ROLES = frozenset({Role.RESPONDING_MANAGER, Role.INVESTIGATOR})
#: Roles that may open a case record at all (viewers never see personal data).
CASE_READER_ROLES = CASEWORK_ROLES | ALLOCATED_ROLES
#: Roles that may see aggregate reports.
REPORT_ROLES = frozenset(Role)


def role_of(user) -> Role | None:
    if not user.is_authenticated or not user.is_active:
        return None
    return Role(user.role)


def can_read_cases(user) -> bool:
    return role_of(user) in CASE_READER_ROLES


def sees_all_cases(user) -> bool:
    return role_of(user) in CASEWORK_ROLES


def can_run_casework(user) -> bool:
    """Log, triage, allocate, chase, escalate and close cases."""
    return role_of(user) in CASEWORK_ROLES


def can_record_response(user) -> bool:
    """Record responses and findings (on the cases a user can read)."""
    return role_of(user) in CASE_READER_ROLES


def can_view_reports(user) -> bool:
    return role_of(user) in REPORT_ROLES


def can_administer(user) -> bool:
    """Edit vocabularies, closure days, users and council settings."""
    return role_of(user) in {Role.ADMINISTRATOR, Role.MANAGER}


# Reports ------------------------------------------------------------------------------------
# Every staff role may read aggregate reports. Viewers (senior leaders, councillors) see them
# only as published: small numbers suppressed, no unpublishable text. Complaints officers,
# managers and administrators prepare editions (edit the narrative, choose case studies, build
# and add custom tables); only managers and administrators publish an edition (freezing it)
# and enter the council's context figures, as they answer for what the council publishes.


def sees_unsuppressed_reports(user) -> bool:
    """May see reports with small numbers shown (everyone but viewers)."""
    return role_of(user) in CASE_READER_ROLES


def can_prepare_reports(user) -> bool:
    """Edit a draft edition's narrative, choose its case studies, build custom tables."""
    return role_of(user) in CASEWORK_ROLES


def can_publish_reports(user) -> bool:
    """Publish (freeze) an edition and enter the council's context figures."""
    return role_of(user) in {Role.ADMINISTRATOR, Role.MANAGER}


# Restricted cases -----------------------------------------------------------------------------
# A complaints manager (or an administrator) may restrict a case to named people, for example
# a complaint about a member of the complaints team (heard/cases/restriction.py). The
# restriction then applies to everyone, whatever their role: only the people named reach it.


def can_restrict_cases(user) -> bool:
    """Restrict a case to named people, change who they are, or lift the restriction."""
    return role_of(user) in {Role.ADMINISTRATOR, Role.MANAGER}


# People ---------------------------------------------------------------------------------------
# Anyone who may read cases may open the people named on the cases they may see; casework roles
# say who someone is, change their details and merge duplicates. Deciding that someone is an
# (unreasonably) persistent complainant restricts how they may reach the council, so it is for
# complaints managers and administrators, as the Ombudsman's guidance expects a senior decision.


def can_decide_contact_arrangements(user) -> bool:
    return role_of(user) in {Role.ADMINISTRATOR, Role.MANAGER}
