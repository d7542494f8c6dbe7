"""Contact persons' photos and images in the APIs: one shape, fixed renditions.

v2 and v3 page reads give each information owner's photo (or null) with its
alt text, size, focal point and the site's renditions; the public page shows
the same rendition files; the image endpoints give the same renditions.
"""

from django.db import connection
from django.test.utils import CaptureQueriesContext

from wagtail.images import get_image_model

import pytest

from programs.models import ContactPerson, PageContactPerson, ProgramPage
from tests.factories import make_image

from .test_v3_api import ref_name
from .v3 import V3, openapi

pytestmark = pytest.mark.django_db

PROGRAM = "/toppolitikerprogrammen/toppolitikerprogrammet/"
RENDITIONS = {"square_240", "square_240_jpeg", "width_480", "width_960"}


@pytest.fixture(autouse=True)
def media(settings, tmp_path):
    """Originals and renditions go to a directory of the test's own."""
    settings.MEDIA_ROOT = tmp_path


@pytest.fixture
def lena(db):
    return ContactPerson.objects.get(name="Lena Lindgren")


@pytest.fixture
def portrait(lena):
    """Lena's photo: 1200×800 with a focal point on the face, left of centre."""
    image = make_image(
        "Lena Lindgren",
        description="Lena Lindgren framför SKR:s entré",
        focal_point_x=400,
        focal_point_y=300,
        focal_point_width=200,
        focal_point_height=240,
    )
    lena.photo = image
    lena.save()
    return image


def programme():
    return ProgramPage.objects.get(slug="toppolitikerprogrammet")


def v2_owner(client):
    page = programme()
    response = client.get(f"/api/v2/pages/{page.pk}/")
    assert response.status_code == 200, response.content
    return response.json()["information_owners"][0]


def v3_owner(client):
    page = programme()
    response = client.get(f"{V3}/pages/{page.pk}/")
    assert response.status_code == 200, response.content
    return response.json()["information_owners"][0]


def sizes(photo) -> dict:
    return {
        name: (rendition["width"], rendition["height"])
        for name, rendition in photo["renditions"].items()
    }


def test_v2_owner_has_photo_with_alt_size_focal_point_and_renditions(client, portrait):
    photo = v2_owner(client)["photo"]

    assert photo["id"] == portrait.pk
    assert photo["title"] == "Lena Lindgren"
    assert photo["alt"] == "Lena Lindgren framför SKR:s entré"
    assert (photo["width"], photo["height"]) == (1200, 800)
    assert photo["focal_point"] == {"x": 400, "y": 300, "width": 200, "height": 240}
    assert sizes(photo) == {
        "square_240": (240, 240),
        "square_240_jpeg": (240, 240),
        "width_480": (480, 320),
        "width_960": (960, 640),
    }
    urls = {name: item["url"] for name, item in photo["renditions"].items()}
    assert urls["square_240"].endswith(".webp")
    assert urls["square_240_jpeg"].endswith(".jpg")
    assert urls["width_480"].endswith(".webp") and urls["width_960"].endswith(".webp")


def test_v3_owner_photo_is_the_same_object_as_v2s(client, portrait):
    assert v3_owner(client)["photo"] == v2_owner(client)["photo"]


def test_an_owner_without_a_photo_has_null_in_both_apis(client, lena):
    assert lena.photo is None
    assert v2_owner(client)["photo"] is None
    assert v3_owner(client)["photo"] is None


def test_a_photo_without_focal_point_says_null(client, lena):
    lena.photo = make_image("Utan fokus", size=(300, 300))
    lena.save()

    photo = v2_owner(client)["photo"]

    assert photo["focal_point"] is None
    # No upscaling: a small original gives renditions no larger than itself.
    assert sizes(photo) == {
        "square_240": (240, 240),
        "square_240_jpeg": (240, 240),
        "width_480": (300, 300),
        "width_960": (300, 300),
    }


def test_the_square_thumbnail_is_cropped_around_the_focal_point(client, portrait):
    before = v2_owner(client)["photo"]["renditions"]["square_240"]["url"]

    portrait.focal_point_x = 1000
    portrait.save()
    after = v2_owner(client)["photo"]["renditions"]["square_240"]["url"]

    assert after != before


def test_renditions_are_made_once_and_their_urls_stay_the_same(client, portrait):
    first = v2_owner(client)["photo"]["renditions"]
    made = portrait.renditions.count()

    again = v2_owner(client)["photo"]["renditions"]
    v3 = v3_owner(client)["photo"]["renditions"]

    assert made == len(RENDITIONS)
    assert portrait.renditions.count() == made
    assert first == again == v3


def test_the_public_page_shows_the_same_thumbnail_files_as_the_api(client, portrait):
    renditions = v2_owner(client)["photo"]["renditions"]

    html = client.get(PROGRAM).content.decode()

    assert f'srcset="{renditions["square_240"]["url"]}"' in html
    assert f'src="{renditions["square_240_jpeg"]["url"]}"' in html
    # The page shows no rendition of its own beside the API's set.
    assert portrait.renditions.count() == len(RENDITIONS)


