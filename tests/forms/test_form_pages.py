"""The form pages as people meet them: markup, accessibility, programme choice,
registration status on programme pages, and the seeded privacy pages."""

import datetime
import io

from django.apps import apps
from django.core.exceptions import ValidationError
from django.core.management import call_command
from django.template import Context, Template
from django.test import RequestFactory
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.text import camel_case_to_spaces

from wagtail.models import PageViewRestriction

import pytest
from bs4 import BeautifulSoup

from forms.models import InterestFormPage, InterestSubmission
from home.models import ContentPage
from programs.models import ProgramPage
from tests.conftest import CONTACT_PATH, INTEREST_PATH
from tests.factories import field_name, interest_data, set_interest_window

pytestmark = pytest.mark.django_db

PROGRAM_LEGEND = "Jag är intresserad av att delta eller få mer information om:"


def soup_of(response):
    return BeautifulSoup(response.content.decode(), "html.parser")


def form_of(response):
    return soup_of(response).find("form", attrs={"method": "post"})


@pytest.fixture
def program_choice(interest_page):
    """The name of the interest form's programme choice."""
    return field_name(interest_page, "programs")


@pytest.mark.parametrize("path", [INTEREST_PATH, CONTACT_PATH])
def test_every_visible_input_has_a_label_tied_to_it(client, path):
    form = form_of(client.get(path))

    controls = form.find_all(["input", "select", "textarea"])
    for control in controls:
        if control.get("type") in ("hidden", "submit") or control["name"] == "website":
            continue
        assert form.find("label", attrs={"for": control["id"]}), control


def test_personal_fields_have_autocomplete(client):
    form = form_of(client.get(INTEREST_PATH))

    purposes = {
        name: form.find(attrs={"name": name}).get("autocomplete")
        for name in ("namn", "e_postadress", "telefonnummer", "kommun_eller_region")
    }
    assert purposes == {
        "namn": "name",
        "e_postadress": "email",
        "telefonnummer": "tel",
        "kommun_eller_region": "organization",
    }
    assert form.find(attrs={"name": "telefonnummer"})["type"] == "tel"


def test_a_purpose_set_on_a_single_checkbox_is_not_rendered(client, interest_page):
    """autocomplete is not allowed on a checkbox; an editor's choice must not add it."""
    consent = interest_page.form_fields.get(field_type="checkbox")
    consent.autocomplete = "name"
    consent.save()

    form = form_of(client.get(INTEREST_PATH))
    assert not form.find(attrs={"name": consent.clean_name}).has_attr("autocomplete")
    assert form.find(attrs={"name": "namn"})["autocomplete"] == "name"


def test_required_fields_are_marked_in_words(client):
    form = form_of(client.get(INTEREST_PATH))

    assert "(obligatorisk)" in form.find("label", attrs={"for": "id_namn"}).text
    assert (
        "(obligatorisk)" not in form.find("label", attrs={"for": "id_meddelande"}).text
    )


def test_programme_choice_is_a_fieldset_whose_legend_is_the_label(
    client, programs, program_choice
):
    form = form_of(client.get(INTEREST_PATH))

    boxes = form.find_all("input", attrs={"name": program_choice})
    assert [box["type"] for box in boxes] == ["checkbox", "checkbox"]
    fieldset = boxes[0].find_parent("fieldset")
    assert fieldset.legend.text.startswith(PROGRAM_LEGEND)
    labels = [label.text.strip() for label in fieldset.find_all("label")]
    assert labels == [program.title for program in programs], "tree order"


def test_field_limits_are_in_the_markup(client):
    form = form_of(client.get(INTEREST_PATH))

    assert form.find(attrs={"name": "namn"})["maxlength"] == "255"
    assert form.find(attrs={"name": "e_postadress"})["maxlength"] == "254"
    assert form.find(attrs={"name": "meddelande"})["maxlength"] == "4000"


def test_verification_is_labelled_and_explained_with_a_noscript_note(client):
    form = form_of(client.get(INTEREST_PATH))

    widget = form.find("altcha-widget")
    group = widget.find_parent("fieldset")
    assert group.legend.text.startswith("Verifiering")
    help_text = form.find(id="id_altcha_helptext")
    assert help_text.text == "Vi kontrollerar att du är en människa och inte en robot."
    # On the widget, from where static/js/verification.js moves it to the
    # checkbox the widget draws (tests/e2e/test_accessibility.py); the group
    # does not repeat it.
    assert "id_altcha_helptext" in widget["aria-describedby"]
    assert not group.get("aria-describedby")
    assert "JavaScript" in group.find("noscript").text


