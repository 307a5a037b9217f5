from odoo import fields, models


class AccountMoveLine(models.Model):
    _inherit = "account.move.line"

    dunning_level_id = fields.Many2one(
        "sales.dunning.level",
        readonly=True,
        copy=False,
        index="btree_not_null",
        help="The last dunning level sent for this item.",
    )
    dunning_date = fields.Date(string="Last Dunned", readonly=True, copy=False)
    dunning_blocked = fields.Selection(
        [("dispute", "In Dispute"), ("manual", "Excluded by Hand")],
        string="Dunning Exclusion",
        copy=False,
        # a dispute stops the reminders: the collectors' decision
        groups="sales_dunning.group_dunning_user",
        help="Excluded items are not dunned until the exclusion is removed.",
    )

    def _get_installments_data(self, payment_currency=None, payment_date=None, next_payment_date=None):
        # Odoo proposes its own discount until the last tier ends; past the first tier, the tier's amounts apply.
        # Without a payment date, the date of the payment being booked (see account.move._get_cash_discount_date)
        payment_date = payment_date or self.env["account.move"]._get_cash_discount_date()
        installments = super()._get_installments_data(
            payment_currency=payment_currency, payment_date=payment_date, next_payment_date=next_payment_date
        )
        for installment in installments:
            if installment["type"] != "early_payment_discount":
                continue
            line = installment["line"]
            tier = line.move_id._get_later_discount_tier(payment_date)
            if tier:
                _percentage, amount_currency, balance = tier
                sign = line.move_id.direction_sign
                installment.update(
                    {
                        "amount_residual_currency": amount_currency,
                        "amount_residual": balance,
                        "amount_residual_currency_unsigned": -sign * amount_currency,
                        "amount_residual_unsigned": -sign * balance,
                        "discount_amount_currency": line.amount_currency - amount_currency,
                        "discount_amount": line.balance - balance,
                    }
                )
        return installments
