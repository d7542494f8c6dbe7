"""The reference a sender is given finds their submission in the inbox."""

from forms.models import InterestSubmission
from tests.conftest import INTEREST_PATH
from tests.factories import interest_data
from tests.forms.excel_csv import downloaded, excel_dicts


def test_the_inbox_finds_a_registration_by_its_reference_and_exports_it(
    manager_client, post, programs
):
    post(INTEREST_PATH, interest_data(programs, name="Anna Andersson"))
    post(INTEREST_PATH, interest_data(programs, name="Bo Berg"))
    anna = InterestSubmission.objects.get(name="Anna Andersson")

    found = manager_client.get("/admin/intresseanmalningar/", {"q": anna.reference})
    export = manager_client.get("/admin/intresseanmalningar/", {"export": "csv"})
    inspect = manager_client.get(f"/admin/intresseanmalningar/inspect/{anna.pk}/")

    assert [s.name for s in found.context["object_list"]] == ["Anna Andersson"]
    rows = excel_dicts(downloaded(export))
    assert {row["Namn"]: row["Referens"] for row in rows}["Anna Andersson"] == (
        anna.reference
    )
    assert anna.reference in inspect.content.decode()
