"""The council's own vocabularies: data, not code.

Each council words its channels, categories, outcomes and service areas differently. Defaults
ship (migration 0002) and administrators edit them; reports always use the council's labels.
Where Heard's rules depend on a value (a finding of "upheld", say) the *code* is fixed and only
the *label* belongs to the council.
"""

from django.db import models


class Vocabulary(models.TextChoices):
    CHANNEL = "channel", "Channel"
    COMPLAINANT_ROLE = "complainant_role", "Complainant role"
    CATEGORY = "category", "Focus of complaint"
    FINDING = "finding", "Finding"
    REPRESENTATIVE_TYPE = "representative_type", "Representative"
    ENQUIRY_SOURCE = "enquiry_source", "Enquiry source"
    LEARNING_CATEGORY = "learning_category", "Learning category"
    LGSCO_ENQUIRY_TYPE = "lgsco_enquiry_type", "Ombudsman enquiry type"
    LGSCO_DECISION = "lgsco_decision", "Ombudsman decision"
    SUSPENSION_REASON = "suspension_reason", "Reason the clock stopped"
    LATE_REASON = "late_reason", "Reason for a late response"
    COMPLIMENT_SOURCE = "compliment_source", "Source of compliment"
    DISCLOSURE_REQUESTER = "disclosure_requester", "Disclosure requester"


class TermQuerySet(models.QuerySet):
    def of(self, vocabulary: str):
        return self.filter(vocabulary=vocabulary, active=True)


class Term(models.Model):
    vocabulary = models.CharField(max_length=40, choices=Vocabulary.choices, db_index=True)
    code = models.SlugField(
        max_length=60, help_text="A stable identifier used in imports and the API."
    )
    label = models.CharField(max_length=200, help_text="The council's own wording.")
    order = models.PositiveIntegerField(default=0)
    active = models.BooleanField(default=True)

    objects = TermQuerySet.as_manager()

    class Meta:
        ordering = ["vocabulary", "order", "label"]
        constraints = [
            models.UniqueConstraint(fields=["vocabulary", "code"], name="term_unique_code"),
        ]

    def __str__(self) -> str:
        return self.label


class ServiceArea(models.Model):
    """Directorate → service → team. Cases are normally logged against a team."""

    class Level(models.TextChoices):
        DIRECTORATE = "directorate", "Directorate"
        SERVICE = "service", "Service"
        TEAM = "team", "Team"

    name = models.CharField(max_length=200)
    code = models.SlugField(max_length=80, unique=True)
    level = models.CharField(max_length=20, choices=Level.choices)
    parent = models.ForeignKey(
        "self", null=True, blank=True, on_delete=models.PROTECT, related_name="children"
    )
    active = models.BooleanField(default=True)
    order = models.PositiveIntegerField(default=0)
    #: What the online form calls this team, in words the public uses ("Help when a child
    #: may not be safe", not "Multi-Agency Safeguarding Hub"). Only teams with a public name
    #: are offered on the online form.
    public_name = models.CharField(max_length=200, blank=True)
    public_description = models.CharField(
        max_length=300,
        blank=True,
        help_text="One sentence on what the service does, for the public.",
    )

    class Meta:
        ordering = ["order", "name"]

    def __str__(self) -> str:
        return self.name

    def lineage(self) -> list["ServiceArea"]:
        """This area and its ancestors, top first (directorate, service, team)."""
        chain, node = [], self
        while node is not None:
            chain.append(node)
            node = node.parent
        return list(reversed(chain))


class Locality(models.Model):
    name = models.CharField(max_length=200, unique=True)
    code = models.SlugField(max_length=80, unique=True)
    active = models.BooleanField(default=True)

    class Meta:
        ordering = ["name"]
        verbose_name_plural = "localities"

    def __str__(self) -> str:
        return self.name
