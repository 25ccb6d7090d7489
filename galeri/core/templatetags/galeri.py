import json

from django import template
from django.utils.html import format_html
from django.utils.safestring import mark_safe
from django.utils.translation import get_language

from galeri.core.hours import for_unit, unit_lines
from galeri.core.money import format_rupiah
from galeri.core.phone import display_phone

register = template.Library()


@register.filter
def rupiah(amount):
    return format_rupiah(amount)


@register.filter
def phone(e164):
    return display_phone(e164)


@register.filter
def i18n_field(obj, field):
    """obj.<field>_en when the page is in English and it is filled, else obj.<field>."""
    if (get_language() or "id").startswith("en"):
        value = getattr(obj, f"{field}_en", "")
        if value:
            return value
    return getattr(obj, field, "")


@register.filter
def json_ld(data):
    """Serialise for a <script type="application/ld+json"> block, safe against </script>."""
    text = json.dumps(data, ensure_ascii=False).replace("<", "\\u003c").replace(">", "\\u003e").replace("&", "\\u0026")
    return mark_safe(text)


@register.simple_tag(takes_context=True)
def query_replace(context, **kwargs):
    """The current query string with some parameters replaced (for sorting and pages)."""
    params = context["request"].GET.copy()
    for key, value in kwargs.items():
        if value in (None, ""):
            params.pop(key, None)
        else:
            params[key] = value
    encoded = params.urlencode()
    return "?" + encoded if encoded else "?"


KNOWN_ICONS = {
    "weave",
    "carve",
    "gem",
    "gift",
    "shirt",
    "bag",
    "wallet",
    "mask",
    "food",
    "box",
    "chair",
    "leaf",
    "scissors",
    "comb",
    "hammer",
    "tools",
    "store",
    "pin",
    "clock",
    "phone",
    "whatsapp",
    "facebook",
    "link",
    "search",
    "grid",
}


@register.simple_tag
def icon(name, label=""):
    """An icon from the self-hosted sprite; decorative unless a label is given."""
    from django.templatetags.static import static

    name = name if name in KNOWN_ICONS else "grid"
    if label:
        return format_html(
            '<svg class="icon" role="img" aria-label="{}"><use href="{}#{}"></use></svg>',
            label,
            static("galeri/icons.svg"),
            name,
        )
    return format_html(
        '<svg class="icon" aria-hidden="true" focusable="false"><use href="{}#{}"></use></svg>', static("galeri/icons.svg"), name
    )


@register.filter
def opening_lines(unit):
    """The unit's gallery opening hours as lines: the one source every page shows (galeri.core.hours)."""
    return unit_lines(unit) if unit is not None else []


@register.filter
def opening_on(unit, day):
    """'08.00–12.00 WIT': the unit's gallery hours on ``day`` (a date), or '' when it is closed."""
    if unit is None or not hasattr(day, "weekday"):
        return ""
    found = for_unit(unit).get(day.weekday())
    return f"{found[0]:%H.%M}–{found[1]:%H.%M} WIT" if found else ""


@register.inclusion_tag("core/_error_summary.html")
def error_summary(*forms, messages=None, also=None, also_target="", summary_id=""):
    """The one error summary of a page after a full reload (WCAG 3.3.1, 4.1.3): role=alert,
    focused on load by site.js (``data-error-summary``), each field's error a link to its field.

    ``forms``: the page's bound forms, formsets, or lists of forms (or of (anything, form) pairs);
    None is skipped. ``messages``: errors not tied to a field; ``also`` with ``also_target``: errors of a
    group the page renders itself (the id to link to). A message said twice is listed once."""
    items, seen = [], set()

    def add(error, label="", target=""):
        # A field's error already said on its own (a group the page renders itself) is not repeated.
        text = f"{label}: {error}" if label else str(error)
        if text not in seen and str(error) not in seen:
            seen.add(text)
            items.append({"text": text, "target": target})

    for error in messages or []:
        add(error)
    for error in also or []:
        add(error, target=also_target)
    for form in _flat_forms(forms):
        if hasattr(form, "management_form"):  # a formset: its own errors, then its forms'
            for error in form.non_form_errors():
                add(error)
            continue
        for error in form.non_field_errors():
            add(error)
        for field in form:
            if field.is_hidden:
                for error in field.errors:
                    add(error)
                continue
            target = field.id_for_label or (f"{field.auto_id}_0" if field.auto_id else "")
            for error in field.errors:
                add(error, field.label, target)
    return {"items": items, "summary_id": summary_id}


def _flat_forms(values):
    for value in values:
        if isinstance(value, (list, tuple)):
            yield from _flat_forms(value[-1:] if isinstance(value, tuple) else value)
        elif hasattr(value, "management_form"):
            yield value
            yield from value.forms
        elif value:
            yield value
