"""A communicator runs a year in the real admin: rollover, dates, publishing, closing.

At each step every public page is read as a politician reads it (which year,
open or closed, per programme) and the pages must agree with each other, with
``forms.interest.public_status`` and with the APIs; axe checks each page at
375 and 1280 px.
"""

import datetime
import re
from pathlib import Path

from django.utils import timezone

import pytest

from forms.interest import programme_intakes, public_status
from forms.models import InterestFormPage
from forms.window import FormWindow
from programs.models import Intake, ProgramIndexPage, ProgramPage
from tests.e2e.accessibility import check_page
from tests.e2e.admin_checks import log_in
from tests.factories import EDITORS, make_member

pytestmark = [
    pytest.mark.e2e,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]

SHOTS = Path("/tmp/shots/r2year")
OPEN = re.compile(r"Intresseanmälan för (\d{4}) är öppen")
MORE_ACTIONS = "Fler åtgärder"


def local(moment):
    return timezone.localtime(moment).strftime("%Y-%m-%d %H:%M")


def live_form():
    return InterestFormPage.objects.live().get()


def public_pages():
    programmes = list(ProgramPage.objects.live().order_by("path"))
    index = ProgramIndexPage.objects.get()
    return programmes, [
        ("startsidan", "/"),
        ("översikten", index.url),
        *((programme.title, programme.url) for programme in programmes),
        ("intresseanmälan", live_form().url),
    ]


def check_every_page(page, site, step):
    """Every public page says the same year and state, the one the rules give."""
    form = live_form()
    now = timezone.now()
    is_open = form.window_state() == FormWindow.OPEN
    year = form.intake_year
    programmes, pages = public_pages()
    said = {}
    for name, url in pages:
        page.goto(f"{site}{url}")
        main = page.locator("main")
        text = " ".join(main.inner_text().split())
        said[name] = set(OPEN.findall(text))
        form_links = main.locator(f'a[href$="{form.url}"]').count()
        if is_open:
            assert said[name] <= {str(year)}, (step, name, said[name])
            if name != "intresseanmälan":
                # Says so, or offers the form (the overview's callout).
                assert said[name] or form_links, (step, name)
        else:
            assert not said[name], f"{step}: {name} says open: {said[name]}"
            assert form_links == 0, f"{step}: {name} links to the closed form"
            if form.window_state() == FormWindow.CLOSED:
                assert f"Intresseanmälan för {year} är stängd" in text, (step, name)
        check_page(page, f"r2year {step} {name}")
        if name == "intresseanmälan":
            closed_notice = page.locator(".form-window").count()
            assert bool(closed_notice) != is_open, (step, "form page state")
            if is_open:
                assert str(year) in page.locator("h1").inner_text()
        for programme in programmes:
            if name != programme.title:
                continue
            shown = programme_intakes(programme.intake_list, form, now)
            assert shown.leading is not None
            status = shown.status_of(shown.leading)
            assert f"Träffar {shown.leading.year}" in text, (step, name)
            assert str(status.label) in text, (step, name, status)
            years = {i.year for i in programme.intake_list}
            if year in years:
                # The form's year leads, open or closed: never the one before.
                assert shown.leading.year == year, (step, name)
                assert f"Omgång {year}" in text, (step, name)
    # No two pages disagree about the year that is open.
    years = {frozenset(found) for name, found in said.items() if found}
    assert len(years) <= 1, f"{step}: the pages disagree: {said}"
    check_apis(page, site, form, now)
    return said


def check_apis(page, site, form, now):
    """The v2 and v3 APIs give each intake the status its page shows."""
    for programme in ProgramPage.objects.live():
        expected = {
            i.pk: public_status(i, form, now).value
            for i in Intake.objects.filter(program=programme, live=True)
        }
        for url in (
            f"{site}/api/v2/pages/{programme.pk}/",
            f"{site}/api/v3/pages/{programme.pk}/",
        ):
            data = page.request.get(url).json()
            got = {item["id"]: item["status"] for item in data["intakes"]}
            assert got == expected, (url, got, expected)


