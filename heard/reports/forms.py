"""Forms for the report screens, rendered by the one GOV.UK renderer (``heard.core.forms``)."""

from __future__ import annotations

from decimal import Decimal

from django import forms

from heard.core.forms import GovukDateField, GovukForm
from heard.reports import definitions
from heard.reports.models import CategoryGroup, ContextFigure, SavedTable
from heard.reports.periods import ReportingYear
from heard.taxonomy.models import Term

YEAR_ERRORS = {
    "required": "Enter the reporting year, like 2017 for April 2017 to March 2018",
    "invalid": "The reporting year must be a whole number, like 2017",
    "min_value": "The reporting year must be 1990 or later",
    "max_value": "The reporting year must be 2100 or earlier",
}


def position_field() -> forms.IntegerField:
    """Where a row comes in a list the council orders (context figures, category groups)."""
    return forms.IntegerField(
        label="Position in the list (optional)",
        required=False,
        min_value=0,
        max_value=1000,
        help_text="Smaller numbers come first.",
        error_messages={
            "invalid": "The position must be a whole number, like 1",
            "min_value": "The position must be 0 or more",
            "max_value": "The position must be 1000 or fewer",
        },
    )


class YearForm(GovukForm):
    year = forms.TypedChoiceField(
        label="Reporting year", coerce=int, error_messages={"required": "Choose a reporting year"}
    )
    publication = forms.BooleanField(
        label="Publication version (small numbers suppressed)", required=False
    )

    def __init__(self, *args, years: list[tuple[int, str]], offer_publication: bool, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["year"].choices = years
        if not offer_publication:
            del self.fields["publication"]


class ManagementForm(GovukForm):
    period = forms.ChoiceField(
        label="Period",
        choices=[("week", "Week"), ("month", "Month"), ("quarter", "Quarter")],
        error_messages={"required": "Choose a period", "invalid_choice": "Choose a period"},
    )
    on = GovukDateField(
        label="The period containing the day",
        label_lower="the day",
        help_text="For example, 14 3 2025.",
    )


class NewEditionForm(GovukForm):
    report = forms.ChoiceField(
        label="Which report?",
        widget=forms.RadioSelect,
        error_messages={"required": "Choose which report the edition is of"},
    )
    year = forms.TypedChoiceField(
        label="Reporting year", coerce=int, error_messages={"required": "Choose a reporting year"}
    )
    publication = forms.BooleanField(
        label="Publication mode: suppress small numbers",
        required=False,
        initial=True,
        help_text="Counts from 1 to 5 are shown as [c], as in the Department for Education's "
        "statistics. Leave this on for anything that will be published.",
    )

    outcome_basis = forms.ChoiceField(
        label="Which outcomes to count",
        widget=forms.RadioSelect,
        choices=list(definitions.OUTCOME_BASES.items()),
        initial=definitions.DEFAULT_OUTCOME_BASIS,
        required=False,  # left out: the default basis
        error_messages={
            "required": "Choose which outcomes to count",
            "invalid_choice": "Choose which outcomes to count",
        },  # fmt: skip
    )

    def __init__(self, *args, reports: dict[str, str], years: list[tuple[int, str]], **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["report"].choices = list(reports.items())
        self.fields["year"].choices = years


class EditionSettingsForm(GovukForm):
    """An edition's outcome basis and, for the annual report, the sections it leaves out."""

    version = forms.IntegerField(widget=forms.HiddenInput)
    outcome_basis = forms.ChoiceField(
        label="Which outcomes to count",
        widget=forms.RadioSelect,
        choices=list(definitions.OUTCOME_BASES.items()),
        help_text="Every outcome table, and the upheld figures, count this way; each table "
        "says so beneath it.",
        error_messages={
            "required": "Choose which outcomes to count",
            "invalid_choice": "Choose which outcomes to count",
        },  # fmt: skip
    )
    sections_off = forms.MultipleChoiceField(
        label="Sections to leave out",
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text="Ticked sections are not printed in this edition.",
        error_messages={"invalid_choice": "Choose sections the report has"},
    )

    def __init__(self, *args, sections: list[tuple[str, str]], **kwargs):
        super().__init__(*args, **kwargs)
        if sections:
            self.fields["sections_off"].choices = sections
        else:
            del self.fields["sections_off"]


class NarrativeForm(GovukForm):
    """A text box per section, prefilled with the staff's text or else the drafted one."""

    version = forms.IntegerField(widget=forms.HiddenInput)

    def __init__(self, *args, sections: list[tuple[str, str, str]], **kwargs):
        """``sections``: (id, title, text to show) for each section."""
        super().__init__(*args, **kwargs)
        self.section_ids = []
        for section_id, title, text in sections:
            name = f"narrative_{section_id}"
            self.fields[name] = forms.CharField(
                label=title,
                required=False,
                initial=text,
                widget=forms.Textarea(attrs={"rows": 6}),
                help_text="Empty, or left as drafted: the paragraph drafted from the figures.",
            )
            self.section_ids.append(section_id)

    def texts(self) -> dict[str, str]:
        return {sid: self.cleaned_data.get(f"narrative_{sid}", "") for sid in self.section_ids}


class CaseStudiesForm(GovukForm):
    version = forms.IntegerField(widget=forms.HiddenInput)
    cases = forms.TypedMultipleChoiceField(
        label="Case studies to print",
        coerce=int,
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text="Only case studies marked publishable on cases dealt with in the year are "
        "offered. Choose none to print every one of them.",
    )

    def __init__(self, *args, choices: list[tuple[int, str]], **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["cases"].choices = choices


class AddTableForm(GovukForm):
    table = forms.ModelChoiceField(
        label="Saved custom table",
        queryset=SavedTable.objects.none(),
        empty_label="Choose a table",
        error_messages={"required": "Choose a saved table to add"},
    )

    def __init__(self, *args, queryset, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["table"].queryset = queryset


class VersionForm(GovukForm):
    version = forms.IntegerField(widget=forms.HiddenInput)


class ContextFigureForm(GovukForm):
    label = forms.CharField(
        label="Name of the figure",
        max_length=200,
        help_text="The council's own wording, for example Children in need.",
        error_messages={
            "required": "Enter the name of the figure, like Children in need",
            "max_length": "The name must be 200 characters or fewer",
        },
    )
    code = forms.SlugField(
        label="Code",
        max_length=60,
        help_text="A short identifier that stays the same every year, for example "
        "children-in-need. Lower-case letters, numbers and hyphens.",
        error_messages={
            "required": "Enter a code, like children-in-need",
            "invalid": "The code must be lower-case letters, numbers and hyphens only, "
            "like children-in-need",
            "max_length": "The code must be 60 characters or fewer",
        },
    )
    year = forms.IntegerField(
        label="Reporting year",
        min_value=1990,
        max_value=2100,
        help_text="The year it starts in: 2017 for April 2017 to March 2018.",
        error_messages=YEAR_ERRORS,
    )
    value = forms.DecimalField(
        label="Figure",
        min_value=Decimal(0),
        max_digits=12,
        decimal_places=2,
        error_messages={
            "required": "Enter the figure, like 1250",
            "invalid": "The figure must be a number, like 1250",
            "min_value": "The figure must be 0 or more",
            "max_digits": "The figure must be less than 10,000,000,000",
            "max_decimal_places": "The figure can have at most 2 decimal places",
            "max_whole_digits": "The figure must be less than 10,000,000,000",
        },
    )
    as_at = GovukDateField(
        label="Counted on (optional)",
        label_lower="the date it was counted on",
        required=False,
        help_text="For a count on a day, for example 31 3 2018. Leave empty for a count over "
        "the year.",
    )
    source = forms.CharField(
        label="Source (optional)",
        max_length=300,
        required=False,
        help_text="For example, Children in need census.",
        error_messages={"max_length": "The source must be 300 characters or fewer"},
    )
    rate_base = forms.BooleanField(
        label="Report complaints as a rate of this figure",
        required=False,
        help_text="For example, complaints per 1,000 children in need.",
    )
    order = position_field()

    #: The version of the figure the page was opened at (when changing one), so that a save
    #: based on an out-of-date page is refused.
    version = forms.IntegerField(
        widget=forms.HiddenInput,
        required=False,
        min_value=1,
        max_value=2**31 - 1,
        error_messages=dict.fromkeys(
            ("invalid", "min_value", "max_value"), "Open the figure again and make your change"
        ),
    )

    def __init__(self, *args, instance: ContextFigure | None = None, **kwargs):
        self.instance = instance
        if instance is not None and "initial" not in kwargs:
            kwargs["initial"] = {
                name: getattr(instance, name)
                for name in ("label", "code", "year", "value", "as_at", "source", "rate_base")
            } | {"order": instance.order, "version": instance.version}
        super().__init__(*args, **kwargs)
        if instance is not None:
            self.fields["version"].required = True
            self.fields["version"].error_messages["required"] = (
                "Open the figure again and make your change"
            )

    def clean(self):
        data = super().clean()
        code, year = data.get("code"), data.get("year")
        if code and year:
            clash = ContextFigure.objects.filter(code=code, year=year)
            if self.instance is not None:
                clash = clash.exclude(pk=self.instance.pk)
            if clash.exists():
                self.add_error(
                    "code",
                    f"There is already a figure with the code {code} for {year}; "
                    "change that one or choose another code",
                )
        as_at = data.get("as_at")
        if as_at and year:
            reporting_year = ReportingYear.of(year)
            if not reporting_year.contains(as_at):
                self.add_error(
                    "as_at",
                    f"The date it was counted on must be in {reporting_year.label} "
                    f"({reporting_year.describe()})",
                )
        return data

    def values(self) -> dict:
        data = dict(self.cleaned_data)
        data["order"] = data.get("order") or 0
        data["source"] = data.get("source") or ""
        data.pop("version", None)
        return data


class TableBuilderForm(GovukForm):
    """A custom table's definition (``heard.reports.custom.TableSpec``): what to
    count, by what rows and columns, filtered by which values, for which years."""

    name = forms.CharField(
        label="Name of the table (to save it)",
        max_length=200,
        required=False,
        help_text="For example, Complaints upheld by team. Needed only to save the table.",
        error_messages={"max_length": "The name must be 200 characters or fewer"},
    )
    measure = forms.ChoiceField(label="What to count", error_messages={
        "required": "Choose what to count", "invalid_choice": "Choose what to count"})  # fmt: skip
    rows = forms.ChoiceField(label="Rows", error_messages={
        "required": "Choose what each row of the table is",
        "invalid_choice": "Choose what each row of the table is"})  # fmt: skip
    columns = forms.ChoiceField(
        label="Columns (optional)",
        required=False,
        help_text="Nothing: one column for each year shown.",
        error_messages={"invalid_choice": "Choose what each column of the table is, or nothing"},
    )
    year = forms.TypedChoiceField(
        label="Reporting year", coerce=int, error_messages={"required": "Choose a reporting year"}
    )
    years_back = forms.TypedChoiceField(
        label="Previous years beside it",
        coerce=int,
        required=False,
        empty_value=0,
        help_text="Shown when the rows or columns are years (or there are no columns).",
    )
    date_from = GovukDateField(
        label="Count only from (optional)",
        label_lower="the date to count from",
        required=False,
        help_text="For example, 1 9 2017 for requests since a new process began. Cases are "
        "counted by the day they were received.",
    )
    date_to = GovukDateField(
        label="Count only up to (optional)",
        label_lower="the date to count to",
        required=False,
        help_text="For example, 31 12 2017.",
    )

    #: Dimensions a table is not filtered by (the year is chosen above).
    NOT_FILTERS = {"year"}

    def __init__(self, *args, years, choices_for, **kwargs):
        """``choices_for(dimension)``: the (key, label) values a filter offers."""
        from heard.reports import custom

        super().__init__(*args, **kwargs)
        self.fields["measure"].choices = [("", "Choose")] + list(custom.MEASURES.items())
        dimensions = list(custom.DIMENSIONS.items())
        self.fields["rows"].choices = [("", "Choose")] + dimensions
        self.fields["columns"].choices = [("", "Nothing (the years)")] + dimensions
        self.fields["year"].choices = years
        self.fields["years_back"].choices = [
            (n, "None" if n == 0 else f"{n} previous year{'s' if n > 1 else ''}")
            for n in range(custom.MAX_YEARS_BACK + 1)
        ]
        self.filter_names = []
        for dimension, label in dimensions:
            if dimension in self.NOT_FILTERS:
                continue
            name = f"filter_{dimension}"
            self.fields[name] = forms.MultipleChoiceField(
                label=f"Only these: {label.lower()}",
                required=False,
                choices=choices_for(dimension),
                widget=forms.CheckboxSelectMultiple,
            )
            self.filter_names.append((dimension, name))

    def main_fields(self):
        names = ("measure", "rows", "columns", "year", "years_back", "date_from", "date_to")
        return [self[name] for name in names]

    def filter_fields(self):
        return [self[name] for _, name in self.filter_names]

    def filters_chosen(self) -> bool:
        return self.is_bound and any(self.data.getlist(name) for _, name in self.filter_names)

    def clean(self):
        from pydantic import ValidationError

        from heard.reports import custom

        data = super().clean()
        if self.errors:
            return data
        filters = {d: data[name] for d, name in self.filter_names if data.get(name)}
        spec = {
            "name": data.get("name", ""),
            "measure": data.get("measure"),
            "rows": data.get("rows"),
            "columns": data.get("columns") or None,
            "filters": filters,
            "year": data.get("year"),
            "years_back": data.get("years_back") or 0,
            "date_from": data.get("date_from"),
            "date_to": data.get("date_to"),
        }
        try:
            self.spec = custom.TableSpec.model_validate(spec)
        except ValidationError as invalid:
            for error in invalid.errors():
                where = str(error["loc"][0]) if error.get("loc") else ""
                field = where if where in self.fields else None
                self.add_error(field, error["msg"])
        return data

    def save_requires_name(self) -> None:
        if not (self.cleaned_data.get("name") or "").strip():
            self.add_error("name", "Enter a name for the table, to save it")


class CategoryGroupForm(GovukForm):
    """A named group of focus categories. Its code is chosen when it is added and then kept,
    as saved custom tables refer to the group by it."""

    name = forms.CharField(
        label="Name of the group",
        max_length=200,
        help_text="The council's own wording, for example Staff behaviour, attitude or "
        "communication.",
        error_messages={
            "required": "Enter the name of the group, like Staff behaviour or attitude",
            "max_length": "The name must be 200 characters or fewer",
        },
    )
    code = forms.SlugField(
        label="Code",
        max_length=60,
        help_text="A short identifier that stays the same, for example staff-behaviour. "
        "Lower-case letters, numbers and hyphens. It cannot be changed later.",
        error_messages={
            "required": "Enter a code, like staff-behaviour",
            "invalid": "The code must be lower-case letters, numbers and hyphens only, "
            "like staff-behaviour",
            "max_length": "The code must be 60 characters or fewer",
        },
    )
    categories = forms.ModelMultipleChoiceField(
        label="Categories in the group",
        queryset=Term.objects.filter(vocabulary="category").order_by("order", "label"),
        widget=forms.CheckboxSelectMultiple,
        help_text="A complaint about any of them is counted once in the group.",
        error_messages={
            "required": "Choose at least one category for the group",
            "invalid_choice": "Choose categories from the list",
            "invalid_pk_value": "Choose categories from the list",
        },
    )
    order = position_field()

    def __init__(self, *args, instance: CategoryGroup | None = None, **kwargs):
        self.instance = instance
        if instance is not None and "initial" not in kwargs:
            kwargs["initial"] = {
                "name": instance.name,
                "categories": list(instance.categories.values_list("pk", flat=True)),
                "order": instance.order,
            }
        super().__init__(*args, **kwargs)
        if instance is not None:
            del self.fields["code"]  # kept: saved custom tables name the group by it

    def clean_code(self):
        code = self.cleaned_data["code"]
        if CategoryGroup.objects.filter(code=code).exists():
            raise forms.ValidationError(
                f"There is already a group with the code {code}; choose another code"
            )
        return code

    def clean_name(self):
        name = self.cleaned_data["name"].strip()
        clash = CategoryGroup.objects.filter(name__iexact=name)
        if self.instance is not None:
            clash = clash.exclude(pk=self.instance.pk)
        if clash.exists():
            raise forms.ValidationError(
                f"There is already a group called {name}; choose another name"
            )
        return name

    def values(self) -> dict:
        data = dict(self.cleaned_data)
        data["order"] = data.get("order") or 0
        return data
