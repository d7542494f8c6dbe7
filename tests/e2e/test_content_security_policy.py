"""The site, the verification widget and the admin work under their
Content-Security-Policy: the browser blocks nothing any of them needs."""

from urllib.parse import urlsplit

import pytest

from devtools.management.commands.vendor_altcha_assets import WORKER
from forms.models import InterestFormPage, InterestSubmission
from tests.e2e.test_forms import FORM, fill_and_send_interest_form
from tests.factories import MANAGERS, make_member

pytestmark = [
    pytest.mark.e2e,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]

DESKTOP = {"width": 1280, "height": 900}

REPORT_VIOLATIONS = """
document.addEventListener("securitypolicyviolation", (event) => {
  window.reportCspViolation(
    `${event.violatedDirective} blocked ${event.blockedURI || "inline"}`
    + ` on ${event.documentURI}`
  );
});
"""


@pytest.fixture
def violations(page):
    """Every Content-Security-Policy violation the browser reports, as it sees it
    (the ``securitypolicyviolation`` event) and as it logs it (the console)."""
    seen = []

    def record(violation):
        seen.append(violation)

    page.expose_function("reportCspViolation", record)
    page.add_init_script(REPORT_VIOLATIONS)

    def record_console(message):
        if "Content Security Policy" in message.text:
            seen.append(message.text)

    page.on("console", record_console)
    return seen


def test_public_pages_load_with_no_policy_violation(site, page, violations):
    for path in (
        "/",
        "/toppolitikerprogrammen/",
        "/toppolitikerprogrammen/toppolitikerprogrammet/",
        "/toppolitikerprogrammen/toppolitikerprogrammet/styrning-och-ledning/",
        "/kontakt/",
    ):
        response = page.goto(f"{site}{path}")
        assert "script-src 'self'" in response.headers["content-security-policy"]
        assert page.locator("h1").is_visible()

    assert violations == []


def test_widget_verifies_and_the_form_is_sent_with_no_policy_violation(
    site, page, violations
):
    fill_and_send_interest_form(site, page)

    assert InterestSubmission.objects.count() == 1
    assert violations == []


def test_widget_is_styled_and_verifies_on_a_click_under_the_policy(
    site, page, violations
):
    page.goto(f"{site}{FORM}")
    checkbox = page.get_by_label("Jag är inte en robot")
    checkbox.scroll_into_view_if_needed()

    # The page links the widget's stylesheet; a blocked one would have no rules,
    # and its variables would be unset.
    rules = page.evaluate(
        "document.getElementById('altcha-css')?.sheet?.cssRules.length ?? 0"
    )
    radius = page.evaluate(
        "getComputedStyle(document.documentElement)"
        ".getPropertyValue('--altcha-border-radius')"
    )
    assert rules > 0
    assert radius.strip() == "6px"

    # Where a person clicks: the widget draws its own tick over the checkbox.
    box = checkbox.bounding_box()
    page.mouse.click(box["x"] + box["width"] / 2, box["y"] + box["height"] / 2)
    # exact: the live region next to it says "Verifierad." too.
    page.get_by_text("Verifierad", exact=True).wait_for(timeout=60_000)
    assert violations == []


def test_widget_starts_its_workers_from_the_sites_own_file_when_it_solves(
    site, page, violations
):
    workers = []
    page.on("worker", lambda worker: workers.append(urlsplit(worker.url).path))
    page.goto(f"{site}{FORM}")
    checkbox = page.get_by_label("Jag är inte en robot")
    checkbox.wait_for()
    # Not up front: the page's script budget does not count the worker.
    assert workers == []

    checkbox.focus()
    page.keyboard.press("Space")
    page.get_by_text("Verifierad", exact=True).wait_for(timeout=60_000)

    assert workers
    assert set(workers) == {f"/static/altcha/{WORKER}"}
    assert violations == []


def test_admin_editor_and_inbox_work_with_no_policy_violation(
    site, page, violations, django_user_model
):
    django_user_model.objects.create_superuser("lena", "lena@example.org", "h-123-q")
    page.set_viewport_size(DESKTOP)
    page.goto(f"{site}/admin/login/")
    page.get_by_label("Användarnamn").fill("lena")
    page.locator("#id_password").fill("h-123-q")
    page.get_by_role("button", name="Logga in").click()
    page.wait_for_url(f"{site}/admin/")

    form_page = InterestFormPage.objects.get()
    page.goto(f"{site}/admin/pages/{form_page.pk}/edit/")
    # The preview panel frames the page (the admin may frame itself).
    page.get_by_role("button", name="Växla förhandsgranskning").click()
    preview = page.frame_locator("iframe").first
    assert preview.locator("h1").inner_text() == "Intresseanmälan för 2025"
    # The inline panel of form fields is run by an inline script: adding a
    # field only works if the policy lets it run.
    fields = page.locator("[data-inline-panel-child]:not(.deleted)")
    before = fields.count()
    page.locator("#id_form_fields-ADD").click()
    assert fields.count() == before + 1

    page.goto(f"{site}/admin/intresseanmalningar/")
    assert page.get_by_role("heading", level=1).is_visible()

    assert violations == []


def test_programme_manager_reaches_the_inbox_menu_under_the_policy(
    site, page, violations, django_user_model
):
    make_member(django_user_model, "pa", MANAGERS, password="h-123-q")
    page.set_viewport_size(DESKTOP)
    page.goto(f"{site}/admin/login/")
    page.get_by_label("Användarnamn").fill("pa")
    page.locator("#id_password").fill("h-123-q")
    page.get_by_role("button", name="Logga in").click()

    page.get_by_role("link", name="Intresseanmälningar").first.click()
    page.wait_for_url("**/admin/intresseanmalningar/")

    assert violations == []
