"""A walk of the Azure surface with the official SDK, azure-mgmt-reservations 3.0.0 (tools/.venv),
against a running desk: `python tests/azure_sdk/walk.py http://127.0.0.1:PORT`.

It lists orders and reservations (all, filtered, per order), reads one with its utilization,
renames and rescopes it, calculates a refund and returns it (and the same session again),
exchanges, reads the order's payment plan ($expand=schedule: its transactions add up to what the
order holds now), and checks what the desk's own API says about it afterwards. It lists a reservation's
revisions, splits another (a Sales agent may not), merges the parts back, archives and unarchives
the split source and is refused archiving an active one. It trades a VM reservation in for a
compute savings plan through the SDK's own models (SavingsPlanPurchaseRequest, Commitment): the
quote's SavingsPlanToPurchaseCalculateExchange, a commitment too low refused, the exchange's
SavingsPlanToPurchaseExchange and the plan on the desk's own API; then a SQL Database reservation
for a 1-year savings plan for databases (a 3-year one refused). It buys a reservation: the catalog of a
customer's subscription, calculatePrice, begin_purchase under the order ID it gives (the same PUT
again buys nothing more; a Sales agent prices but may not buy). It checks 401 without a token, 403 for
a role that may not move money, 404, a missing api-version, and that amounts arrive as exact
numbers. Prints one line per step; exits 1 on the first failure.
"""

import json
from datetime import datetime, timezone
from decimal import Decimal

from azure.core.exceptions import ClientAuthenticationError, HttpResponseError, ResourceNotFoundError
from azure.mgmt.reservations import models

from sdk_walk import API_VERSION, BASE, client, expect, expect_error, raw

admin = client("demo-admin-agent")

# Orders and reservations.
orders = list(admin.reservation_order.list())
expect(len(orders) > 0 and all(o.id.startswith("/providers/microsoft.capacity/reservationOrders/") for o in orders), f"reservation_order.list: {len(orders)} orders with ARM IDs")
everything = list(admin.reservation.list_all())
active = list(admin.reservation.list_all(filter="properties/provisioningState eq 'Succeeded'"))
expect(0 < len(active) < len(everything) and all(r.properties.provisioning_state == "Succeeded" for r in active), f"reservation.list_all: {len(everything)}, $filter Succeeded: {len(active)}")
expect(sum(len(o.properties.reservations) for o in orders) == len(everything), "every reservation is in exactly one order")

target = max(active, key=lambda r: r.properties.quantity)
order_id, reservation_id = target.name.split("/")
expect(target.id == f"/providers/microsoft.capacity/reservationOrders/{order_id}/reservations/{reservation_id}", f"a reservation's name is {{orderId}}/{{reservationId}}: {target.name}")

order = admin.reservation_order.get(order_id)
expect(order.name == order_id and any(r.name == target.name for r in order.properties.reservations), "reservation_order.get: the order holds the reservation")
of_order = list(admin.reservation.list(order_id))
expect([r.name for r in of_order] == [r.name for r in order.properties.reservations], f"reservation.list(order): {len(of_order)}")

one = admin.reservation.get(order_id, reservation_id)
grains = sorted(a.grain for a in one.properties.utilization.aggregates)
expect(grains == [1, 7, 30] and all(a.value_unit == "percentage" for a in one.properties.utilization.aggregates), "reservation.get: utilization aggregates for 1, 7 and 30 days")
expect(one.properties.term in ("P1Y", "P3Y", "P5Y") and one.properties.billing_plan in ("Upfront", "Monthly") and one.sku.name == target.sku.name, f"reservation.get: {one.sku.name}, {one.properties.term}, {one.properties.billing_plan}")

expect_error(ResourceNotFoundError, "notFound", lambda: admin.reservation.get(order_id, "00000000-0000-0000-0000-000000000000"), "an unknown reservation")
expect_error(ResourceNotFoundError, "notFound", lambda: admin.reservation_order.get("00000000-0000-0000-0000-000000000000"), "an unknown order")

