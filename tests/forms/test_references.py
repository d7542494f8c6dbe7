"""The reference a sender is given finds their submission in the inbox."""

import csv
import io

from forms.models import InterestSubmission
from tests.conftest import INTEREST_PATH

from .conftest import interest_data
from .test_inbox import make_member


def test_the_inbox_finds_a_registration_by_its_reference_and_exports_it(
    client, post, programs, django_user_model
):
    post(INTEREST_PATH, interest_data(programs, namn="Anna Andersson"))
    post(INTEREST_PATH, interest_data(programs, namn="Bo Berg"))
    anna = InterestSubmission.objects.get(name="Anna Andersson")
    client.force_login(make_member(django_user_model, "pa", "Programansvariga"))

    found = client.get("/admin/intresseanmalningar/", {"q": anna.reference})
    export = client.get("/admin/intresseanmalningar/", {"export": "csv"})
    inspect = client.get(f"/admin/intresseanmalningar/inspect/{anna.pk}/")

    assert [s.name for s in found.context["object_list"]] == ["Anna Andersson"]
    rows = csv.DictReader(io.StringIO(b"".join(export.streaming_content).decode()))
    assert {row["Namn"]: row["Referens"] for row in rows}["Anna Andersson"] == (
        anna.reference
    )
    assert anna.reference in inspect.content.decode()
