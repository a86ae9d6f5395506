"""What the SDK walks share: the desk's base URL (the first argument), a client of the official SDK
signed in with a bearer token, the desk's own answer beside it, and one printed line per step
(exits 1 on the first failure).

The SDK refuses a bearer token over plain http, so the token goes in through a HeadersPolicy in
place of the credential's policy (any credential object will do, it is never asked for a token).
"""

import json
import sys
import urllib.error
import urllib.request
from decimal import Decimal

from azure.core.pipeline.policies import HeadersPolicy
from azure.mgmt.reservations import ReservationsMgmtClient

BASE = sys.argv[1].rstrip("/")
API_VERSION = "2022-11-01"


class NoCredential:
    """Stands in for a TokenCredential; the HeadersPolicy below sends the token instead."""

    def get_token(self, *scopes, **kwargs):
        raise AssertionError("the walk signs in with a header, not a credential")


def client(token):
    headers = {"Authorization": f"Bearer {token}"} if token else {}
    return ReservationsMgmtClient(NoCredential(), base_url=BASE, authentication_policy=HeadersPolicy(base_headers=headers), polling_interval=0)


def raw(method, path, token="demo-admin-agent", body=None):
    """The desk's own answer (status, JSON as text-exact decimals), for checks beside the SDK."""
    request = urllib.request.Request(BASE + path, method=method, data=json.dumps(body).encode() if body is not None else None)
    if token:
        request.add_header("Authorization", f"Bearer {token}")
    if body is not None:
        request.add_header("Content-Type", "application/json")
    try:
        with urllib.request.urlopen(request, timeout=30) as answer:
            return answer.status, json.loads(answer.read(), parse_float=Decimal)
    except urllib.error.HTTPError as error:
        return error.code, json.loads(error.read() or b"null", parse_float=Decimal)


def step(text):
    print(f"  ok  {text}", flush=True)


def expect(condition, text):
    if not condition:
        print(f"FAIL  {text}", file=sys.stderr, flush=True)
        sys.exit(1)
    step(text)


def expect_error(kind, code, call, text):
    try:
        call()
    except kind as error:
        got = error.error.code if error.error else None
        expect(got == code, f"{text}: {type(error).__name__} {error.status_code} {got}")
        return error
    expect(False, f"{text}: no error raised")
