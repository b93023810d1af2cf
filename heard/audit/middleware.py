"""Audit what requests show, where no view did: API calls, and every page about a case.

- An API call with a valid token is recorded as ``api.called`` (``api.case_read`` for a read of
  one case), with the token, the method, the path and the answer; when the path names a case
  the caller could see, the entry belongs to that case and shows in its history. A call without
  a valid token goes to the rate-limited security log (heard/audit/security.py), never to the
  trail.
- A signed-in user's page about a case (any URL with a case ``reference`` answered 200: forms,
  lists of documents, a document) writes ``case.opened``, unless the view itself already wrote
  an entry for that case in this request (``case.viewed``, a change, ``document.viewed``).
"""

from __future__ import annotations

from heard.audit import security
from heard.audit import services as audit

PUBLIC_API_PATHS = ("/docs", "/openapi.json")


def _reference(request) -> str | None:
    match = getattr(request, "resolver_match", None)
    return match.kwargs.get("reference") if match is not None else None


def _case_named(request, user):
    reference = _reference(request)
    if not reference:
        return None
    from heard.cases.models import Case

    # The same scope as the access helper: a case the user may not see was not shown.
    return Case.objects.visible_to(user).only("pk", "reference").filter(reference=reference).first()


class RequestAuditMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        recorded = set()
        token = audit.cases_recorded.set(recorded)
        try:
            response = self.get_response(request)
            if request.path.startswith("/api/"):
                self._api(request, response)
            else:
                self._case_page(request, response, recorded)
        finally:
            audit.cases_recorded.reset(token)
        return response

    def _api(self, request, response) -> None:
        if request.path.endswith(PUBLIC_API_PATHS):
            return
        api_token = getattr(request, "api_token", None)
        if api_token is None:
            address = request.META.get("REMOTE_ADDR", "")
            security.note(
                "api.unauthenticated",
                address,
                f"{request.method} {request.path.replace(chr(0), chr(0xFFFD))}",
            )
            return
        case = None
        if response.status_code < 400:
            case = _case_named(request, api_token.user)
        reads = request.method in ("GET", "HEAD")
        audit.record(
            "api.case_read" if case is not None and reads else "api.called",
            user=api_token.user,
            case=case,
            obj=api_token,
            # PostgreSQL refuses NUL in text: a path with one is recorded with U+FFFD.
            note=f"{request.method} {request.path.replace(chr(0), chr(0xFFFD))} → "
            f"{response.status_code}",
        )

    def _case_page(self, request, response, recorded: set[int]) -> None:
        user = getattr(request, "user", None)
        if response.status_code != 200 or not getattr(user, "is_authenticated", False):
            return
        if _reference(request) in recorded:
            return  # the page wrote its own entry for the case (the case page: "viewed")
        case = _case_named(request, user)
        if case is None or case.pk in recorded:
            return
        path = request.path.replace(chr(0), chr(0xFFFD))
        audit.record("case.opened", user=user, case=case, note=f"{request.method} {path}")
