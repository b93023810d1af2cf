"""The online form: one question a page, a check-your-answers page, and a confirmation.

No sign-in. Answers are kept in the session until sent. Attachments wait in the ``uploads``
storage (never the web root; heard/public/uploads.py) and are moved onto the case when it is
saved. If the database cannot be reached, the visitor sees a plain page asking them to try
again or phone (``unavailable``), never an error trace.
"""

import uuid

from django.db import DatabaseError
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.http import require_POST

from heard.audit import services as audit
from heard.cases.documents import DocumentRefused, check
from heard.core.access import public_view
from heard.public import forms, journey, services, spool, uploads
from heard.public.journey import SESSION_KEY, TITLES
from heard.public.middleware import KeptSession
from heard.public.presenters import progress_of

FORMS = {
    "what": forms.WhatForm,
    "who": forms.WhoForm,
    "age": forms.AgeForm,
    "care": forms.CareForm,
    "advocate": forms.AdvocateForm,
    "referral": forms.ReferralForm,
    "representative": forms.RepresentativeForm,
    "behalf": forms.BehalfForm,
    "about": forms.AboutForm,
    "contact": forms.ContactForm,
}
MAX_DOCUMENTS = 5


def _answers(request) -> dict:
    return request.session.get(SESSION_KEY, {})


def _save(request, answers: dict) -> None:
    # One key per filled-in form: sending it twice (a double click, a retry) makes one case.
    answers.setdefault("key", uuid.uuid4().hex)
    request.session[SESSION_KEY] = answers
    request.session.modified = True


def _uploads_token(answers: dict) -> str:
    return answers.setdefault("uploads", uploads.new_token())


def _page(request, name, context):
    answers = _answers(request)
    back = journey.previous_step(answers, name)
    context.update(
        {
            "title": TITLES.get(name, ""),
            "back": reverse("public:step", args=[back]) if back else reverse("public:start"),
            "answers": answers,
            "step": name,
            "provider": forms.advocacy_provider(),
        }
    )
    return render(request, f"public/{name}.html", context)


@public_view
def start(request):
    return render(request, "public/start.html", {"due_days": 2})


@public_view
def step(request, name):
    if name not in journey.steps(_answers(request)) or name == "check":
        raise Http404("No such page.")
    if name == "documents":
        return documents_page(request)
    answers = _answers(request)
    form_class = FORMS[name]
    kwargs = {}
    if name == "about":
        kwargs = {"kind": answers.get("what", "complaint")}
    elif name == "contact":
        kwargs = {"route": journey.route(answers)}
    if isinstance(answers.get(name), dict):
        initial = answers[name]
    else:  # a one-question page keeps its answer as a plain value
        initial = {next(iter(form_class.base_fields)): answers.get(name)}
    data = request.POST if request.method == "POST" else None  # an empty POST is still a POST
    form = form_class(data, initial=initial, **kwargs)
    if request.method == "POST" and form.is_valid():
        data = {k: (v.pk if hasattr(v, "pk") else v) for k, v in form.cleaned_data.items()}
        answers[name] = data[name] if set(data) == {name} else data
        if name == "what":
            answers["what"] = data["kind"]
        answers.setdefault("done", [])
        if name not in answers["done"]:
            answers["done"].append(name)
        journey.forget_other_routes(answers)  # a different route: forget the other's answers
        _forget_contact_if_route_changed(answers)
        _save(request, answers)
        if request.GET.get("change") and not journey.first_missing(answers):
            return redirect("public:check")
        return redirect("public:step", journey.next_step(answers, name))
    return _page(request, name, {"form": form})


def _forget_contact_if_route_changed(answers: dict) -> None:
    """A child's "through my advocate" is no answer for an adult: ask again."""
    contact = answers.get("contact")
    if not isinstance(contact, dict):
        return
    allowed = dict(forms.ContactForm(route=journey.route(answers)).fields["contact_by"].choices)
    if contact.get("contact_by") not in allowed:
        answers.pop("contact", None)
        if "contact" in answers.get("done", []):
            answers["done"].remove("contact")


def documents_page(request):
    answers = _answers(request)
    token = _uploads_token(answers)
    form = forms.DocumentForm(request.POST or None, request.FILES or None)
    if request.method == "POST":
        upload = request.FILES.get("file")
        if upload is not None and form.is_valid():
            try:
                check(upload)
            except DocumentRefused as refused:
                form.add_error("file", str(refused))
            else:
                address = request.META.get("REMOTE_ADDR", "")
                if len(uploads.names(token)) >= MAX_DOCUMENTS:
                    form.add_error("file", f"You can send up to {MAX_DOCUMENTS} files")
                elif uploads.too_many_from(address):
                    form.add_error(
                        "file",
                        "A lot of files have been sent from your connection in the last hour. "
                        "Send your form without it, and send the file later quoting your "
                        "reference.",
                    )
                else:
                    uploads.save(token, upload)
                    uploads.count_from(address)
                    _save(request, answers)
                    return redirect("public:step", "documents")
        elif request.POST.get("continue") is not None:
            answers.setdefault("done", [])
            if "documents" not in answers["done"]:
                answers["done"].append("documents")
            _save(request, answers)
            if request.GET.get("change") and not journey.first_missing(answers):
                return redirect("public:check")
            return redirect("public:step", journey.next_step(answers, "documents"))
    _save(request, answers)
    return _page(request, "documents", {"form": form, "files": uploads.file_names(token)})


