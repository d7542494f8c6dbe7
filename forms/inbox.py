"""How the inbox lists show submissions so that they read on a laptop.

A cell may wrap only between words: a name or an organisation between its
words, an e-mail address after its "@". Each word is a ``nowrap`` span, so a
browser never breaks "Lindqvist-Johansson" at its hyphen, nor a narrow column
"Toppolitikerprogrammet" letter by letter.
"""

from django.contrib.admin import SimpleListFilter
from django.contrib.admin.utils import (
    display_for_field,
    display_for_value,
    lookup_field,
)
from django.core.exceptions import ObjectDoesNotExist
from django.utils.html import format_html, format_html_join
from django.utils.translation import gettext_lazy as _

from .models import InboxVisit

SINCE_LAST_VISIT_PARAM = "nya"
SINCE_LAST_VISIT = "1"


def words_html(text):
    """``text`` with each word kept whole; lines break only between words."""
    return format_html_join(
        " ",
        '<span class="inbox-word">{}</span>',
        ((word,) for word in str(text).split()),
    )


def email_html(address):
    """An address that may break after its "@" and nowhere else."""
    local, at, domain = str(address).rpartition("@")
    if not at:
        return words_html(address)
    return format_html(
        '<span class="inbox-word">{}@</span><wbr><span class="inbox-word">{}</span>',
        local,
        domain,
    )


def cell_text(view, obj, field_name):
    """The plain text modeladmin would show for ``field_name`` of ``obj``."""
    empty = view.model_admin.get_empty_value_display(field_name)
    try:
        field, attr, value = lookup_field(field_name, obj, view.model_admin)
    except (AttributeError, ObjectDoesNotExist):
        return empty
    if field is not None:
        return display_for_field(value, field, empty)
    return display_for_value(value, empty, boolean=getattr(attr, "boolean", False))


def inbox_visit_key(model):
    return model._meta.label_lower


class SinceLastVisitFilter(SimpleListFilter):
    """ "Nya sedan mitt senaste besök": sent after the person last looked at
    the list before the visit they are on now (see ``InboxVisit``)."""

    title = _("nya sedan mitt senaste besök")
    parameter_name = SINCE_LAST_VISIT_PARAM

    def lookups(self, request, model_admin):
        return [(SINCE_LAST_VISIT, _("Bara nya sedan mitt senaste besök"))]

    def queryset(self, request, queryset):
        if self.value() != SINCE_LAST_VISIT:
            return queryset
        since = previous_visit(request.user, queryset.model)
        return queryset.filter(submit_time__gt=since) if since else queryset


def previous_visit(user, model):
    """When ``user`` last looked at ``model``'s inbox before this visit, or None."""
    return (
        InboxVisit.objects.filter(user=user, inbox=inbox_visit_key(model))
        .values_list("previous_seen_at", flat=True)
        .first()
    )
