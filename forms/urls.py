"""Public URLs of the forms app: the ALTCHA challenge endpoint and the page
a registration's sender reaches from the receipt (``self_service``).

Include before Wagtail's catch-all: ``path("", include("forms.urls"))``. Without
it the widget still works, with a challenge rendered inline into the page.
"""

from django.urls import include, path

from .self_service_views import self_service

urlpatterns = [
    path("altcha/", include("altcha_django.urls")),
    path("min-anmalan/<str:token>/", self_service, name="forms_self_service"),
]
