"""Content fields a token holder may write through Wagtail's v3 API."""

from wagtail.api import APIField


def editable(*names: str) -> list[APIField]:
    """Wagtail writes only fields marked writable; these are plain content."""
    return [APIField(name, writable=True) for name in names]
