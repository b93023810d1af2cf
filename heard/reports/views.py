"""The report screens at /reports/: the annual report and the other reports as pages and
downloads, editions (narrative, case studies, custom tables, publishing), context figures,
groups of categories and the custom table builder. Thin: access, a service or presenter, a
template."""

from __future__ import annotations

from urllib.parse import urlencode

from django.contrib import messages
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.views.decorators.http import require_POST

from heard.accounts import roles
from heard.core.access import staff_view
from heard.jobs.views import download_or_wait
from heard.reports import definitions, editions, presenters, services
from heard.reports.document import Report
from heard.reports.forms import (
    AddTableForm,
    CaseStudiesForm,
    CategoryGroupForm,
    ContextFigureForm,
    EditionSettingsForm,
    ManagementForm,
    NarrativeForm,
    NewEditionForm,
    TableBuilderForm,
    VersionForm,
    YearForm,
)
from heard.reports.models import CategoryGroup, ContextFigure, Edition, SavedTable
from heard.reports.publication import for_publication


def _report_page(request, report: Report, *, heading: str, downloads, extra=None, charts=None):
    """``charts``: {table id: image URL}; by default the charts are drawn into the page."""
    context = {
        "report": report,
        "heading": heading,
        "downloads": downloads,
        "partial": presenters.REPORT_PARTIAL,
        "charts": presenters.chart_sources(report) if charts is None else charts,
        **(extra or {}),
    }
    return render(request, "reports/report_page.html", context)


def _download(request, spec: dict, fmt: str):
    """A report file is made by ``heard worker``, not in the request (heard.jobs)."""
    if fmt not in presenters.formats():
        raise Http404("No such format")
    back = request.path if spec["report"] in {"management", "table"} else reverse("reports:home")
    return download_or_wait(request, "report", {**spec, "format": fmt}, back=back)


def _publication(request) -> bool:
    return presenters.publication_for(
        request.user, presenters.asked_publication(request.GET.get("publication"))
    )


# The reports home and the annual report -------------------------------------------------------


@staff_view(roles.can_view_reports)
def home(request):
    years = presenters.year_choices()
    form = YearForm(
        request.GET or None,
        years=years,
        offer_publication=roles.sees_unsuppressed_reports(request.user),
        initial={"year": presenters.last_complete_year()},
    )
    if request.GET and form.is_valid():
        query = "?publication=true" if form.cleaned_data.get("publication") else ""
        return redirect(reverse("reports:annual", args=[form.cleaned_data["year"]]) + query)
    context = {
        "form": form,
        "last_year": presenters.last_complete_year(),
        "last_year_label": presenters.year_label(presenters.last_complete_year()),
        "editions": presenters.edition_rows(request.user)[:10],
        "can_prepare": roles.can_prepare_reports(request.user),
        "can_publish": roles.can_publish_reports(request.user),
        "can_administer": roles.can_administer(request.user),
        "sees_unsuppressed": roles.sees_unsuppressed_reports(request.user),
    }
    return render(request, "reports/home.html", context)


@staff_view(roles.can_view_reports)
def annual(request, year: int):
    if not 1990 <= year <= 2100:
        raise Http404("No such year")
    publication = _publication(request)
    report = editions.annual_report(year, publication=publication)
    query = "?publication=true" if publication else ""
    downloads = presenters.download_links(
        lambda fmt: reverse("reports:annual-download", args=[year, fmt]) + query
    )
    # Its charts are images of their own: drawing forty of them took most of the page's time.
    charts = presenters.chart_links(
        report, lambda table_id: reverse("reports:annual-chart", args=[year, table_id]) + query
    )
    return _report_page(
        request,
        report,
        heading=f"Annual report {presenters.year_label(year)}",
        downloads=downloads,
        charts=charts,
        extra={
            "year": year,
            "publication": publication,
            "may_choose_mode": roles.sees_unsuppressed_reports(request.user),
        },
    )