def edit_intake_dates(page, site, intake, opens, closes, *, publish):
    page.goto(f"{site}/admin/snippets/programs/intake/edit/{intake.pk}/")
    if opens is not None:
        page.locator("#id_interest_opens_at").fill(local(opens))
    page.locator("#id_interest_closes_at").fill(local(closes))
    if publish:
        page.get_by_role("button", name="Publicera", exact=True).click()
    else:
        page.get_by_role("button", name=MORE_ACTIONS).first.click()
        page.get_by_role("button", name="Spara utkast").click()
    page.wait_for_url(re.compile(r"/admin/snippets/programs/intake/"))
    page.wait_for_load_state()


def test_a_year_from_rollover_through_publishing_to_closing(
    site, page, django_user_model
):
    SHOTS.mkdir(parents=True, exist_ok=True)
    make_member(django_user_model, "kim", EDITORS, password="hemligt-123")

    # a) The seed: 2025 takes interest.
    said = check_every_page(page, site, "a start")
    assert {"2025"} in said.values()

    # b) Ny antagning for 2026 from the overview's header menu, in the admin.
    log_in(page, site, "kim")
    index = ProgramIndexPage.objects.get()
    page.goto(f"{site}/admin/program/{index.pk}/ny-antagning/")
    page.get_by_role("button", name="Skapa antagningar för 2026").click()
    page.wait_for_load_state()
    drafts = list(Intake.objects.filter(year=2026).order_by("program__path"))
    assert len(drafts) == 2
    assert not any(intake.live for intake in drafts)
    now = timezone.now()
    opens = now - datetime.timedelta(days=2)
    closes = now + datetime.timedelta(days=30)
    for intake in drafts:
        edit_intake_dates(page, site, intake, opens, closes, publish=False)
    # The guided flow: the dates check out, step 2 previews the programme pages.
    page.goto(f"{site}/admin/ny-antagning/2026/")
    assert page.get_by_text("Det här behöver rättas").count() == 0
    page.goto(f"{site}/admin/ny-antagning/2026/?steg=2")
    preview_link = page.get_by_role("link", name=re.compile("med antagningen 2026"))
    assert preview_link.count() == 2
    page.goto(site + preview_link.first.get_attribute("href"))
    assert "Intresseanmälan för 2026 är öppen" in page.locator("main").inner_text()
    page.screenshot(path=SHOTS / "preview-2026-1280.png")

    anonymous = page.context.browser.new_page()
    try:
        said = check_every_page(anonymous, site, "b 2026 draft")
        assert {"2025"} in said.values(), "2025 still leads while 2026 is a draft"

        # c) Publish the year together.
        page.goto(f"{site}/admin/ny-antagning/2026/?steg=3")
        page.get_by_role("button", name="Publicera 2026").click()
        page.wait_for_url(re.compile(r"steg=3"))
        assert live_form().intake_year == 2026
        said = check_every_page(anonymous, site, "c 2026 published")
        assert {"2026"} in said.values()
        programme = ProgramPage.objects.live().order_by("path").first()
        anonymous.goto(f"{site}{programme.url}")
        # 2025 went under the collapsed "Tidigare omgångar".
        earlier = anonymous.locator("main details", has_text="Tidigare omgångar")
        assert earlier.count() == 1
        assert "2025" in earlier.text_content()
        assert "2025" not in anonymous.locator("main").inner_text()
        for width in (320, 375, 1280):
            anonymous.set_viewport_size({"width": width, "height": 900})
            anonymous.screenshot(
                path=SHOTS / f"programme-2026-{width}.png", full_page=True
            )

        # d) Closing early: the editor moves each intake's closing into the past.
        past = timezone.now() - datetime.timedelta(hours=1)
        for intake in Intake.objects.filter(year=2026):
            edit_intake_dates(page, site, intake, None, past, publish=True)
        assert live_form().window_state() == FormWindow.CLOSED
        check_every_page(anonymous, site, "d closed")
    finally:
        anonymous.close()
