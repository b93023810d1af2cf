"""One way to render forms: GOV.UK Design System markup from Django forms.

Forms subclass :class:`GovukForm` (or :class:`GovukModelForm`); the renderer below draws every
field with ``heard/forms/field.html``, which knows the GOV.UK markup for each kind of widget,
and every form with ``heard/forms/form.html``, which starts with an error summary whose links
go to the fields in error.
"""

from __future__ import annotations

import datetime

from django import forms
from django.core.exceptions import ValidationError
from django.forms.renderers import TemplatesSetting
from django.utils.html import conditional_escape
from django.utils.safestring import SafeData, mark_safe

_WIDGET_CLASSES = {
    forms.TextInput: "govuk-input",
    forms.EmailInput: "govuk-input",
    forms.NumberInput: "govuk-input govuk-input--width-10",
    forms.PasswordInput: "govuk-input govuk-password-input__input",
    forms.Textarea: "govuk-textarea",
    forms.Select: "govuk-select",
    forms.ClearableFileInput: "govuk-file-upload",
    forms.FileInput: "govuk-file-upload",
}


def _text(value) -> str:
    """A value as Django's ``{{ value|stringformat:'s' }}`` prints it: escaped unless safe."""
    return conditional_escape(value if isinstance(value, SafeData) else str(value))


def _attributes(attrs: dict) -> str:
    """Django's ``django/forms/widgets/attrs.html``: ``True`` as a bare name, ``False`` left out."""
    return "".join(
        f" {conditional_escape(name)}" + ("" if value is True else f'="{_text(value)}"')
        for name, value in attrs.items()
        if value is not False
    )


class SelectTemplate:
    """Django's ``django/forms/widgets/select.html`` written in Python, byte for byte the same
    markup (``tests/core/test_select_markup.py`` compares the two).

    Django draws each option of a select through a template of its own. On a case list, whose
    filter has six lists, that was four-tenths of the page's time when served; in Python it is
    a small fraction of a millisecond. The renderer hands this object out in place of Django's
    template, and it is used like one: ``render(context)``."""

    def render(self, context=None, request=None):
        widget = context["widget"]
        html = [f'<select name="{conditional_escape(widget["name"])}"']
        html.append(f"{_attributes(widget['attrs'])}>")
        for group_name, options, _index in widget["optgroups"]:
            if group_name:
                html.append(f'\n  <optgroup label="{conditional_escape(group_name)}">')
            for option in options:
                html.append(
                    f'\n  <option value="{_text(option["value"])}"{_attributes(option["attrs"])}>'
                    f"{conditional_escape(option['label'])}</option>\n"
                )
            if group_name:
                html.append("\n  </optgroup>")
        html.append("\n</select>")
        return mark_safe("".join(html))  # noqa: S308 - every value above is escaped


class GovukFormRenderer(TemplatesSetting):
    form_template_name = "heard/forms/form.html"
    field_template_name = "heard/forms/field.html"

    def get_template(self, template_name):
        if template_name == "django/forms/widgets/select.html":
            return SelectTemplate()
        return super().get_template(template_name)


class GovukDateWidget(forms.MultiWidget):
    """The GOV.UK date input: three boxes for day, month and year."""

    def __init__(self, attrs=None):
        widgets = [
            forms.TextInput(
                attrs={
                    "class": "govuk-input govuk-date-input__input govuk-input--width-2",
                    "inputmode": "numeric",
                }
            ),
            forms.TextInput(
                attrs={
                    "class": "govuk-input govuk-date-input__input govuk-input--width-2",
                    "inputmode": "numeric",
                }
            ),
            forms.TextInput(
                attrs={
                    "class": "govuk-input govuk-date-input__input govuk-input--width-4",
                    "inputmode": "numeric",
                }
            ),
        ]
        super().__init__(widgets, attrs)

    def decompress(self, value):
        if isinstance(value, datetime.date):
            return [value.day, value.month, value.year]
        return [None, None, None]


#: The years a date may be in: wide enough for any case or record a council holds, narrow
#: enough that working-day arithmetic on it can never run off the calendar.
FIRST_YEAR, LAST_YEAR = 1900, 2100