@staff_view(roles.can_view_reports)
def annual_chart(request, year: int, table: str):
    """The chart of one table of the annual report page, as a PNG image."""
    if not 1990 <= year <= 2100:
        raise Http404("No such year")
    report = editions.annual_report(year, publication=_publication(request))
    image = presenters.chart_image(report, table)
    if image is None:
        raise Http404("No such chart")
    response = HttpResponse(image, content_type="image/png")
    response["Cache-Control"] = "private, max-age=300"
    return response


@staff_view(roles.can_view_reports)
def annual_download(request, year: int, fmt: str):
    if not 1990 <= year <= 2100:
        raise Http404("No such year")
    return _download(
        request, {"report": "annual", "year": year, "publication": _publication(request)}, fmt
    )


# Other reports --------------------------------------------------------------------------------


def _maybe_suppressed(request, report: Report) -> Report:
    return report if roles.sees_unsuppressed_reports(request.user) else for_publication(report)


@staff_view(roles.can_view_reports)
def management(request):
    shown = presenters.today()
    form = ManagementForm(
        request.GET if "period" in request.GET else None, initial={"period": "week", "on": shown}
    )
    period, on = "week", shown
    if form.is_bound and form.is_valid():
        period, on = form.cleaned_data["period"], form.cleaned_data["on"]
    if request.GET.get("format"):
        publication = not roles.sees_unsuppressed_reports(request.user)
        spec = {"report": "management", "period": period, "on": on.isoformat()}
        return _download(request, {**spec, "publication": publication}, request.GET["format"])
    report = _maybe_suppressed(request, presenters.management_summary(period, on))
    query = urlencode({"period": period, "on_0": on.day, "on_1": on.month, "on_2": on.year})
    base = f"{reverse('reports:management')}?{query}&format="
    return _report_page(
        request,
        report,
        heading=report.title,
        downloads=presenters.download_links(lambda fmt: base + fmt),
        extra={"management_form": form},
    )


def _yearly(request, year: int, name: str, title: str, build):
    if not 1990 <= year <= 2100:
        raise Http404("No such year")
    publication = _publication(request)
    if request.GET.get("format"):
        spec = {"report": name, "year": year, "publication": publication}
        return _download(request, spec, request.GET["format"])
    report = build(year, publication)  # suppressed by the builder in publication mode
    query = "publication=true&" if publication else ""
    url = reverse(f"reports:{name}", args=[year])
    return _report_page(
        request,
        report,
        heading=f"{title} {presenters.year_label(year)}",
        downloads=presenters.download_links(lambda fmt: f"{url}?{query}format={fmt}"),
    )


@staff_view(roles.can_view_reports)
def scrutiny(request, year: int):
    return _yearly(
        request, year, "scrutiny", "Scrutiny committee report", presenters.scrutiny_report
    )


@staff_view(roles.can_view_reports)
def lgsco(request, year: int):
    return _yearly(
        request, year, "lgsco", "Complaint Handling Code annual report", presenters.lgsco_report
    )


# Editions -------------------------------------------------------------------------------------


@staff_view(roles.can_view_reports)
def edition_list(request):
    context = {
        "rows": presenters.edition_rows(request.user),
        "can_prepare": roles.can_prepare_reports(request.user),
    }
    return render(request, "reports/editions.html", context)


@staff_view(roles.can_prepare_reports)
def edition_new(request):
    years = presenters.year_choices()
    form = NewEditionForm(
        request.POST or None,
        reports=editions.REPORTS,
        years=years,
        initial={
            "report": "annual",
            "year": presenters.last_complete_year(),
            "publication": True,
            "outcome_basis": definitions.DEFAULT_OUTCOME_BASIS,
        },  # fmt: skip
    )
    if request.method == "POST" and form.is_valid():
        edition = editions.create_edition(
            form.cleaned_data["report"],
            form.cleaned_data["year"],
            request.user,
            publication=form.cleaned_data["publication"],
            outcome_basis=form.cleaned_data["outcome_basis"] or definitions.DEFAULT_OUTCOME_BASIS,
        )
        messages.success(request, f"Edition {edition.number} started as a draft.")
        return redirect("reports:edition-edit", pk=edition.pk)
    return render(request, "reports/edition_new.html", {"form": form})


