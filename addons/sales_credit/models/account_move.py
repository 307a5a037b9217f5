from odoo import _, models


class AccountMove(models.Model):
    _inherit = "account.move"

    def _build_credit_warning_message(self, record, current_amount=0.0, exclude_current=False, exclude_amount=0.0):
        """Odoo's credit limit banner (quotations, draft invoices), on the suite's credit exposure.

        Odoo's own total (receivables plus orders to invoice) differs from the exposure the credit check and
        the Credit Review show: the banner shows the exposure, so that the user sees one figure. The
        customer is the commercial partner of the invoice address, which carries the exposure.
        """
        company = record.company_id
        invoiced = record.partner_invoice_id if record._name == "sale.order" else record.partner_id
        # sudo: the banner shows the total to whoever edits the document, as Odoo's does
        partner = invoiced.commercial_partner_id._origin.with_company(company).sudo()
        limit = partner.credit_limit
        if not limit:
            return ""
        if record._name == "sale.order":
            # a quotation adds its total; a confirmed order is in the exposure already
            document = record._credit_order_amount() if record.state in ("draft", "sent") else 0.0
        else:
            document = record._get_credit_warning_document_amount(current_amount)
        # read afresh: the exposure moves with every document of the transaction
        total = partner._get_credit_figures()[partner.id]["exposure"] + document
        currency = company.currency_id
        if currency.compare_amounts(total, limit) <= 0:
            return ""
        message = _(
            "%(partner)s has reached its credit limit of %(limit)s.",
            partner=partner.name,
            limit=self.env["sales.formatter"]._money(limit, currency),
        )
        total_text = self.env["sales.formatter"]._money(total, currency)
        if document:
            detail = _("Credit exposure including this document: %(total)s", total=total_text)
        else:
            detail = _("Credit exposure: %(total)s", total=total_text)
        return message + "\n" + detail

    def _get_credit_warning_document_amount(self, current_amount):
        """What this draft invoice adds to its customer's exposure: its amount, less what the exposure
        already counts of it (a saved draft, when the company counts drafts)."""
        self.ensure_one()
        counted = 0.0
        if self.company_id.credit_count_draft_invoices and self._origin.state == "draft":
            counted = self._origin.amount_total_signed
        return current_amount - counted
