"""What each problem ``type`` of the forms API means, for the page at its URI.

The forms API answers every refusal with one of these types under
``/api/forms/problems/``; a front-end branches on the type, and a developer
who opens it reads here what happened and what to do.
"""

# slug -> (status, title, what it means and what to do)
FORM_PROBLEM_TYPES = {
    "validation-error": (
        400,
        "Formuläret innehåller fel",
        "Ett eller flera fält godtogs inte. `errors` har ett meddelande på "
        "svenska per fältnamn (eller `__all__` för formuläret som helhet), "
        "att visa vid fältet. Inget sparades; rätta och skicka igen.",
    ),
    "invalid-json": (
        400,
        "Ogiltig JSON",
        "Begärans innehåll gick inte att läsa som ett JSON-objekt.",
    ),
    "invalid-request": (
        400,
        "Ogiltig begäran",
        "Adressen eller parametrarna har fel form, till exempel ett id som "
        "inte är ett heltal.",
    ),
    "form-not-open": (
        403,
        "Formuläret är inte öppet ännu",
        "Formuläret tar emot svar först när det öppnar; `detail` säger när, "
        "och formulärets definition har `opens_at`. Inget sparades.",
    ),
    "form-closed": (
        410,
        "Formuläret är stängt",
        "Formuläret tar inte längre emot svar. Inget sparades.",
    ),
    "content-too-large": (
        413,
        "För mycket data",
        "Begäran är större än vad formuläret tar emot. Korta texterna.",
    ),
    "unsupported-media-type": (
        415,
        "Fel innehållstyp",
        "Skicka svaret som `application/json`.",
    ),
    "rate-limited": (
        429,
        "För många inskickade formulär",
        "Klienten har skickat fler svar än `FORM_RATE_LIMIT` tillåter under "
        "perioden. Huvudet `Retry-After` säger hur många sekunder det dröjer "
        "innan nästa svar tas emot.",
    ),
    "refused": (
        400,
        "Formuläret togs inte emot",
        "Svaret kunde inte tas emot; `detail` säger varför.",
    ),
}
