"""`{% editor_field form.x %}`: one labelled field of the SOP editor, rendered in Python.

The editor shows ~60 fields; Django's template-based field and widget rendering cost ~4 ms each
on the office PC's class of machine, which put the page far over its 100 ms budget. This renders
the same markup as `as_field_group` for the few widgets the editor uses (text, number, textarea,
select, checkbox): label, help text, errors next to the field, then the control, with
`aria-describedby` and `aria-invalid` tying them together.
"""

from django import forms, template
from django.forms.boundfield import BoundField
from django.utils.html import format_html, format_html_join
from django.utils.safestring import SafeString, mark_safe

register = template.Library()


def _attrs(attrs: dict) -> SafeString:
    parts = []
    for name, value in attrs.items():
        if value is True:
            parts.append(format_html(" {}", name))
        elif value is not False and value is not None:
            parts.append(format_html(' {}="{}"', name, value))
    return mark_safe("".join(parts))  # noqa: S308 (every part escaped by format_html)


def _control(bf: BoundField, attrs: dict) -> SafeString:
    widget = bf.field.widget
    value = bf.value()
    if isinstance(widget, forms.CheckboxInput):
        attrs["checked"] = widget.check_test(value)
        return format_html('<input type="checkbox" name="{}"{}>', bf.html_name, _attrs(attrs))
    if isinstance(widget, forms.Textarea):
        return format_html(
            '<textarea name="{}"{}>\n{}</textarea>', bf.html_name, _attrs(attrs), "" if value is None else value
        )
    if isinstance(widget, forms.Select):
        selected = "" if value is None else str(value)
        choices = getattr(bf.field, "choices", [])
        options = format_html_join(
            "",
            '<option value="{}"{}>{}</option>',
            ((key, mark_safe(" selected") if str(key) == selected else "", label) for key, label in choices),
        )
        return format_html('<select name="{}"{}>{}</select>', bf.html_name, _attrs(attrs), options)
    input_type = getattr(widget, "input_type", "text")
    attrs["value"] = None if value in (None, "") else widget.format_value(value)
    return format_html('<input type="{}" name="{}"{}>', input_type, bf.html_name, _attrs(attrs))


@register.simple_tag
def editor_field(bf: BoundField) -> SafeString:
    field = bf.field
    auto_id = bf.auto_id
    described = []
    help_html = error_html = mark_safe("")
    if field.help_text:
        described.append(f"{auto_id}_helptext")
        help_html = format_html('<div class="helptext" id="{}_helptext">{}</div>', auto_id, field.help_text)
    errors = bf.errors if bf.form.is_bound else []
    if errors:
        described.append(f"{auto_id}_error")
        error_html = format_html(
            '<ul class="errorlist" id="{}_error">{}</ul>',
            auto_id,
            format_html_join("", "<li>{}</li>", ((e,) for e in errors)),
        )
    attrs = dict(field.widget.attrs)
    attrs |= {
        "id": auto_id,
        "disabled": field.disabled,
        "required": field.required and bf.form.use_required_attribute,
        "aria-describedby": " ".join(described) or None,
        "aria-invalid": "true" if errors else None,
    }
    control = _control(bf, attrs)
    label = format_html('<label for="{}">{}</label>', auto_id, field.label)
    if isinstance(field.widget, forms.CheckboxInput):
        return format_html("{}{}{} {}", error_html, help_html, control, label)
    return format_html("{}{}{}{}", label, help_html, error_html, control)
