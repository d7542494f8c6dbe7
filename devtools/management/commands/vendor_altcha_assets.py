"""Vendor the ALTCHA widget from its npm package, trimmed for the form pages.

altcha-django ships the widget as one file (``altcha.min.js``, 36 KB gzip): the
Svelte runtime and the widget, its stylesheet as a string it injects with a CSP
nonce, and two workers inlined as strings; its translations come in one file
of every language (68 KB). Issue 11 allows a form page 30 KB of script. So this
command builds the widget's files from the npm package ``altcha`` (the same
major version, so the same protocol as altcha-django's server) into
``static/altcha/``:

- ``altcha.js``: the package's "external" build (no stylesheet, no workers),
  with two parts only ALTCHA Sentinel uses left out (see ``STUBS``), minified,
  then the Swedish strings and the PBKDF2 worker's registration.
- ``pbkdf2-<version>.js``: that worker, verbatim. The widget starts it from this
  file only when it solves a challenge, so a page does not load it up front;
  the version in the name makes a new one a new URL.
- ``altcha.css``: the stylesheet, taken from the package's main build, which
  injects it. The page links it instead: an injected one needs a nonce, and a
  nonce makes every copy of the page unique, so no cache could keep it.
- ``LICENSE.txt`` (altcha) and ``LICENSE-svelte.md`` (the runtime in the bundle).
- ``vendored.json``: the versions, integrities and each file's SHA-256, which
  a test holds the committed files to.

Only a maintainer runs it, after changing ``VERSION``: it needs node and the npm
registry (``npm pack``, ``npm exec`` for terser). ``make install`` and the tests
need neither. ``--check`` rebuilds and compares with the committed files.
"""

import base64
import hashlib
import json
import re
import subprocess
import tarfile
import tempfile
from pathlib import Path

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

PACKAGE = "altcha"
VERSION = "3.2.2"
# npm view altcha@3.2.2 dist.integrity
INTEGRITY = (
    "sha512-yNITQaRSkRe0u/hMxdzoXFFqxqn9iDt1rJ0reREU3D3u"
    "DD3w1oFz6v5C2PMww2XnGThtYUwe8MW+PxsiBglNqw=="
)
# Only for its licence text: the least version altcha's package.json allows.
SVELTE = "svelte@5.53.10"
SVELTE_INTEGRITY = (
    "sha512-UcNfWzbrjvYXYSk+U2hME25kpb87oq6/WVLeBF4khyQr"
    "b3Ob/URVlN23khal+RbdCUTMfg4qWjI9KZjCNFtYMQ=="
)
# Pinned: another version minifies differently, and --check would fail.
TERSER = "terser@5.51.4"
TERSER_OPTIONS = ["--module", "--compress", "passes=2", "--mangle"]

TARGET = Path(settings.BASE_DIR) / "static" / "altcha"
MANIFEST = TARGET / "vendored.json"
WIDGET = "altcha.js"
WORKER = f"pbkdf2-{VERSION}.js"
LANGUAGE = "sv"
# The algorithms the PBKDF2 worker solves; the server's must be one of them.
WORKER_ALGORITHMS = ("PBKDF2/SHA-256", "PBKDF2/SHA-384", "PBKDF2/SHA-512")

# Top-level declarations of the package's unminified ES module that only ALTCHA
# Sentinel reaches: the code challenge (an image or audio code the server may
# ask for after the proof of work) and the collector of pointer and key timings
# (sent only when the server asks for them). altcha-django's local verifier
# asks for neither (a test holds the settings to that). Each is replaced by an
# inert stand-in with the interface the widget calls; the minifier then drops
# the runtime only they used. The marker proves the right block was cut.
STUBS = {
    "function Code(": ("function Code() {}", '"audioUrl"'),
    "class Collector {": (
        "class Collector {\n  destroy() {}\n  export() {\n    return null;\n  }\n}",
        "TAG_CODES",
    ),
}
# The widget's built-in English strings; the Swedish ones replace them.
ENGLISH = re.compile(
    r'\nconst (\w+) = \{\n.*?\n\};\nglobalThis\.\$altcha\.i18n\.set\("en", \1\);\n',
    re.DOTALL,
)