class GovukDateField(forms.MultiValueField):
    """A date entered as day, month and year, with GOV.UK's specific error messages."""

    widget = GovukDateWidget

    def __init__(self, *, label_lower: str | None = None, **kwargs):
        self.label_lower = label_lower
        fields = tuple(forms.CharField(required=False) for _ in range(3))
        super().__init__(fields=fields, require_all_fields=False, **kwargs)

    def _what(self) -> str:
        return self.label_lower or (str(self.label).lower() if self.label else "the date")

    def compress(self, data_list):
        if not data_list or not any(data_list):
            if self.required:  # boxes of spaces only are empty boxes
                raise ValidationError(f"Enter {self._what()}", code="required")
            return None
        day, month, year = (str(part or "").strip() for part in data_list)
        missing = [
            name for name, part in (("day", day), ("month", month), ("year", year)) if not part
        ]
        if missing:
            raise ValidationError(
                f"{self._what().capitalize()} must include a {' and '.join(missing)}"
            )
        # ASCII digits only ("²" and other Unicode digits pass isdigit), and no more of them
        # than a day or a month has, so a huge number is a wrong date, not an overflow.
        if not all(part.isascii() and part.isdigit() for part in (day, month, year)):
            raise ValidationError(f"{self._what().capitalize()} must be a real date")
        if len(year) != 4:
            raise ValidationError("Year must include 4 numbers")
        if len(day) > 2 or len(month) > 2:
            raise ValidationError(f"{self._what().capitalize()} must be a real date")
        if not FIRST_YEAR <= int(year) <= LAST_YEAR:
            raise ValidationError(
                f"{self._what().capitalize()} must be between {FIRST_YEAR} and {LAST_YEAR}"
            )
        try:
            return datetime.date(int(year), int(month), int(day))
        except (ValueError, OverflowError):
            raise ValidationError(f"{self._what().capitalize()} must be a real date") from None

    def clean(self, value):
        if self.required and (not value or not any(value)):
            raise ValidationError(f"Enter {self._what()}", code="required")
        return super().clean(value)


def _unix_newlines(data):
    """Browsers send every line break in a text box as CR LF; store them as LF, as the API,
    imports and the stored values have them, so that saving a form unchanged changes nothing."""
    if not hasattr(data, "lists"):
        if not any(isinstance(v, str) and "\r" in v for v in data.values()):
            return data
        return {
            k: v.replace("\r\n", "\n").replace("\r", "\n") if isinstance(v, str) else v
            for k, v in data.items()
        }
    if not any("\r" in v for _, values in data.lists() for v in values if isinstance(v, str)):
        return data
    copy = data.copy()
    for key, values in data.lists():
        copy.setlist(
            key,
            [
                v.replace("\r\n", "\n").replace("\r", "\n") if isinstance(v, str) else v
                for v in values
            ],
        )
    return copy


class GovukFormMixin:
    """Adds GOV.UK classes to widgets so that the field template can render them as they are."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.data = _unix_newlines(self.data)
        for field in self.fields.values():
            if (
                field.error_messages.get("required")
                == forms.Field.default_error_messages["required"]
            ):
                # GOV.UK style: say what to do, naming the field.
                verb = (
                    "Choose"
                    if isinstance(field, forms.ChoiceField | forms.ModelChoiceField)
                    else "Enter"
                )
                field.error_messages["required"] = f"{verb} {str(field.label or 'a value').lower()}"
            for widget_class, css in _WIDGET_CLASSES.items():
                if type(field.widget) is widget_class:
                    field.widget.attrs.setdefault("class", css)
                    break

    def error_summary(self) -> list[tuple[str, str]]:
        """(anchor, message) pairs for the error summary at the top of the form."""
        items = []
        for name, errors in self.errors.items():
            if name == "__all__":
                items.extend(("", str(message)) for message in errors)
                continue
            bound = self[name]
            anchor = bound.id_for_label or bound.auto_id
            if bound.widget_type in {"radioselect", "checkboxselectmultiple", "govukdate"}:
                anchor = f"{bound.auto_id}_0"
            items.extend((anchor, str(message)) for message in errors)
        return items


class GovukForm(GovukFormMixin, forms.Form):
    pass


class GovukModelForm(GovukFormMixin, forms.ModelForm):
    pass
