"""Changing a case's details through the API: ``PUT /api/v1/cases/{reference}`` takes the case
as ``GET`` gave it (the exchange format's ``CaseRecord``), with any details changed.

The details are those "Change details" edits; they are applied through the same service
(``workflow.update_details``), so only what really changed is saved and audited, and a record
sent back unchanged changes nothing. Everything else in the record (status, procedure, stages,
parts, findings, learning, allocation, links, restriction) changes only through its own
operation: sent with a different value it is refused with the name of the field, never
silently ignored.
"""

from __future__ import annotations

from heard.cases.workflow import TransitionRefused
from heard.exchange.schema import CaseRecord
from heard.taxonomy.models import Locality, ServiceArea, Term

#: Keys of a record that this operation never changes.
READ_ONLY = (
    "reference", "kind", "status", "procedure", "triage_reason", "resolution",
    "resolution_reason", "closed_on", "allocated_to", "linked_reference", "parts", "stages",
    "learning", "restriction",
)  # fmt: skip

#: Record key → case field, for plain values.
_PLAIN = {
    "received_on": "received_on", "summary": "summary", "desired_outcome": "desired_outcome",
    "child_name": "child_name", "child_consent": "child_consent",
    "representative_name": "representative_name", "advocate_offered": "advocate_offered",
    "advocate_accepted": "advocate_accepted", "provider_involved": "provider_involved",
    "provider_name": "provider_name", "ofsted_notified": "ofsted_notified",
    "case_study": "case_study", "case_study_publishable": "case_study_publishable",
    "complainant.name": "complainant_name", "complainant.email": "complainant_email",
    "complainant.phone": "complainant_phone", "complainant.address": "complainant_address",
    "complainant.postcode": "complainant_postcode",
    "equality.age_band": "equality_age_band", "equality.sex": "equality_sex",
    "equality.ethnicity": "equality_ethnicity", "equality.disability": "equality_disability",
    "complainant.under_18": "complainant_under_18",
    "complainant.looked_after": "complainant_looked_after",
    "complainant.anonymous": "anonymous",
    "compliment.staff_named": "staff_named", "compliment.quote": "quote",
    "compliment.quote_publishable": "quote_publishable",
    "ombudsman.reference": "lgsco_reference", "ombudsman.decision_on": "lgsco_decision_on",
    "ombudsman.remedy": "lgsco_remedy",
    "ombudsman.remedy_complied_on": "lgsco_remedy_complied_on",
    "information_request.identification_received_on": "identification_received_on",
    "information_request.outcome": "information_outcome",
    "information_request.further_records_request": "further_records_request",
}  # fmt: skip

#: Record key → (case field, vocabulary), for vocabulary codes.
_TERMS = {
    "channel": ("channel", "channel"),
    "representative_type": ("representative_type", "representative_type"),
    "enquiry_source": ("enquiry_source", "enquiry_source"),
    "complainant.role": ("complainant_role", "complainant_role"),
    "compliment.source": ("compliment_source", "compliment_source"),
    "ombudsman.enquiry_type": ("lgsco_enquiry_type", "lgsco_enquiry_type"),
    "ombudsman.decision": ("lgsco_decision", "lgsco_decision"),
    "information_request.requester": ("disclosure_requester", "disclosure_requester"),
}

#: Text fields stored as "" when empty (the record may say null).
_BLANK_AS_EMPTY = {
    "information_outcome", "equality_age_band", "equality_sex", "equality_ethnicity",
    "equality_disability",
}  # fmt: skip


def _flatten(record: dict) -> dict:
    flat = {}
    for key, value in record.items():
        if key in {"complainant", "compliment", "ombudsman", "information_request", "equality"}:
            for inner, item in (value or {}).items():
                flat[f"{key}.{inner}"] = item
        else:
            flat[key] = value
    return flat


def _as_sent(record: CaseRecord) -> dict:
    """The record as JSON, with times to the millisecond: the API writes times with Django's
    JSON encoder, which keeps milliseconds only, so a time read and sent back unchanged must
    compare equal to the one stored."""
    dumped = record.model_dump(mode="json", exclude_unset=False)
    restriction = dumped.get("restriction")
    if restriction and record.restriction and record.restriction.restricted_at:
        at = record.restriction.restricted_at
        restriction["restricted_at"] = at.replace(microsecond=at.microsecond // 1000 * 1000)
    return dumped


def detail_changes(case, current: dict, sent: CaseRecord) -> dict:
    """The case fields to change, by comparing what was sent with the case as it is now
    (both as exchange records). Refuses a change to anything this operation does not edit."""
    now = _flatten(_as_sent(CaseRecord.model_validate(current)))
    given = _flatten(_as_sent(sent))
    for key in READ_ONLY:
        if given.get(key) != now.get(key):
            raise TransitionRefused(f"{key} cannot be changed here: it has its own operation.")
    if given.get("information_request.request_type") != now.get("information_request.request_type"):
        raise TransitionRefused("information_request.request_type cannot be changed.")
    changes = {}
    for key, field in _PLAIN.items():
        if key in given and given[key] != now.get(key):
            value = sent_value(sent, key)
            if value is None and field in _BLANK_AS_EMPTY:
                value = ""
            changes[field] = value
    for key, (field, vocabulary) in _TERMS.items():
        if key in given and given[key] != now.get(key):
            changes[field] = _term(vocabulary, given[key], key)
    if given.get("service_area") != now.get("service_area"):
        changes["service_area"] = _by_code(ServiceArea, given["service_area"], "service_area")
    if given.get("locality") != now.get("locality"):
        changes["locality"] = _by_code(Locality, given["locality"], "locality")
    if sorted(given.get("staff_complained_about") or []) != sorted(
        now.get("staff_complained_about") or []
    ):
        changes["staff_complained_about"] = [
            _user(username) for username in given["staff_complained_about"]
        ]
    names = [" ".join(n.split()) for n in given.get("staff_complained_about_names") or []]
    if names != (now.get("staff_complained_about_names") or []):
        changes["staff_complained_about_names"] = "\n".join(n for n in names if n)
    if sorted(given.get("categories") or []) != sorted(now.get("categories") or []):
        changes["categories"] = [_term("category", c, "categories") for c in given["categories"]]
    return changes


def sent_value(sent: CaseRecord, key: str):
    """A value of the record as sent, typed (dates as dates), by its dotted key."""
    value = sent
    for name in key.split("."):
        value = getattr(value, name, None)
    return value


def _term(vocabulary: str, code, key: str):
    if code is None:
        return None
    found = Term.objects.filter(vocabulary=vocabulary, code=code).first()
    if found is None:
        raise TransitionRefused(f"{code!r} is not a {vocabulary.replace('_', ' ')} code ({key}).")
    return found


def _user(username: str):
    from heard.accounts.models import User

    found = User.objects.filter(username=username).first()
    if found is None:
        raise TransitionRefused(f"There is no Heard user {username!r} (staff_complained_about).")
    return found


def _by_code(model, code, key: str):
    if code is None:
        return None
    found = model.objects.filter(code=code).first()
    if found is None:
        raise TransitionRefused(f"There is no {key.replace('_', ' ')} {code!r}.")
    return found
