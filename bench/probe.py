"""What ``make bench`` needs to know from inside Django before it sends load.

Run by ``bench/run.py`` with the production environment of the benchmark:
``python bench/probe.py OUT.json SUBMISSIONS``. It finds the URLs (the hashed
static file, the programme page, the interest form's id), counts the SQL queries
each measured request costs, the way the server runs it (Django's test client
through the whole middleware stack, page cache on or off as the row says), and
prepares ``SUBMISSIONS`` solved verification payloads, one per submission.

The payloads are signed with the site's secret and have the production
``cost`` (the PBKDF2 iterations the server repeats to verify one), but a
one-digit key prefix instead of two, so that the client finds a solution 16
times sooner: what the server does per submission is unchanged.
"""

import json
import os
import sys
from multiprocessing import Pool
from pathlib import Path

import django

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "cms.settings.production")
django.setup()

from django.conf import settings  # noqa: E402
from django.db import connection  # noqa: E402
from django.test import Client, override_settings  # noqa: E402
from django.test.utils import CaptureQueriesContext  # noqa: E402

from altcha import Payload, solve_challenge  # noqa: E402
from altcha_django.challenge import build_challenge  # noqa: E402

from forms.models import InterestFormPage  # noqa: E402
from programs.models import ProgramPage  # noqa: E402

HOST = "127.0.0.1"
API_LIST = "/api/v2/pages/?type=programs.ProgramPage&fields=*"
API_V3_LIST = "/api/v3/pages/?type=programs.ProgramPage"
BROWSER = {"HTTP_HOST": HOST, "HTTP_ACCEPT_ENCODING": "gzip, deflate, br"}


def static_url():
    """The hashed URL of the site's stylesheet, as pages link it."""
    manifest = json.loads((Path(settings.STATIC_ROOT) / "staticfiles.json").read_text())
    return settings.STATIC_URL + manifest["paths"]["css/site.css"]


def counted(client, method, path, **extra):
    """(queries, status, headers) of one request."""
    with CaptureQueriesContext(connection) as queries:
        response = getattr(client, method)(path, **extra)
    return len(queries), response.status_code, dict(response.headers)


def warm_then_count(client, path, **extra):
    """Queries of the second GET: what a reader pays once the caches are warm."""
    counted(client, "get", path, **extra)
    return counted(client, "get", path, **extra)


def solve(_index):
    challenge = build_challenge(key_prefix="0")
    solution = solve_challenge(challenge, timeout=120)
    return Payload(challenge, solution).to_base64()


def main():
    out, submissions = Path(sys.argv[1]), int(sys.argv[2])
    program = ProgramPage.objects.live().order_by("path").first()
    form = InterestFormPage.objects.live().first()
    client = Client()
    urls = {
        "static": static_url(),
        "content": "/toppolitikerprogrammen/",
        "programme": program.url,
        "form": form.url,
        "api": API_LIST,
        "api_v3": API_V3_LIST,
        "submit": f"/api/forms/{form.pk}/submissions",
    }
    queries = {}
    queries["content"], *_ = warm_then_count(client, urls["content"], **BROWSER)
    queries["programme"], *_ = warm_then_count(
        client, urls["programme"] + "?render", **BROWSER
    )
    with override_settings(PAGE_CACHE_SECONDS=0):
        queries["programme_cold"], *_ = warm_then_count(
            client, urls["programme"], **BROWSER
        )
    queries["form"], *_ = warm_then_count(client, urls["form"], **BROWSER)
    queries["api"], _status, headers = warm_then_count(client, urls["api"], **BROWSER)
    etag = headers.get("ETag", "")
    queries["api304"], status304, _h = counted(
        client, "get", urls["api"], HTTP_IF_NONE_MATCH=etag, **BROWSER
    )
    queries["api_v3"], _status, headers = warm_then_count(
        client, urls["api_v3"], **BROWSER
    )
    etag_v3 = headers.get("ETag", "")
    queries["api_v3_304"], status304_v3, _h = counted(
        client, "get", urls["api_v3"], HTTP_IF_NONE_MATCH=etag_v3, **BROWSER
    )
    definition = client.get(f"/api/forms/{form.pk}", HTTP_HOST=HOST).json()
    with Pool(max(1, os.cpu_count() or 1)) as pool:
        payloads = pool.map(solve, range(submissions + 2))
    # The first submission of a process fills per-process caches; count the second.
    client.post(
        urls["submit"],
        data=body(definition, payloads.pop(), 0),
        content_type="application/json",
        HTTP_HOST=HOST,
    )
    queries["submit"], status_submit, _h = counted(
        client,
        "post",
        urls["submit"],
        data=body(definition, payloads.pop(), 0),
        content_type="application/json",
        HTTP_HOST=HOST,
    )
    out.write_text(
        json.dumps(
            {
                "urls": urls,
                "etag": etag,
                "status304": status304,
                "etag_v3": etag_v3,
                "status304_v3": status304_v3,
                "status_submit": status_submit,
                "queries": queries,
                "bodies": [
                    body(definition, payload, number + 1)
                    for number, payload in enumerate(payloads)
                ],
            }
        )
    )


def answer(field, number):
    """A valid answer to one field of the form's JSON definition."""
    choices = [choice["value"] for choice in field["choices"] or []]
    kind = field["type"]
    if kind in ("checkboxes", "multiselect", "program_choice"):
        return choices[:1]
    if choices:
        return choices[0]
    if kind == "checkbox":
        return True
    if kind == "email":
        return f"bench-{number}@example.invalid"
    if field["autocomplete"] == "tel":
        return "070-123 45 67"
    if kind == "number":
        return 1
    return f"Bench {number}"


def body(definition, payload, number):
    """A valid submission as JSON: every field answered, and a solved payload."""
    data = {field["name"]: answer(field, number) for field in definition["fields"]}
    data["altcha"] = payload
    return json.dumps(data)


if __name__ == "__main__":
    main()
