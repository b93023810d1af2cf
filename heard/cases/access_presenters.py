"""What the case page shows of restrictions, independent stages and approvals, and what it
hides: ``adjust_case_page`` is called at the end of ``presenters.case_page``, so the page
offers nobody a button the workflow would refuse them, and shows nobody what they may not see.
Its panel is ``cases/_access.html``."""

from __future__ import annotations

from heard.accounts import roles
from heard.cases import approvals, independence
from heard.cases.restriction import hidden_references, restriction_of

#: What the history says in place of the reference of a case the reader may not see.
WITHHELD = "a restricted case"


def adjust_case_page(context: dict, user) -> dict:
    case = context["case"]
    stages = [clock["stage"] for clock in context["clocks"]]
    answered = independence.answered_stage_one(case, user, stages)
    hidden = independence.hidden_stage_ids(case, user, stages) if answered else set()
    for clock in context["clocks"]:
        if clock["stage"].pk in hidden:
            from heard.cases.presenters import stage_rows

            clock["stage"] = independence.redacted_stage(clock["stage"])
            # The page's rows and findings were made from the whole stage: make them again
            # from what this user may see of it (its clock only).
            clock["rows"] = stage_rows(clock["stage"])
            clock["findings"] = [(part, None) for part, _ in clock.get("findings", [])]
            clock["drafts_hidden"] = True
    latest = stages[-1] if stages else None
    later_stage = bool(answered and latest is not None and latest.number >= 2)
    if later_stage:
        context["can_respond"] = False
    context["can_change_stage"] = not later_stage
    if answered or not roles.can_run_casework(user):
        context["actions"] = [a for a in context["actions"] if a.name != "allocate"]
    present = context.get("present")  # the lists the case has (``heard.cases.presence``)

    def has(name: str) -> bool:
        return present is None or name in present

    # The history names no case hidden from this reader when no case is.
    hidden_refs = hidden_references(user) if has("hidden_cases") else set()
    context["history"] = _without_references(context["history"], hidden_refs)
    restriction = restriction_of(case) if has("restriction") else None
    context["restriction"] = {
        "on": restriction,
        "people": list(restriction.people.all()) if restriction else [],
        "can_change": roles.can_restrict_cases(user),
    }
    context["approvals"] = approvals.panel(case, user, stages, hidden, steps=has("approval_steps"))
    from heard.retention.presenters import case_panel

    context["retention"] = case_panel(
        case, user, stages, holds=has("legal_holds"), review=has("retention_review")
    )
    context["drafts_hidden"] = sorted(s.number for s in stages if s.pk in hidden)
    return context


def _without_references(history: list[dict], references: set[str]) -> list[dict]:
    """The history with every mention of the given case references (a link to a restricted
    case, in a change or a note) replaced by :data:`WITHHELD`."""
    if not references:
        return history

    def clean(value):
        if isinstance(value, str):
            for reference in references:
                value = value.replace(reference, WITHHELD)
            return value
        if isinstance(value, list):
            return [clean(item) for item in value]
        if isinstance(value, dict):
            return {key: clean(item) for key, item in value.items()}
        return value

    return [clean(event) if isinstance(event, dict) else event for event in history]
