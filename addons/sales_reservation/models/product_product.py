from odoo import models


class ProductProduct(models.Model):
    _inherit = "product.product"

    def action_allocate_stock(self):
        """Allocate these products' stock to their waiting deliveries now."""
        return self.env["sales.allocation.run"]._action_run(self)
