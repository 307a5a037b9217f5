from odoo import _, api, fields, models
from odoo.exceptions import ValidationError


class SalesForecastLine(models.Model):
    _name = "sales.forecast.line"
    _description = "Sales Forecast Line"
    _order = "forecast_id, date, categ_id, product_id, partner_id, id"

    forecast_id = fields.Many2one("sales.forecast", required=True, ondelete="cascade", index=True)
    company_id = fields.Many2one(related="forecast_id.company_id", store=True)
    currency_id = fields.Many2one(related="forecast_id.currency_id")
    date = fields.Date(string="Month", required=True)
    product_id = fields.Many2one("product.product", ondelete="restrict")
    categ_id = fields.Many2one("product.category", string="Product Category", ondelete="restrict")
    partner_id = fields.Many2one("res.partner", string="Key Customer", ondelete="restrict")
    amount = fields.Monetary(string="Forecast Amount")
    history_amount = fields.Monetary(
        string="History", readonly=True, help="The history the forecast was computed from."
    )
    history_basis = fields.Char(string="Computed From", readonly=True)

    @api.constrains("amount", "product_id", "categ_id")
    def _check_line(self):
        for line in self:
            if line.amount < 0:
                raise ValidationError(_("A forecast cannot be negative (%(amount)s).", amount=line.amount))
            if not (line.product_id or line.categ_id):
                raise ValidationError(_("A forecast line is for a product or a product category."))
