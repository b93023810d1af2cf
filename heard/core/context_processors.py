from django.conf import settings

from heard.accounts import roles


def council(request):
    """What every page needs: the council's name and what the signed-in user may reach."""
    public = {
        "council_name": settings.COUNCIL_NAME,
        "council_phone": settings.COUNCIL_PHONE,
        "out_of_hours_phone": settings.HEARD_OUT_OF_HOURS_PHONE,
    }
    if request.path.startswith("/tell-us/"):
        # The public form never looks at who is signed in (nor at the database for it), so
        # its pages still render when the database is down.
        return public
    user = getattr(request, "user", None)
    return {
        **public,
        "nav_can_read_cases": bool(user) and roles.can_read_cases(user),
        "nav_can_run_casework": bool(user) and roles.can_run_casework(user),
        "nav_can_administer": bool(user) and roles.can_administer(user),
    }
