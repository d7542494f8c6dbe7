"""generate_submissions: realistic registrations in bulk, for benchmarks and tests."""

import io
from datetime import timedelta

from django.core.management import CommandError, call_command
from django.utils import timezone

import pytest

from forms.models import ContactSubmission, InterestSubmission
from programs.models import ProgramPage


def generate(*args):
    out = io.StringIO()
    call_command("generate_submissions", *args, stdout=out)
    return out.getvalue()


def test_it_refuses_to_run_without_being_told_the_database_is_for_tests(seed_pages):
    with pytest.raises(CommandError, match="--yes"):
        generate("10")
    assert not InterestSubmission.objects.exists()


def test_it_stores_registrations_as_the_form_would_have(seed_pages):
    output = generate("400", "--yes", "--years", "3")

    assert "400 intresseanmälningar och 40 kontaktförfrågningar" in output
    assert InterestSubmission.objects.count() == 400
    assert ContactSubmission.objects.count() == 40
    registrations = list(InterestSubmission.objects.prefetch_related("programs"))
    programs = set(ProgramPage.objects.live())
    linked = [set(r.programs.all()) for r in registrations]
    assert set().union(*linked) == programs
    assert any(not chosen for chosen in linked)  # some chose no programme
    assert {r.status for r in registrations} == set(InterestSubmission.Status)
    for registration in registrations[:20]:
        answers = dict(registration.answers())
        assert registration.name in answers.values()
        assert registration.email in answers.values()
        titles = sorted(program.title for program in registration.programs.all())
        assert sorted(registration.form_data.get(chosen_field(registration), [])) == (
            titles
        )


def chosen_field(registration):
    """The name under which the form stored the chosen programmes."""
    return next(
        name
        for name, value in registration.form_data.items()
        if isinstance(value, list)
    )


def test_dates_spread_over_the_years_asked_for_and_old_ones_are_handled(seed_pages):
    generate("300", "--yes", "--years", "4", "--contacts", "0")
    now = timezone.now()
    times = list(InterestSubmission.objects.values_list("submit_time", flat=True))

    assert min(times) < now - timedelta(days=3 * 365)
    assert max(times) > now - timedelta(days=60)
    old = InterestSubmission.objects.filter(submit_time__lt=now - timedelta(days=365))
    assert old.filter(status="ny").count() < old.count() * 0.05


def test_it_refuses_a_negative_count(seed_pages):
    with pytest.raises(CommandError, match="0 eller mer"):
        generate("-1", "--yes")
