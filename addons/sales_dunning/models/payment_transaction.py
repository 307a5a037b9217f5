from odoo import fields, models


class PaymentTransaction(models.Model):
    # account_payment comes with sale, which sales_credit depends on
    _inherit = "payment.transaction"

    def _create_payment(self, **extra_create_values):
        # the customer was asked the amount of the tier valid when he paid, even if the provider confirms it later
        transaction = self.with_context(cash_discount_date=self._get_cash_discount_date())
        return super(PaymentTransaction, transaction)._create_payment(**extra_create_values)

    def _get_cash_discount_date(self):
        """The date the customer paid: the transaction's creation, in the customer's time zone."""
        self.ensure_one()
        return fields.Date.context_today(self.with_context(tz=self.partner_id.tz), self.create_date)
