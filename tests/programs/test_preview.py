"""Communicators edit and preview every page type before publishing."""

from django.urls import reverse

from wagtail.models import Page
from wagtail.test.utils import WagtailPageTestCase
from wagtail.test.utils.form_data import querydict_from_html

from programs.models import ProgramPage


class PreviewTests(WagtailPageTestCase):
    def test_every_seeded_page_type_can_be_edited_and_previewed(self):
        seen = set()
        for page in Page.objects.filter(depth__gt=1).specific():
            if type(page) in seen:
                continue
            seen.add(type(page))
            with self.subTest(page_type=type(page).__name__):
                self.assertPageIsEditable(page)
                for mode, _label in page.preview_modes:
                    self.assertPageIsPreviewable(page, mode=mode)
        self.assertGreaterEqual(len(seen), 7)

    def test_preview_shows_an_unsaved_change_that_the_public_page_does_not(self):
        program = ProgramPage.objects.get(slug="toppolitikerprogrammet")
        self.client.force_login(self.create_superuser("forhandsgranskare"))
        edit_url = reverse("wagtailadmin_pages:edit", args=[program.pk])
        data = querydict_from_html(
            self.client.get(edit_url).content.decode(), form_id="page-edit-form"
        )
        data["lead"] = "Förhandsgranskad ingress som inte är publicerad."
        preview_url = reverse("wagtailadmin_pages:preview_on_edit", args=[program.pk])

        self.client.post(preview_url, data=data)
        preview = self.client.get(preview_url)

        self.assertContains(preview, "Förhandsgranskad ingress som inte är publicerad.")
        self.assertNotContains(
            self.client.get(program.url),
            "Förhandsgranskad ingress som inte är publicerad.",
        )

    def test_a_new_programme_can_be_previewed_before_it_is_saved(self):
        from wagtail.test.utils.form_data import (
            inline_formset,
            nested_form_data,
            rich_text,
        )

        from programs.models import ProgramIndexPage

        index = ProgramIndexPage.objects.get()
        self.client.force_login(self.create_superuser("forhandsgranskare"))
        preview_url = reverse(
            "wagtailadmin_pages:preview_on_add",
            args=["programs", "programpage", index.pk],
        )
        data = nested_form_data(
            {
                "title": "Ett nytt program",
                "slug": "ett-nytt-program",
                "lead": "Ingress för ett program som inte är sparat.",
                "duration_months": 3,
                "duration_text": "3 månader",
                "body": rich_text(""),
                "contact_person_links": inline_formset([]),
            }
        )
        self.assertEqual(self.client.post(preview_url, data=data).status_code, 200)
        preview = self.client.get(preview_url)
        self.assertContains(preview, "Ingress för ett program som inte är sparat.")
