"""The v3 API's errors: RFC 9457 problem details, in Swedish, with a type each.

Wagtail's v3 API answers its errors in English with ``type: about:blank``. A
front-end on this site shows what went wrong to Swedish editors and readers, and
needs a stable ``type`` to branch on, like the forms API's. Each type's URI is a
page that explains it (``home.problem_pages``).
"""

import json
from dataclasses import dataclass
from typing import Any

from django.http import HttpResponse

PROBLEM_CONTENT_TYPE = "application/problem+json"
PROBLEM_BASE = "/api/v3/problems/"


@dataclass(frozen=True)
class ProblemType:
    slug: str
    status: int
    title: str
    detail: str
    explanation: str

    @property
    def uri(self) -> str:
        return f"{PROBLEM_BASE}{self.slug}"


PROBLEM_TYPES = {
    problem.slug: problem
    for problem in (
        ProblemType(
            "bad-request",
            400,
            "Ogiltig begäran",
            "Begäran kunde inte tolkas.",
            "Ett värde i adressen eller i begäran har fel form, till exempel en "
            "`site` som inte är `värd` eller `värd:port`, eller en åtgärd som "
            "trädet inte tillåter. Rätta begäran; att försöka igen oförändrad "
            "ger samma svar.",
        ),
        ProblemType(
            "unauthorized",
            401,
            "API-nyckel krävs",
            "Ange en giltig API-nyckel i huvudet `Authorization: Bearer <nyckel>`.",
            "Begäran kräver en API-nyckel (utkast med `?version=draft`, allt "
            "som skriver), eller så var nyckeln som skickades okänd, återkallad "
            "eller hörde till en inaktiv användare. En nyckel skapas i admin "
            "under Inställningar → API-nycklar. Svaret har huvudet "
            "`WWW-Authenticate: Bearer`.",
        ),
        ProblemType(
            "forbidden",
            403,
            "Åtkomst nekad",
            "API-nyckelns användare har inte behörighet till det här.",
            "Nyckeln är giltig, men dess användare får inte göra detta i admin "
            "heller. En nyckel kan aldrig mer än sin användare.",
        ),
        ProblemType(
            "not-found",
            404,
            "Hittades inte",
            "Det finns inget i API:t som motsvarar begäran.",
            "Det finns inget med det id:t, eller så är det inte publicerat och "
            "publikt. Opublicerade sidor och utkast läses med en API-nyckel.",
        ),
        ProblemType(
            "conflict",
            409,
            "Konflikt",
            "Åtgärden krockar med innehållets nuvarande läge.",
            "Innehållet har ändrats så att åtgärden inte längre går, eller så "
            "kräver den en uttrycklig bekräftelse. Läs om resursen och försök "
            "igen.",
        ),
        ProblemType(
            "content-too-large",
            413,
            "För stor begäran",
            "Begäran eller filen är större än vad API:t tar emot.",
            "Skicka en mindre fil eller en kortare begäran.",
        ),
        ProblemType(
            "validation-error",
            422,
            "Ogiltiga uppgifter",
            "Några värden kunde inte godtas; se `errors`.",
            "Begäran hade rätt form men innehöll värden som inte kan godtas. "
            "`errors` är en lista där varje post har `loc` (var värdet finns, "
            'till exempel `["query", "offset"]` eller '
            '`["body", "title"]`), `type` (felets slag, stabilt att '
            "jämföra) och `msg` (ett meddelande på svenska).",
        ),
        ProblemType(
            "rate-limited",
            429,
            "För många förfrågningar",
            "För många förfrågningar på kort tid. Försök igen om en stund.",
            "Klienten har gjort fler förfrågningar än `API_RATE_LIMIT` tillåter "
            "under perioden. Huvudet `Retry-After` säger hur många sekunder "
            "det dröjer innan nästa förfrågan tas emot. Läsningar som besvaras "
            "från sidcachen räknas inte.",
        ),
        ProblemType(
            "server-error",
            500,
            "Ett fel har uppstått",
            "Något gick fel hos oss. Försök igen senare.",
            "Ett oväntat fel på servern. Det loggas; begäran kan göras om.",
        ),
        ProblemType(
            "unavailable",
            503,
            "Tillfälligt otillgänglig",
            "Tjänsten är tillfälligt otillgänglig. Försök igen om en stund.",
            "Databasen svarar inte för tillfället. Huvudet `Retry-After` säger "
            "när det är värt att försöka igen.",
        ),
    )
}

BY_STATUS = {problem.status: problem for problem in PROBLEM_TYPES.values()}


def problem_type(status: int) -> ProblemType:
    """The type of an error with ``status``; an unusual 4xx is a bad request."""
    return BY_STATUS.get(status) or BY_STATUS[400 if status < 500 else 500]


def problem_response(
    status: int,
    detail: str = "",
    *,
    errors: list[dict[str, Any]] | None = None,
    headers: dict[str, str] | None = None,
) -> HttpResponse:
    kind = problem_type(status)
    body: dict[str, Any] = {
        "type": kind.uri,
        "title": kind.title,
        "status": status,
        "detail": str(detail or kind.detail),
    }
    if errors is not None:
        body["errors"] = errors
    response = HttpResponse(
        json.dumps(body, ensure_ascii=False),
        status=status,
        content_type=PROBLEM_CONTENT_TYPE,
    )
    for name, value in (headers or {}).items():
        response[name] = value
    return response
