from django.conf import settings

from heard.accounts import roles


def council(request):
    """What every page needs: the council's name and what the signed-in user may reach."""
    user = getattr(request, "user", None)
    return {
        "council_name": settings.COUNCIL_NAME,
        "nav_can_read_cases": bool(user) and roles.can_read_cases(user),
        "nav_can_run_casework": bool(user) and roles.can_run_casework(user),
        "nav_can_administer": bool(user) and roles.can_administer(user),
    }
