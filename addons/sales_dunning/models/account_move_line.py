from odoo import fields, models


class AccountMoveLine(models.Model):
    _inherit = "account.move.line"

    dunning_level_id = fields.Many2one(
        "sales.dunning.level", string="Dunning Level", readonly=True, copy=False, index="btree_not_null",
        help="The last dunning level sent for this item.",
    )
    dunning_date = fields.Date(string="Last Dunned", readonly=True, copy=False)
    dunning_blocked = fields.Selection(
        [("dispute", "In Dispute"), ("manual", "Excluded by Hand")],
        string="Dunning Exclusion", copy=False,
        help="Excluded items are not dunned until the exclusion is removed.",
    )
