"""Logging a case through the API: ``POST /api/v1/cases`` takes what the "log a case" form
takes (``LogCaseForm``), named as in the exchange format, and turns it into the fields
``services.log_case`` stores, with the same rules as the form: the postcode written the
standard way, an Ombudsman case linked to the complaint it is about (a case the caller may
see), a staff member to allocate to who may read cases.

Every code, username and reference is looked up; an unknown one is refused with the field's
name (``FieldRefused``, ``409 refused``), never stored as nothing. A value given twice (flat
and in its sub-object) must say the same thing twice.
"""

from __future__ import annotations

from django.core.exceptions import ValidationError

from heard.accounts.models import User
from heard.accounts.roles import CASE_READER_ROLES
from heard.api.schemas import NewCase
from heard.cases.choices import Consent, Kind
from heard.cases.models import Case
from heard.cases.postcodes import MESSAGE as POSTCODE_MESSAGE
from heard.cases.postcodes import normalise_or_none
from heard.cases.workflow import TransitionRefused
from heard.taxonomy.models import Locality, ServiceArea, Term


class FieldRefused(TransitionRefused):
    """A refusal about one field of the request, named in the error's details."""

    def __init__(self, field: str, message: str):
        super().__init__(message)
        self.field = field


#: Sub-objects that belong to one kind of case only (the exchange format carries them only
#: for that kind, so one given for another kind would be silently lost).
_KIND_OF = {
    "compliment": Kind.COMPLIMENT,
    "ombudsman": Kind.OMBUDSMAN,
    "information_request": Kind.INFORMATION_REQUEST,
}


def _usable(value: str) -> bool:
    # PostgreSQL refuses NUL in a query: no code, username or reference has one.
    return "\x00" not in value


def _term(vocabulary: str, code: str | None, field: str):
    if not code:
        return None
    found = Term.objects.of(vocabulary).filter(code=code).first() if _usable(code) else None
    if found is None:
        label = vocabulary.replace("_", " ")
        raise FieldRefused(field, f"{code!r} is not a {label} code ({field}).")
    return found


def _terms(vocabulary: str, codes: list[str], field: str) -> list:
    """Each of a list of codes; an empty one is refused too (it is not "none")."""
    found = []
    for code in codes:
        term = _term(vocabulary, code, field)
        if term is None:
            raise FieldRefused(field, f"An empty {vocabulary} code is not a code ({field}).")
        found.append(term)
    return found


def _by_code(model, code: str | None, field: str, what: str):
    if not code:
        return None
    found = model.objects.filter(code=code).first() if _usable(code) else None
    if found is None:
        raise FieldRefused(field, f"There is no {what} {code!r} ({field}).")
    return found


def _user(username: str, field: str, users=None):
    users = users if users is not None else User.objects.all()
    found = users.filter(username=username).first() if _usable(username) else None
    if found is None:
        raise FieldRefused(field, f"There is no Heard user {username!r} ({field}).")
    return found


def _one_value(flat, nested, flat_name: str, nested_name: str):
    """A value that may be given flat (as before) or in its sub-object: both must agree."""
    if flat and nested and flat != nested:
        raise FieldRefused(
            nested_name, f"{flat_name} and {nested_name} differ: give the value once."
        )
    return nested or flat


