"""The "Ny antagning" admin view: confirm, then prepare next year's intakes."""

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.shortcuts import get_object_or_404
from django.template.response import TemplateResponse
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.generic import View

from wagtail.admin.views.generic.base import WagtailAdminTemplateMixin
from wagtail.models import Page

from .models import Intake, ProgramIndexPage, ProgramPage
from .rollover import programs_of, roll_over, rollover_year


def rollover_target(page: Page):
    """The overview and the programmes a rollover from ``page`` covers."""
    page = page.specific
    if isinstance(page, ProgramIndexPage):
        return page, list(programs_of(page))
    if isinstance(page, ProgramPage):
        return page.get_parent().specific, [page]
    return None, []


def may_roll_over(user) -> bool:
    return user.has_perms(["programs.add_intake", "programs.change_intake"])


class RolloverView(WagtailAdminTemplateMixin, View):
    page_title = gettext_lazy("Ny antagning")
    header_icon = "date"
    template_name = "programs/admin/rollover.html"

    def dispatch(self, request, page_id):
        if not may_roll_over(request.user):
            raise PermissionDenied
        self.page = get_object_or_404(Page, pk=page_id).specific
        self.index, self.programs = rollover_target(self.page)
        if self.index is None:
            raise PermissionDenied
        return super().dispatch(request, page_id)

    def get_page_subtitle(self):
        return self.page.title

    def get_breadcrumbs_items(self):
        explore = reverse("wagtailadmin_explore", args=[self.page.pk])
        return [
            *super().get_breadcrumbs_items(),
            {"url": explore, "label": self.page.title},
            {"url": "", "label": _("Ny antagning")},
        ]

    def get(self, request, page_id):
        year = rollover_year(self.index)
        existing = {
            intake.program_id: intake
            for intake in Intake.objects.filter(program__in=self.programs, year=year)
        }
        context = self.get_context_data(
            year=year,
            rows=[(program, existing.get(program.pk)) for program in self.programs],
            page=self.page,
        )
        return TemplateResponse(request, self.template_name, context)

    def post(self, request, page_id):
        outcome = roll_over(self.index, request.user, self.programs)
        if outcome.created:
            messages.success(
                request,
                _(
                    "Utkast till antagningarna %(year)s är skapade. Fyll i datumen "
                    "och publicera dem när de ska visas."
                )
                % {"year": outcome.year},
            )
        else:
            messages.info(
                request,
                _("Antagningarna för %(year)s fanns redan; inget nytt skapades.")
                % {"year": outcome.year},
            )
        context = self.get_context_data(outcome=outcome, page=self.page)
        context["intake_links"] = [
            (intake, edit_url(intake)) for intake in outcome.created + outcome.existing
        ]
        return TemplateResponse(request, "programs/admin/rollover_done.html", context)


def edit_url(intake: Intake) -> str:
    return reverse("wagtailsnippets_programs_intake:edit", args=[intake.pk])
