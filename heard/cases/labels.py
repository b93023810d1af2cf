"""What a case's fields are called, and how their values are said, wherever people read them:
the edit forms, the case page and the case history.

One table of labels, rather than the models' verbose names, so that the wording is the
council's ("Ombudsman decision", not "Lgsco decision") without a migration each time a label is
reworded, and so that the audit trail, which stores field *names*, can be read back in words.
"""

from __future__ import annotations

import datetime
import decimal
import functools
import re

#: Labels of the fields of a case, a stage, a learning record and an action, by field name.
FIELD_LABELS: dict[str, str] = {
    # Case: what it is
    "reference": "Reference",
    "kind": "Kind of case",
    "status": "Status",
    "received_on": "Date received",
    "channel": "How it arrived",
    "summary": "What happened",
    "desired_outcome": "What would put it right",
    "procedure": "Procedure",
    "triage_reason": "Reason for the triage decision",
    "resolution": "How it ended",
    "resolution_reason": "Reason it ended",
    "closed_on": "Date closed",
    # Case: people
    "complainant_name": "Name",
    "complainant_email": "E-mail address",
    "complainant_phone": "Telephone",
    "complainant_address": "Address",
    "complainant_postcode": "Postcode",
    "complainant_role": "Who they are",
    "complainant_under_18": "Under 18",
    "complainant_looked_after": "Looked-after child",
    "anonymous": "Anonymous",
    "child_name": "On behalf of (child)",
    "child_consent": "The child's agreement",
    "representative_type": "Kind of representative",
    "representative_name": "Representative",
    "advocate_offered": "Advocate offered",
    "advocate_accepted": "Advocate accepted",
    # Case: what it is about
    "service_area": "Directorate, service or team",
    "locality": "Locality",
    "categories": "Focus",
    "provider_involved": "A provider is involved",
    "provider_name": "Provider",
    "ofsted_notified": "Ofsted notified",
    "allocated_to": "Allocated to",
    "staff_complained_about": "Staff complained about",
    "staff_complained_about_names": "Other staff complained about",
    # Equality monitoring
    "equality_age_band": "Age",
    "equality_sex": "Sex",
    "equality_ethnicity": "Ethnic group",
    "equality_disability": "Disability",
    "linked_case": "Related case",
    # Compliments
    "staff_named": "Staff named",
    "compliment_source": "Who paid the compliment",
    "quote": "Quote",
    "quote_publishable": "Quote may be published",
    # MP and councillor enquiries
    "enquiry_source": "Enquiry from",
    # Ombudsman cases
    "lgsco_reference": "Ombudsman reference",
    "lgsco_enquiry_type": "Ombudsman enquiry type",
    "lgsco_decision": "Ombudsman decision",
    "lgsco_decision_on": "Date of the Ombudsman's decision",
    "lgsco_remedy": "Remedy the Ombudsman asked for",
    "lgsco_remedy_complied_on": "Date the remedy was complied with",
    "lgsco_reply_due": "Reply due to the Ombudsman by",
    "lgsco_replied_on": "Date the council replied to the Ombudsman",
    "report_received_on": "Report received",
    "late_request_reason": "Why a late request was accepted",
    "next_due_on": "Next deadline",
    "next_due_label": "Next deadline is for",
    # Information requests
    "request_type": "Kind of information request",
    "disclosure_requester": "Disclosure requested by",
    "identification_received_on": "Date identification was received",
    "information_outcome": "Outcome of the request",
    "further_records_request": "A request for further records",
    # Case study
    "case_study": "Case study (anonymised)",
    "case_study_publishable": "Case study may be published",
    # Stage
    "number": "Stage",
    "requested_on": "Date asked for",
    "statement_agreed_on": "Statement of complaint agreed",
    "acknowledged_on": "Date acknowledged",
    "acknowledgement_due": "Acknowledgement due",
    "response_due": "Response due",
    "extended_to": "Timescale after extension",
    "suspended": "Clock stopped",
    "responded_on": "Date of the response",
    "late_reason": "Why it was late",
    "late_reason_detail": "More about the delay",
    "responder": "Responder",
    "investigating_officer": "Investigating Officer",
    "investigating_officer_external": "Investigating Officer is external",
    "investigating_officer_fee": "Investigating Officer's fee",
    "independent_person": "Independent Person",
    "independent_person_fee": "Independent Person's fee",
    "investigation_report_on": "Investigation report received",
    "panel_on": "Panel date",
    "panel_members": "Panel members",
    "panel_recommendations": "Panel recommendations",
    "adjudication_on": "Date of the council's response (adjudication)",
    "adjudication": "The council's response (adjudication)",
    "outcome": "Outcome",
    "outcome_overridden": "Outcome changed from the findings",
    "outcome_override_reason": "Reason for changing the outcome",
    "remedy_apology": "Apology given",
    "remedy_financial": "Financial remedy",
    "remedy_action": "Action to put things right",
    # Learning and actions
    "category": "Kind of learning",
    "lesson": "Lesson learned",
    "recommendation": "Recommendation",
    "publishable": "May be published",
    "recorded_on": "Date recorded",
    "description": "Action",
    "owner": "Owner",
    "due_on": "Due",
    "evidence": "Evidence",
    "completed_on": "Date done",
    "signed_off_on": "Date signed off",
    "signed_off_by": "Signed off by",
    "shared_with_complainant": "Shared with the complainant",
}