def case_fields(body: NewCase, user) -> dict:
    """The keyword arguments for ``services.log_case`` (``parts`` included)."""
    for name, kind in _KIND_OF.items():
        if getattr(body, name) is not None and body.kind != kind:
            raise FieldRefused(name, f"{name} is only for a case of kind {kind.value!r}.")
    person = body.complainant
    request = body.information_request
    request_type = _one_value(
        body.request_type or "",
        (request.request_type if request else None) or "",
        "request_type",
        "information_request.request_type",
    )
    if body.kind == Kind.INFORMATION_REQUEST and not request_type:
        raise FieldRefused("request_type", "An information request needs its request_type.")
    fields = {
        "kind": body.kind,
        "received_on": body.received_on,
        "channel": _term("channel", body.channel, "channel"),
        "procedure": body.procedure or "",
        "request_type": request_type,
        "complainant_name": _one_value(
            body.complainant_name, person.name if person else "", "complainant_name",
            "complainant.name",
        ),
        "complainant_email": _one_value(
            body.complainant_email, person.email if person else "", "complainant_email",
            "complainant.email",
        ),
        "summary": body.summary,
        "desired_outcome": body.desired_outcome,
        "child_name": body.child_name,
        "child_consent": body.child_consent or Consent.NOT_NEEDED,
        "representative_type": _term(
            "representative_type", body.representative_type, "representative_type"
        ),
        "representative_name": body.representative_name,
        "advocate_offered": body.advocate_offered,
        "advocate_accepted": body.advocate_accepted,
        "service_area": _by_code(ServiceArea, body.service_area, "service_area", "team or service"),
        "locality": _by_code(Locality, body.locality, "locality", "locality"),
        "enquiry_source": _term("enquiry_source", body.enquiry_source, "enquiry_source"),
        "staff_complained_about_names": _names(body.staff_complained_about_names),
        "parts": [{"summary": p.strip(), "category": None} for p in body.parts if p.strip()],
    }  # fmt: skip
    if person is not None:
        fields.update(_complainant(person))
    if body.categories:
        fields["categories"] = _terms("category", body.categories, "categories")
    if body.staff_complained_about:
        fields["staff_complained_about"] = list(
            dict.fromkeys(_user(u, "staff_complained_about") for u in body.staff_complained_about)
        )
    if body.equality is not None:
        for question in ("age_band", "sex", "ethnicity", "disability"):
            fields[f"equality_{question}"] = getattr(body.equality, question) or ""
    if body.allocated_to:
        staff = User.objects.filter(role__in=CASE_READER_ROLES, is_active=True)
        fields["allocated_to"] = _user(body.allocated_to, "allocated_to", staff)
    fields["linked_case"] = _linked_case(body, user)
    if body.compliment is not None:
        fields.update(
            staff_named=body.compliment.staff_named,
            compliment_source=_term(
                "compliment_source", body.compliment.source, "compliment.source"
            ),
            quote=body.compliment.quote,
            quote_publishable=body.compliment.quote_publishable,
        )
    if body.ombudsman is not None:
        fields.update(
            lgsco_reference=body.ombudsman.reference,
            lgsco_enquiry_type=_term(
                "lgsco_enquiry_type", body.ombudsman.enquiry_type, "ombudsman.enquiry_type"
            ),
            lgsco_reply_due=body.ombudsman.reply_due,
        )
    if request is not None:
        fields["disclosure_requester"] = _term(
            "disclosure_requester", request.requester, "information_request.requester"
        )
    return fields


def _names(names: list[str]) -> str:
    """Other people complained about, one a line, spaces tidied, each once."""
    tidy = (" ".join(name.split()) for name in names)
    return "\n".join(dict.fromkeys(name for name in tidy if name))


def _complainant(person) -> dict:
    postcode = normalise_or_none(person.postcode)
    if postcode is None:
        raise ValidationError({"complainant.postcode": [POSTCODE_MESSAGE]})
    return {
        "complainant_phone": person.phone,
        "complainant_address": person.address,
        "complainant_postcode": postcode,
        "complainant_role": _term("complainant_role", person.role, "complainant.role"),
        "complainant_under_18": person.under_18,
        "complainant_looked_after": person.looked_after,
    }


def _linked_case(body: NewCase, user):
    """The related case, looked for among the cases the caller may see (as the form does)."""
    reference = (body.linked_reference or "").strip().upper()
    if not reference:
        if body.kind == Kind.OMBUDSMAN:
            raise FieldRefused(
                "linked_reference",
                "An Ombudsman case needs linked_reference: the reference of the complaint it "
                "is about.",
            )
        return None
    found = (
        Case.objects.visible_to(user).filter(reference=reference).first()
        if _usable(reference)
        else None
    )
    if found is None:
        raise FieldRefused("linked_reference", f"There is no case {reference} (linked_reference).")
    return found
