"""Maker and checker through the official SDK, against a running desk started
with an approval threshold every refund is above (`--approval-threshold 0`):
`python tests/azure_sdk/approval_walk.py http://127.0.0.1:PORT`.

A return above the threshold is Azure's long-running operation: `return_operations.begin_post`
gets the 202 with `Location` and `Retry-After`, and its poller waits (nothing has moved). Another
user approves it through the desk's own API (`POST /api/approvals/{id}/approve`; the requester
is refused, 403 `ownApproval`), and the poller's result is then the order after the return, the
unit gone once. A rejected request's poller raises the desk's `approvalClosed`. A purchase waits
the same way: `reservation_order.begin_purchase` gets the 202, and once approved its poller's
result is the order bought, once.
Prints one line per step; exits 1 on the first failure.
"""

from azure.core.exceptions import HttpResponseError

from azure.mgmt.reservations import models

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

status, scopes = raw("GET", f"/api/customers/{raw('GET', '/api/customers')[1][0]['id']}/scopes")
subscription = next(s["appliedScopeProperties"]["subscriptionId"] for s in scopes if s["appliedScopeProperties"].get("subscriptionId"))
buying = models.PurchaseRequest(
    sku=models.SkuName(name="Redis_P1"), location="eastus",
    properties=models.PurchaseRequestProperties(reserved_resource_type="RedisCache", billing_scope_id=subscription, term="P1Y", billing_plan="Upfront", quantity=1, applied_scope_type="Shared"))
price = maker.reservation_order.calculate(buying).properties
poller = maker.reservation_order.begin_purchase(price.reservation_order_id, buying, polling_interval=0)
location = poller.polling_method()._initial_response.http_response.headers.get("Location")
expect(poller.status() == "InProgress" and location and "/approvals/" in location, f"reservation_order.begin_purchase: 202, waiting for approval at {location}")
expect_error(HttpResponseError, "notFound", lambda: maker.reservation_order.get(price.reservation_order_id), "nothing is bought while it waits")
approval = location.split("/approvals/")[1].split("?")[0]
status, approved = raw("POST", f"/api/approvals/{approval}/approve", token="demo-global-admin")
expect(status == 200 and approved["status"] == "approved" and approved["purchase"]["reservationOrderId"] == price.reservation_order_id, "another user approves the purchase")
bought = poller.result()
expect(bought.name == price.reservation_order_id and [r.properties.quantity for r in bought.properties.reservations] == [1], f"the poller's result is the order bought: {bought.name}")
again = maker.reservation_order.begin_purchase(price.reservation_order_id, buying).result()
expect(again.name == bought.name and len(again.properties.reservations) == 1, "the same PUT again answers the order bought, nothing more")
