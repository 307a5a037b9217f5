from odoo import fields, models


class SalesDunningLetterLine(models.Model):
    _name = "sales.dunning.letter.line"
    _description = "Dunned Item"
    _order = "date_due, id"

    _sql_constraints = [
        (
            "item_level_unique",
            "unique(move_line_id, level_id)",
            "An item is dunned once per level: it is already in another letter of that level.",
        ),
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
    # as of the run that dunned the item: filled with the items (SalesDunningRun._insert_letter_lines)
    amount = fields.Monetary(readonly=True)
    residual = fields.Monetary(string="Due", readonly=True)
    residual_company = fields.Monetary(readonly=True, currency_field="company_currency_id")
