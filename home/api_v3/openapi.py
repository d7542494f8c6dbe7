"""The v3 OpenAPI document, completed with what the API really answers.

Wagtail's generated document lists only each operation's success. A client
generator needs the rest to type its errors and to narrow the page union:

- every operation's errors (400, 401, 403, 404, 422, 429) as problem details,
  with ``Retry-After`` on 429; a read's 304 and its ``ETag``;
- a ``discriminator`` on each union of page types, keyed by the top-level
  ``type`` every page carries (``schemas.discriminated``);
- wall-clock times as the ``HH:MM:SS`` text they are, not RFC 3339's
  ``format: time`` (which requires a time zone offset);
- the ``site`` filter's form;
- optional bodies without a default on a reference, which generators refuse.
"""

import copy
from functools import wraps

from .problems import PROBLEM_CONTENT_TYPE, PROBLEM_TYPES

PROBLEM_REF = "#/components/schemas/Problem"
ERROR_STATUSES = (400, 401, 403, 404, 422, 429)
TIME_PATTERN = r"^([01]\d|2[0-3]):[0-5]\d(:[0-5]\d(\.\d{1,6})?)?$"
SITE_PATTERN = r"^[^:]+(:\d{1,5})?$"

PROBLEM_SCHEMA = {
    "title": "Problem",
    "description": "RFC 9457 problem details; `title`, `detail` and each "
    "`errors[].msg` are Swedish. `type` is a page that explains the problem.",
    "type": "object",
    "properties": {
        "type": {
            "type": "string",
            "enum": [problem.uri for problem in PROBLEM_TYPES.values()],
        },
        "title": {"type": "string"},
        "status": {"type": "integer"},
        "detail": {"type": "string"},
        "errors": {
            "type": "array",
            "items": {
                "type": "object",
                "properties": {
                    "type": {"type": "string"},
                    "loc": {
                        "type": "array",
                        "items": {"anyOf": [{"type": "string"}, {"type": "integer"}]},
                    },
                    "msg": {"type": "string"},
                },
                "required": ["type", "loc", "msg"],
            },
        },
    },
    "required": ["type", "title", "status", "detail"],
}

SECONDS_HEADER = {
    "description": "Seconds to wait before trying again.",
    "schema": {"type": "integer", "minimum": 1},
}
ETAG_HEADER = {
    "description": "Send it back as `If-None-Match` to revalidate.",
    "schema": {"type": "string"},
}


def declared_problem(status: int) -> dict:
    kind = PROBLEM_TYPES_BY_STATUS.get(status) or PROBLEM_TYPES_BY_STATUS[400]
    response = {
        "description": kind.title,
        "content": {PROBLEM_CONTENT_TYPE: {"schema": {"$ref": PROBLEM_REF}}},
    }
    if status == 429:
        response["headers"] = {"Retry-After": SECONDS_HEADER}
    if status == 401:
        response["headers"] = {
            "WWW-Authenticate": {
                "description": "`Bearer`: send an API token.",
                "schema": {"type": "string"},
            }
        }
    return response


PROBLEM_TYPES_BY_STATUS = {
    problem.status: problem for problem in PROBLEM_TYPES.values()
}


def declare_errors(responses: dict) -> None:
    for code, response in responses.items():
        if int(code) >= 400:
            response["content"] = declared_problem(int(code))["content"]
    for status in ERROR_STATUSES:
        responses.setdefault(str(status), declared_problem(status))


def declare_revalidation(responses: dict) -> None:
    if "200" in responses:
        responses["200"].setdefault("headers", {})["ETag"] = ETAG_HEADER
    responses.setdefault(
        "304",
        {
            "description": "Not modified: the copy named by `If-None-Match` "
            "is still current.",
            "headers": {"ETag": ETAG_HEADER},
        },
    )


def declare_site_form(parameters: list) -> None:
    for parameter in parameters:
        if parameter.get("name") == "site" and parameter.get("in") == "query":
            for option in parameter["schema"].get("anyOf", [parameter["schema"]]):
                if option.get("type") == "string":
                    option["pattern"] = SITE_PATTERN


def plain_optional_body(operation: dict) -> None:
    """An optional body whose default is its schema's own defaults (``{}`` as
    good as nothing) is declared as the schema alone: a default on a reference
    is not valid for client generators, and says nothing the schema does not."""
    body = operation.get("requestBody", {})
    for media in body.get("content", {}).values():
        schema = media.get("schema", {})
        refs = schema.get("allOf", [])
        if not body.get("required") and "default" in schema and len(refs) == 1:
            media["schema"] = refs[0]


def declare_answers(method: str, operation: dict) -> None:
    # ninja keys the statuses by number, JSON by text: one kind, or two "400"s.
    responses = {
        str(code): answer for code, answer in operation.get("responses", {}).items()
    }
    operation["responses"] = responses
    declare_errors(responses)
    if method == "get":
        declare_revalidation(responses)
    declare_site_form(operation.get("parameters", []))
    plain_optional_body(operation)


def walk(node):
    if isinstance(node, dict):
        yield node
        for value in node.values():
            yield from walk(value)
    elif isinstance(node, list):
        for value in node:
            yield from walk(value)


def page_type_of(schemas: dict, ref: str) -> str | None:
    """The ``type`` constant of the page schema ``ref`` names, if it is one."""
    name = ref.rsplit("/", 1)[-1]
    prop = schemas.get(name, {}).get("properties", {}).get("type", {})
    return prop.get("const")


def add_discriminators(document: dict) -> None:
    schemas = document.get("components", {}).get("schemas", {})
    for node in walk(document):
        members = node.get("oneOf")
        if not members or "discriminator" in node:
            continue
        refs = [member.get("$ref", "") for member in members]
        labels = [page_type_of(schemas, ref) for ref in refs]
        if all(labels):
            node["discriminator"] = {
                "propertyName": "type",
                "mapping": dict(zip(labels, refs, strict=True)),
            }


def wall_clock_times(document: dict) -> None:
    for node in walk(document):
        if node.get("type") == "string" and node.get("format") == "time":
            del node["format"]
            node["pattern"] = TIME_PATTERN
            node.setdefault("examples", ["10:00:00"])


def complete(document: dict) -> dict:
    document = copy.deepcopy(document)
    document.setdefault("components", {}).setdefault("schemas", {})["Problem"] = (
        PROBLEM_SCHEMA
    )
    for operations in document.get("paths", {}).values():
        for method, operation in operations.items():
            declare_answers(method, operation)
    add_discriminators(document)
    wall_clock_times(document)
    return document


def install(api) -> None:
    """Have ``api`` serve the completed document."""
    generate = api.get_openapi_schema

    @wraps(generate)
    def completed(**kwargs):
        return complete(generate(**kwargs))

    api.get_openapi_schema = completed
