"""The ALTCHA widget's vendored files (manage.py vendor_altcha_assets) and what
a form page's scripts cost."""

import gzip
import hashlib
import json
from pathlib import Path
from urllib.parse import urlsplit

from django.conf import settings
from django.contrib.staticfiles import finders
from django.core.management.base import CommandError

import altcha_django
import pytest
from altcha_django.conf import conf
from bs4 import BeautifulSoup

from devtools.management.commands import vendor_altcha_assets as vendor
from tests.conftest import CONTACT_PATH, INTEREST_PATH

# Issue 11: every script a form page loads, compressed as whitenoise sends it.
SCRIPT_BUDGET_GZIP = 30_000
# What the widget fetches when it solves a challenge, on top.
WORKER_BUDGET_GZIP = 2_000
PACKAGE_STATIC = Path(altcha_django.__file__).parent / "static" / "altcha_django"


def gzipped(data: bytes) -> int:
    return len(gzip.compress(data, 9))


def widget_js() -> str:
    return (vendor.TARGET / vendor.WIDGET).read_text()


def test_the_vendored_files_are_as_the_command_built_them():
    """Edited by hand, or VERSION changed without a rebuild? Run
    manage.py vendor_altcha_assets (it needs node and the npm registry)."""
    recorded = json.loads(vendor.MANIFEST.read_text())
    assert recorded["package"] == f"{vendor.PACKAGE}@{vendor.VERSION}"
    assert recorded["integrity"] == vendor.INTEGRITY
    assert recorded["svelte_integrity"] == vendor.SVELTE_INTEGRITY
    on_disk = {
        path.name: hashlib.sha256(path.read_bytes()).hexdigest()
        for path in vendor.TARGET.iterdir()
        if path != vendor.MANIFEST
    }
    assert on_disk == recorded["sha256"]


def test_the_licences_come_with_the_widget():
    assert (vendor.TARGET / "LICENSE.txt").read_text().startswith("MIT License")
    assert "Svelte Contributors" in (vendor.TARGET / "LICENSE-svelte.md").read_text()
    assert widget_js().startswith(f"/*! ALTCHA widget {vendor.VERSION} (MIT")


def test_the_widget_speaks_the_protocol_of_altcha_djangos_server():
    """altcha-django ships the widget its server speaks with. Ours is of the
    same major version; when altcha-django moves to another, vendor one too."""
    shipped = (PACKAGE_STATIC / "altcha.min.js.VERSION").read_text().strip()
    assert shipped.split(".")[0] == vendor.VERSION.split(".")[0]


def test_the_server_asks_only_for_what_the_trimmed_widget_can_do():
    # The PBKDF2 worker is the only one the widget has.
    assert conf.CHALLENGE["algorithm"] in vendor.WORKER_ALGORITHMS
    # The code challenge and the interaction collector were left out: only
    # ALTCHA Sentinel asks for them.
    assert conf.VERIFIER == "local"
    assert not conf.SENTINEL_CHALLENGE_URL


def test_the_worker_comes_from_the_pages_own_origin():
    """A worker's script must be same-origin; the widget finds it next to itself."""
    assert settings.STATIC_URL.startswith("/")
    assert not settings.STATIC_URL.startswith("//")
    assert f'new URL("{vendor.WORKER}", import.meta.url)' in widget_js()
    assert finders.find(f"altcha/{vendor.WORKER}")


def test_swedish_strings_are_complete():
    strings = vendor.tail_strings(widget_js())
    all_js = (PACKAGE_STATIC / "i18n" / "all.js").read_text()
    other = vendor.language_strings(all_js, "de")

    assert strings["label"] == "Jag är inte en robot"
    assert strings["verified"] == "Verifierad"
    assert set(strings) == set(other)


def test_the_widget_speaks_swedish_only():
    widget = widget_js()

    assert "I'm not a robot" not in widget
    assert "Protected by" not in widget
    # Swedish is the fallback for any other language asked for.
    assert 'i18n.set("en", strings)' in widget


@pytest.mark.parametrize("path", [INTEREST_PATH, CONTACT_PATH])
def test_form_page_scripts_stay_small(client, seed_pages, path):
    """Every script the page loads, from its own markup."""
    soup = BeautifulSoup(client.get(path).content, "html.parser")
    sizes = {}
    for script in soup.find_all("script"):
        if script.get("type") == "application/ld+json":
            continue
        if not script.get("src"):
            sizes["inline"] = sizes.get("inline", 0) + gzipped(script.text.encode())
            continue
        url = urlsplit(script["src"]).path
        assert url.startswith(settings.STATIC_URL), url
        found = finders.find(url.removeprefix(settings.STATIC_URL))
        sizes[url] = gzipped(Path(found).read_bytes())

    assert f"{settings.STATIC_URL}altcha/{vendor.WIDGET}" in sizes
    assert sum(sizes.values()) < SCRIPT_BUDGET_GZIP, sizes


def test_the_worker_is_small_too():
    worker = finders.find(f"altcha/{vendor.WORKER}")
    assert gzipped(Path(worker).read_bytes()) < WORKER_BUDGET_GZIP


# The build's text surgery, on a module shaped like the package's (the real one
# needs the registry; manage.py vendor_altcha_assets --check runs it).
MODULE = """const x = 1;
function Code($$anchor, $$props) {
  let audioUrl = prop($$props, "audioUrl");
  return audioUrl;
}
class Collector {
  TAG_CODES = {};
}
const i18n = {
  label: "I'm not a robot",
  verified: "Verified"
};
globalThis.$altcha.i18n.set("en", i18n);
function Widget() {
  return [Code, new Collector()];
}
"""


def test_the_build_leaves_out_the_sentinel_parts_and_english():
    module = vendor.widget_module(MODULE)

    assert "function Code() {}" in module
    assert "audioUrl" not in module
    assert "TAG_CODES" not in module
    assert "export() {" in module
    assert "I'm not a robot" not in module
    assert module.startswith("const x = 1;\n")
    assert module.endswith("  return [Code, new Collector()];\n}\n")


def test_the_build_refuses_a_block_it_does_not_recognise():
    changed = MODULE.replace('"audioUrl"', '"imageUrl"')
    with pytest.raises(CommandError, match="function Code"):
        vendor.widget_module(changed)
    with pytest.raises(CommandError, match="English"):
        vendor.widget_module(MODULE.replace('set("en"', 'set("fr"'))


def test_the_appended_strings_read_back():
    strings = {"label": "Jag är inte en robot", "footer": 'Skyddad av <a href="/">'}
    tail = vendor.widget_tail(strings)

    assert vendor.tail_strings("x;\n" + tail) == strings
    assert f'new URL("{vendor.WORKER}", import.meta.url)' in tail
