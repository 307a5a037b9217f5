from odoo import models
from odoo.exceptions import UserError


class StockWarehouseOrderpoint(models.Model):
    _inherit = "stock.warehouse.orderpoint"

    def _sales_replenish(self):
        """Order the quantity to order of these orderpoints now through Odoo's procurement, as the replenishment
        report's Order button does; on failure, order nothing and keep them as they are.

        :return: ([(product, quantity ordered)], the error message or False)
        """
        if not self:
            return [], False
        ordered = [(orderpoint.product_id, orderpoint.qty_to_order) for orderpoint in self]
        try:
            with self.env.cr.savepoint():
                for company in self.company_id:
                    orderpoints = self.filtered(lambda op, company=company: op.company_id == company)
                    orderpoints._procure_orderpoint_confirm(company_id=company, raise_user_error=True)
        except UserError as error:
            return [], error.args[0]
        # what was ordered now counts in the forecast: Odoo's own quantity to order again
        self.action_remove_manual_qty_to_order()
        return ordered, False
