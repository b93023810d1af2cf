"""The acknowledgement sent automatically when a complaint is logged with an e-mail address
(a council setting, off by default: ``CorrespondenceSettings.acknowledge_automatically``).

Called by ``heard.cases.services.log_case`` inside the transaction that logs the case, so the
case, the e-mail in the outbox, the correspondence record and the acknowledgement date are
written together or not at all.
"""

from __future__ import annotations

from django.utils import timezone

from heard.cases.models import Case
from heard.correspondence import services
from heard.correspondence.models import CorrespondenceSettings, Template

DEFAULT_TEMPLATE = "acknowledgement-email"


def acknowledgement_template(settings: CorrespondenceSettings) -> Template | None:
    if settings.acknowledgement_template_id:
        return settings.acknowledgement_template
    return Template.objects.filter(code=DEFAULT_TEMPLATE, kind="email", active=True).first()


def acknowledge_if_on(case: Case, *, user=None, actor: str = ""):
    """Send the acknowledgement of a complaint just logged, when the council has chosen to and
    the complainant gave an e-mail address; record its date on the open stage (a complaint
    still waiting for triage has none yet: the officer records it when triaging). Returns the
    correspondence kept, or None when nothing was sent."""
    from heard.cases import workflow

    settings = CorrespondenceSettings.current()
    if not settings.acknowledge_automatically or case.kind != "complaint":
        return None
    if not case.complainant_email:
        return None
    template = acknowledgement_template(settings)
    if template is None:
        return None
    draft = services.draft(case, template, user=user)
    item = services.send_email(
        case,
        to=case.complainant_email,
        subject=draft["subject"],
        body=draft["body"],
        template=template,
        user=user,
        actor=actor or ("" if user else "Automatic acknowledgement"),
    )
    stage = case.stages.filter(responded_on__isnull=True, acknowledged_on__isnull=True).first()
    if stage is not None:
        workflow.acknowledge(case, on=timezone.localdate(), user=user)
    return item