@public_view
def check_answers(request):
    answers = _answers(request)
    missing = journey.first_missing(answers)
    if missing:
        return redirect("public:step", missing)
    if request.method == "POST":
        if request.POST.get("website"):
            # Only robots fill in the hidden field: pretend, and keep nothing.
            request.session.pop(SESSION_KEY, None)
            return render(request, "public/confirmation.html", {"reference": None})
        address = request.META.get("REMOTE_ADDR", "")
        if services.too_many(address):
            return render(request, "public/too_many.html", status=429)
        token = answers.get("uploads")
        files = uploads.open_all(token)
        try:
            result = services.submit(answers, files)
        except DatabaseError:
            # The database cannot take it now: keep the form safely, and give a receipt.
            receipt = spool.keep(answers, files)
            services.count_submission(address)
            uploads.discard(token)
            request.session = KeptSession(request.session.session_key)
            return render(request, "public/received.html", {"receipt": receipt})
        finally:
            for file in files:
                file.close()
        if result.created:  # a second click on Send finds the first one's case: count it once
            services.count_submission(address)
        uploads.discard(token)
        request.session.pop(SESSION_KEY, None)
        request.session["tell_us_sent"] = {
            "reference": result.case.reference,
            "due": result.due.isoformat(),
            "kind": result.case.kind,
            "child": answers.get("who") == "child",
            "advocate": answers.get("advocate") == "yes",
            "referred": result.referred,
            "provider": forms.advocacy_provider(),
            "progress_emailed": result.progress_emailed,
            "contactable": answers.get("contact", {}).get("contact_by") != "anonymous",
        }
        return redirect("public:sent")
    files = uploads.file_names(answers.get("uploads"))
    _save(request, answers)
    return _page(request, "check", {"files": files, "labels": _labels(answers)})


def _labels(answers: dict) -> dict:
    from heard.public.models import AgeBand, CareStatus

    team_id = answers.get("about", {}).get("team")
    team = forms.public_teams().filter(pk=team_id).first() if team_id else None
    representative = answers.get("representative", {})
    return {
        "what": dict(forms.KINDS).get(answers.get("what"), ""),
        "who": dict(forms.WHO).get(answers.get("who"), ""),
        "age": dict(AgeBand.choices).get(answers.get("age"), ""),
        "care": dict(CareStatus.choices).get(answers.get("care"), ""),
        "advocate": dict(forms.YES_NO_NOT_SURE).get(answers.get("advocate"), ""),
        "referral": dict(forms.ReferralForm.base_fields["referral"].choices).get(
            answers.get("referral"), ""
        ),
        "representative_type": dict(forms.REPRESENTATIVE_TYPES).get(
            representative.get("representative_type"), ""
        ),
        "team": team.public_name if team else "I don't know",
        "contact_by": dict(forms.CHILD_CONTACT_BY + forms.CONTACT_BY).get(
            answers.get("contact", {}).get("contact_by"), ""
        ),
        "child_agrees": dict(forms.YES_NO_NOT_SURE).get(
            answers.get("behalf", {}).get("child_agrees"), ""
        ),
    }


@public_view
def sent(request):
    import datetime

    done = request.session.get("tell_us_sent")
    if not done:
        return redirect("public:start")
    due = datetime.date.fromisoformat(done["due"])
    return render(request, "public/confirmation.html", {**done, "due": due})


@public_view
@require_POST
def start_again(request):
    answers = _answers(request)
    uploads.discard(answers.get("uploads"))
    request.session.pop(SESSION_KEY, None)
    return redirect("public:step", "what")


@public_view
def privacy(request):
    return render(request, "public/privacy.html", {"title": "Privacy notice"})


@public_view
def accessibility(request):
    return render(request, "public/accessibility.html", {"title": "Accessibility statement"})


def _not_found(request):
    """One answer for a link that never existed, was mistyped or was stopped: nothing about
    any case can be learned by guessing."""
    return render(request, "public/progress_unknown.html", status=404)


@public_view
def progress(request, token):
    submission = services.submission_for_token(token)
    if submission is None:
        return _not_found(request)
    audit.record(
        "online_submission.progress_viewed",
        actor="Progress link",
        case=submission.case,
        obj=submission,
    )
    response = render(
        request,
        "public/progress.html",
        {"progress": progress_of(submission.case), "token": token},
    )
    response["Cache-Control"] = "no-store"
    response["Referrer-Policy"] = "same-origin"  # the link never leaves for another site
    return response


@public_view
@require_POST
def stop_progress_link(request, token):
    submission = services.submission_for_token(token)
    if submission is None:
        return _not_found(request)
    services.revoke_progress_link(submission, actor="Progress link")
    return render(request, "public/progress_stopped.html")
