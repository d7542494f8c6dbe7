"""Both OpenAPI documents generate clients without a warning (``make api-clients``).

openapi-typescript (npm, pinned in ``tools/api-clients``) and
openapi-python-client (PyPI, pinned in ``requirements-dev.txt``) are what a
front-end team would run. Each must generate with no warning, the TypeScript
must compile with the page union narrowing on ``type``, and the Python client
must parse a real programme page as a programme page.
"""

import importlib
import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

from django.test import Client

import httpx
import pytest

pytestmark = [pytest.mark.clients, pytest.mark.django_db]

ROOT = Path(__file__).resolve().parents[2]
TOOLS = ROOT / "tools" / "api-clients"
BIN = TOOLS / "node_modules" / ".bin"
DOCUMENTS = {"v3": "/api/v3/openapi.json", "forms": "/api/forms/openapi.json"}


@pytest.fixture(scope="module")
def tools():
    if not (BIN / "openapi-typescript").exists():
        pytest.fail("tools/api-clients is not installed: run `make api-clients`")
    if not shutil.which("openapi-python-client", path=str(Path(sys.executable).parent)):
        pytest.fail("openapi-python-client is missing: run `make install`")


@pytest.fixture
def documents(tmp_path, seed_pages):
    paths = {}
    for name, url in DOCUMENTS.items():
        response = Client().get(url)
        assert response.status_code == 200
        paths[name] = tmp_path / f"{name}.json"
        paths[name].write_bytes(response.content)
    return paths


def run(*command, cwd):
    env = {**os.environ, "PATH": f"{Path(sys.executable).parent}:{os.environ['PATH']}"}
    done = subprocess.run(
        command, cwd=cwd, capture_output=True, text=True, env=env, timeout=300
    )
    output = done.stdout + done.stderr
    assert done.returncode == 0, output
    return output


def test_openapi_typescript_generates_types_that_narrow(tools, documents, tmp_path):
    for name, document in documents.items():
        output = run(
            BIN / "openapi-typescript",
            document,
            "-o",
            tmp_path / f"{name}.ts",
            cwd=tmp_path,
        )
        assert "warn" not in output.lower(), output
        assert "error" not in output.lower(), output
    shutil.copy(Path(__file__).parent / "clients" / "narrow.ts", tmp_path)

    run(BIN / "tsc", "--noEmit", "--strict", "narrow.ts", cwd=tmp_path)


def test_openapi_python_client_generates_a_client_that_parses_pages(
    tools, documents, tmp_path, seed_pages, monkeypatch
):
    generator = Path(sys.executable).parent / "openapi-python-client"
    for name, document in documents.items():
        output = run(
            generator,
            "generate",
            "--path",
            document,
            "--output-path",
            tmp_path / f"{name}_client",
            "--meta",
            "none",
            cwd=tmp_path,
        )
        assert "warning" not in output.lower(), output

    monkeypatch.syspath_prepend(str(tmp_path))
    detail = importlib.import_module("v3_client.api.pages.pages_detail")
    client_module = importlib.import_module("v3_client.client")
    programme = seed_pages["/toppolitikerprogrammen/toppolitikerprogrammet/"]
    body = Client().get(f"/api/v3/pages/{programme.pk}/").content
    response = httpx.Response(
        200, content=body, headers={"Content-Type": "application/json"}
    )

    page = detail._parse_response(
        client=client_module.Client(base_url="http://testserver"), response=response
    )

    assert type(page).__name__ == "ProgramPageSchema"
    assert page.type_ == "programs.ProgramPage"
    assert [intake.year for intake in page.intakes] == [
        intake["year"] for intake in json.loads(body)["intakes"]
    ]