#: Yes/no answers that may also be "not known" (a null boolean).
TRISTATE_FIELDS = frozenset(
    {
        "complainant_under_18",
        "complainant_looked_after",
        "advocate_offered",
        "advocate_accepted",
        "ofsted_notified",
    }
)

#: Fields holding money, shown as £2,450.00.
MONEY_FIELDS = frozenset(
    {"investigating_officer_fee", "independent_person_fee", "remedy_financial"}
)

_STAGE_FIELD = re.compile(r"^stage (\d+) (.+)$")
_ISO_DATE = re.compile(r"^\d{4}-\d{2}-\d{2}$")


@functools.cache
def _choices() -> dict[str, dict[str, str]]:
    """The labels of every fixed code (kinds, procedures, consent …) by field name."""
    from heard.cases.models import Case, Stage

    found: dict[str, dict[str, str]] = {}
    for model in (Case, Stage):
        for field in model._meta.concrete_fields:
            if field.choices:
                found[field.name] = {str(code): str(text) for code, text in field.choices}
    return found


def label(name: str) -> str:
    """The label of a field, as people say it. Audit entries name stage fields "stage 2
    investigating_officer_fee"; those read "Stage 2: Investigating Officer's fee". A name with
    no label (a free phrase such as "part 1") is given a capital letter and no underscores."""
    match = _STAGE_FIELD.match(name)
    if match:
        return f"Stage {match.group(1)}: {label(match.group(2))}"
    if name in FIELD_LABELS:
        return FIELD_LABELS[name]
    words = name.replace("_", " ").strip()
    return words[:1].upper() + words[1:]


def money(value) -> str:
    """£2,450.00: pounds with a thousands separator and pence."""
    amount = decimal.Decimal(str(value)).quantize(decimal.Decimal("0.01"))
    return f"£{amount:,.2f}"


def say(value, name: str = "") -> str:
    """A value as people say it: Yes and No, 1 March 2024, £600.00, a list joined by commas;
    an empty value as "–". Dates stored as ISO text (as the audit trail stores them) are
    read back as dates."""
    base = _STAGE_FIELD.match(name).group(2) if _STAGE_FIELD.match(name) else name
    if value is None and base in TRISTATE_FIELDS:
        return "Not known"
    if value is None or value == "" or value == []:
        return "–"
    codes = _choices().get(base, {})
    if isinstance(value, str) and value in codes:
        return codes[value]
    if isinstance(value, bool):
        return "Yes" if value else "No"
    if base in MONEY_FIELDS:
        try:
            return money(value)
        except (decimal.InvalidOperation, ValueError):
            return str(value)
    if isinstance(value, datetime.datetime):
        return f"{value:%-d %B %Y %H:%M}"
    if isinstance(value, datetime.date):
        return f"{value:%-d %B %Y}"
    if isinstance(value, str) and _ISO_DATE.match(value):
        try:
            return say(datetime.date.fromisoformat(value))
        except ValueError:
            return value
    if isinstance(value, list | tuple):
        return ", ".join(say(item) for item in value)
    return str(value)
