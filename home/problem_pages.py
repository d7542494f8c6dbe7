"""The pages that the APIs' problem ``type`` URIs name.

RFC 9457 asks that a problem type's URI, when opened, explains the problem to a
person. Each API keeps its own list of types; these views show them.
"""

from django.http import Http404
from django.template.response import TemplateResponse

from forms.problem_types import FORM_PROBLEM_TYPES

from .api_v3.problems import PROBLEM_TYPES

APIS = {
    "v3": {
        "name": "Innehålls-API:t (v3)",
        "docs": "/api/v3/docs/",
        "types": {
            slug: (kind.status, kind.title, kind.explanation)
            for slug, kind in PROBLEM_TYPES.items()
        },
    },
    "forms": {
        "name": "Formulär-API:t",
        "docs": "/api/forms/openapi.json",
        "types": FORM_PROBLEM_TYPES,
    },
}


def problem_types(request, api):
    described = APIS[api]
    types = [
        {"slug": slug, "status": status, "title": title}
        for slug, (status, title, _explanation) in described["types"].items()
    ]
    return TemplateResponse(
        request,
        "api/problem_types.html",
        {"api": described, "types": sorted(types, key=lambda t: t["status"])},
    )


def problem_type(request, api, slug):
    described = APIS[api]
    try:
        status, title, explanation = described["types"][slug]
    except KeyError:
        raise Http404 from None
    return TemplateResponse(
        request,
        "api/problem_type.html",
        {
            "api": described,
            "slug": slug,
            "status": status,
            "title": title,
            "explanation": explanation,
        },
    )