def test_widget_scripts_come_from_our_own_static_files(client):
    page = soup_of(client.get(INTEREST_PATH))

    sources = [script["src"] for script in page.find_all("script", src=True)]
    # The trimmed, Swedish-only widget (manage.py vendor_altcha_assets), not
    # altcha-django's nor its file of every language.
    assert "/static/altcha/altcha.js" in sources
    assert not [source for source in sources if "altcha_django" in source]
    # What the browser loads; the canonical link names this page, it loads nothing.
    loaded = [
        tag
        for tag in page.find_all(["script", "link", "img"])
        if "canonical" not in tag.get("rel", [])
    ]
    external = [
        tag.get("src") or tag.get("href")
        for tag in loaded
        if (tag.get("src") or tag.get("href") or "").startswith(("http", "//"))
    ]
    assert external == []
    assert "cdn" not in page.head.decode().lower()


def test_honeypot_is_out_of_reach_for_people(client):
    form = form_of(client.get(INTEREST_PATH))

    honeypot = form.find("input", attrs={"name": "website"})
    wrapper = honeypot.find_parent("div")
    assert wrapper.has_attr("hidden")
    assert wrapper["aria-hidden"] == "true"
    assert honeypot["tabindex"] == "-1"
    assert honeypot["autocomplete"] == "off"


def test_errors_are_summarised_with_links_and_tied_to_their_fields(post, programs):
    response = post(
        INTEREST_PATH,
        interest_data(programs, name="", email="fel", altcha=""),
    )

    page = soup_of(response)
    summary = page.find(class_="error-summary")
    assert summary["role"] == "alert"
    targets = [link["href"] for link in summary.ul.find_all("a")]
    assert targets == ["#id_namn", "#id_e_postadress", "#id_altcha"]
    # After the list: the way on for someone whose verification cannot work.
    assert summary.find("a", href="#review-offer")
    for target in [*targets, "#review-offer"]:
        assert page.find(id=target[1:]), f"{target} points at nothing"
    email = page.find("input", attrs={"name": "e_postadress"})
    assert email["aria-invalid"] == "true"
    assert "id_e_postadress_error" in email["aria-describedby"].split()
    assert page.find(id="id_e_postadress_error").text.strip()
    assert page.title.text.startswith("Fel:")


def test_fields_keep_what_was_typed_after_an_error(post, programs, program_choice):
    response = post(INTEREST_PATH, interest_data(programs, email="fel"))

    form = form_of(response)
    assert form.find(attrs={"name": "namn"})["value"] == "Anna Andersson"
    assert form.find(attrs={"name": "meddelande"}).text.strip() == "Jag vill veta mer."
    assert form.find(attrs={"name": "roll", "checked": True})["value"] == (
        "Kommunstyrelsens ordförande"
    )
    checked = form.find_all(attrs={"name": program_choice, "checked": True})
    assert len(checked) == 2


def test_error_link_of_a_group_with_nothing_to_choose_points_at_its_legend(
    post, programs, program_choice
):
    """With every programme hidden from the public there is no checkbox to link to.

    Their intakes still open the form: only the choice is empty.
    """
    for program in programs:
        PageViewRestriction.objects.create(
            page=program, restriction_type="password", password="x"
        )
    response = post(INTEREST_PATH, interest_data([]))

    page = soup_of(response)
    summary = page.find(class_="error-summary")
    targets = [link["href"] for link in summary.find_all("a")]
    assert f"#id_{program_choice}_legend" in targets
    for target in targets:
        assert page.find(id=target[1:]), f"{target} points at nothing"


def test_errors_on_a_checkbox_group_are_described_on_its_fieldset(post, program_choice):
    response = post(INTEREST_PATH, interest_data([]))

    page = soup_of(response)
    fieldset = page.find(id=f"id_{program_choice}_0").find_parent("fieldset")
    assert f"id_{program_choice}_error" in fieldset["aria-describedby"]


def test_intro_is_shown_above_the_form(client, interest_page):
    page = soup_of(client.get(INTEREST_PATH))

    intro = page.find(class_="page-intro")
    assert "Nedan kan du göra en intresseanmälan till 2025." in intro.text
    assert intro.find_next("form")


def publish_program(index, title, slug):
    program = ProgramPage(
        title=title,
        slug=slug,
        lead="Ett nytt program.",
        duration_months=3,
        duration_text="3 månader",
    )
    index.add_child(instance=program)
    program.save_revision().publish()
    return program


def test_new_live_programme_appears_and_unpublished_one_leaves(
    client, post, seed_pages
):
    index = seed_pages["/toppolitikerprogrammen/"]
    program = publish_program(index, "Nytt ledarprogram", "nytt-ledarprogram")

    assert "Nytt ledarprogram" in client.get(INTEREST_PATH).content.decode()
    post(INTEREST_PATH, interest_data([program]))
    assert list(InterestSubmission.objects.get().programs.all()) == [program]

    program.unpublish()
    assert "Nytt ledarprogram" not in client.get(INTEREST_PATH).content.decode()
    response = post(INTEREST_PATH, interest_data([program]))
    assert "Välj bland programmen i listan" in response.content.decode()
    assert InterestSubmission.objects.count() == 1


def render_notice(program):
    template = Template(
        "{% load form_tags %}{% registration_status page as status %}"
        "{{ status.is_open }} {{ status.year }}|{% registration_notice page %}"
    )
    request = RequestFactory().get("/")
    return template.render(Context({"page": program, "request": request}))