def _edition(request, pk: int) -> Edition:
    edition = get_object_or_404(Edition, pk=pk)
    if not presenters.may_see_edition(request.user, edition):
        raise Http404("No such edition")
    return edition


def _edition_title(edition: Edition) -> str:
    name = editions.REPORTS.get(edition.report, edition.report)
    return f"{name} {presenters.year_label(edition.year)}, edition {edition.number}"


@staff_view(roles.can_view_reports)
def edition(request, pk: int):
    """The edition as it reads: frozen once published, a live preview while a draft."""
    found = _edition(request, pk)
    report = editions.render(found)
    downloads = presenters.download_links(
        lambda fmt: reverse("reports:edition-download", args=[found.pk, fmt])
    )
    return _report_page(
        request,
        report,
        heading=_edition_title(found),
        downloads=downloads,
        extra={
            "edition": found,
            "can_prepare": roles.can_prepare_reports(request.user),
            "can_publish": roles.can_publish_reports(request.user),
        },
    )


@staff_view(roles.can_view_reports)
def edition_download(request, pk: int, fmt: str):
    found = _edition(request, pk)
    return _download(request, {"report": "edition", "pk": found.pk}, fmt)


def _draft(request, pk: int) -> Edition | None:
    found = get_object_or_404(Edition, pk=pk)
    if found.is_published:
        messages.info(
            request,
            f"Edition {found.number} is published and frozen. Make a new edition to change it.",
        )
        return None
    return found


def _settings_form(found: Edition, data=None) -> EditionSettingsForm:
    from heard.reports import annual

    # Labelled apart from the narrative boxes below, which carry the sections' titles.
    sections = (
        [(key, f"Leave out {title}") for key, title in annual.switchable_sections()]
        if found.report == "annual"
        else []
    )
    return EditionSettingsForm(
        data,
        sections=sections,
        initial={
            "version": found.version,
            "outcome_basis": found.outcome_basis,
            "sections_off": found.sections_off,
        },
    )


@staff_view(roles.can_prepare_reports)
@require_POST
def edition_settings(request, pk: int):
    """Choose the edition's outcome basis and the sections it leaves out."""
    found = _draft(request, pk)
    if found is None:
        return redirect("reports:edition", pk=pk)
    form = _settings_form(found, request.POST)
    if not form.is_valid():
        return _edit_page(request, found, settings_form=form, status=400)
    try:
        editions.update_settings(
            found,
            form.cleaned_data["outcome_basis"],
            form.cleaned_data.get("sections_off") or [],
            request.user,
            form.cleaned_data["version"],
        )
    except editions.EditionConflict as conflict:
        found.refresh_from_db()
        messages.error(request, str(conflict))
        return _edit_page(request, found, status=409)
    messages.success(request, "Settings saved.")
    return redirect("reports:edition-edit", pk=pk)


def _edit_page(
    request, found: Edition, *, narrative_form=None, case_form=None, settings_form=None, status=200
):
    drafted = editions.drafts(found)
    narrative_form = narrative_form or NarrativeForm(
        sections=presenters.narrative_sections(found, drafted),
        initial={"version": found.version},
    )
    case_form = case_form or CaseStudiesForm(
        choices=presenters.case_study_choices(found),
        initial={"version": found.version, "cases": found.case_studies},
    )
    chosen = found.custom_tables.all()
    context = {
        "edition": found,
        "title": _edition_title(found),
        "settings_form": settings_form or _settings_form(found),
        "narrative_form": narrative_form,
        "case_form": case_form,
        "has_case_studies": bool(case_form.fields["cases"].choices),
        "tables": chosen,
        "table_form": AddTableForm(queryset=SavedTable.objects.exclude(pk__in=chosen)),
        "has_saved_tables": SavedTable.objects.exclude(pk__in=chosen).exists(),
        "can_publish": roles.can_publish_reports(request.user),
    }
    return render(request, "reports/edition_edit.html", context, status=status)


