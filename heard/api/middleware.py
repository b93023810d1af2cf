"""Audit every API call: who, when, the method, the path and the answer (never the body)."""

from heard.audit import services as audit


class ApiAuditMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        if request.path.startswith("/api/") and not request.path.endswith(
            ("/docs", "/openapi.json")
        ):
            user = getattr(request, "user", None)
            audit.record(
                "api.called",
                user=user,
                actor="" if getattr(user, "is_authenticated", False) else "Anonymous API caller",
                # PostgreSQL refuses NUL in text: a path with one is recorded with U+FFFD.
                note=f"{request.method} {request.path.replace(chr(0), chr(0xFFFD))} → "
                f"{response.status_code}",
            )
        return response
