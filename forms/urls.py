"""Public URLs of the forms app: the ALTCHA challenge endpoint, the opening
notice's sign-up, confirmation and removal, and the page a registration's
sender reaches from the receipt (``self_service``).

Include before Wagtail's catch-all: ``path("", include("forms.urls"))``. Without
it the widget still works, with a challenge rendered inline into the page.
"""

from django.urls import include, path

from . import opening
from .self_service_views import self_service

urlpatterns = [
    path("altcha/", include("altcha_django.urls")),
    # "Meddela mig när anmälan öppnar" (forms.opening).
    path("anmalan-oppnar/", opening.subscribe, name="forms_opening_subscribe"),
    path(
        "anmalan-oppnar/bekrafta/<str:token>/",
        opening.confirm,
        name="forms_opening_confirm",
    ),
    path(
        "anmalan-oppnar/ta-bort/<str:token>/",
        opening.unsubscribe,
        name="forms_opening_unsubscribe",
    ),
    path("min-anmalan/<str:token>/", self_service, name="forms_self_service"),
]
