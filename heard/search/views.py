from django.shortcuts import render

from heard.accounts import roles
from heard.core.access import staff_view
from heard.search import services
from heard.search.query import MAX_LENGTH


@staff_view(roles.can_read_cases)
def results(request):
    """The results of the search box in the header: cases the user may see, best first."""
    text = request.GET.get("q", "")
    error = ""
    found = None
    if "q" in request.GET:
        if not text.strip():
            error = "Enter a name, reference, postcode, telephone, e-mail or words to search for"
        elif len(text) > MAX_LENGTH:
            error = f"Search for {MAX_LENGTH} characters or fewer"
        else:
            found = services.search(request.user, text)
    context = {"found": found, "q": text, "error": error, "limit": services.LIMIT}
    return render(request, "search/results.html", context)
