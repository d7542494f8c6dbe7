"""Guessing an editor's password on the admin login is stopped after five tries."""

from datetime import timedelta

from django.utils import timezone

import pytest
from axes.models import AccessAttempt

LOGIN = "/admin/login/"
PASSWORD = "rätt-lösenord-2025"
LOCKED = "Inloggningen är tillfälligt spärrad"

pytestmark = pytest.mark.django_db


@pytest.fixture
def editor(django_user_model):
    return django_user_model.objects.create_superuser(
        "redaktor", "redaktor@example.org", PASSWORD
    )


def log_in(client, password, username="redaktor", **extra):
    return client.post(LOGIN, {"username": username, "password": password}, **extra)


def fail(client, times, **extra):
    for attempt in range(times):
        log_in(client, f"fel-lösenord-{attempt}", **extra)


def is_logged_in(client):
    return client.get("/admin/").status_code == 200


def test_right_password_after_four_wrong_ones_logs_in(client, editor):
    fail(client, 4)

    response = log_in(client, PASSWORD)

    assert response.status_code == 302
    assert is_logged_in(client)


def test_fifth_wrong_password_locks_the_login_in_swedish(client, editor):
    fail(client, 4)

    response = log_in(client, "fel-igen")

    assert response.status_code == 429
    assert LOCKED in response.content.decode()


def test_right_password_is_refused_during_the_lockout(client, editor):
    fail(client, 5)

    response = log_in(client, PASSWORD)

    html = response.content.decode()
    assert response.status_code == 429
    assert LOCKED in html
    assert "inte ens med rätt lösenord" in html
    assert "Försök igen om 15 minuter" in html
    assert response["Retry-After"] == "900"
    assert not is_logged_in(client)


def test_lockout_page_is_an_admin_page_in_swedish(client, editor):
    fail(client, 5)

    html = log_in(client, PASSWORD).content.decode()

    assert '<html lang="sv"' in html
    assert "wagtailadmin/css/core.css" in html
    assert 'href="/admin/login/"' in html


def test_lockout_does_not_lock_the_same_user_from_another_address(client, editor):
    fail(client, 5, REMOTE_ADDR="192.0.2.10")

    response = log_in(client, PASSWORD, REMOTE_ADDR="192.0.2.20")

    assert response.status_code == 302
    assert is_logged_in(client)


def test_lockout_does_not_lock_another_user_from_the_same_address(
    client, editor, django_user_model
):
    django_user_model.objects.create_superuser("lena", "lena@example.org", PASSWORD)
    fail(client, 5)

    response = log_in(client, PASSWORD, username="lena")

    assert response.status_code == 302
    assert is_logged_in(client)


def test_login_works_again_after_the_cool_off(client, editor):
    fail(client, 5)
    assert log_in(client, PASSWORD).status_code == 429

    sixteen_minutes_ago = timezone.now() - timedelta(minutes=16)
    AccessAttempt.objects.update(attempt_time=sixteen_minutes_ago)
    response = log_in(client, PASSWORD)

    assert response.status_code == 302
    assert is_logged_in(client)


def test_lockout_still_holds_fourteen_minutes_after_the_last_try(client, editor):
    fail(client, 5)

    AccessAttempt.objects.update(attempt_time=timezone.now() - timedelta(minutes=14))

    assert log_in(client, PASSWORD).status_code == 429


def test_cool_off_and_limit_come_from_the_settings(client, editor, settings):
    settings.AXES_FAILURE_LIMIT = 2
    settings.AXES_COOLOFF_TIME = timedelta(minutes=1)
    fail(client, 2)

    response = log_in(client, PASSWORD)

    assert response.status_code == 429
    assert "Försök igen om 1 minut." in response.content.decode()


# Behind the load balancer every login arrives from the proxy's address; the
# lockout must count the client it forwards for, and only believe a proxy.


def test_lockout_behind_a_trusted_proxy_counts_each_client(client, editor, settings):
    settings.TRUSTED_PROXIES = settings.ALTCHA_TRUSTED_PROXIES = ["10.0.0.0/8"]
    proxy = {"REMOTE_ADDR": "10.0.0.2"}
    fail(client, 5, HTTP_X_FORWARDED_FOR="198.51.100.66", **proxy)

    locked = log_in(client, PASSWORD, HTTP_X_FORWARDED_FOR="198.51.100.66", **proxy)
    other = log_in(client, PASSWORD, HTTP_X_FORWARDED_FOR="198.51.100.7", **proxy)

    assert locked.status_code == 429
    assert other.status_code == 302


def test_forged_forwarded_for_does_not_escape_the_lockout(client, editor, settings):
    settings.TRUSTED_PROXIES = settings.ALTCHA_TRUSTED_PROXIES = ["10.0.0.0/8"]
    fail(client, 5, REMOTE_ADDR="203.0.113.9")

    response = log_in(
        client,
        PASSWORD,
        REMOTE_ADDR="203.0.113.9",
        HTTP_X_FORWARDED_FOR="198.51.100.7",
    )

    assert response.status_code == 429