@staff_view(roles.can_prepare_reports)
def edition_edit(request, pk: int):
    """Edit each section's narrative (a text box per section, prefilled with the draft)."""
    found = _draft(request, pk)
    if found is None:
        return redirect("reports:edition", pk=pk)
    if request.method != "POST":
        return _edit_page(request, found)
    drafted = editions.drafts(found)
    form = NarrativeForm(request.POST, sections=presenters.narrative_sections(found, drafted))
    if not form.is_valid():
        return _edit_page(request, found, narrative_form=form, status=400)
    texts = form.texts()
    for section_id, text in texts.items():
        section = drafted.get(section_id)
        if section is not None and " ".join(text.split()) == " ".join(section.narrative.split()):
            texts[section_id] = ""  # left as drafted: keep following the figures
    try:
        editions.update_narratives(found, texts, request.user, form.cleaned_data["version"])
    except editions.EditionConflict as conflict:
        found.refresh_from_db()
        messages.error(request, str(conflict))
        return _edit_page(request, found, status=409)
    except editions.EditionRefused as refused:
        messages.error(request, str(refused))
        return redirect("reports:edition", pk=pk)
    messages.success(request, "Narrative saved.")
    return redirect("reports:edition-edit", pk=pk)


@staff_view(roles.can_prepare_reports)
@require_POST
def edition_case_studies(request, pk: int):
    found = _draft(request, pk)
    if found is None:
        return redirect("reports:edition", pk=pk)
    form = CaseStudiesForm(request.POST, choices=presenters.case_study_choices(found))
    if not form.is_valid():
        return _edit_page(request, found, case_form=form, status=400)
    try:
        editions.choose_case_studies(
            found, form.cleaned_data["cases"], request.user, form.cleaned_data["version"]
        )
    except editions.EditionConflict as conflict:
        found.refresh_from_db()
        messages.error(request, str(conflict))
        return _edit_page(request, found, status=409)
    messages.success(request, "Case studies chosen.")
    return redirect("reports:edition-edit", pk=pk)


@staff_view(roles.can_prepare_reports)
@require_POST
def edition_tables(request, pk: int):
    """Add a saved custom table to the edition (or, with ``remove``, take one out)."""
    found = _draft(request, pk)
    if found is None:
        return redirect("reports:edition", pk=pk)
    if request.POST.get("remove"):
        table = get_object_or_404(SavedTable, pk=request.POST["remove"])
        editions.remove_custom_table(found, table, request.user)
        messages.success(request, f"{table.name} taken out of the edition.")
        return redirect("reports:edition-edit", pk=pk)
    form = AddTableForm(request.POST, queryset=SavedTable.objects.all())
    if not form.is_valid():
        messages.error(request, "Choose a saved table to add")
        return redirect("reports:edition-edit", pk=pk)
    editions.add_custom_table(found, form.cleaned_data["table"], request.user)
    messages.success(request, f"{form.cleaned_data['table'].name} added to the edition.")
    return redirect("reports:edition-edit", pk=pk)


@staff_view(roles.can_publish_reports)
def edition_publish(request, pk: int):
    """Ask, then publish: the edition is computed once more and frozen."""
    found = _draft(request, pk)
    if found is None:
        return redirect("reports:edition", pk=pk)
    form = VersionForm(request.POST or None, initial={"version": found.version})
    if request.method == "POST" and form.is_valid():
        try:
            editions.publish(found, request.user, form.cleaned_data["version"])
        except editions.EditionConflict as conflict:
            messages.error(request, str(conflict))
            return redirect("reports:edition-publish", pk=pk)
        messages.success(request, f"Edition {found.number} published. It is now frozen.")
        return redirect("reports:edition", pk=pk)
    context = {"edition": found, "title": _edition_title(found), "form": form}
    return render(request, "reports/edition_publish.html", context)


