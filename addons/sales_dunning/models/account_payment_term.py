from dateutil.relativedelta import relativedelta

from odoo import _, api, fields, models
from odoo.exceptions import UserError, ValidationError
from odoo.tools import format_date, formatLang


class AccountPaymentTerm(models.Model):
    _inherit = "account.payment.term"

    discount_tier_ids = fields.One2many(
        "sales.discount.tier",
        "payment_term_id",
        string="Further Discount Tiers",
        copy=True,
        help="Smaller discounts for later payments, after the early discount above: e.g. 3 % within 14 days "
        "above, then 2 % within 30 days here.",
    )

    @api.depends("discount_tier_ids.days", "discount_tier_ids.percentage")
    # a compute returns nothing, as the method it extends
    def _compute_example_preview(self):  # pylint: disable=missing-return
        super()._compute_example_preview()
        for term in self.filtered(lambda t: t.early_discount and t.discount_tier_ids):
            date_ref = term.example_date or fields.Date.context_today(term)
            # the example has no taxes, so every tax treatment gives the same amounts
            term.example_preview_discount = "".join(
                "<div>{}</div>".format(
                    _(
                        "Early Payment Discount: <b>%(amount)s</b> if paid before <b>%(date)s</b>",
                        amount=formatLang(
                            self.env, term.example_amount * (1 - percentage / 100), currency_obj=term.currency_id
                        ),
                        date=format_date(self.env, date_ref + relativedelta(days=days)),
                    )
                )
                for days, percentage in term._get_discount_tiers()
            )

    @api.constrains("early_discount", "discount_days", "discount_percentage", "early_pay_discount_computation")
    def _check_discount_tiers(self):
        for term in self.filtered("discount_tier_ids"):
            if not term.early_discount:
                raise ValidationError(
                    _(
                        "Payment term %(term)s has further discount tiers but no early discount: enable the early "
                        "discount for the first tier, or remove the tiers.",
                        term=term.name,
                    )
                )
            if term.early_pay_discount_computation == "mixed":
                # 'mixed' lowers the taxes on the invoice itself, by one rate, before anyone knows when it is paid
                raise ValidationError(
                    _(
                        'Payment term %(term)s: discount tiers cannot reduce the taxes on the invoice itself ("Always '
                        '(upon invoice)"); choose "On early payment" or "Never".',
                        term=term.name,
                    )
                )
            tiers = term._get_discount_tiers()
            for (days, percentage), (next_days, next_percentage) in zip(tiers, tiers[1:]):
                if next_days <= days or not 0 < next_percentage < percentage:
                    raise ValidationError(
                        _(
                            "Payment term %(term)s: each discount tier needs more days and a smaller, positive "
                            "percentage than the one before, but %(next_percentage)s %% within %(next_days)s days "
                            "follows %(percentage)s %% within %(days)s days.",
                            term=term.name,
                            percentage=percentage,
                            days=days,
                            next_percentage=next_percentage,
                            next_days=next_days,
                        )
                    )

    def write(self, vals):
        if vals.keys() & {"early_discount", "discount_days", "discount_percentage", "early_pay_discount_computation"}:
            self.filtered("discount_tier_ids")._check_no_open_invoice()
        return super().write(vals)

    def _check_no_open_invoice(self):
        """Open invoices take their discounts from the term's tiers: those stay as they were when invoiced."""
        for term in self:
            # sudo: invoices of every company count, whoever edits the shared term
            count = (
                self.env["account.move"]
                .sudo()
                .search_count(
                    [
                        ("invoice_payment_term_id", "=", term.id),
                        ("state", "=", "posted"),
                        ("payment_state", "in", ("not_paid", "partial")),
                    ]
                )
            )
            if count:
                raise UserError(
                    _(
                        "Payment term %(term)s is used by %(count)s open invoice(s), whose customers were promised its "
                        "discount tiers: archive it and create a new term instead.",
                        term=term.name,
                        count=count,
                    )
                )

    def _get_discount_tiers(self):
        """The early-payment discount tiers as (days, percentage), Odoo's own first; empty without one."""
        self.ensure_one()
        if not self.early_discount:
            return []
        return [(self.discount_days, self.discount_percentage)] + [
            (tier.days, tier.percentage) for tier in self.discount_tier_ids.sorted("days")
        ]

    def _get_discount_tier(self, date_ref, payment_date):
        """The tier (days, percentage) valid for a payment on payment_date of an invoice dated date_ref, or None."""
        return next(
            (tier for tier in self._get_discount_tiers() if payment_date <= date_ref + relativedelta(days=tier[0])),
            None,
        )

    def _get_last_discount_date(self, date_ref):
        # Odoo asks whether a payment may still take a discount: with tiers, until the last one ends
        if self.early_discount and self.discount_tier_ids:
            return date_ref + relativedelta(days=self._get_discount_tiers()[-1][0])
        return super()._get_last_discount_date(date_ref)