# Rename and renewal through PATCH (a long-running operation the server answers at once).
original_name, original_renew = one.properties.display_name, one.properties.renew
renamed = admin.reservation.begin_update(order_id, reservation_id, {"properties": {"name": "sdk-walk-renamed", "renew": not original_renew}}).result()
expect(renamed.properties.display_name == "sdk-walk-renamed" and renamed.properties.renew == (not original_renew), "reservation.begin_update: renamed, renewal switched")
expect(admin.reservation.get(order_id, reservation_id).properties.display_name == "sdk-walk-renamed", "reservation.get sees the new name")
status, desk_view = raw("GET", f"/api/reservationOrders/{order_id}/reservations/{reservation_id}")
expect(status == 200 and desk_view["displayName"] == "sdk-walk-renamed", "the desk's own API sees it too")
error = expect_error(HttpResponseError, "malformedRequest", lambda: admin.reservation.begin_update(order_id, reservation_id, {"properties": {"instanceFlexibility": "Off"}}).result(), "a field the desk does not keep: 400")
expect(error.error.target == "properties.instanceFlexibility", f"named: {error.error.target}")
error = expect_error(HttpResponseError, "tooLong", lambda: admin.reservation.begin_update(order_id, reservation_id, {"properties": {"name": "x" * 65}}).result(), "a name over 64 characters: 400 from the desk's own check")
admin.reservation.begin_update(order_id, reservation_id, {"properties": {"name": original_name, "renew": original_renew}}).result()

# Scope: to Shared, then back to one of the customer's own subscriptions; another's is refused.
status, scopes = raw("GET", f"/api/customers/{desk_view['customerId']}/scopes")
subscription = next(x["appliedScopeProperties"]["subscriptionId"] for x in scopes if x["appliedScopeType"] == "Single" and "resourceGroupId" not in x["appliedScopeProperties"])
shared = admin.reservation.begin_update(order_id, reservation_id, {"properties": {"appliedScopeType": "Shared"}}).result()
expect(shared.properties.applied_scope_type == "Shared" and not shared.properties.applied_scopes, "begin_update: scope Shared")
single = admin.reservation.begin_update(order_id, reservation_id, {"properties": {"appliedScopeType": "Single", "appliedScopes": [subscription]}}).result()
expect(single.properties.applied_scope_type == "Single" and single.properties.applied_scopes == [subscription], f"begin_update: scope Single {subscription}")
expect_error(HttpResponseError, "scopeInvalid", lambda: admin.reservation.begin_update(order_id, reservation_id, {"properties": {"appliedScopeType": "Single", "appliedScopes": ["/subscriptions/00000000-0000-0000-0000-000000000000"]}}).result(), "a subscription that is not the customer's: 400")

# Which scopes may it apply to: the customer's own subscription, not another's.
checked = admin.reservation.begin_available_scopes(order_id, reservation_id, {"properties": {"scopes": [subscription, "/subscriptions/00000000-0000-0000-0000-000000000000"]}}).result()
expect([(s.scope, s.valid) for s in checked.properties.scopes] == [(subscription, True), ("/subscriptions/00000000-0000-0000-0000-000000000000", False)], "reservation.begin_available_scopes: own valid, other not")

# Refund: calculate, return, the same session again.
before_quantity = one.properties.quantity
request = {"properties": {"scope": "Reservation", "reservationToReturn": {"reservationId": one.id, "quantity": 1}}}
quote = admin.calculate_refund.post(order_id, request)
props = quote.properties
expect(bool(props.session_id) and props.quantity == 1, f"calculate_refund.post: session {props.session_id}")
limit = props.policy_result.properties
expect(limit.max_refund_limit.currency_code == "USD" and limit.max_refund_limit.amount == 50000, f"the limit: {limit.max_refund_limit.currency_code} {limit.max_refund_limit.amount}, consumed {limit.consumed_refunds_total.amount}")

# The amount on the wire is the desk's exact decimal, as a JSON number.
status, exact = raw("POST", f"/providers/Microsoft.Capacity/reservationOrders/{order_id}/calculateRefund?api-version={API_VERSION}", body=request)
desk_status, desk_quote = raw("POST", f"/api/reservationOrders/{order_id}/calculateRefund", body={"reservationId": reservation_id, "quantity": 1, "policy": "azure-current"})
wire = exact["properties"]["billingRefundAmount"]["amount"]
expect(status == 200 and desk_status == 200 and isinstance(wire, Decimal) and wire == Decimal(desk_quote["quote"]["refundAmount"]["amount"]), f"billingRefundAmount is a JSON number equal to the desk's quote: {wire}")

if limit.policy_errors:
    expect(False, f"the chosen reservation is refused by the policy: {[e.code for e in limit.policy_errors]}")

