"""The v2 read API has no OpenAPI document to fuzz from: its parameters are
generated here, from what Wagtail's v2 takes, with hostile values."""

import os

from django.db import transaction
from django.test import Client

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

pytestmark = pytest.mark.django_db

EXAMPLES = int(os.environ.get("CONTRACT_EXAMPLES", "25")) * 4
PARAMETERS = [
    "offset",
    "limit",
    "type",
    "fields",
    "order",
    "search",
    "search_operator",
    "child_of",
    "descendant_of",
    "ancestor_of",
    "translation_of",
    "locale",
    "site",
    "html_path",
    "id",
    "title",
    "slug",
    "show_in_menus",
    "tags",
]
ENDPOINTS = [
    "/api/v2/pages/",
    "/api/v2/pages/find/",
    "/api/v2/pages/3/",
    "/api/v2/images/",
    "/api/v2/images/find/",
    "/api/v2/documents/",
]
numbers = st.integers(min_value=-(2**70), max_value=2**70).map(str)
texts = st.text(max_size=30)
values = st.one_of(
    numbers,
    texts,
    st.sampled_from(
        [
            "*",
            "-id",
            "random",
            "root",
            "programs.ProgramPage",
            "x:y",
            "localhost:80",
            "_,*",
            "true",
        ]
    ),
)
queries = st.dictionaries(st.sampled_from(PARAMETERS), values, max_size=5)


@given(endpoint=st.sampled_from(ENDPOINTS), query=queries)
@settings(
    max_examples=EXAMPLES,
    deadline=None,
    derandomize=True,
    database=None,
    suppress_health_check=list(HealthCheck),
)
def test_no_query_makes_v2_fail(seed_pages, endpoint, query):
    client = Client(raise_request_exception=False)
    with transaction.atomic():
        response = client.get(endpoint, query)
        transaction.set_rollback(True)
    assert response.status_code < 500, (endpoint, query, response.content[:300])
    if response.status_code >= 400:
        assert response["Content-Type"] == "application/problem+json"
