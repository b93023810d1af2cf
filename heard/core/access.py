"""Access rules for staff views.

Every staff view is wrapped in :func:`staff_view` with a rule from
:mod:`heard.accounts.roles`. The wrapper sends anonymous users to sign in, refuses users whose
role does not pass the rule with 403, and records the rule on the view so that a test can check
that no URL was added without one (``tests/core/test_access_matrix.py``).
"""

from __future__ import annotations

from collections.abc import Callable
from functools import wraps

from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import PermissionDenied

PUBLIC = "public"


class PageRefused(PermissionDenied):
    """A 403 with a plain reason to show (for example "You answered Stage 1 of CMP-…"), for a
    page a user's role allows but whose case does not (``heard.core.views.forbidden`` shows
    the reason)."""


def staff_view(rule: Callable) -> Callable:
    def decorator(view: Callable) -> Callable:
        @wraps(view)
        def wrapped(request, *args, **kwargs):
            if not request.user.is_authenticated:
                return redirect_to_login(request.get_full_path())
            if not rule(request.user):
                raise PermissionDenied
            return view(request, *args, **kwargs)

        wrapped.access_rule = rule
        return wrapped

    return decorator


def public_view(view: Callable) -> Callable:
    """Mark a view as deliberately open to everyone (sign-in page, public form, health check)."""
    view.access_rule = PUBLIC
    return view
