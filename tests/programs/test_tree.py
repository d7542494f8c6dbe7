"""Page tree rules: where each page type may live, and creating pages in the admin."""

from django.contrib.auth import get_user_model

from wagtail.models import Page
from wagtail.test.utils import WagtailPageTestCase
from wagtail.test.utils.form_data import inline_formset, nested_form_data, rich_text

from forms.models import ContactFormPage, InterestFormPage
from home.models import ContentPage, HomePage
from programs.models import ProgramIndexPage, ProgramPage, ThemePage


class PageTreeRulesTests(WagtailPageTestCase):
    def test_home_page_lives_only_at_the_root(self):
        self.assertAllowedParentPageTypes(HomePage, {Page})

    def test_home_page_holds_the_overview_the_contact_form_and_text_pages(self):
        self.assertAllowedSubpageTypes(
            HomePage, {ProgramIndexPage, ContactFormPage, ContentPage}
        )

    def test_programme_overview_lives_under_the_home_page(self):
        self.assertAllowedParentPageTypes(ProgramIndexPage, {HomePage})
        self.assertCanCreateAt(HomePage, ProgramIndexPage)

    def test_programme_overview_holds_programmes_and_the_interest_form(self):
        self.assertAllowedSubpageTypes(
            ProgramIndexPage, {ProgramPage, InterestFormPage}
        )

    def test_programmes_live_only_under_the_overview(self):
        self.assertAllowedParentPageTypes(ProgramPage, {ProgramIndexPage})
        self.assertCanCreateAt(ProgramIndexPage, ProgramPage)
        self.assertCanNotCreateAt(HomePage, ProgramPage)

    def test_themes_live_only_under_a_programme_and_have_no_children(self):
        self.assertAllowedParentPageTypes(ThemePage, {ProgramPage})
        self.assertAllowedSubpageTypes(ThemePage, set())
        self.assertCanCreateAt(ProgramPage, ThemePage)
        self.assertCanNotCreateAt(ProgramIndexPage, ThemePage)

    def test_interest_form_lives_under_the_overview_and_contact_form_under_home(self):
        self.assertAllowedParentPageTypes(InterestFormPage, {ProgramIndexPage})
        self.assertAllowedSubpageTypes(InterestFormPage, set())
        self.assertAllowedParentPageTypes(ContactFormPage, {HomePage})
        self.assertAllowedSubpageTypes(ContactFormPage, set())

    def test_text_pages_nest_under_home_or_each_other(self):
        self.assertAllowedParentPageTypes(ContentPage, {HomePage, ContentPage})
        self.assertAllowedSubpageTypes(ContentPage, {ContentPage})

    def test_only_one_home_page_and_one_contact_form_can_exist(self):
        self.assertEqual(HomePage.max_count, 1)
        self.assertEqual(ContactFormPage.max_count, 1)


class AdminCreationTests(WagtailPageTestCase):
    """A communicator can add a third programme and a fifth theme without a deploy."""

    @classmethod
    def setUpTestData(cls):
        cls.index = ProgramIndexPage.objects.get(slug="toppolitikerprogrammen")
        cls.program = ProgramPage.objects.get(slug="toppolitikerprogrammet")

    def setUp(self):
        self.client.force_login(
            get_user_model().objects.create_superuser("redaktor", "r@example.com", "x")
        )

    def test_a_new_programme_can_be_created_through_the_admin_form(self):
        data = nested_form_data(
            {
                "title": "Toppolitikerprogrammet – Fördjupning",
                "slug": "fordjupning",
                "lead": "Ett tredje program för erfarna politiska ledare.",
                "goal": "Målet är fördjupning.",
                "audience": "Dig som har gått båda programmen.",
                "duration_months": 3,
                "duration_text": "3 månader",
                "body": rich_text(""),
                "contact_person_links": inline_formset([]),
            }
        )
        self.assertCanCreate(self.index, ProgramPage, data)
        page = ProgramPage.objects.get(slug="fordjupning")
        self.assertEqual(page.duration_text, "3 månader")

    def test_a_fifth_theme_can_be_created_and_appears_last_on_its_programme(self):
        data = nested_form_data(
            {
                "title": "Kris och beredskap",
                "slug": "kris-och-beredskap",
                "description": rich_text("<p>Att leda när det oväntade händer.</p>"),
                "contact_person_links": inline_formset([]),
            }
        )
        self.assertCanCreate(self.program, ThemePage, data)
        program = ProgramPage.objects.get(pk=self.program.pk)
        self.assertEqual(len(program.themes), 5)
        self.assertEqual(program.themes[-1].title, "Kris och beredskap")


def test_every_page_type_lets_editors_choose_its_information_owners():
    from wagtail.models import get_page_models

    ours = [
        m
        for m in get_page_models()
        if m._meta.app_label in {"home", "programs", "forms"}
    ]
    assert len(ours) == 7
    for model in ours:
        form_class = model.get_edit_handler().get_form_class()
        assert "contact_person_links" in form_class.formsets, model.__name__