refund = {"properties": {"sessionId": props.session_id, "scope": "Reservation", "reservationToReturn": {"reservationId": one.id, "quantity": 1}, "returnReason": "SDK walk"}}
after = admin.return_operations.begin_post(order_id, refund).result()
returned = next(r for r in after.properties.reservations if r.name == target.name)
expect(returned.properties.quantity == before_quantity - 1, f"return_operations.begin_post: quantity {before_quantity} -> {returned.properties.quantity}")
again = admin.return_operations.begin_post(order_id, refund).result()
again_quantity = next(r for r in again.properties.reservations if r.name == target.name).properties.quantity
expect(again_quantity == before_quantity - 1, "the same session again moves nothing")
status, audit = raw("GET", "/api/audit")
refunds = [e for e in audit if props.session_id in json.dumps(e)]
expect(status == 200 and len(refunds) == 1, "the desk's audit log has the return once")

# Exchange: return one more unit toward three of the same SKU for three years.
status, catalog = raw("GET", "/api/catalog")
item = next(c for c in catalog if c["skuName"] == one.sku.name)
purchase = {"sku": {"name": item["skuName"]}, "location": item["location"], "properties": {"reservedResourceType": item["reservedResourceType"], "term": "P3Y", "billingPlan": "Upfront", "quantity": 3, "displayName": "sdk-walk-exchange", "appliedScopeType": "Shared"}}
calculation = admin.calculate_exchange.begin_post({"properties": {"reservationsToExchange": [{"reservationId": one.id, "quantity": 1}], "reservationsToPurchase": [purchase]}}).result()
cx = calculation.properties
expect(calculation.status == "Succeeded" and not cx.policy_result.policy_errors and bool(cx.session_id), f"calculate_exchange.begin_post: net payable {cx.net_payable.currency_code} {cx.net_payable.amount}")
refunded = cx.reservations_to_exchange[0].billing_refund_amount.amount
bought = cx.reservations_to_purchase[0].billing_currency_total.amount
expect(abs(Decimal(str(bought)) - Decimal(str(refunded)) - Decimal(str(cx.net_payable.amount))) < Decimal("0.005"), f"purchase {bought} less refund {refunded} is the net payable")
done = admin.exchange.begin_post({"properties": {"sessionId": cx.session_id}}).result()
new_ids = [r.reservation_id for r in done.properties.reservations_to_purchase]
expect(done.status == "Succeeded" and len(new_ids) == 1 and new_ids[0].startswith("/providers/microsoft.capacity/reservationOrders/"), f"exchange.begin_post: bought {new_ids[0]}")
new_order, new_id = new_ids[0].split("/")[4], new_ids[0].split("/")[6]
bought_reservation = admin.reservation.get(new_order, new_id)
expect(bought_reservation.properties.quantity == 3 and bought_reservation.properties.term == "P3Y" and bought_reservation.properties.display_name == "sdk-walk-exchange", "the new reservation reads back: 3 units, P3Y")
expect(admin.reservation.get(order_id, reservation_id).properties.quantity == before_quantity - 2, "the returned unit is gone")
again = admin.exchange.begin_post({"properties": {"sessionId": cx.session_id}}).result()
expect([r.reservation_id for r in again.properties.reservations_to_purchase] == new_ids, "the same session again answers the same and buys nothing more")

# The order's payment plan ($expand=schedule), of what it holds now (two units fewer), and a
# monthly order's: the transactions add up exactly, paid up to today, scheduled after.
def check_plan(plan_order_id, units):
    planned = admin.reservation_order.get(plan_order_id, expand="schedule")
    info, props = planned.properties.plan_information, planned.properties
    today = datetime.now(timezone.utc).date()
    months = {"P1Y": 12, "P3Y": 36, "P5Y": 60}[props.term]
    expect(info is not None and len(info.transactions) == (1 if props.billing_plan == "Upfront" else months), f"reservation_order.get(expand='schedule'): {getattr(props.billing_plan, 'value', props.billing_plan)} {getattr(props.term, 'value', props.term)}, {len(info.transactions)} transactions from {info.start_date}")
    expect(all((t.status == "Succeeded" and t.payment_date == t.due_date) if t.due_date <= today else (t.status == "Scheduled" and t.payment_date is None) for t in info.transactions), f"{sum(t.status == 'Succeeded' for t in info.transactions)} paid up to today, the rest scheduled; next due {info.next_payment_due_date}")
    status, exact_plan = raw("GET", f"/providers/Microsoft.Capacity/reservationOrders/{plan_order_id}?api-version={API_VERSION}&$expand=schedule")
    wire_plan = exact_plan["properties"]["planInformation"]
    commitment = sum((Decimal(raw("GET", f"/api/reservationOrders/{plan_order_id}/reservations/{r.name.split('/')[1]}")[1]["unitPrice"]["amount"]) * r.properties.quantity).quantize(Decimal("0.01")) for r in props.reservations if r.properties.provisioning_state in ("Succeeded", "Expired"))
    billing_sum = sum(t["billingCurrencyTotal"]["amount"] for t in wire_plan["transactions"])
    pricing_sum = sum(t["pricingCurrencyTotal"]["amount"] for t in wire_plan["transactions"])
    expect(status == 200 and billing_sum == commitment and pricing_sum == wire_plan["pricingCurrencyTotal"]["amount"], f"the transactions add up exactly: {billing_sum} = {units} units' commitment {commitment}, pricingCurrencyTotal {pricing_sum}")


