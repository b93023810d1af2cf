"""Letters and e-mails on a case, and the e-mails waiting for triage. Thin: the rules are in
services.py; every case is reached through the access helper."""

from django.contrib import messages
from django.http import FileResponse, Http404
from django.shortcuts import get_object_or_404, redirect, render

from heard.accounts import roles
from heard.audit import services as audit
from heard.cases.access import access_case
from heard.core.access import staff_view
from heard.correspondence import forms, presenters, services
from heard.correspondence.incoming import UnreadableMessage, read_upload
from heard.correspondence.merge import MergeError
from heard.correspondence.models import Attachment, Correspondence, Template

MAX_UPLOAD = 20 * 1024 * 1024


@staff_view(roles.can_run_casework)
def write(request, reference):
    """Choose a template, read it filled in from the case, edit it, send or save it."""
    case = access_case(request.user, reference)
    chosen = forms.ChooseTemplateForm(request.GET or None)
    template = chosen.cleaned_data["template"] if chosen.is_valid() else None
    if template is None:
        return render(request, "correspondence/choose.html", {"case": case, "form": chosen})
    form_class = forms.EmailForm if template.kind == Template.Kind.EMAIL else forms.LetterForm
    if request.method == "POST":
        form = form_class(request.POST)
        if form.is_valid():
            data = form.cleaned_data
            if template.kind == Template.Kind.EMAIL:
                services.send_email(case, template=template, user=request.user, **data)
                messages.success(request, "The e-mail is in the outbox and kept on the case.")
            else:
                services.save_letter(case, template=template, user=request.user, **data)
                messages.success(request, "The letter is saved on the case as Word and PDF.")
            return redirect("cases:detail", case.reference)
    else:
        try:
            form = form_class(initial=services.draft(case, template, user=request.user))
        except MergeError as error:
            messages.error(request, str(error))
            return redirect("cases:detail", case.reference)
    return render(
        request,
        "correspondence/write.html",
        {"case": case, "form": form, "template": template},
    )


@staff_view(roles.can_run_casework)
def upload(request, reference):
    case = access_case(request.user, reference)
    form = forms.UploadEmailForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        upload = form.cleaned_data["file"]
        if upload.size > MAX_UPLOAD:
            form.add_error("file", "The e-mail file must be 20 MB or smaller")
        else:
            try:
                message = read_upload(upload.name, upload.read())
            except UnreadableMessage as error:
                form.add_error("file", str(error))
            else:
                _, new = services.record_incoming(message, case=case, user=request.user)
                if new:
                    messages.success(request, "The e-mail is kept on the case.")
                else:
                    messages.info(request, "That e-mail was already kept in Heard.")
                return redirect("cases:detail", case.reference)
    return render(request, "correspondence/upload.html", {"case": case, "form": form})


@staff_view(roles.can_read_cases)
def attachment(request, reference, pk):
    case = access_case(request.user, reference)
    item = get_object_or_404(Attachment, pk=pk, correspondence__case=case)
    audit.record("correspondence.attachment_viewed", user=request.user, case=case, obj=item)
    response = FileResponse(item.file.open("rb"), as_attachment=True, filename=item.name)
    response["X-Content-Type-Options"] = "nosniff"
    response["Cache-Control"] = "no-store"
    return response


@staff_view(roles.can_run_casework)
def inbox(request):
    """E-mails that arrived with no reference Heard knows, waiting to be filed or logged."""
    waiting = Correspondence.objects.filter(case__isnull=True, direction="in").select_related(
        "person"
    )
    audit.record("correspondence.inbox_viewed", user=request.user)
    return render(request, "correspondence/inbox.html", {"waiting": waiting})


@staff_view(roles.can_run_casework)
def file_on_case(request, pk):
    item = get_object_or_404(Correspondence, pk=pk, case__isnull=True, direction="in")
    form = forms.FileOnCaseForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            case = access_case(request.user, form.cleaned_data["reference"].strip().upper())
        except Http404:
            form.add_error("reference", "There is no case with that reference that you can see")
        else:
            services.file_on_case(item, case, user=request.user)
            messages.success(request, f"The e-mail is filed on {case.reference}.")
            return redirect("correspondence:inbox")
    audit.record("correspondence.viewed", user=request.user, obj=item)
    context = {
        "item": item,
        "form": form,
        "suggestions": presenters.triage_suggestions(item, request.user),
    }
    return render(request, "correspondence/file.html", context)


@staff_view(roles.can_record_response)
def log(request, reference):
    """The contact log and case notes: anyone who works on the case may add to them."""
    case = access_case(request.user, reference)
    form = forms.ContactForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.log_contact(case, user=request.user, **form.cleaned_data)
        except ValueError as error:
            form.add_error("on", str(error))
        else:
            messages.success(request, "Added to the contact log.")
            return redirect("cases:detail", case.reference)
    return render(
        request,
        "cases/action.html",
        {"case": case, "form": form, "action": {"label": "Log a contact or add a note"}},
    )
