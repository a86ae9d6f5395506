"""Maker and checker through the official SDK, against a running desk started
with an approval threshold every refund is above (`--approval-threshold 0`):
`python tests/azure_sdk/approval_walk.py http://127.0.0.1:PORT`.

A return above the threshold is Azure's long-running operation: `return_operations.begin_post`
gets the 202 with `Location` and `Retry-After`, and its poller waits (nothing has moved). Another
user approves it through the desk's own API (`POST /api/approvals/{id}/approve`; the requester
is refused, 403 `ownApproval`), and the poller's result is then the order after the return, the
unit gone once. A rejected request's poller raises the desk's `approvalClosed`.
Prints one line per step; exits 1 on the first failure.
"""

from azure.core.exceptions import HttpResponseError

from sdk_walk import client, expect, expect_error, raw

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