expect(admin.reservation_order.get(order_id).properties.plan_information is None, "reservation_order.get without expand: no plan_information")
check_plan(order_id, before_quantity - 2)
monthly = next(o for o in admin.reservation_order.list() if o.properties.billing_plan == "Monthly" and o.properties.provisioning_state == "Succeeded")
check_plan(monthly.name, sum(r.properties.quantity for r in monthly.properties.reservations if r.properties.provisioning_state == "Succeeded"))
error = expect_error(HttpResponseError, "notInCatalog", lambda: admin.calculate_exchange.begin_post({"properties": {"reservationsToExchange": [{"reservationId": one.id, "quantity": 1}], "reservationsToPurchase": [dict(purchase, sku={"name": "Standard_Nope"})]}}).result(), "a SKU not in the catalog: 400")
expect(error.error.target == "properties.reservationsToPurchase[0].sku.name", f"named: {error.error.target}")

# Errors in ARM's shape.
expect_error(ClientAuthenticationError, "signInRequired", lambda: list(client(None).reservation_order.list()), "no token: 401")
sales = client("demo-sales-agent")
expect(len(list(sales.reservation.list_all())) == len(list(admin.reservation.list_all())) == len(everything) + 1, "a Sales agent may read (the exchange added one reservation)")
expect_error(HttpResponseError, "roleForbids", lambda: sales.return_operations.begin_post(order_id, refund).result(), "a Sales agent may not return: 403")
bad_scope = {"properties": {"scope": "Order", "reservationToReturn": {"reservationId": one.id, "quantity": 1}}}
error = expect_error(HttpResponseError, "malformedRequest", lambda: admin.calculate_refund.post(order_id, bad_scope), "scope other than Reservation: 400")
expect(error.status_code == 400 and error.error.target == "properties.scope", f"the error names its target: {error.error.target}")
status, body = raw("GET", "/providers/Microsoft.Capacity/reservationOrders")
expect(status == 400 and body["error"]["code"] == "MissingApiVersionParameter", "no api-version: 400 MissingApiVersionParameter")
status, body = raw("GET", "/providers/Microsoft.Capacity/reservationOrders?api-version=2021-07-01")
expect(status == 400 and body["error"]["code"] == "InvalidApiVersionParameter", "another api-version: 400 InvalidApiVersionParameter")

# Revisions: the reservation renamed and rescoped above, what it was after each change.
revisions = list(admin.reservation.list_revisions(order_id, reservation_id))
etags = [v.etag for v in revisions]
expect(len(revisions) > 1 and etags == sorted(etags, reverse=True) and etags[-1] == 1, f"reservation.list_revisions: etags {etags}, newest first")
expect(all(v.name == f"{order_id}/{reservation_id}/{v.etag}" and v.id == f"{one.id}/revisions/{v.etag}" for v in revisions), "each revision named {orderId}/{reservationId}/{n}, as Azure's example has it")
newest = revisions[0]
expect(newest.properties.display_name == original_name and newest.system_data.last_modified_by and newest.properties.last_updated_date_time is not None, f"the newest revision is the reservation now, changed by {newest.system_data.last_modified_by}")