def test_programme_page_learns_that_registration_is_open(programs):
    rendered = render_notice(programs[0])

    assert rendered.startswith("True 2025|")
    assert "Intresseanmälan för 2025 är öppen" in rendered
    assert f'href="{INTEREST_PATH}"' in rendered


def test_programme_page_learns_when_registration_has_not_opened(
    interest_page, programs
):
    set_interest_window(interest_page.intake_year, opens=3)
    opens = timezone.localtime() + datetime.timedelta(days=3)

    rendered = render_notice(programs[0])

    assert rendered.startswith("False 2025|")
    assert "har inte öppnat ännu" in rendered
    assert f"Den öppnar {date_format(opens, 'j F Y')}." in rendered
    assert INTEREST_PATH not in rendered


def test_programme_page_learns_that_registration_is_closed(interest_page, programs):
    set_interest_window(interest_page.intake_year, opens=-10, closes=-1)

    rendered = render_notice(programs[0])
    assert "Intresseanmälan för 2025 är stängd." in rendered
    assert INTEREST_PATH not in rendered


def test_seed_links_both_forms_to_the_privacy_notice(seed_pages):
    privacy = seed_pages["/personuppgifter/"]
    assert isinstance(privacy, ContentPage)
    assert isinstance(seed_pages["/tillganglighet/"], ContentPage)
    # The retention is rendered from the forms (tests/home/test_statements.py),
    # never typed into the notice, where it would drift from what is purged.
    assert "24 månader" not in privacy.body
    for path in (INTEREST_PATH, CONTACT_PATH):
        assert seed_pages[path].privacy_page_id == privacy.pk
        assert seed_pages[path].retention_months == 24


def test_seeding_again_leaves_the_forms_and_their_fields_alone(interest_page):
    before = list(interest_page.form_fields.values_list("pk", "label"))

    call_command("load_seed_content", stdout=io.StringIO())

    assert list(interest_page.form_fields.values_list("pk", "label")) == before
    assert InterestFormPage.objects.count() == 1


def test_the_empty_form_page_may_be_kept_by_shared_caches(client, settings):
    settings.PAGE_CACHE_SECONDS = 60
    response = client.get(INTEREST_PATH)

    assert response["Cache-Control"] == "public, max-age=60"
    assert not response.cookies


def test_a_thank_you_page_is_never_cached(client, post, programs):
    response = post(INTEREST_PATH, interest_data(programs))
    thanks = client.get(response["Location"])

    assert thanks.status_code == 200
    assert "no-store" in thanks["Cache-Control"]


@pytest.mark.parametrize(
    "model",
    list(apps.get_app_config("forms").get_models()),
    ids=lambda model: model.__name__,
)
def test_every_forms_model_has_a_swedish_name_for_the_admin(model):
    """Django's fallback is the class name in English, e.g. 'interest form field'."""
    assert model._meta.verbose_name != camel_case_to_spaces(model.__name__)
    assert model._meta.verbose_name_plural != f"{model._meta.verbose_name}s"


def test_a_form_cannot_be_set_to_close_before_it_opens(contact_page):
    contact_page.opens_at = timezone.now()
    contact_page.closes_at = contact_page.opens_at - datetime.timedelta(days=1)
    with pytest.raises(ValidationError) as error:
        contact_page.full_clean()
    assert error.value.message_dict["closes_at"] == [
        "Formuläret måste stänga efter att det har öppnat."
    ]
    contact_page.closes_at = contact_page.opens_at + datetime.timedelta(days=30)
    contact_page.full_clean()


def field_name_of(page, label):
    fields = type(page).objects.get(pk=page.pk).get_form_fields()
    return next(field.clean_name for field in fields if field.label == label)


@pytest.mark.parametrize("field_type", ["radio", "checkboxes"])
def test_errors_on_a_radio_or_checkbox_group_point_from_its_fieldset(
    post, contact_page, field_type
):
    """A group's fieldset names its error, so a screen reader hears it with the
    legend; the message has the id the fieldset names."""
    from forms.models.pages import ContactFormField
    from tests.factories import contact_data

    contact_page.form_fields.add(
        ContactFormField(
            label="Hur vill du bli kontaktad?",
            field_type=field_type,
            choices="Telefon\nE-post",
            required=True,
            sort_order=99,
        )
    )
    contact_page.save_revision().publish()
    group = field_name_of(contact_page, "Hur vill du bli kontaktad?")
    response = post(CONTACT_PATH, contact_data(**{group: None}))

    page = soup_of(response)
    legend = next(tag for tag in page.find_all("legend") if "Hur vill du" in tag.text)
    fieldset = legend.find_parent("fieldset")
    described = fieldset["aria-describedby"].split()
    error = page.find(id=described[-1])
    assert described[-1].endswith("_error")
    assert "obligatoriskt" in error.text or "Fel" in error.text
    for choice in fieldset.find_all("input"):
        assert choice.get("aria-invalid") == "true"
