"""ALTCHA payloads for tests: really solved, or forged.

The test settings keep the proof of work tiny; the verification is the real one.
"""

import base64
import datetime
import json

from altcha import Challenge, Payload, solve_challenge
from altcha_django.challenge import build_challenge

CHALLENGE_URL = "/altcha/challenge/"


def solved_payload(
    client=None, *, expired=False, challenge_url=CHALLENGE_URL, **options
):
    """A signed challenge solved by proof of work, as the widget sends it.

    With ``client`` the challenge comes from the site (``challenge_url``), as
    the widget fetches it; without, it is signed here with the test settings'
    secret: ``options`` go to ``build_challenge`` (``hmac_secret``, ...) and
    ``expired`` makes one that is already out of date.
    """
    if client is not None:
        assert not (expired or options), "the site's challenge is the site's own"
        challenge = Challenge.from_dict(client.get(challenge_url).json())
    else:
        if expired:
            options["expires_at"] = datetime.datetime.now(
                tz=datetime.UTC
            ) - datetime.timedelta(seconds=5)
        challenge = build_challenge(**options)
    solution = solve_challenge(challenge, timeout=30)
    assert solution is not None, "the test challenge should be cheap to solve"
    return Payload(challenge, solution).to_base64()


def forged_payload(payload):
    """The same payload with a wrong derived key."""
    data = json.loads(base64.b64decode(payload))
    key = data["solution"]["derivedKey"]
    data["solution"]["derivedKey"] = ("1" if key[0] == "0" else "0") + key[1:]
    return base64.b64encode(json.dumps(data).encode()).decode()