# Split: a Sales agent may not; an Admin agent splits an active reservation of two or more units.
candidate = next(r for r in admin.reservation.list_all(filter="properties/provisioningState eq 'Succeeded'") if r.properties.quantity >= 2 and r.name != target.name)
split_order, split_id = candidate.name.split("/")
quantity = candidate.properties.quantity
split_body = {"properties": {"quantities": [1, quantity - 1], "reservationId": candidate.id}}
expect_error(HttpResponseError, "roleForbids", lambda: sales.reservation.begin_split(split_order, split_body).result(), "a Sales agent may not split: 403")
error = expect_error(HttpResponseError, "quantityOutOfRange", lambda: admin.reservation.begin_split(split_order, {"properties": {"quantities": [1, quantity], "reservationId": candidate.id}}).result(), "quantities that do not add up: 400")
expect(error.status_code == 400 and error.error.target == "properties.quantities", f"named: {error.error.target}")
split = admin.reservation.begin_split(split_order, split_body).result()
parts, source = split[:2], split[2]
expect(len(split) == 3 and source.id == candidate.id and source.properties.provisioning_state == "Split", f"reservation.begin_split: {len(split)} reservations, the source last and Split")
expect(source.properties.split_properties.split_destinations == [p.id for p in parts] and all(p.properties.split_properties.split_source == candidate.id for p in parts), "splitDestinations and splitSource link them by full IDs")
expect([p.properties.quantity for p in parts] == [1, quantity - 1] and all(p.properties.provisioning_state == "Succeeded" for p in parts), f"the parts: {[p.properties.quantity for p in parts]} units, active")
expect(source.properties.extended_status_info.status_code == "Split", "the source's extendedStatusInfo says Split")

# Merge the parts back into one.
merged = admin.reservation.begin_merge(split_order, {"properties": {"sources": [p.id for p in parts]}}).result()
result = merged[-1]
expect(len(merged) == 3 and result.properties.quantity == quantity and result.properties.merge_properties.merge_sources == [p.id for p in parts], f"reservation.begin_merge: one reservation of {result.properties.quantity} units, sources linked")
expect(all(m.properties.provisioning_state == "Merged" and m.properties.merge_properties.merge_destination == result.id for m in merged[:2]), "the parts are Merged, linked to the result")

# Archive: only a finished reservation (the split source), not an active one.
expect(admin.reservation.archive(split_order, split_id) is None, "reservation.archive of the split source: 200, no body")
expect(admin.reservation.get(split_order, split_id).properties.archived is True, "reservation.get: archived")
expect(admin.reservation.unarchive(split_order, split_id) is None and admin.reservation.get(split_order, split_id).properties.archived is False, "reservation.unarchive: back")
merged_order, merged_id = result.name.split("/")
error = expect_error(HttpResponseError, "isActive", lambda: admin.reservation.archive(merged_order, merged_id), "archiving an active reservation: 400")
expect(error.status_code == 400, f"status {error.status_code}")
history = list(admin.reservation.list_revisions(split_order, split_id))
expect([(v.properties.provisioning_state, v.properties.archived) for v in history] == [("Split", False), ("Split", True), ("Split", False), ("Succeeded", False)], f"its revisions: {[v.etag for v in history]}: unarchived, archived, split, before")

# Trade-in: a one-unit USD VM reservation for a 3-year compute savings plan,
# paid monthly (billingPlan P1M), through the SDK's own models.
def usd_vm(r):
    if r.name == target.name or r.properties.quantity != 1 or r.properties.reserved_resource_type != "VirtualMachines":
        return None
    status, view = raw("GET", f"/api/reservationOrders/{r.name.split('/')[0]}/reservations/{r.name.split('/')[1]}")
    return view if status == 200 and view["unitPrice"]["currencyCode"] == "USD" else None


traded = next(v for v in map(usd_vm, admin.reservation.list_all(filter="properties/provisioningState eq 'Succeeded'")) if v)
desk_trade_in = {"reservationsToExchange": [{"reservationId": traded["id"], "quantity": 1}], "reservationsToPurchase": [],
                 "savingsPlansToPurchase": [{"skuName": "Compute_Savings_Plan", "term": "P3Y", "billingPlan": "Monthly", "hourlyCommitment": {"amount": "0.01", "currencyCode": "USD"}, "appliedScopeType": "Shared"}]}
