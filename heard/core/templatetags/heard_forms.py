"""Template helpers for the GOV.UK form templates."""

from django import template

register = template.Library()


@register.filter
def describedby(field) -> str:
    """The ids of the hint and error message that describe a field, for aria-describedby."""
    ids = []
    if field.help_text:
        ids.append(f"{field.auto_id}-hint")
    if field.errors:
        ids.append(f"{field.auto_id}-error")
    return " ".join(ids)


@register.simple_tag
def govuk_widget(field, describedby_ids: str):
    """Render a single-input widget with the error class and aria-describedby added."""
    attrs = {}
    css = field.field.widget.attrs.get("class", "")
    if field.errors:
        error_class = {
            "textarea": "govuk-textarea--error",
            "select": "govuk-select--error",
            "clearablefile": "govuk-file-upload--error",
            "file": "govuk-file-upload--error",
        }.get(field.widget_type, "govuk-input--error")
        attrs["class"] = f"{css} {error_class}".strip()
    if describedby_ids:
        attrs["aria-describedby"] = describedby_ids
    return field.as_widget(attrs=attrs)


@register.filter
def date_parts(field) -> list[dict]:
    """The day, month and year boxes of a GOV.UK date field, for the field template."""
    widget = field.field.widget
    values = field.value()
    if not isinstance(values, list | tuple):
        values = widget.decompress(values)
    parts = []
    for index, (label, sub) in enumerate(
        zip(("Day", "Month", "Year"), widget.widgets, strict=True)
    ):
        parts.append(
            {
                "label": label,
                "id": f"{field.auto_id}_{index}",
                "name": f"{field.html_name}_{index}",
                "value": "" if values[index] is None else values[index],
                "class": sub.attrs.get("class", ""),
            }
        )
    return parts
