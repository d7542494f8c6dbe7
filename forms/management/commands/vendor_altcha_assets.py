"""Write the ALTCHA widget's stylesheet and Swedish strings as static files.

altcha-django ships the widget (``altcha.min.js``), which injects its own
stylesheet with a CSP nonce, and one translation file with every language
(``i18n/all.js``, 68 KB). A public form page takes neither: a nonce would make
every copy of the page unique, so no cache could keep it, and only Swedish is
ever shown. This command takes both out of the installed package:

- ``static/altcha/altcha.css``: the stylesheet the widget would inject. The page
  links it with ``id="altcha-css"``, the id the widget looks for before it
  injects its own, so it injects nothing.
- ``static/altcha/sv.js``: the Swedish strings only.

Run it after upgrading altcha-django; a test fails until the files match.
"""

import json
import re
from pathlib import Path

from django.conf import settings
from django.core.management.base import BaseCommand

import altcha_django

PACKAGE_STATIC = Path(altcha_django.__file__).parent / "static" / "altcha_django"
TARGET = Path(settings.BASE_DIR) / "static" / "altcha"
# The widget's call that injects its stylesheet, followed by the CSS as a
# single-quoted JavaScript string.
CSS_CALL = "document.head.appendChild(n)}}("
JS_ESCAPES = {"n": "\n", "t": "\t", "r": "\r", "'": "'", '"': '"', "\\": "\\"}
LANGUAGE = "sv"
# One ``key: "text",`` line of a language's object (double or single quotes).
STRING_ENTRY = r'^\s+(\w+): ("(?:[^"\\]|\\.)*"|\'[^\']*\'),?$'


def js_string(source: str, start: int) -> str:
    """The value of the JavaScript string literal whose quote is at ``start``."""
    quote, index, chars = source[start], start + 1, []
    while source[index] != quote:
        char = source[index]
        if char != "\\":
            chars.append(char)
            index += 1
            continue
        code = source[index + 1]
        if code in JS_ESCAPES:
            chars.append(JS_ESCAPES[code])
            index += 2
        elif code == "u":
            chars.append(chr(int(source[index + 2 : index + 6], 16)))
            index += 6
        else:
            raise ValueError(f"unexpected escape \\{code} in the widget's CSS")
    return "".join(chars)


def widget_css(widget_js: str) -> str:
    """The stylesheet ``altcha.min.js`` injects."""
    start = widget_js.index(CSS_CALL) + len(CSS_CALL)
    return js_string(widget_js, start)


def language_strings(all_js: str, language: str) -> dict[str, str]:
    """One language's strings from ``i18n/all.js``."""
    variable = re.search(rf'\.i18n\.set\("{language}", ([\w$]+)\);', all_js).group(1)
    body = re.search(
        rf"const {re.escape(variable)} = (\{{.*?\n\}});", all_js, re.DOTALL
    ).group(1)
    strings = dict(re.findall(STRING_ENTRY, body, re.MULTILINE))
    return {key: js_value(value) for key, value in strings.items()}


def js_value(literal: str) -> str:
    if literal.startswith("'"):
        return literal[1:-1]
    return json.loads(literal)


def language_module(strings: dict[str, str], language: str) -> str:
    """An ES module registering ``strings``; loaded after ``altcha.min.js``,
    which creates ``globalThis.$altcha``."""
    text = json.dumps(strings, ensure_ascii=False, indent=2, sort_keys=True)
    return (
        f"// The ALTCHA widget's {language} strings, from altcha-django's i18n/all.js\n"
        "// (MIT). Written by manage.py vendor_altcha_assets.\n"
        f'globalThis.$altcha.i18n.set("{language}", {text});\n'
    )


def expected_files() -> dict[Path, str]:
    widget_js = (PACKAGE_STATIC / "altcha.min.js").read_text()
    all_js = (PACKAGE_STATIC / "i18n" / "all.js").read_text()
    return {
        TARGET / "altcha.css": widget_css(widget_js),
        TARGET / f"{LANGUAGE}.js": language_module(
            language_strings(all_js, LANGUAGE), LANGUAGE
        ),
    }


class Command(BaseCommand):
    help = "Write the ALTCHA widget's stylesheet and Swedish strings to static/altcha/."

    def handle(self, *args, **options):
        TARGET.mkdir(parents=True, exist_ok=True)
        for path, text in expected_files().items():
            path.write_text(text)
            name = path.relative_to(settings.BASE_DIR)
            self.stdout.write(f"{name}: {len(text)} bytes")
