from odoo import api, fields, models


class SalesDunningLetterLine(models.Model):
    _name = "sales.dunning.letter.line"
    _description = "Dunned Item"
    _order = "date_due, id"

    _sql_constraints = [
        ("item_level_unique", "unique(move_line_id, level_id)",
         "An item is dunned once per level: it is already in another letter of that level."),
    ]

    letter_id = fields.Many2one("sales.dunning.letter", required=True, ondelete="cascade", index=True)
    company_id = fields.Many2one(related="letter_id.company_id", store=True, precompute=True)
    level_id = fields.Many2one(related="letter_id.level_id", store=True)
    move_line_id = fields.Many2one("account.move.line", required=True, ondelete="cascade", index=True)
    move_id = fields.Many2one(related="move_line_id.move_id", string="Invoice")
    date_due = fields.Date(related="move_line_id.date_maturity", string="Due Date")
    days_overdue = fields.Integer()
    currency_id = fields.Many2one(related="letter_id.currency_id")
    company_currency_id = fields.Many2one(related="letter_id.company_currency_id", string="Company Currency")
    amount = fields.Monetary(compute="_compute_amounts", store=True, string="Amount")
    residual = fields.Monetary(compute="_compute_amounts", store=True, string="Due")
    residual_company = fields.Monetary(compute="_compute_amounts", store=True, currency_field="company_currency_id")

    @api.depends("move_line_id", "letter_id.currency_id")
    def _compute_amounts(self):
        for line in self:
            item = line.move_line_id
            foreign = item.currency_id and item.currency_id != item.company_currency_id
            line.amount = item.amount_currency if foreign else item.balance
            line.residual = item.amount_residual_currency if foreign else item.amount_residual
            line.residual_company = item.amount_residual