# The widget's call that injects its stylesheet, followed by the CSS as a
# single-quoted JavaScript string (in the package's main build).
CSS_CALL = "document.head.appendChild(n)}}("
JS_ESCAPES = {"n": "\n", "t": "\t", "r": "\r", "'": "'", '"': '"', "\\": "\\"}
# One ``key: "text",`` line of a language's object (double or single quotes).
STRING_ENTRY = r'^\s+(\w+): ("(?:[^"\\]|\\.)*"|\'[^\']*\'),?$'

BANNER = (
    f"/*! ALTCHA widget {VERSION} (MIT, LICENSE.txt) with the Svelte runtime (MIT,\n"
    " LICENSE-svelte.md), trimmed and minified by manage.py vendor_altcha_assets. */\n"
)
# Appended after minification, in a block so its names cannot meet the
# minified module's top-level ones.
TAIL = """{{
  // Swedish only, also for any other language asked for: the package's
  // English is left out.
  const strings = {strings};
  globalThis.$altcha.i18n.set("{language}", strings);
  globalThis.$altcha.i18n.set("en", strings);
  // The worker from its own file, fetched when a challenge is solved. A worker
  // must come from the page's origin: STATIC_URL is a path (a test checks).
  const worker = new URL("{worker}", import.meta.url);
  for (const algorithm of {algorithms}) {{
    globalThis.$altcha.algorithms.set(algorithm, () => new Worker(worker));
  }}
}}
"""


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
    """The stylesheet the main build's ``altcha.min.js`` injects."""
    start = widget_js.index(CSS_CALL) + len(CSS_CALL)
    return js_string(widget_js, start)


def language_strings(source: str, language: str) -> dict[str, str]:
    """One language's strings from a module that registers them."""
    variable = found(rf'\.i18n\.set\("{language}", ([\w$]+)\);', source)
    body = found(rf"const {re.escape(variable)} = (\{{.*?\n\}});", source, re.DOTALL)
    strings = dict(re.findall(STRING_ENTRY, body, re.MULTILINE))
    return {key: js_value(value) for key, value in strings.items()}


def js_value(literal: str) -> str:
    if literal.startswith("'"):
        return literal[1:-1]
    return json.loads(literal)


def stub(source: str, start: str, replacement: str, marker: str) -> str:
    """``source`` with the top-level declaration that opens with ``start`` (at
    the start of a line, closed by a ``}`` at the start of a line) replaced."""
    begin = source.find("\n" + start)
    if begin < 0 or source.count("\n" + start) != 1:
        raise CommandError(f"the widget has no single top-level {start!r}")
    end = source.index("\n}\n", begin) + len("\n}")
    block = source[begin + 1 : end]
    inner = block.splitlines()[1:-1]
    if marker not in block or any(line[:1] not in ("", " ") for line in inner):
        raise CommandError(f"{start!r} is not the block it was: check STUBS")
    return source[: begin + 1] + replacement + source[end:]


def widget_module(external_js: str) -> str:
    """The external build without the Sentinel-only parts and English."""
    for start, (replacement, marker) in STUBS.items():
        external_js = stub(external_js, start, replacement, marker)
    external_js, count = ENGLISH.subn("\n", external_js)
    if count != 1:
        raise CommandError("the widget's English strings were not found")
    return external_js


def widget_tail(strings: dict[str, str]) -> str:
    return TAIL.format(
        strings=json.dumps(
            strings, ensure_ascii=False, indent=2, sort_keys=True
        ).replace("\n", "\n  "),
        language=LANGUAGE,
        worker=WORKER,
        algorithms=json.dumps(list(WORKER_ALGORITHMS)),
    )


def tail_strings(widget_js: str) -> dict[str, str]:
    """The Swedish strings in a built ``altcha.js``."""
    text = found(r"\n  const strings = (\{\n.*?\n  \});\n", widget_js, re.DOTALL)
    return json.loads(text)


def found(pattern: str, text: str, flags: int = 0) -> str:
    """The first group of ``pattern`` in ``text``; a build that changed shape
    is an error that says so, not an AttributeError."""
    match = re.search(pattern, text, flags)
    if match is None:
        raise CommandError(f"the package no longer matches {pattern!r}")
    return match.group(1)


