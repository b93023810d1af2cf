"""Plain-English sentences for audit action codes, as shown in a case's history."""

SENTENCES = {
    "case.created": "Case logged",
    "case.changed": "Case details changed",
    "case.viewed": "Case viewed",
    "case.deleted": "Case deleted",
    "case.allocated": "Case allocated",
    "case.triaged": "Triage decision recorded",
    "case.closed": "Case closed",
    "case.reopened": "Case reopened",
    "case.withdrawn": "Case withdrawn",
    "case.linked": "Case linked",
    "part.created": "Part of the complaint added",
    "part.changed": "Part of the complaint changed",
    "stage.created": "Stage opened",
    "stage.acknowledged": "Acknowledged",
    "stage.extended": "Timescale extended",
    "stage.suspended": "Clock suspended",
    "stage.resumed": "Clock restarted",
    "stage.responded": "Response and findings recorded",
    "stage.changed": "Stage details changed",
    "stage.recalculated": "Due dates recalculated",
    "learning.created": "Learning recorded",
    "learning.changed": "Learning changed",
    "action.created": "Action added to the action plan",
    "action.changed": "Action changed",
    "action.signed_off": "Action signed off",
    "document.added": "Document added",
    "document.viewed": "Document opened",
    "api.called": "API called",
    "cases.exported": "Case list downloaded",
    "cases.imported": "Cases imported",
    "calendar.settings_changed": "Calendar settings changed",
}


def sentence(action: str) -> str:
    return SENTENCES.get(action, action.replace(".", " ").replace("_", " ").capitalize())