status, desk_probe = raw("POST", "/api/calculateExchange", body=desk_trade_in)
minimum = desk_probe["quote"]["savingsPlans"][0]["minimumHourlyCommitment"]["amount"]
expect(status == 200 and Decimal(minimum) > 0, f"the desk quotes the least hourly commitment: USD {minimum}")
# The subscription charged is one of the customer's own (the customer is billed).
status, own_scopes = raw("GET", f"/api/customers/{traded['customerId']}/scopes")
billing_scope = next(s["appliedScopeProperties"]["subscriptionId"] for s in own_scopes if s["appliedScopeProperties"].get("subscriptionId"))


def trade_in_request(hourly, billing=billing_scope):
    plan = models.SavingsPlanPurchaseRequest(
        sku=models.SkuName(name="Compute_Savings_Plan"),
        properties=models.SavingsPlanPurchaseRequestProperties(
            display_name="sdk-walk-savings-plan", billing_scope_id=billing, term="P3Y",
            billing_plan="P1M", applied_scope_type="Shared", commitment=models.Commitment(currency_code="USD", amount=hourly, grain="Hourly")))
    returned_line = models.ReservationToReturn(reservation_id=f"/providers/microsoft.capacity/reservationOrders/{traded['reservationOrderId']}/reservations/{traded['id']}", quantity=1)
    return models.CalculateExchangeRequest(properties=models.CalculateExchangeRequestProperties(reservations_to_exchange=[returned_line], savings_plans_to_purchase=[plan]))


error = expect_error(HttpResponseError, "scopeInvalid", lambda: admin.calculate_exchange.begin_post(trade_in_request(float(minimum), "/subscriptions/00000000-0000-0000-0000-000000000001")).result(), "a subscription not the customer's to bill: 400")
expect(error.error.target == "properties.savingsPlansToPurchase[0].properties.billingScopeId", f"named: {error.error.target}")
too_low = admin.calculate_exchange.begin_post(trade_in_request(float(Decimal(minimum) - Decimal("0.01")))).result()
expect([e.code for e in too_low.properties.policy_result.policy_errors] == ["SavingsPlanCommitmentTooLow"], "calculate_exchange.begin_post: a cent an hour below the least: SavingsPlanCommitmentTooLow")
tx = admin.calculate_exchange.begin_post(trade_in_request(float(minimum))).result().properties
quoted_plan = tx.savings_plans_to_purchase[0]
lifetime = Decimal(minimum) * 26280
first_installment = (lifetime / 36).quantize(Decimal("0.01"))
expect(not tx.policy_result.policy_errors and quoted_plan.properties.properties.commitment.amount == float(minimum) and Decimal(str(quoted_plan.billing_currency_total.amount)) == first_installment,
       f"SavingsPlanToPurchaseCalculateExchange: the plan asked for, USD {quoted_plan.billing_currency_total.amount} now (the first of 36 installments of {lifetime})")
traded_done = admin.exchange.begin_post(models.ExchangeRequest(properties=models.ExchangeRequestProperties(session_id=tx.session_id))).result()
plan_bought = traded_done.properties.savings_plans_to_purchase[0]
expect(traded_done.status == "Succeeded" and plan_bought.status == "Succeeded" and plan_bought.savings_plan_id.startswith(plan_bought.savings_plan_order_id + "/savingsPlans/"), f"exchange.begin_post: SavingsPlanToPurchaseExchange {plan_bought.savings_plan_id}")
expect(plan_bought.properties.properties.billing_scope_id == billing_scope, f"the plan bought is billed to the subscription it named: {plan_bought.properties.properties.billing_scope_id}")
status, plans = raw("GET", f"/api/customers/{traded['customerId']}/savingsPlans")
expect(status == 200 and len(plans) == 1 and plan_bought.savings_plan_id.endswith(plans[0]["id"]) and plans[0]["commitment"] == {"currencyCode": "USD", "amount": minimum, "grain": "Hourly"} and plans[0]["term"] == "P3Y",
       f"the customer has the plan on the desk's API: {plans[0]['displayName']}, {plans[0]['startDate']} to {plans[0]['expiryDate']}")
expect(admin.reservation.get(traded["reservationOrderId"], traded["id"]).properties.provisioning_state == "Cancelled", "the reservation traded in is cancelled")
again_done = admin.exchange.begin_post(models.ExchangeRequest(properties=models.ExchangeRequestProperties(session_id=tx.session_id))).result()
expect([p.savings_plan_id for p in again_done.properties.savings_plans_to_purchase] == [plan_bought.savings_plan_id] and len(raw("GET", f"/api/customers/{traded['customerId']}/savingsPlans")[1]) == 1, "the same session again answers the same and buys no second plan")

