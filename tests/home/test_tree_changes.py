"""Changes to the page tree show at once, with the site-wide fragments kept.

The navigation, the footer's links and the breadcrumbs are kept until content
changes ({% wagtailcache %} under the page cache's generation). These tests
change the tree the ways editors do, and check that readers see the change at
once: in the navigation, the footer, the breadcrumbs and in which URLs answer.
A query string keeps the whole-page cache out of the way, so every request
renders.
"""

import datetime
import json
import re

from django.core.cache import cache
from django.utils import timezone

from wagtail.models import Page, PageViewRestriction, Site

import pytest

from forms.models import InterestSubmission
from home.models import ContentPage, HomePage
from programs.models import Intake, ProgramPage, ThemePage
from serving import page_cache
from tests.factories import valid_data
from tests.verification import solved_payload

pytestmark = pytest.mark.django_db

INDEX = "/toppolitikerprogrammen/"
PROGRAM = "/toppolitikerprogrammen/toppolitikerprogrammet/"


@pytest.fixture(autouse=True)
def fragments_kept(settings):
    settings.PAGE_CACHE_SECONDS = 60
    cache.clear()


def render(client, path):
    return client.get(f"{path}?render" if "?" not in path else path)


def nav(response):
    found = re.search(
        r'<nav class="site-nav".*?</nav>', response.content.decode(), re.S
    )
    return found.group(0)


def nav_links(response):
    return re.findall(r'<a href="([^"]+)"', nav(response))


def footer_links(response):
    footer = re.search(
        r'<nav class="footer-nav".*?</nav>', response.content.decode(), re.S
    )
    return re.findall(r'<a href="([^"]+)"', footer.group(0)) if footer else []


def breadcrumbs(response):
    blocks = re.findall(
        r'<script type="application/ld\+json">(.*?)</script>',
        response.content.decode(),
        re.S,
    )
    trail = next(
        json.loads(block)
        for block in blocks
        if json.loads(block)["@type"] == "BreadcrumbList"
    )
    return [item["name"] for item in trail["itemListElement"]]


def publish_new_programme(seed_pages, slug="tredje-programmet"):
    index = seed_pages[INDEX]
    program = index.add_child(
        instance=ProgramPage(
            title="Tredje programmet",
            slug=slug,
            lead="Ett nytt program.",
            duration_months=3,
            duration_text="3 månader",
            live=False,
        )
    )
    program.save_revision().publish()
    return program


def test_a_published_programme_is_in_the_navigation_and_answers(client, seed_pages):
    assert "/toppolitikerprogrammen/tredje-programmet/" not in nav_links(
        render(client, PROGRAM)
    )
    publish_new_programme(seed_pages)

    response = render(client, PROGRAM)
    assert "/toppolitikerprogrammen/tredje-programmet/" in nav_links(response)
    new = render(client, "/toppolitikerprogrammen/tredje-programmet/")
    assert new.status_code == 200
    assert breadcrumbs(new) == [
        seed_pages["/"].title,
        seed_pages[INDEX].title,
        "Tredje programmet",
    ]


def test_an_unpublished_programme_is_gone_from_navigation_and_answers_404(
    client, seed_pages
):
    assert PROGRAM in nav_links(render(client, INDEX))
    seed_pages[PROGRAM].unpublish()

    assert PROGRAM not in nav_links(render(client, INDEX))
    assert render(client, PROGRAM).status_code == 404


def test_a_renamed_slug_moves_the_page_at_once(client, seed_pages):
    assert render(client, PROGRAM).status_code == 200
    program = seed_pages[PROGRAM]
    program.slug = "tpp"
    program.save_revision().publish()

    assert render(client, PROGRAM).status_code == 404
    moved = render(client, "/toppolitikerprogrammen/tpp/")
    assert moved.status_code == 200
    assert "/toppolitikerprogrammen/tpp/" in nav_links(moved)


def test_a_moved_page_answers_at_its_new_address(client, seed_pages):
    privacy = next(
        page
        for path, page in seed_pages.items()
        if isinstance(page, ContentPage) and path.count("/") == 2
    )
    old_url = privacy.url
    assert old_url in footer_links(render(client, "/"))
    privacy.move(seed_pages[INDEX], pos="last-child")

    new_url = Page.objects.get(pk=privacy.pk).url
    assert render(client, new_url).status_code == 200
    # Wagtail keeps the old address working with a redirect of its own.
    old = client.get(old_url)
    assert (old.status_code, old["Location"]) == (301, new_url)
    assert old_url not in footer_links(render(client, "/"))


def test_a_view_restriction_takes_effect_at_once(client, seed_pages):
    assert PROGRAM in nav_links(render(client, INDEX))
    PageViewRestriction.objects.create(
        page=seed_pages[PROGRAM], restriction_type=PageViewRestriction.LOGIN
    )

    assert PROGRAM not in nav_links(render(client, INDEX))
    response = render(client, PROGRAM)
    assert response.status_code == 302
    assert "login" in response["Location"]


def test_a_deleted_page_answers_404(client, seed_pages):
    program = publish_new_programme(seed_pages)
    assert render(client, program.url).status_code == 200
    program.delete()

    assert (
        render(client, "/toppolitikerprogrammen/tredje-programmet/").status_code == 404
    )


def test_a_page_changed_behind_the_trees_back_is_still_checked(client, seed_pages):
    """A change without signals (a bulk update in the shell): the page served
    is read fresh and must be live."""
    assert render(client, PROGRAM).status_code == 200
    ProgramPage.objects.filter(pk=seed_pages[PROGRAM].pk).update(live=False)

    assert render(client, PROGRAM).status_code == 404


