"""Run in `odoo-bin shell` on a copy of the test database: uninstall the addons named in $UNINSTALL (default: the
whole suite), then sell, deliver, invoice and get paid as stock Odoo does. Prints "uninstall flow: ok" or raises."""

import os

from odoo import Command

SUITE = ["sales_base", "sales_credit", "sales_analytics", "sales_dunning", "sales_reservation", "sales_planning"]
names = os.environ.get("UNINSTALL", ",".join(SUITE)).split(",")

modules = env["ir.module.module"].search([("name", "in", names), ("state", "=", "installed")])
assert len(modules) == len(names), modules.mapped("name")
modules.button_immediate_uninstall()
env.invalidate_all()
assert not env["ir.module.module"].search([("name", "in", names), ("state", "!=", "uninstalled")])
if "sales_base" in names:
    assert not any(name.startswith("sales.") for name in env.registry.models), "a suite model survived"
elif "sales_credit" in names:
    # the vocabulary is sales_base's: customers keep their tier and region, the background jobs their queue
    for model in ("sales.customer.tier", "sales.region", "sales.background.mixin"):
        assert model in env.registry, f"{model} left with sales_credit"
    for table in ("sales_customer_tier", "sales_region", "res_country_sales_region_rel"):
        env.cr.execute("SELECT to_regclass(%s)", [table])
        assert env.cr.fetchone()[0], f"the table {table} left with sales_credit"
    assert {"customer_tier_id", "sales_region_id"} <= set(env["res.partner"]._fields)
    assert env.ref("sales_base.ir_cron_sales_background_jobs", raise_if_not_found=False)

if "sales_analytics" in names or "sales_base" in names:
    # the analysis's totals are triggers on the sales tables: none may survive to fail the next sale
    env.cr.execute("SELECT tgname FROM pg_trigger WHERE tgname LIKE 'sales_analysis_total%'")
    assert not env.cr.fetchall(), "the analysis's triggers survived"
    env.cr.execute("SELECT to_regclass('sales_analysis_total_customer')")
    assert not env.cr.fetchone()[0], "the analysis's totals survived"

warehouse = env["stock.warehouse"].search([("company_id", "=", env.company.id)], limit=1)
product = env["product.product"].create(
    {"name": "After uninstall", "is_storable": True, "list_price": 50, "invoice_policy": "delivery"}
)
env["stock.quant"]._update_available_quantity(product, warehouse.lot_stock_id, 5)
customer = env["res.partner"].create({"name": "Still a customer"})
order = env["sale.order"].create(
    {"partner_id": customer.id, "order_line": [Command.create({"product_id": product.id, "product_uom_qty": 3})]}
)
order.action_confirm()
picking = order.picking_ids
picking.move_ids.quantity = 3
picking.move_ids.picked = True
picking.button_validate()
assert picking.state == "done" and order.order_line.qty_delivered == 3
invoice = order._create_invoices()
invoice.action_post()
env["account.payment.register"].with_context(active_model="account.move", active_ids=invoice.ids).create(
    {}
)._create_payments()
assert invoice.payment_state in ("paid", "in_payment"), invoice.payment_state
print("uninstall flow: ok")
env.cr.rollback()
