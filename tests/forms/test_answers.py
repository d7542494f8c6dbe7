"""A submission's answers read the same in the inbox, the exports and the e-mail."""

from django.core import mail

from forms.models import ContactSubmission, InterestSubmission
from forms.tasks import deliver
from tests.conftest import CONTACT_PATH, INTEREST_PATH
from tests.factories import contact_data, interest_data
from tests.forms.excel_csv import downloaded, excel_dicts


def test_answers_follow_the_form_and_keep_answers_to_removed_fields(
    post, programs, interest_page
):
    post(INTEREST_PATH, interest_data(programs, message="", tel=None))
    submission = InterestSubmission.objects.get()
    submission.form_data["borttaget_falt"] = "Ett svar på en fråga som strukits"
    submission.save(update_fields=["form_data"])

    answers = dict(submission.answers())

    labels = [field.label for field in interest_page.get_form_fields()]
    assert list(answers)[: len(labels)] == labels
    assert answers["borttaget_falt"] == "Ett svar på en fråga som strukits"
    assert answers["Meddelande"] == "–"
    assert "Toppolitikerprogrammet" in answers[labels[5]]


def test_the_e_mail_the_inspect_view_and_the_export_agree(
    manager_client, post, recipients, mailoutbox, contact_page
):
    """The three disagreed: "–" or "-" for an empty answer, removed fields or not."""
    post(CONTACT_PATH, contact_data(email="bo@exempel.se"))
    submission = ContactSubmission.objects.get()
    submission.form_data["borttaget_falt"] = "Kvar"
    submission.save(update_fields=["form_data"])
    mail.outbox.clear()
    ContactSubmission.objects.update(notification_state="failed")
    deliver(ContactSubmission, submission.pk, "notification")
    expected = submission.answers_as_text()

    inspect = manager_client.get(
        f"/admin/kontaktforfragningar/inspect/{submission.pk}/"
    )
    export = manager_client.get("/admin/kontaktforfragningar/", {"export": "csv"})
    rows = excel_dicts(downloaded(export))

    assert expected in mail.outbox[0].body
    assert "borttaget_falt: Kvar" in expected
    # One column per answer (the last for removed fields), as tests/forms/
    # test_export_answers.py checks; here that they read as the e-mail does.
    exported = "\n".join(
        f"{label}: {rows[0][label]}"
        for label, _text in submission.answers()
        if label in rows[0]
    )
    assert f"{exported}\n{rows[0]['Svar på borttagna fält']}" == expected
    html = inspect.content.decode()
    for label, text in submission.answers():
        assert label in html and text in html
