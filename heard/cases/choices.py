"""Fixed codes that Heard's rules depend on. Their labels can be reworded by a council through
the taxonomy (vocabulary ``finding``), but the codes themselves never change."""

from django.db import models


class Kind(models.TextChoices):
    COMPLAINT = "complaint", "Complaint"
    COMPLIMENT = "compliment", "Compliment"
    COMMENT = "comment", "Comment or contact"
    REPRESENTATION = "representation", "MP or councillor enquiry"
    OMBUDSMAN = "ombudsman", "Ombudsman (LGSCO) case"
    INFORMATION_REQUEST = "information_request", "Information request"


#: Reference prefixes, so that a reference says what kind of case it is.
REFERENCE_PREFIX = {
    Kind.COMPLAINT: "CMP",
    Kind.COMPLIMENT: "CPL",
    Kind.COMMENT: "CON",
    Kind.REPRESENTATION: "REP",
    Kind.OMBUDSMAN: "LGO",
    Kind.INFORMATION_REQUEST: "IR",
}


class Status(models.TextChoices):
    NEW = "new", "New: to triage"
    OPEN = "open", "Open"
    CLOSED = "closed", "Closed"


class Procedure(models.TextChoices):
    CHILDRENS_STATUTORY = "childrens_statutory", "Children's statutory procedure"
    CORPORATE = "corporate", "Corporate procedure"
    ADULT_SOCIAL_CARE = "adult_social_care", "Adult social care procedure"
    SAR = "sar", "Subject access request"
    FOI = "foi", "Freedom of information request"
    EIR = "eir", "Environmental information request"
    DISCLOSURE = "disclosure", "Disclosure request"
    REPRESENTATION = "representation", "MP or councillor enquiry"


class Resolution(models.TextChoices):
    """How a case ended, beyond the findings of its stages."""

    RESPONDED = "responded", "Responded"
    WITHDRAWN = "withdrawn", "Withdrawn"
    REFUSED_NOT_ELIGIBLE = "refused_not_eligible", "Refused: not eligible"
    REFUSED_OUT_OF_TIME = "refused_out_of_time", "Refused: out of time"
    REFUSED_OTHER_PROCESS = "refused_other_process", "Refused: another process applies"
    RESOLVED_ADR = "resolved_adr", "Resolved by alternative dispute resolution"
    NO_FURTHER_ACTION = "no_further_action", "No further action"


class Finding(models.TextChoices):
    UPHELD = "upheld", "Upheld"
    PARTIALLY_UPHELD = "partially-upheld", "Partially upheld"
    NOT_UPHELD = "not-upheld", "Not upheld"
    NO_FINDING = "no-finding", "No finding"
    WITHDRAWN = "withdrawn", "Withdrawn"


#: The findings a report counts as "upheld" (and that call for learning).
UPHELD_OUTCOMES = (Finding.UPHELD, Finding.PARTIALLY_UPHELD)


#: The procedures an information request follows. A request's type *is* its procedure (the
#: same code, the same words), so there is one list: a request type is one of these.
INFORMATION_PROCEDURES = (Procedure.SAR, Procedure.FOI, Procedure.EIR, Procedure.DISCLOSURE)

#: The kinds of information request, as choices: the information procedures, by the same
#: names, codes and labels (``RequestType.SAR == Procedure.SAR == "sar"``).
RequestType = models.TextChoices(
    "RequestType", [(p.name, (p.value, p.label)) for p in INFORMATION_PROCEDURES]
)


class InformationOutcome(models.TextChoices):
    RELEASED = "released", "Released in full"
    PARTLY = "partly", "Released in part"
    WITHHELD = "withheld", "Withheld"
    NO_RECORDS = "no_records", "No records held"
    WITHDRAWN = "withdrawn", "Withdrawn"


class Consent(models.TextChoices):
    GIVEN = "given", "Given"
    REFUSED = "refused", "Refused"
    NOT_NEEDED = "not_needed", "Not needed"
    UNKNOWN = "unknown", "Not known yet"


class RemedyKind(models.TextChoices):
    """What the Ombudsman asked the council to do, and the council agreed."""

    APOLOGY = "apology", "Apology"
    PAYMENT = "payment", "Payment"
    SERVICE_IMPROVEMENT = "service_improvement", "Service improvement"
    OTHER = "other", "Other action"


# Equality monitoring: optional answers, each with "Prefer not to say". An empty answer means
# the question was not asked or not answered. Reported only as counts, small ones suppressed.
PREFER_NOT = "prefer-not-to-say", "Prefer not to say"


class AgeBand(models.TextChoices):
    UNDER_16 = "0-15", "Under 16"
    AGE_16_17 = "16-17", "16 to 17"
    AGE_18_24 = "18-24", "18 to 24"
    AGE_25_34 = "25-34", "25 to 34"
    AGE_35_44 = "35-44", "35 to 44"
    AGE_45_54 = "45-54", "45 to 54"
    AGE_55_64 = "55-64", "55 to 64"
    AGE_65_PLUS = "65-plus", "65 and over"
    PREFER_NOT_TO_SAY = PREFER_NOT


class Sex(models.TextChoices):
    FEMALE = "female", "Female"
    MALE = "male", "Male"
    PREFER_NOT_TO_SAY = PREFER_NOT


class Ethnicity(models.TextChoices):
    """The Office for National Statistics' top-level ethnic groups (England, 2021)."""

    ASIAN = "asian", "Asian, Asian British or Asian Welsh"
    BLACK = "black", "Black, Black British, Black Welsh, Caribbean or African"
    MIXED = "mixed", "Mixed or multiple ethnic groups"
    WHITE = "white", "White"
    OTHER = "other", "Other ethnic group"
    PREFER_NOT_TO_SAY = PREFER_NOT


class Disability(models.TextChoices):
    YES = "yes", "Yes"
    NO = "no", "No"
    PREFER_NOT_TO_SAY = PREFER_NOT


#: The equality monitoring questions: case field, the question, its answers.
EQUALITY_QUESTIONS = (
    ("equality_age_band", "Age", AgeBand),
    ("equality_sex", "Sex", Sex),
    ("equality_ethnicity", "Ethnic group", Ethnicity),
    ("equality_disability", "Disability", Disability),
)
