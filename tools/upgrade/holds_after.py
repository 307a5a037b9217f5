"""Run in `odoo-bin shell` on the upgraded database (tools/upgrade_check.sh): every hold that holds_before.py
recorded in the baseline's sales.order.hold is now a credit hold (sales.credit.hold) or an order review
(sales.order.review) with the same id and values, the orders still point to them, and new ones get fresh ids.
Prints "upgrade check holds: ok" or raises."""

import json
import os

from odoo import Command

with open(os.environ["UPGRADE_CHECK_DATA"], encoding="utf-8") as file:
    data = json.load(file)

for model in ("sales.credit.hold", "sales.order.review"):
    assert model in env, f"model {model} is missing after the upgrade"
assert not env["ir.model"].search([("model", "=", "sales.order.hold")]), "the old model sales.order.hold is left"
CreditHold, Review = env["sales.credit.hold"], env["sales.order.review"]
# a released review is now an approved one
REVIEW_STATES = {"released": "approved"}
problems = []


def text_kept(old, new):
    """Each line of the old text is still in the new one (which may now be HTML)."""
    return all(line in str(new or "") for line in (old or "").splitlines())


for hold in data["holds"]:
    is_credit = hold["hold_type"] == "credit"
    model = CreditHold if is_credit else Review
    record = model.browse(hold["id"]).exists()
    what = f"{hold['hold_type']} hold {hold['id']} ({hold['state']}) of order {hold['order_id']}"
    if not record:
        problems.append(f"{what}: not in {model._name}")
        continue
    if record.order_id.id != hold["order_id"]:
        problems.append(f"{what}: now of order {record.order_id.id}")
    if not hold["made"]:
        continue  # the demo's: the upgrade may load the demo data again
    state = hold["state"] if is_credit else REVIEW_STATES.get(hold["state"], hold["state"])
    expected = {"state": state, "decided_by_id": hold["decided_by_id"] or False}
    expected |= {"amount": hold["amount"]} if is_credit else {"rule_id": hold["rule_id"]}
    for fname, value in expected.items():
        new = record[fname].id if fname.endswith("_id") else record[fname]
        if new != value:
            problems.append(f"{what}: {fname} is {new!r} instead of {value!r}")
    for fname in ("reason", "decision_note"):
        if not text_kept(hold[fname], record[fname]):
            problems.append(f"{what}: {fname} is {record[fname]!r} instead of {hold[fname]!r}")

for recorded in data["orders"]:
    order = env["sale.order"].browse(recorded["id"])
    for field, hold_type in (("credit_hold_ids", "credit"), ("review_ids", "review")):
        expected = {h["id"] for h in data["holds"] if h["order_id"] == order.id and h["hold_type"] == hold_type}
        found = set(order[field].ids)
        # the demo's orders may get new holds when the upgrade loads the demo data again
        if (found != expected) if recorded["made"] else not expected.issubset(found):
            problems.append(f"order {order.id}: {field} {sorted(found)} instead of {sorted(expected)}")
    for flag in ("on_credit_hold", "to_review"):
        if recorded["made"] and order[flag] != recorded[flag]:
            problems.append(f"order {order.id}: {flag} is {order[flag]} instead of {recorded[flag]}")

# new holds and reviews do not collide with the ids the upgrade kept
salesman = env["res.users"].browse(data["salesman_id"])
last_id = {kind: max(h["id"] for h in data["holds"] if h["hold_type"] == kind) for kind in ("credit", "review")}


def confirm_new_order(partner_id, amount):
    order = (
        env["sale.order"]
        .with_user(salesman)
        .create(
            {
                "partner_id": partner_id,
                "order_line": [
                    Command.create({"product_id": data["service_id"], "product_uom_qty": 1, "price_unit": amount})
                ],
            }
        )
    )
    order.action_confirm()
    return order


held = confirm_new_order(data["customer_id"], 3000)
if not held.on_credit_hold or min(held.credit_hold_ids.ids) <= last_id["credit"]:
    problems.append(f"a new order over the credit limit has the credit holds {held.credit_hold_ids.ids}")
reviewed = confirm_new_order(data["review_customer_id"], 30_000)
if not reviewed.to_review or min(reviewed.review_ids.ids) <= last_id["review"]:
    problems.append(f"a new order above 20,000 has the reviews {reviewed.review_ids.ids}")
env.cr.rollback()

assert not problems, "\n".join(problems)
print("upgrade check holds: ok")
