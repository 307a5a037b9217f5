from odoo import _, models
from odoo.exceptions import UserError


class StockPicking(models.Model):
    _inherit = "stock.picking"

    def button_validate(self):
        self._check_credit_hold_delivery()
        return super().button_validate()

    def _check_credit_hold_delivery(self):
        """Goods do not leave for a customer on manual credit hold."""
        for picking in self.filtered(lambda p: p.picking_type_code == "outgoing" and p.partner_id):
            company = picking.company_id
            partner = picking.partner_id.commercial_partner_id.with_company(company)
            if company.credit_check_on_delivery and partner.credit_hold:
                raise UserError(
                    _(
                        "%(picking)s cannot be validated: %(partner)s is on credit hold (%(reason)s). "
                        "A credit manager must lift the hold first.",
                        picking=picking.name,
                        partner=partner.display_name,
                        reason=partner.credit_hold_reason or _("no reason given"),
                    )
                )