# A SQL Database reservation (USD) for a 1-year savings plan for databases, paid upfront: quoted
# with its least hourly commitment on the desk's API, then quoted and bought through the SDK; a
# 3-year plan for databases is refused (TradeInNotEligible).
def usd_sql(r):
    if r.properties.reserved_resource_type != "SqlDatabases":
        return None
    status, view = raw("GET", f"/api/reservationOrders/{r.name.split('/')[0]}/reservations/{r.name.split('/')[1]}")
    return view if status == 200 and view["unitPrice"]["currencyCode"] == "USD" else None


sql = next((v for v in map(usd_sql, admin.reservation.list_all(filter="properties/provisioningState eq 'Succeeded'")) if v), None)
expect(sql is not None, "the seed has an active USD SQL Database reservation")
desk_db = {"reservationsToExchange": [{"reservationId": sql["id"], "quantity": sql["quantity"]}], "reservationsToPurchase": [],
           "savingsPlansToPurchase": [{"skuName": "Database_Savings_Plan", "term": "P1Y", "billingPlan": "Upfront", "hourlyCommitment": {"amount": "0.01", "currencyCode": "USD"}, "appliedScopeType": "Shared"}]}
status, db_probe = raw("POST", "/api/calculateExchange", body=desk_db)
db_minimum = db_probe["quote"]["savingsPlans"][0]["minimumHourlyCommitment"]["amount"]
expect(status == 200 and Decimal(db_minimum) > 0, f"the desk quotes the database plan's least hourly commitment: USD {db_minimum}")
status, sql_scopes = raw("GET", f"/api/customers/{sql['customerId']}/scopes")
sql_billing = next(s["appliedScopeProperties"]["subscriptionId"] for s in sql_scopes if s["appliedScopeProperties"].get("subscriptionId"))


def database_trade_in(hourly, term="P1Y"):
    plan = models.SavingsPlanPurchaseRequest(
        sku=models.SkuName(name="Database_Savings_Plan"),
        properties=models.SavingsPlanPurchaseRequestProperties(
            display_name="sdk-walk-database-plan", billing_scope_id=sql_billing, term=term,
            applied_scope_type="Shared", commitment=models.Commitment(currency_code="USD", amount=hourly, grain="Hourly")))
    returned_line = models.ReservationToReturn(reservation_id=f"/providers/microsoft.capacity/reservationOrders/{sql['reservationOrderId']}/reservations/{sql['id']}", quantity=sql["quantity"])
    return models.CalculateExchangeRequest(properties=models.CalculateExchangeRequestProperties(reservations_to_exchange=[returned_line], savings_plans_to_purchase=[plan]))


three_years = admin.calculate_exchange.begin_post(database_trade_in(float(db_minimum), "P3Y")).result()
expect([e.code for e in three_years.properties.policy_result.policy_errors] == ["TradeInNotEligible"], "calculate_exchange.begin_post: a 3-year plan for databases: TradeInNotEligible")
db_tx = admin.calculate_exchange.begin_post(database_trade_in(float(db_minimum))).result().properties
db_lifetime = Decimal(db_minimum) * 8760
expect(not db_tx.policy_result.policy_errors and Decimal(str(db_tx.savings_plans_to_purchase[0].billing_currency_total.amount)) == db_lifetime,
       f"SavingsPlanToPurchaseCalculateExchange: a 1-year plan for databases, USD {db_lifetime} upfront")
db_done = admin.exchange.begin_post(models.ExchangeRequest(properties=models.ExchangeRequestProperties(session_id=db_tx.session_id))).result()
db_bought = db_done.properties.savings_plans_to_purchase[0]
expect(db_done.status == "Succeeded" and db_bought.status == "Succeeded", f"exchange.begin_post: the plan for databases bought, {db_bought.savings_plan_id}")
status, sql_plans = raw("GET", f"/api/customers/{sql['customerId']}/savingsPlans")
expect(status == 200 and any(p["skuName"] == "Database_Savings_Plan" and p["term"] == "P1Y" and db_bought.savings_plan_id.endswith(p["id"]) for p in sql_plans),
       "the customer has the plan for databases on the desk's API")
expect(admin.reservation.get(sql["reservationOrderId"], sql["id"]).properties.provisioning_state == "Cancelled", "the SQL Database reservation traded in is cancelled")

