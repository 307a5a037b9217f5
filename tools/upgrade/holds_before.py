"""Run in `odoo-bin shell` on a database with the baseline's addons (tools/upgrade_check.sh): holds of each type
in every state, made as users make them (model sales.order.hold), and what the upgrade must keep written to the
JSON file $UPGRADE_CHECK_DATA for holds_after.py."""

import json
import os

from odoo import Command


def user(login, group):
    return env["res.users"].create(
        {"name": login, "login": login, "email": f"{login}@example.com", "groups_id": [Command.link(env.ref(group).id)]}
    )


salesman = user("upgrade_salesman", "sales_team.group_sale_salesman")
credit_manager = user("upgrade_credit_manager", "sales_credit.group_credit_manager")
reviewer = user("upgrade_reviewer", "sales_team.group_sale_manager")
service = env["product.product"].create(
    {"name": "Upgrade check service", "type": "service", "taxes_id": [Command.clear()], "invoice_policy": "order"}
)
customer = env["res.partner"].create({"name": "Upgrade Check Credit Ltd", "is_company": True})
customer.with_user(credit_manager).write({"credit_limit": 1000, "credit_policy": "block"})
review_customer = env["res.partner"].create({"name": "Upgrade Check Review Ltd", "is_company": True})
# besides the demo's rule "Large contracts" (above 10,000): orders above 20,000 get two reviews
rule = env["sales.review.rule"].create(
    {
        "name": "Upgrade check: above 20,000",
        "condition": "amount",
        "amount": 20_000,
        "reviewer": "group",
        "group_id": env.ref("sales_team.group_sale_manager").id,
    }
)


def order(partner, amount):
    """A quotation of the salesperson, confirmed by him."""
    quotation = (
        env["sale.order"]
        .with_user(salesman)
        .create(
            {
                "partner_id": partner.id,
                "order_line": [Command.create({"product_id": service.id, "product_uom_qty": 1, "price_unit": amount})],
            }
        )
    )
    quotation.action_confirm()
    return quotation


def decide(quotation, user, note, release=True):
    """The decision dialog of the credit manager or the reviewer, as the order's button opens it."""
    button = quotation.with_user(user)
    action = button.action_credit_decide() if quotation.on_credit_hold else button.action_review_decide()
    wizard = env[action["res_model"]].with_user(user).with_context(**action["context"]).create({"note": note})
    return wizard.action_release() if release else wizard.action_reject()


credit_pending = order(customer, 1500)
credit_released = order(customer, 2000)
decide(credit_released, credit_manager, "Bank guarantee received")
credit_rejected = order(customer, 2500)
decide(credit_rejected, credit_manager, "No guarantee, no delivery", release=False)
credit_cleared = order(customer, 1200)
# a higher limit lets the salesperson's second confirmation pass: the pending hold is cleared
customer.with_user(credit_manager).credit_limit = 10_000
credit_cleared.action_confirm()
customer.with_user(credit_manager).credit_limit = 1000

review_pending = order(review_customer, 25_000)
review_approved = order(review_customer, 26_000)
decide(review_approved, reviewer, "Framework contract signed")
review_rejected = order(review_customer, 27_000)
decide(review_rejected, reviewer, "Price too low for this volume", release=False)
review_cleared = order(review_customer, 28_000)
# a new price sends the reviews back to the start
review_cleared.order_line.with_user(salesman).price_unit = 29_000

credit_orders = credit_pending | credit_released | credit_rejected | credit_cleared
review_orders = review_pending | review_approved | review_rejected | review_cleared
made = credit_orders | review_orders
for hold_type, orders in (("credit", credit_orders), ("review", review_orders)):
    holds = orders.hold_ids.filtered(lambda h, t=hold_type: h.hold_type == t)
    assert set(holds.mapped("state")) == {"pending", "released", "rejected", "cleared"}, (hold_type, holds.read())
assert credit_pending.on_credit_hold and review_pending.to_review
assert credit_released.state == review_approved.state == "sale" and credit_rejected.state == "cancel"

# every hold of the database, the demo's too; the ones made here are compared field by field after the upgrade
holds = env["sales.order.hold"].search([])
data = {
    "salesman_id": salesman.id,
    "customer_id": customer.id,
    "review_customer_id": review_customer.id,
    "service_id": service.id,
    "holds": [
        {
            "id": hold.id,
            "made": hold.order_id in made,
            "order_id": hold.order_id.id,
            "hold_type": hold.hold_type,
            "state": hold.state,
            "reason": hold.reason,
            "amount": hold.amount,
            "rule_id": hold.rule_id.id,
            "decided_by_id": hold.decided_by_id.id,
            "decision_note": hold.decision_note,
        }
        for hold in holds
    ],
    "orders": [
        {
            "id": sale.id,
            "made": sale in made,
            "on_credit_hold": sale.on_credit_hold,
            "to_review": sale.to_review,
        }
        for sale in holds.order_id
    ],
}
with open(os.environ["UPGRADE_CHECK_DATA"], "w", encoding="utf-8") as file:
    json.dump(data, file, indent=1)
env.cr.commit()
print(f"upgrade check holds: {len(holds)} holds on {len(holds.order_id)} orders made")
