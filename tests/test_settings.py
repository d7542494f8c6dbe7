"""Production settings refuse to start rather than run with unsafe defaults."""

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent


def import_production_settings(**env):
    environ = {
        key: value
        for key, value in os.environ.items()
        if key
        not in {
            "SECRET_KEY",
            "ALLOWED_HOSTS",
            "ALTCHA_HMAC_SECRET",
            "DATABASE_URL",
            "REDIS_URL",
            "SINGLE_MACHINE",
        }
    }
    environ.update(env, DJANGO_SETTINGS_MODULE="cms.settings.production")
    return subprocess.run(
        [sys.executable, "manage.py", "check", "--deploy", "--fail-level", "WARNING"],
        cwd=ROOT,
        env=environ,
        capture_output=True,
        text=True,
        timeout=120,
    )


GOOD = {
    "SECRET_KEY": "x" * 60 + "-a-long-random-production-secret",
    "ALLOWED_HOSTS": "toppolitiker.example.se",
    "ALTCHA_HMAC_SECRET": "another-long-random-secret",
    "DATABASE_URL": "postgres://skr@db.example.se:5432/skr",
    "REDIS_URL": "redis://127.0.0.1:6379/0",
}


def test_production_refuses_to_start_without_a_secret_key():
    result = import_production_settings(**{**GOOD, "SECRET_KEY": ""})
    assert result.returncode != 0
    assert "SECRET_KEY" in result.stderr


def test_production_refuses_to_start_without_allowed_hosts():
    result = import_production_settings(**{**GOOD, "ALLOWED_HOSTS": ""})
    assert result.returncode != 0
    assert "ALLOWED_HOSTS" in result.stderr


@pytest.mark.parametrize(
    "missing", [["DATABASE_URL"], ["REDIS_URL"], ["DATABASE_URL", "REDIS_URL"]]
)
def test_production_refuses_single_machine_defaults_unless_asked_for(missing):
    """Without them production would run on a SQLite file and a per-process
    cache: rate limits and replay protection per worker, nothing shared."""
    env = {**GOOD, **dict.fromkeys(missing, "")}

    refused = import_production_settings(**env)
    asked_for = import_production_settings(**env, SINGLE_MACHINE="1")

    assert refused.returncode != 0
    assert "ImproperlyConfigured" in refused.stderr
    for name in missing:
        assert name in refused.stderr
    assert "SINGLE_MACHINE=1" in refused.stderr
    assert asked_for.returncode == 0, asked_for.stdout + asked_for.stderr


def test_production_settings_pass_the_deploy_check():
    result = import_production_settings(**GOOD)
    assert result.returncode == 0, result.stdout + result.stderr


def test_production_takes_the_trusted_proxies_from_the_environment():
    """Behind a load balancer the rate limit must count clients, not the proxy."""
    environ = {**os.environ, **GOOD}
    environ.update(
        DJANGO_SETTINGS_MODULE="cms.settings.production",
        TRUSTED_PROXIES="10.0.0.0/8, 192.0.2.7",
    )
    script = (
        "from django.test import RequestFactory\n"
        "from forms.submitting import client_ip\n"
        "request = RequestFactory().post('/', REMOTE_ADDR='10.1.2.3',"
        " HTTP_X_FORWARDED_FOR='198.51.100.9, 192.0.2.7')\n"
        "print(client_ip(request))\n"
    )
    result = subprocess.run(
        [sys.executable, "manage.py", "shell", "-c", script],
        cwd=ROOT,
        env=environ,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip().splitlines()[-1] == "198.51.100.9"


def test_production_refuses_metrics_without_a_long_token():
    refused = import_production_settings(
        **GOOD, METRICS_ENABLED="1", METRICS_TOKEN="short"
    )
    accepted = import_production_settings(
        **GOOD, METRICS_ENABLED="1", METRICS_TOKEN="t" * 32
    )

    assert refused.returncode != 0
    assert "METRICS_TOKEN" in refused.stderr
    assert accepted.returncode == 0, accepted.stdout + accepted.stderr


def test_production_logs_one_json_object_a_line_to_stdout():
    environ = {
        **os.environ,
        **GOOD,
        "DJANGO_SETTINGS_MODULE": "cms.settings.production",
    }
    script = (
        "import logging\n"
        "from serving.log_format import request_id_as\n"
        "with request_id_as('abc123'):\n"
        "    logging.getLogger('forms.tasks').warning('Sent %s', 'receipt')\n"
    )
    result = subprocess.run(
        [sys.executable, "manage.py", "shell", "-c", script],
        cwd=ROOT,
        env=environ,
        capture_output=True,
        text=True,
        timeout=120,
    )

    assert result.returncode == 0, result.stderr
    line = json.loads(result.stdout.strip().splitlines()[-1])
    assert line["message"] == "Sent receipt"
    assert line["level"] == "WARNING"
    assert line["logger"] == "forms.tasks"
    assert line["request_id"] == "abc123"


def test_production_does_not_install_the_development_tools():
    """create_dev_admin, the generators and the widget builder are devtools'."""
    environ = {
        **os.environ,
        **GOOD,
        "DJANGO_SETTINGS_MODULE": "cms.settings.production",
    }
    script = (
        "from django.apps import apps\n"
        "from django.core.management import get_commands\n"
        "print(apps.is_installed('devtools'), 'create_dev_admin' in get_commands())\n"
    )
    result = subprocess.run(
        [sys.executable, "manage.py", "shell", "-c", script],
        cwd=ROOT,
        env=environ,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip().splitlines()[-1] == "False False"


def test_development_and_tests_have_the_development_tools():
    from django.apps import apps
    from django.core.management import get_commands

    assert apps.is_installed("devtools")
    assert {"create_dev_admin", "generate_submissions", "preview_token"} <= set(
        get_commands()
    )
