"""The templates Heard ships with. Councils reword them, add their own and upload Word
templates; these are a sound start. Merge fields are listed in docs/correspondence.md."""

GREETING = "Dear {{ complainant.name or 'Sir or Madam' }},"
SIGN_OFF = (
    "Yours sincerely,\n\n{{ sender.name }}\nComplaints team, {{ council.name }}\n"
    "{{ council.phone }}"
)
REFERENCE = "Our reference: {{ case.reference }}"

_TEXTS = [
    (
        "acknowledgement",
        "Acknowledgement",
        "acknowledgement",
        "We have received your {{ case.kind_word }}: {{ case.reference }}",
        "{greeting}\n\n{reference}\n\nThank you for contacting us on {{ case.received_on }}. "
        "We have logged your {{ case.kind_word }}{% if stage %} at {{ stage.name }}{% endif %}."
        "\n\n{% if stage and stage.response_due %}We will reply by {{ stage.response_due }}. "
        "{% endif %}If you have anything to add, please reply quoting your reference."
        "\n\n{sign_off}",
    ),
    (
        "extension",
        "Extension of the response time",
        "extension",
        "Your complaint {{ case.reference }}: we need more time",
        "{greeting}\n\n{reference}\n\nWe are sorry, but we need more time to look into your "
        "complaint properly. {% if stage and stage.response_due %}We will now reply by "
        "{{ stage.response_due }}.{% endif %}\n\n{sign_off}",
    ),
    (
        "stage-response",
        "Stage response",
        "stage-response",
        "Our response to your complaint {{ case.reference }}",
        "{greeting}\n\n{reference}\n\nThank you for your complaint, which we considered at "
        "{{ stage.name }}. This letter sets out what we found.\n\n"
        "{% for part in parts %}{{ part.number }}. {{ part.summary }}\n"
        "What we found: {{ part.finding or 'not yet decided' }}\n\n{% endfor %}"
        "{{ rights }}\n\n{sign_off}",
    ),
    (
        "rights-stage-2",
        "Right to ask for Stage 2",
        "rights-stage-2",
        "Your complaint {{ case.reference }}: if you are not satisfied",
        "{greeting}\n\n{reference}\n\nIf you are not satisfied with our response, you can ask "
        "for your complaint to be looked at again at Stage 2, where an Investigating Officer "
        "who does not work for the service, and an Independent Person, will investigate it. "
        "Please tell us within 20 working days of receiving our response{% if stage and "
        "stage.escalation_deadline %} (by {{ stage.escalation_deadline }}){% endif %}, saying "
        "what you are still unhappy about.\n\n{sign_off}",
    ),
    (
        "rights-stage-3",
        "Right to ask for Stage 3",
        "rights-stage-3",
        "Your complaint {{ case.reference }}: a review panel",
        "{greeting}\n\n{reference}\n\nIf you are not satisfied with the outcome of Stage 2, you "
        "can ask for a review panel (Stage 3) of three people, two of them independent of the "
        "council. Please tell us within 20 working days of receiving our Stage 2 response"
        "{% if stage and stage.escalation_deadline %} (by {{ stage.escalation_deadline }})"
        "{% endif %}.\n\n{sign_off}",
    ),
    (
        "rights-ombudsman",
        "Right to go to the Ombudsman",
        "rights-ombudsman",
        "Your complaint {{ case.reference }}: the Ombudsman",
        "{greeting}\n\n{reference}\n\nThis is the end of our complaints procedure. If you "
        "are still not satisfied, you can ask the Local Government and Social Care Ombudsman "
        "to look at your complaint. The Ombudsman is free, independent and impartial: "
        "www.lgo.org.uk, 0300 061 0614.\n\n{sign_off}",
    ),
    (
        "appointment",
        "Investigating Officer and Independent Person appointment",
        "appointment",
        "Your complaint {{ case.reference }}: who will investigate",
        "{greeting}\n\n{reference}\n\nWe have appointed {{ stage.investigating_officer or "
        "'an Investigating Officer' }} to investigate your complaint at Stage 2, and "
        "{{ stage.independent_person or 'an Independent Person' }} to make sure the "
        "investigation is open and fair. They will contact you to agree what the investigation "
        "will cover.{% if stage and stage.response_due %} We will send you our response by "
        "{{ stage.response_due }}.{% endif %}\n\n{sign_off}",
    ),
    (
        "panel-invitation",
        "Stage 3 panel invitation",
        "panel-invitation",
        "Your complaint {{ case.reference }}: the review panel",
        "{greeting}\n\n{reference}\n\nYou are invited to the review panel for your complaint"
        "{% if stage and stage.panel_on %} on {{ stage.panel_on }}{% endif %}. You can bring "
        "someone with you, and you can speak at the panel. The panel will write to you within "
        "5 working days of meeting.\n\n{sign_off}",
    ),
    (
        "sar-acknowledgement",
        "Subject access request acknowledgement",
        "sar-acknowledgement",
        "Your request for your records: {{ case.reference }}",
        "{greeting}\n\n{reference}\n\nWe have received your request for the information we hold "
        "about you{% if case.identification_received_on %} and proof of your identity"
        "{% endif %}. {% if stage and stage.response_due %}We will respond by "
        "{{ stage.response_due }}.{% else %}We will respond within one month of receiving "
        "proof of your identity.{% endif %}\n\n{sign_off}",
    ),
    (
        "sar-completion",
        "Subject access request completed",
        "sar-completion",
        "Your records: {{ case.reference }}",
        "{greeting}\n\n{reference}\n\nWe enclose the information we hold about you. Some "
        "information may have been removed where it is about other people or the law allows "
        "us to withhold it. If you are unhappy with how we dealt with your request, you can "
        "ask us to review it, and you can complain to the Information Commissioner's Office "
        "(ico.org.uk, 0303 123 1113).\n\n{sign_off}",
    ),
    (
        "compliment-thanks",
        "Thanks for a compliment",
        "compliment-thanks",
        "Thank you for your kind words",
        "{greeting}\n\nThank you for taking the time to tell us about the good work of "
        "{{ case.staff_named or 'our staff' }}. We have passed on your words, and they help "
        "us learn what works well.\n\n{sign_off}",
    ),
]


def default_templates() -> list[dict]:
    """Each text as an e-mail and as a letter."""
    templates = []
    for order, (code, name, purpose, subject, body) in enumerate(_TEXTS):
        text = (
            body.replace("{greeting}", GREETING)
            .replace("{reference}", REFERENCE)
            .replace("{sign_off}", SIGN_OFF)
        )
        for kind, suffix in (("letter", "letter"), ("email", "e-mail")):
            templates.append(
                {
                    "code": f"{code}-{kind}",
                    "name": f"{name} ({suffix})",
                    "kind": kind,
                    "purpose": purpose,
                    "subject": subject,
                    "body": text,
                    "order": order * 2 + (kind == "email"),
                }
            )
    return templates
