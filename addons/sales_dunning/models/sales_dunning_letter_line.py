from odoo import fields, models


class SalesDunningLetterLine(models.Model):
    """One line of a letter: an item dunned at its level, or a credit of the customer that reduces what the letter
    asks for (no level, a negative amount)."""

    _name = "sales.dunning.letter.line"
    _description = "Dunned Item"
    _order = "letter_id, date_due, id"

    _sql_constraints = [
        (
            "item_level_unique",
            "unique(move_line_id, level_id)",
            "An item is dunned once per level: it is already in another letter of that level.",
        ),
    ]

    letter_id = fields.Many2one("sales.dunning.letter", required=True, ondelete="cascade", index=True)
    company_id = fields.Many2one(related="letter_id.company_id", store=True, precompute=True)
    # each item its own level: one letter per customer lists items at different levels; empty on a credit line
    level_id = fields.Many2one("sales.dunning.level", readonly=True, index=True, ondelete="restrict")
    move_line_id = fields.Many2one("account.move.line", required=True, ondelete="cascade", index=True)
    move_id = fields.Many2one(related="move_line_id.move_id", string="Document")
    # as of the run: the item's due date, or its date when it has none (an opening balance entry)
    date_due = fields.Date(string="Due Date", readonly=True)
    days_overdue = fields.Integer(readonly=True)
    currency_id = fields.Many2one(related="letter_id.currency_id")
    company_currency_id = fields.Many2one(related="letter_id.company_currency_id", string="Company Currency")
    # as of the run that dunned the item: filled with the items (SalesDunningRun._insert_letter_lines); a credit
    # line's due amount is the part of the credit that the letter's items absorb (negative)
    amount = fields.Monetary(readonly=True)
    residual = fields.Monetary(string="Due", readonly=True)
    residual_company = fields.Monetary(readonly=True, currency_field="company_currency_id")
