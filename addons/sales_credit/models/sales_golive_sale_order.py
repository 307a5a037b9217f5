from odoo import models

# cursor-cache key (an RPC caller cannot set it): the orders being loaded from the old system in this transaction
GOLIVE = "sales_credit_golive"


class SaleOrder(models.Model):
    _inherit = "sale.order"

    def _credit_needs_check(self):
        # an order loaded at go-live is business the company already has: it counts in the exposure from now on,
        # but is not held again
        if self.id in self.env.cr.cache.get(GOLIVE, ()):
            return False
        return super()._credit_needs_check()

    def _review_check(self):
        loading = self.filtered(lambda o: o.id in self.env.cr.cache.get(GOLIVE, ()))
        return super(SaleOrder, self - loading)._review_check()

    def _prepare_confirmation_values(self):
        values = super()._prepare_confirmation_values()
        # an order loaded at go-live keeps its original date
        if self and all(order.id in self.env.cr.cache.get(GOLIVE, ()) for order in self):
            values.pop("date_order", None)
        return values
