from odoo import models


class AccountPaymentRegister(models.TransientModel):
    _inherit = "account.payment.register"

    # Odoo books the early-payment discount without knowing the payment date; the cash-discount tiers need it
    # (read by account.move._get_cash_discount_date), for one payment of all invoices or one per invoice

    def _create_payment_vals_from_wizard(self, batch_result):
        wizard = self.with_context(cash_discount_date=self.payment_date)
        return super(AccountPaymentRegister, wizard)._create_payment_vals_from_wizard(batch_result)

    def _create_payment_vals_from_batch(self, batch_result):
        wizard = self.with_context(cash_discount_date=self.payment_date)
        return super(AccountPaymentRegister, wizard)._create_payment_vals_from_batch(batch_result)