def test_a_new_generation_from_another_process_is_followed(client, seed_pages):
    """Another worker's publish reaches this one through the shared cache."""
    assert "Nytt namn" not in nav(render(client, INDEX))
    # Changed without a signal here, as if in another process, which then
    # starts a new generation in the cache all processes share.
    ProgramPage.objects.filter(pk=seed_pages[PROGRAM].pk).update(title="Nytt namn")
    assert "Nytt namn" not in nav(render(client, INDEX))
    page_cache.new_generation()

    assert "Nytt namn" in nav(render(client, INDEX))


def test_a_new_site_is_found_at_once(client, seed_pages):
    """Saving a Site starts afresh: its fragments are not the old site's."""
    before = client.get("/?render", HTTP_HOST="127.0.0.1")
    assert "<h1>Om Toppolitikerprogrammen" not in before.content.decode()
    Site.objects.create(hostname="127.0.0.1", port=80, root_page=seed_pages[INDEX])

    after = client.get("/?render", HTTP_HOST="127.0.0.1")
    assert after.status_code == 200
    assert re.search(
        r"<h1>\s*" + re.escape(seed_pages[INDEX].title), after.content.decode()
    )
    assert client.get("/?render", HTTP_HOST="localhost").status_code == 200


def test_a_host_not_allowed_is_still_refused(client, seed_pages):
    assert client.get("/?render", HTTP_HOST="angripare.example").status_code == 400


def test_closing_an_intake_closes_the_form_for_submissions_at_once(
    client, interest_page
):
    """The submission API reads the intakes that open its form afresh."""
    url = f"/api/forms/{interest_page.pk}"
    data = valid_data(client.get(url).json())
    data["altcha"] = solved_payload()
    for intake in Intake.objects.filter(year=interest_page.intake_year):
        intake.interest_closes_at = timezone.now() - datetime.timedelta(days=1)
        intake.save()

    response = client.post(f"{url}/submissions", data, content_type="application/json")
    assert response.status_code == 410
    assert not InterestSubmission.objects.exists()


# Aliases, edits without a publish, routes, the start page, other sites.


def restrict(page):
    PageViewRestriction.objects.create(
        page=page, restriction_type=PageViewRestriction.LOGIN
    )


def test_an_alias_of_a_restricted_programme_is_not_listed(client, seed_pages):
    program = seed_pages[PROGRAM]
    alias = program.create_alias(update_slug="alias-av-programmet")
    assert alias.url in nav_links(render(client, INDEX))
    restrict(program)

    assert render(client, alias.url).status_code == 302  # Wagtail's own check
    links = nav_links(render(client, INDEX))
    assert PROGRAM not in links
    assert alias.url not in links


def test_an_alias_of_a_form_takes_no_submissions(client, interest_page):
    alias = interest_page.create_alias(update_slug="kopia")
    url = f"/api/forms/{interest_page.pk}"
    data = valid_data(client.get(url).json())
    data["altcha"] = solved_payload()

    assert client.get(f"/api/forms/{alias.pk}").status_code == 404
    response = client.post(
        f"/api/forms/{alias.pk}/submissions", data, content_type="application/json"
    )
    assert response.status_code == 404
    assert not InterestSubmission.objects.exists()


def test_a_restriction_the_tree_missed_still_closes_the_form_api(
    client, interest_page, monkeypatch
):
    """A bump lost to a Redis blip: the form's own row is checked again."""
    url = f"/api/forms/{interest_page.pk}"
    assert client.get(url).status_code == 200
    monkeypatch.setattr(page_cache, "new_generation", lambda: None)
    restrict(interest_page)

    assert client.get(url).status_code == 404


def test_a_form_under_another_sites_root_is_still_found(client, seed_pages):
    contact = seed_pages["/kontakt/"]
    Site.objects.create(hostname="127.0.0.1", port=80, root_page=seed_pages[INDEX])

    response = client.get(f"/api/forms/{contact.pk}", HTTP_HOST="127.0.0.1")
    assert response.status_code == 200


def test_a_new_alias_is_listed_at_once(client, seed_pages):
    render(client, INDEX)
    alias = seed_pages[PROGRAM].create_alias(update_slug="alias-av-programmet")

    assert alias.url in nav_links(render(client, INDEX))


def test_a_drafts_new_slug_moves_its_live_pages_at_once(
    client, seed_pages, django_capture_on_commit_callbacks
):
    index = seed_pages[INDEX]
    Page.objects.filter(pk=index.pk).update(live=False)
    assert render(client, PROGRAM).status_code == 200
    index = Page.objects.get(pk=index.pk).specific
    index.slug = "nytt"
    # What the editor's save of a draft's slug does; Wagtail says so on commit.
    with django_capture_on_commit_callbacks(execute=True):
        index.save()

    assert render(client, "/nytt/toppolitikerprogrammet/").status_code == 200
    assert render(client, PROGRAM).status_code in (301, 404)


def test_a_programmes_own_routes_come_before_a_child_of_the_same_name(
    client, seed_pages
):
    program = seed_pages[PROGRAM]
    year = program.intake_list[0].year
    calendar = f"{PROGRAM}kalender/{year}.ics"
    assert client.get(calendar).status_code == 200
    theme = program.add_child(
        instance=ThemePage(
            title="Kalender", slug="kalender", description="<p>x</p>", live=False
        )
    )
    theme.save_revision().publish()

    assert client.get(calendar).status_code == 200
    assert render(client, f"{PROGRAM}kalender/").status_code == 200  # the theme


def test_the_start_page_is_read_fresh(client, seed_pages):
    assert render(client, "/").status_code == 200
    HomePage.objects.update(live=False)  # behind the signals' back

    assert render(client, "/").status_code == 404