# A purchase through the SDK's own models: the catalog of a customer's subscription,
# reservation_order.calculate (calculatePrice) and begin_purchase under the order ID it gives;
# the same PUT again buys nothing more, another body under that ID is refused.
status, customers = raw("GET", "/api/customers")
buyer = next(c for c in customers if c["name"].startswith("Fabrikam"))
status, buyer_scopes = raw("GET", f"/api/customers/{buyer['id']}/scopes")
buyer_subscription = next(s["appliedScopeProperties"]["subscriptionId"] for s in buyer_scopes if s["appliedScopeProperties"].get("subscriptionId"))
catalog = list(admin.get_catalog(buyer_subscription.split("/")[-1], reserved_resource_type="VirtualMachines", location="westeurope"))
d2s = next(c for c in catalog if c.name == "Standard_D2s_v5")
expect(all(c.resource_type == "VirtualMachines" and c.locations == ["westeurope"] for c in catalog) and d2s.terms == ["P1Y", "P3Y", "P5Y"]
       and Decimal(str(d2s.msrp.p3_y.amount)) == Decimal("2102.40") and d2s.billing_plans["P3Y"] == ["Upfront", "Monthly"],
       f"get_catalog: {len(catalog)} VM sizes in westeurope, Standard_D2s_v5 at USD 2102.40 for 3 years")
expect_error(ResourceNotFoundError, "SubscriptionNotFound", lambda: list(admin.get_catalog("00000000-0000-0000-0000-000000000000")), "the catalog of a subscription of no customer")


def buying(quantity):
    return models.PurchaseRequest(
        sku=models.SkuName(name="Standard_D2s_v5"), location="westeurope",
        properties=models.PurchaseRequestProperties(
            reserved_resource_type="VirtualMachines", billing_scope_id=buyer_subscription, term="P3Y", billing_plan="Monthly",
            quantity=quantity, display_name="sdk-walk-bought", applied_scope_type="Shared", renew=True))


price = admin.reservation_order.calculate(buying(2)).properties
schedule_total = sum(Decimal(str(p.billing_currency_total.amount)) for p in price.payment_schedule)
expect(Decimal(str(price.billing_currency_total.amount)) == Decimal("4204.80") and len(price.payment_schedule) == 36 and schedule_total == Decimal("4204.80"),
       f"reservation_order.calculate: USD 4204.80 in 36 monthly payments under order {price.reservation_order_id}")
sales = client("demo-sales-agent")
expect(sales.reservation_order.calculate(buying(2)).properties.billing_currency_total.amount == price.billing_currency_total.amount, "a Sales agent may price it")
expect_error(HttpResponseError, "roleForbids", lambda: sales.reservation_order.begin_purchase(price.reservation_order_id, buying(2)).result(), "but not buy it: 403")
expect_error(HttpResponseError, "quoteChanged", lambda: admin.reservation_order.begin_purchase(price.reservation_order_id, buying(3)).result(), "another quantity under the priced order ID buys nothing: 409")
bought = admin.reservation_order.begin_purchase(price.reservation_order_id, buying(2)).result()
expect(bought.name == price.reservation_order_id and bought.properties.provisioning_state == "Succeeded" and len(bought.properties.reservations) == 1
       and bought.properties.reservations[0].properties.quantity == 2, f"reservation_order.begin_purchase: order {bought.name} bought, 2 units")
again = admin.reservation_order.begin_purchase(price.reservation_order_id, buying(2)).result()
expect(again.name == bought.name and [r.name for r in again.properties.reservations] == [r.name for r in bought.properties.reservations], "the same PUT again answers the order bought")
status, listed = raw("GET", f"/api/customers/{buyer['id']}/reservations")
mine = [r for r in listed if r["reservationOrderId"] == price.reservation_order_id]
expect(status == 200 and len(mine) == 1 and mine[0]["quantity"] == 2 and mine[0]["renew"] is True and mine[0]["displayName"] == "sdk-walk-bought",
       "the desk lists the reservation bought once, renewing, named as asked")
status, audit = raw("GET", f"/api/audit?customerId={buyer['id']}", token="demo-global-admin")
expect(sum(1 for e in audit if e["action"] == "purchase") == 1, "one purchase in the customer's audit log")

ops = list(admin.operation.list())
expect(any(o.name == "Microsoft.Capacity/reservationOrders/return/action" for o in ops), f"operation.list: {len(ops)} operations")
print(f"the SDK walk passed against {BASE}")