@staff_view(roles.can_prepare_reports)
@require_POST
def edition_next(request, pk: int):
    """Make the next edition, a draft with this one's text and choices."""
    source = get_object_or_404(Edition, pk=pk)
    new = editions.new_edition_from(source, request.user)
    messages.success(
        request,
        f"Edition {new.number} started from edition {source.number}. "
        "Its figures are computed from the data as it is now.",
    )
    return redirect("reports:edition-edit", pk=new.pk)


# Context figures ------------------------------------------------------------------------------


@staff_view(roles.can_publish_reports)
def context_figures(request):
    figures = ContextFigure.objects.order_by("-year", "order", "label")
    years: dict[int, list[ContextFigure]] = {}
    for figure in figures:
        years.setdefault(figure.year, []).append(figure)
    rows = [(presenters.year_label(year), items) for year, items in years.items()]
    return render(request, "reports/context_figures.html", {"years": rows})


@staff_view(roles.can_publish_reports)
def context_figure_add(request):
    initial = {"year": presenters.last_complete_year()}
    form = ContextFigureForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        figure = services.add_context_figure(user=request.user, **form.values())
        messages.success(request, f"{figure.label} for {presenters.year_label(figure.year)} added.")
        return redirect("reports:context-figures")
    status = 400 if form.errors else 200
    context = {"form": form, "title": "Add a context figure"}
    return render(request, "reports/context_figure_form.html", context, status=status)


@staff_view(roles.can_publish_reports)
def context_figure_edit(request, pk: int):
    figure = get_object_or_404(ContextFigure, pk=pk)
    form = ContextFigureForm(request.POST or None, instance=figure)
    conflict = False
    if request.method == "POST" and form.is_valid():
        try:
            services.change_context_figure(
                figure,
                user=request.user,
                expected_version=form.cleaned_data["version"],
                **form.values(),
            )
        except services.StaleFigure as stale:
            # Keep what they typed; the next save is theirs to make knowingly.
            form.add_error(None, str(stale))
            conflict = True
            form.data = form.data.copy()
            form.data["version"] = str(ContextFigure.objects.get(pk=figure.pk).version)
        else:
            messages.success(request, f"{form.cleaned_data['label']} saved.")
            return redirect("reports:context-figures")
    status = 409 if conflict else 400 if form.errors else 200
    context = {"form": form, "title": f"Change {figure.label} ({figure.year})", "figure": figure}
    return render(request, "reports/context_figure_form.html", context, status=status)


@staff_view(roles.can_publish_reports)
def context_figure_delete(request, pk: int):
    figure = get_object_or_404(ContextFigure, pk=pk)
    if request.method == "POST":
        services.delete_context_figure(figure, user=request.user)
        messages.success(
            request, f"{figure.label} for {presenters.year_label(figure.year)} deleted."
        )
        return redirect("reports:context-figures")
    context = {"figure": figure, "year_label": presenters.year_label(figure.year)}
    return render(request, "reports/context_figure_delete.html", context)


# Custom tables --------------------------------------------------------------------------------


@staff_view(roles.can_prepare_reports)
def tables(request):
    return render(request, "reports/tables.html", {"tables": SavedTable.objects.all()})


def _builder(data, year: int) -> TableBuilderForm:
    return TableBuilderForm(
        data,
        years=presenters.year_choices(),
        choices_for=presenters.dimension_choices(year),
        initial={"year": presenters.last_complete_year(), "measure": "cases"},
    )


