"""Public URLs of the forms app: the ALTCHA challenge endpoint.

Include before Wagtail's catch-all: ``path("", include("forms.urls"))``. Without
it the widget still works, with a challenge rendered inline into the page.
"""

from django.urls import include, path

urlpatterns = [
    path("altcha/", include("altcha_django.urls")),
]
