"""Step 2 of the guided "Ny antagning": a programme page as it will look.

Wagtail's own preview shows a page's draft, but a programme page's intakes are
snippets of their own, shown only once live. This preview renders the live
programme page with the year's intakes as their latest drafts, and the
interest form as its draft, as publishing the year together will make it:
staff only, never cached, never a public URL.
"""

from django.core.exceptions import PermissionDenied
from django.shortcuts import get_object_or_404
from django.utils.cache import add_never_cache_headers
from django.views.generic import View

from programs.models import Intake, ProgramPage

from .models import InterestFormPage
from .year_publish import year_drafts
from .year_publish_views import may_publish_year


def intakes_as_published(page: ProgramPage, drafts) -> list[Intake]:
    """The page's live intakes of other years and its drafts of this year."""
    others = [i for i in page.intake_list if i.year != drafts.year]
    ours = [item.draft for item in drafts.intakes if item.intake.program_id == page.pk]
    return sorted([*others, *ours], key=lambda intake: intake.year)


class ProgrammePreviewView(View):
    def get(self, request, year, page_id):
        drafts = year_drafts(year)
        if not may_publish_year(request.user, drafts):
            raise PermissionDenied
        page = get_object_or_404(ProgramPage, pk=page_id)
        page.intake_list = intakes_as_published(page, drafts)
        extra = {}
        if drafts.forms:
            # The form tags read the live form once per request: give them the
            # draft that publishing the year will make live, opened and closed
            # by the year's draft intakes.
            form = drafts.forms[0][1]
            form.published_intakes = [
                *(item.draft for item in drafts.intakes),
                *(i for i in form.published_intakes if i.year > drafts.year),
            ]
            extra["_first_live_pages"] = {InterestFormPage: form}
        response = page.make_preview_request(
            request, page.default_preview_mode, extra_request_attrs=extra
        )
        add_never_cache_headers(response)
        return response