def test_v3_schema_types_the_photo_its_focal_point_and_renditions():
    components = openapi()["components"]["schemas"]

    owner = components["InformationOwnerSchema"]["properties"]
    photo_schema = ref_name(owner["photo"])
    photo = components[photo_schema]["properties"]
    assert {"id", "title", "alt", "width", "height"} <= set(photo)
    focal = components[ref_name(photo["focal_point"])]["properties"]
    assert set(focal) == {"x", "y", "width", "height"}
    renditions = components[ref_name(photo["renditions"])]
    assert set(renditions["properties"]) == RENDITIONS
    assert set(renditions["required"]) == RENDITIONS
    for name in RENDITIONS:
        rendition = components[ref_name(renditions["properties"][name])]
        assert set(rendition["properties"]) == {"url", "width", "height"}


@pytest.fixture
def renditions_not_cached(settings):
    """Count what the database is asked: Wagtail also keeps renditions in a cache
    (``renditions`` or the default), which is empty after a restart or on a new node."""
    settings.CACHES = {
        **settings.CACHES,
        "renditions": {"BACKEND": "django.core.cache.backends.dummy.DummyCache"},
    }


def owners_with_photos(pages, count):
    """Give each of ``pages`` ``count`` contact persons of its own, with photos."""
    for page in pages:
        for number in range(count):
            person = ContactPerson.objects.create(
                name=f"Person {page.pk}-{number}",
                photo=make_image(f"Foto {page.pk}-{number}", size=(300, 200)),
            )
            PageContactPerson.objects.create(page=page, person=person)


def listing_queries(client, url, params):
    client.get(url, params)  # makes the renditions and warms per-process caches
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url, params)
    assert response.status_code == 200, response.content
    return len(queries), response.json()


def test_page_listing_costs_the_same_with_one_photo_or_six(
    client, seed_pages, renditions_not_cached
):
    """(v3 lists pages with their base fields only: its detail has the photos.)"""
    url, params = "/api/v2/pages/", {"type": "programs.ProgramPage", "fields": "*"}
    programmes = list(ProgramPage.objects.order_by("pk"))
    owners_with_photos(programmes[:1], 1)
    with_one, _ = listing_queries(client, url, params)

    owners_with_photos(programmes[1:], 3)
    owners_with_photos(programmes[:1], 2)
    with_six, data = listing_queries(client, url, params)

    photos = [
        owner["photo"] for item in data["items"] for owner in item["information_owners"]
    ]
    assert len(photos) == 6 and all(set(p["renditions"]) == RENDITIONS for p in photos)
    assert with_six == with_one


def test_v2_image_detail_has_the_same_renditions_and_focal_point(client, portrait):
    photo = v2_owner(client)["photo"]

    response = client.get(f"/api/v2/images/{portrait.pk}/")

    assert response.status_code == 200
    data = response.json()
    assert data["renditions"] == photo["renditions"]
    assert data["focal_point"] == photo["focal_point"]
    assert data["alt"] == photo["alt"]


def test_v2_image_listing_gives_renditions_at_a_cost_that_does_not_grow(
    client, renditions_not_cached
):
    """(With the listing's default fields, whose tags Wagtail reads per image.)"""
    make_image("Första", size=(300, 200)).tags.add("porträtt")
    with_one, _ = listing_queries(client, "/api/v2/images/", {"fields": "renditions"})
    for number in range(5):
        make_image(f"Bild {number}", size=(300, 200)).tags.add("porträtt", "skr")

    with_six, data = listing_queries(
        client, "/api/v2/images/", {"fields": "renditions"}
    )

    assert len(data["items"]) == get_image_model().objects.count() == 6
    assert all(set(item["renditions"]) == RENDITIONS for item in data["items"])
    assert [item["meta"]["tags"] for item in data["items"]] == [["porträtt"]] + [
        ["porträtt", "skr"]
    ] * 5
    assert with_six == with_one


def test_v3_image_renditions_are_the_same_as_the_pages(client, portrait):
    photo = v3_owner(client)["photo"]

    response = client.get(f"{V3}/images/{portrait.pk}/renditions/")

    assert response.status_code == 200, response.content
    assert response.json() == photo


def test_v3_renditions_of_an_unknown_image_are_a_404_problem(client):
    response = client.get(f"{V3}/images/987654/renditions/")

    assert response.status_code == 404
    assert response["Content-Type"] == "application/problem+json"
    assert response.json()["detail"] == "Det finns ingen bild med det id:t."


def test_the_public_page_costs_the_same_with_one_photo_or_three(
    client, seed_pages, settings, renditions_not_cached
):
    settings.PAGE_CACHE_SECONDS = 60  # the live tree kept, as in production
    url = f"{PROGRAM}?render"  # past the page cache: rendered each time
    page = programme()
    owners_with_photos([page], 1)
    with_one = page_queries(client, url)

    owners_with_photos([page], 2)
    with_three = page_queries(client, url)

    assert client.get(url).content.decode().count("<picture>") == 3
    assert with_three == with_one


def page_queries(client, url):
    client.get(url)  # makes the renditions and warms per-process caches
    with CaptureQueriesContext(connection) as queries:
        assert client.get(url).status_code == 200
    return len(queries)
