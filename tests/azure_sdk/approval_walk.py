"""Maker and checker through the official SDK (issue 32, part 2), against a running desk started
with an approval threshold every refund is above (`--approval-threshold 0`):
`python tests/azure_sdk/approval_walk.py http://127.0.0.1:PORT`.

A return above the threshold is Azure's long-running operation: `return_operations.begin_post`
gets the 202 with `Location` and `Retry-After`, and its poller waits (nothing has moved). Another
user approves it through the desk's own API (`POST /api/approvals/{id}/approve`; the requester
is refused, 403 `ownApproval`), and the poller's result is then the order after the return, the
unit gone once. A rejected request's poller raises the desk's `approvalClosed`.
Prints one line per step; exits 1 on the first failure.
"""

# The helpers below are walk.py's own (client, raw, expect, expect_error).
import json
import sys
import urllib.error
import urllib.request
from datetime import datetime, timezone
from decimal import Decimal

from azure.core.exceptions import ClientAuthenticationError, HttpResponseError, ResourceExistsError, ResourceNotFoundError
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



maker = client("demo-admin-agent")

active = list(maker.reservation.list_all(filter="properties/provisioningState eq 'Succeeded'"))
target = max(active, key=lambda r: r.properties.quantity)
order_id, reservation_id = target.name.split("/")
before = target.properties.quantity


def requested():
    """A return of one unit asked by the Admin agent: its poller, still waiting, and the approval's ID."""
    quote = maker.calculate_refund.post(order_id, {"properties": {"scope": "Reservation", "reservationToReturn": {"reservationId": target.id, "quantity": 1}}})
    body = {"properties": {"sessionId": quote.properties.session_id, "scope": "Reservation", "reservationToReturn": {"reservationId": target.id, "quantity": 1}, "returnReason": "SDK approval walk"}}
    poller = maker.return_operations.begin_post(order_id, body, polling_interval=0)
    location = poller.polling_method()._initial_response.http_response.headers.get("Location")
    expect(poller.status() == "InProgress" and location and "/approvals/" in location, f"return_operations.begin_post: 202, waiting for approval at {location}")
    return poller, location.split("/approvals/")[1].split("?")[0]


poller, approval = requested()
expect(maker.reservation.get(order_id, reservation_id).properties.quantity == before, "nothing has moved while it waits")
status, problem = raw("POST", f"/api/approvals/{approval}/approve", token="demo-admin-agent")
expect(status == 403 and problem["code"] == "ownApproval", "the requester may not approve it: 403 ownApproval")
status, approved = raw("POST", f"/api/approvals/{approval}/approve", token="demo-global-admin")
expect(status == 200 and approved["status"] == "approved", "another user approves it: the money moves")
after = poller.result()
returned = next(r for r in after.properties.reservations if r.name == target.name)
expect(returned.properties.quantity == before - 1, f"the poller's result is the order after the return: {before} -> {returned.properties.quantity}")

poller, approval = requested()
status, rejected = raw("POST", f"/api/approvals/{approval}/reject", token="demo-global-admin", body={"reason": "Not this quarter"})
expect(status == 200 and rejected["status"] == "rejected", "another user rejects the second request")
expect_error(HttpResponseError, "approvalClosed", poller.result, "the rejected request's poller raises the desk's approvalClosed")
expect(maker.reservation.get(order_id, reservation_id).properties.quantity == before - 1, "the rejected return moved nothing")