@staff_view(roles.can_prepare_reports)
def table_new(request):
    """Build a table: choose, preview, then save it with a name."""
    data = request.POST if request.method == "POST" else None
    try:
        year = int((data or {}).get("year") or presenters.last_complete_year())
    except ValueError:
        year = presenters.last_complete_year()
    form = _builder(data, year if 1990 <= year <= 2100 else presenters.last_complete_year())
    preview = None
    if form.is_bound and form.is_valid():
        if request.POST.get("action") == "save":
            form.save_requires_name()
        if form.is_valid() and request.POST.get("action") == "save":
            saved = services.save_table(
                name=form.cleaned_data["name"].strip(),
                spec=form.spec.model_dump(mode="json"),
                user=request.user,
            )
            messages.success(request, f"{saved.name} saved.")
            return redirect("reports:table", pk=saved.pk)
        if form.is_valid():
            preview = presenters.table_report(custom_build(form.spec), form.cleaned_data["name"])
    context = {
        "form": form,
        "preview": preview,
        "partial": presenters.REPORT_PARTIAL,
        "charts": presenters.chart_sources(preview) if preview else {},
    }
    return render(request, "reports/table_new.html", context, status=400 if form.errors else 200)


def custom_build(spec):
    from heard.reports import custom

    return custom.build(spec)


@staff_view(roles.can_prepare_reports)
def table(request, pk: int):
    saved = get_object_or_404(SavedTable, pk=pk)
    if request.GET.get("format"):
        return _download(request, {"report": "table", "pk": saved.pk}, request.GET["format"])
    report = presenters.table_report(custom_build(editions.custom_spec(saved.spec)), saved.name)
    url = reverse("reports:table", args=[pk])
    return _report_page(
        request,
        report,
        heading=saved.name,
        downloads=presenters.download_links(lambda fmt: f"{url}?format={fmt}"),
        extra={"saved_table": saved},
    )


@staff_view(roles.can_prepare_reports)
def table_delete(request, pk: int):
    saved = get_object_or_404(SavedTable, pk=pk)
    if request.method == "POST":
        services.delete_table(saved, user=request.user)
        messages.success(request, f"{saved.name} deleted.")
        return redirect("reports:tables")
    in_editions = saved.editions.count()
    return render(
        request, "reports/table_delete.html", {"table": saved, "in_editions": in_editions}
    )


# Groups of categories -------------------------------------------------------------------------


@staff_view(roles.can_administer)
def category_groups(request):
    context = {"groups": presenters.category_group_rows()}
    return render(request, "reports/category_groups.html", context)


@staff_view(roles.can_administer)
def category_group_add(request):
    form = CategoryGroupForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        group = services.add_category_group(user=request.user, **form.values())
        messages.success(request, f"{group.name} added.")
        return redirect("reports:category-groups")
    context = {"form": form, "title": "Add a group of categories"}
    status = 400 if form.errors else 200
    return render(request, "reports/category_group_form.html", context, status=status)


@staff_view(roles.can_administer)
def category_group_edit(request, pk: int):
    group = get_object_or_404(CategoryGroup, pk=pk)
    form = CategoryGroupForm(request.POST or None, instance=group)
    if request.method == "POST" and form.is_valid():
        services.change_category_group(group, user=request.user, **form.values())
        messages.success(request, f"{form.cleaned_data['name']} saved.")
        return redirect("reports:category-groups")
    context = {"form": form, "title": f"Change {group.name}", "group": group}
    status = 400 if form.errors else 200
    return render(request, "reports/category_group_form.html", context, status=status)


@staff_view(roles.can_administer)
def category_group_delete(request, pk: int):
    group = get_object_or_404(CategoryGroup, pk=pk)
    if request.method == "POST":
        services.remove_category_group(group, user=request.user)
        messages.success(request, f"{group.name} removed.")
        return redirect("reports:category-groups")
    return render(request, "reports/category_group_delete.html", {"group": group})
