"""What the admin's delete confirmations say about the submissions going along."""

from django import template

from wagtail.models import Page

from ..deletion import how_many, submissions_deleted_with

register = template.Library()


@register.simple_tag(name="submissions_deleted_with")
def submissions_deleted_with_tag(pages):
    """For a page, or the bulk actions' items (``{"item": page, …}``)."""
    if isinstance(pages, Page):
        pages = [pages]
    return submissions_deleted_with(
        page["item"] if isinstance(page, dict) else page for page in pages
    )


register.filter("how_many_submissions", how_many)