def sha256(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def npm(*args: str, cwd: Path) -> str:
    try:
        # A maintainer's tool: npm from their PATH, with fixed arguments.
        result = subprocess.run(  # noqa: S603
            ["npm", *args],  # noqa: S607
            cwd=cwd,
            check=True,
            capture_output=True,
            text=True,
        )
    except FileNotFoundError as error:
        raise CommandError("npm (node) is needed to vendor the widget") from error
    except subprocess.CalledProcessError as error:
        raise CommandError(f"npm {' '.join(args)}: {error.stderr}") from error
    return result.stdout


def unpack(spec: str, integrity: str, workdir: Path) -> Path:
    """``npm pack`` the package, check its integrity ourselves, unpack it."""
    filename = json.loads(npm("pack", spec, "--json", cwd=workdir))[0]["filename"]
    tarball = workdir / filename
    digest = hashlib.sha512(tarball.read_bytes()).digest()
    actual = "sha512-" + base64.b64encode(digest).decode()
    if actual != integrity:
        raise CommandError(f"{spec}: integrity {actual}, expected {integrity}")
    destination = workdir / filename.removesuffix(".tgz")
    with tarfile.open(tarball) as archive:
        archive.extractall(destination, filter="data")
    return destination / "package"


def minify(source: str, workdir: Path) -> str:
    path = workdir / "widget.js"
    path.write_text(source)
    output = workdir / "widget.min.js"
    npm(
        "exec", "--yes", f"--package={TERSER}", "--", "terser", str(path),
        *TERSER_OPTIONS, "--output", str(output), cwd=workdir,
    )  # fmt: skip
    return output.read_text()


def build() -> dict[str, bytes]:
    """Every vendored file's content, built from the registry."""
    with tempfile.TemporaryDirectory(prefix="vendor-altcha-") as tmp:
        workdir = Path(tmp)
        package = unpack(f"{PACKAGE}@{VERSION}", INTEGRITY, workdir)
        svelte = unpack(SVELTE, SVELTE_INTEGRITY, workdir)
        dist = package / "dist"
        external_js = (dist / "external" / "altcha.js").read_text()

        swedish_js = (dist / "i18n" / f"{LANGUAGE}.js").read_text()
        strings = language_strings(swedish_js, LANGUAGE)
        differ = set(strings) ^ set(language_strings(external_js, "en"))
        if differ:
            raise CommandError(f"Swedish lacks or adds strings: {sorted(differ)}")

        widget = minify(widget_module(external_js), workdir)
        files = {
            WIDGET: BANNER + widget.rstrip("\n") + "\n" + widget_tail(strings),
            WORKER: (dist / "workers" / "pbkdf2.js").read_text(),
            "altcha.css": widget_css((dist / "main" / "altcha.min.js").read_text()),
            "LICENSE.txt": (package / "LICENSE.txt").read_text(),
            "LICENSE-svelte.md": (svelte / "LICENSE.md").read_text(),
        }
    built = {name: text.encode() for name, text in files.items()}
    manifest = {
        "package": f"{PACKAGE}@{VERSION}",
        "integrity": INTEGRITY,
        "svelte_licence_from": SVELTE,
        "svelte_integrity": SVELTE_INTEGRITY,
        "minifier": f"{TERSER} {' '.join(TERSER_OPTIONS)}",
        "sha256": {name: sha256(data) for name, data in sorted(built.items())},
    }
    built[MANIFEST.name] = (json.dumps(manifest, indent=2) + "\n").encode()
    return built


class Command(BaseCommand):
    help = "Build the ALTCHA widget's files in static/altcha/ from the npm package."

    def add_arguments(self, parser):
        parser.add_argument(
            "--check",
            action="store_true",
            help="Rebuild and report whether the committed files match.",
        )

    def handle(self, *args, check=False, **options):
        files = build()
        TARGET.mkdir(parents=True, exist_ok=True)
        extra = sorted(p.name for p in TARGET.iterdir() if p.name not in files)
        if check:
            stale = [
                name
                for name, data in files.items()
                if not (TARGET / name).exists() or (TARGET / name).read_bytes() != data
            ]
            if stale or extra:
                raise CommandError(f"not as built: {', '.join(stale + extra)}")
            self.stdout.write("static/altcha/ is as built.")
            return
        for name in extra:
            (TARGET / name).unlink()
            self.stdout.write(f"static/altcha/{name}: removed")
        for name, data in files.items():
            (TARGET / name).write_bytes(data)
            self.stdout.write(f"static/altcha/{name}: {len(data)} bytes")
