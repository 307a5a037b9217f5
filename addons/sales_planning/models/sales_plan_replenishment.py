from odoo import _, fields, models
from odoo.exceptions import UserError


class SalesPlan(models.Model):
    """The replenishment of a plan's products: Odoo's replenishment report, fed by the plan's quantities."""

    _inherit = "sales.plan"

    def action_open_replenishment(self):
        """Odoo's replenishment report for the plan's products still to sell, each with a reordering rule on the
        stock of the company's main warehouse (a manual one is made where none exists)."""
        self.ensure_one()
        Orderpoint = self.env["stock.warehouse.orderpoint"].with_context(
            search_default_filter_not_snoozed=True, default_trigger="manual", searchpanel_default_trigger="manual"
        )
        if not self.company_id.sales_plan_feeds_replenishment:
            raise UserError(
                _(
                    "Sales plans do not feed replenishment in %(company)s: switch on Plans Feed Replenishment in "
                    "Settings > Sales Planning first.",
                    company=self.company_id.name,
                )
            )
        products = self._get_replenishment_products()
        if not Orderpoint._get_sales_plan_locations(self.company_id):
            raise UserError(
                _("%(company)s has no warehouse to replenish the plan's products in.", company=self.company_id.name)
            )
        if not products:
            raise UserError(
                _(
                    "%(plan)s plans no quantity of a storable product from today on: break it down by product with "
                    "a target quantity to replenish from it.",
                    plan=self.name,
                )
            )
        action = Orderpoint._get_orderpoint_action()
        Orderpoint._create_sales_plan_orderpoints(self.company_id, products)
        action["name"] = _("Replenishment for %(plan)s", plan=self.name)
        action["domain"] = [("product_id", "in", products.ids), ("company_id", "=", self.company_id.id)]
        return action

    def _get_replenishment_products(self):
        """The storable products the plan still has quantities of, in periods not yet over."""
        self.ensure_one()
        return (
            self.env["sales.plan.line"]
            .search(
                [
                    ("plan_id", "=", self.id),
                    ("product_id", "!=", False),
                    ("child_ids", "=", False),
                    ("target_qty", ">", 0),
                    ("date_to", ">=", fields.Date.today()),
                ]
            )
            .product_id.filtered("is_storable")
        )
