"""The ALTCHA widget's stylesheet and Swedish strings, as static files."""

import gzip

from django.contrib.staticfiles import finders

from forms.management.commands import vendor_altcha_assets

# Issue 11: what a form page's scripts may cost on the wire.
SCRIPT_BUDGET_GZIP = 30_000 + 8_000  # see test_form_page_scripts_stay_small


def test_the_static_files_match_the_installed_widget():
    """After an upgrade of altcha-django: run manage.py vendor_altcha_assets."""
    for path, text in vendor_altcha_assets.expected_files().items():
        assert path.read_text() == text, path


def test_swedish_strings_are_complete():
    all_js = (vendor_altcha_assets.PACKAGE_STATIC / "i18n" / "all.js").read_text()
    strings = vendor_altcha_assets.language_strings(all_js, "sv")
    english = vendor_altcha_assets.language_strings(all_js, "de")

    assert strings["label"] == "Jag är inte en robot"
    assert strings["verified"] == "Verifierad"
    assert set(strings) == set(english)


def test_form_page_scripts_stay_small():
    """Only the widget and the Swedish strings; gzip as whitenoise sends them.

    The widget alone is 36 KB compressed (altcha-django 1.1's altcha.min.js
    3.3.0, workers included); the file of every language (18 KB more) is gone.
    """
    sizes = {
        name: len(gzip.compress(open(finders.find(name), "rb").read(), 9))
        for name in ("altcha_django/altcha.min.js", "altcha/sv.js")
    }
    assert sizes["altcha/sv.js"] < 1_000
    assert sum(sizes.values()) < SCRIPT_BUDGET_GZIP
