from odoo import models


class ProductTemplate(models.Model):
    _inherit = "product.template"

    def action_allocate_stock(self):
        """Allocate this product's stock to its waiting deliveries now."""
        return self.product_variant_ids.action_allocate_stock()
