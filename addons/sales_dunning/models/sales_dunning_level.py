from odoo import _, api, fields, models
from odoo.exceptions import ValidationError

from odoo.addons.sales_base.models.res_company import MAX_DAYS


class SalesDunningLevel(models.Model):
    _name = "sales.dunning.level"
    _description = "Dunning Level"
    _order = "policy_id, sequence, id"

    policy_id = fields.Many2one("sales.dunning.policy", required=True, ondelete="cascade", index=True)
    company_id = fields.Many2one(related="policy_id.company_id", store=True)
    currency_id = fields.Many2one(related="company_id.currency_id")
    sequence = fields.Integer(default=10)
    name = fields.Char(required=True, translate=True)
    days = fields.Integer(
        required=True,
        help="Days after the due date when this level is reached; negative for a courtesy reminder "
        "before the due date.",
    )
    interval_days = fields.Integer(
        string="Days Since Previous Letter",
        default=7,
        help="An item reaches this level only when at least these days have passed since its previous letter, "
        "so that a daily run does not send one level after the other on consecutive days.",
    )
    min_amount = fields.Monetary(
        string="Minimum Amount",
        help="No letter at this level when the customer owes less than this, after its credits (company currency).",
    )
    fee = fields.Monetary(help="Charged to the customer when the letter of this level is sent.")
    channel = fields.Selection(
        [("letter", "Letter"), ("email", "Email"), ("both", "Letter and Email")],
        required=True,
        default="email",
    )
    letter_text = fields.Html(translate=True, help="The text of the letter, above the list of the items dunned.")
    hold_customer = fields.Boolean(
        string="Put Customer on Credit Hold",
        help="Reaching this level puts the customer on credit hold: no new order confirms until released.",
    )

    @api.constrains("days", "sequence")
    def _check_days(self):
        # first the level alone: the policy's check below reads the database
        for level in self:
            if abs(level.days) > MAX_DAYS:
                raise ValidationError(
                    _(
                        "Level %(level)s: the days from the due date lie between -%(max)s and %(max)s, not %(days)s.",
                        level=level.name,
                        max=MAX_DAYS,
                        days=level.days,
                    )
                )
        self.policy_id._check_level_ids()

    @api.constrains("interval_days")
    def _check_interval_days(self):
        for level in self:
            if not 0 <= level.interval_days <= MAX_DAYS:
                raise ValidationError(
                    _(
                        "Level %(level)s: the days since the previous letter lie between 0 and %(max)s, not %(days)s.",
                        level=level.name,
                        max=MAX_DAYS,
                        days=level.interval_days,
                    )
                )

    @api.constrains("fee", "min_amount")
    def _check_amounts(self):
        for level in self:
            if level.fee < 0 or level.min_amount < 0:
                raise ValidationError(
                    _(
                        "Level %(level)s: the fee (%(fee)s) and the minimum amount (%(min)s) cannot be negative.",
                        level=level.name,
                        fee=level.fee,
                        min=level.min_amount,
                    )
                )

    def unlink(self):
        policies = self.policy_id
        res = super().unlink()
        # the policy's own constraint does not run when a level is deleted on its own
        policies = policies.exists()
        policies.invalidate_recordset(["level_ids"])
        policies._check_level_ids()
        return res
