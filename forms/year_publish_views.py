"""The guided "Ny antagning" in the admin: 1 check the dates, 2 see the pages,
3 publish the intakes and the form together (``year_publish``)."""

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.shortcuts import redirect
from django.template.response import TemplateResponse
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.generic import View

from wagtail.admin.views.generic.base import WagtailAdminTemplateMixin

from .year_publish import publish_year, year_drafts

STEPS = (
    (1, gettext_lazy("Kontrollera datumen")),
    (2, gettext_lazy("Förhandsgranska sidorna")),
    (3, gettext_lazy("Publicera")),
)


def may_publish_year(user, drafts) -> bool:
    if not user.has_perms(["programs.change_intake", "programs.publish_intake"]):
        return False
    return all(
        page.permissions_for_user(user).can_publish() for page, _d in drafts.forms
    )


class YearPublishView(WagtailAdminTemplateMixin, View):
    page_title = gettext_lazy("Ny antagning")
    header_icon = "date"
    template_name = "forms/admin/year_publish.html"

    def dispatch(self, request, year):
        self.drafts = year_drafts(year)
        if not may_publish_year(request.user, self.drafts):
            raise PermissionDenied
        return super().dispatch(request, year)

    def get_page_subtitle(self):
        return _("Antagningarna %(year)s") % {"year": self.drafts.year}

    def get(self, request, year):
        step = request.GET.get("steg", "1")
        step = int(step) if step in ("1", "2", "3") else 1
        context = self.get_context_data(
            drafts=self.drafts,
            step=step,
            steps=STEPS,
            previews=self.previews(),
            programme_previews=self.programme_previews(),
        )
        return TemplateResponse(request, self.template_name, context)

    def previews(self):
        """Where to see each page as it will look: the form's draft revision in
        Wagtail's preview; a programme page with its intake's draft."""
        links = []
        for page, _draft in self.drafts.forms:
            revision = page.get_latest_revision()
            if revision:
                url = reverse(
                    "wagtailadmin_pages:revisions_view", args=[page.pk, revision.pk]
                )
                links.append((page.title, url))
        return links

    def programme_previews(self):
        """Each programme page with this year's draft intakes (``year_preview``)."""
        programmes = {item.intake.program for item in self.drafts.intakes}
        return [
            (
                page.title,
                reverse(
                    "forms_year_programme_preview", args=[self.drafts.year, page.pk]
                ),
            )
            for page in sorted(programmes, key=lambda page: page.path)
        ]

    def post(self, request, year):
        if not self.drafts.ready:
            messages.error(
                request,
                _(
                    "Rätta problemen i steg 1 innan du publicerar "
                    "antagningarna %(year)s."
                )
                % {"year": year},
            )
            return redirect(f"{request.path}?steg=1")
        count = publish_year(self.drafts, request.user)
        messages.success(
            request,
            _(
                "Antagningarna och intresseformuläret för %(year)s är publicerade "
                "tillsammans (%(count)s ändringar). Nu visar alla sidor %(year)s."
            )
            % {"year": year, "count": count},
        )
        return redirect(f"{request.path}?steg=3")
