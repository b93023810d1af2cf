"""Factories for test data: real rows in the real database, never mocks."""

import datetime

import factory
from django.urls import reverse

from heard.accounts.models import User
from heard.accounts.roles import Role
from heard.cases.choices import Kind, Procedure, Status
from heard.cases.models import Case, Part, Stage
from heard.taxonomy.models import Locality, ServiceArea, Term

#: The password of every user the factory makes.
PASSWORD = "correct-horse-battery"  # noqa: S105 - a test password


def sign_in(client, username: str):
    """Sign ``username`` in through the sign-in form, with the factories' password."""
    return client.post(reverse("accounts:sign-in"), {"username": username, "password": PASSWORD})


class UserFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = User
        django_get_or_create = ("username",)

    username = factory.Sequence(lambda n: f"user{n}")
    first_name = "Test"
    last_name = factory.Sequence(lambda n: f"User{n}")
    role = Role.OFFICER
    password = factory.PostGenerationMethodCall("set_password", PASSWORD)

    @classmethod
    def _after_postgeneration(cls, instance, create, results=None):
        if create and results:
            instance.save(update_fields=["password"])


class ServiceAreaFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = ServiceArea

    name = factory.Sequence(lambda n: f"Team {n}")
    code = factory.Sequence(lambda n: f"team-{n}")
    level = ServiceArea.Level.TEAM


class LocalityFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Locality

    name = factory.Sequence(lambda n: f"Locality {n}")
    code = factory.Sequence(lambda n: f"locality-{n}")


def term(vocabulary: str, code: str) -> Term:
    return Term.objects.get(vocabulary=vocabulary, code=code)


def other_code(vocabulary: str, index: int = 1) -> str:
    """A code of a vocabulary that is not its first (unless it has only one), so that a
    value that falls back to the first is caught."""
    terms = list(Term.objects.of(vocabulary))
    return terms[min(index, len(terms) - 1)].code


class CaseFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Case

    reference = factory.Sequence(lambda n: f"CMP-2024-{n:05d}")
    kind = Kind.COMPLAINT
    status = Status.OPEN
    procedure = Procedure.CHILDRENS_STATUTORY
    received_on = datetime.date(2024, 5, 1)
    complainant_name = "Jordan Example"
    summary = "The social worker did not return calls."


class PartFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Part

    case = factory.SubFactory(CaseFactory)
    number = factory.Sequence(lambda n: n + 1)
    summary = "Calls were not returned"


class StageFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Stage

    case = factory.SubFactory(CaseFactory)
    number = 1
    requested_on = factory.LazyAttribute(lambda s: s.case.received_on)
