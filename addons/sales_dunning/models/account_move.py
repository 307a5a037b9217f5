from contextlib import contextmanager

from dateutil.relativedelta import relativedelta

from odoo import Command, _, api, fields, models
from odoo.exceptions import ValidationError


class AccountMove(models.Model):
    _inherit = "account.move"

    promise_date = fields.Date(
        string="Promised Payment Date",
        copy=False,
        tracking=True,
        # the early warning looks for promises past their date
        index="btree_not_null",
        help="The customer promised to pay by this date: no dunning until then.",
    )
    promise_amount = fields.Monetary(string="Promised Amount", copy=False)
    promise_note = fields.Char(copy=False)
    # the invoice shows where dunning stands from its items, rather than a chatter note per dunned invoice
    dunning_level_id = fields.Many2one(
        "sales.dunning.level",
        compute="_compute_dunning_level",
        groups="sales_dunning.group_dunning_user",
        help="The last dunning level sent for this invoice's items.",
    )
    dunning_date = fields.Date(
        string="Last Dunned", compute="_compute_dunning_level", groups="sales_dunning.group_dunning_user"
    )
    dunning_blocked = fields.Selection(
        [("dispute", "In Dispute"), ("manual", "Excluded by Hand")],
        string="Dunning Exclusion",
        compute="_compute_dunning_blocked",
        inverse="_inverse_dunning_blocked",
        groups="sales_dunning.group_dunning_user",
        help="Set on the invoice's receivable items: excluded items are not dunned until the exclusion is removed.",
    )

    @api.constrains("promise_amount")
    def _check_promise_amount(self):
        for move in self:
            if move.promise_amount < 0:
                raise ValidationError(
                    _("A promised amount cannot be negative (%(amount)s).", amount=move.promise_amount)
                )

    @api.depends("line_ids.dunning_level_id", "line_ids.dunning_date")
    def _compute_dunning_level(self):
        for move in self:
            last = move.line_ids.filtered("dunning_level_id").sorted("dunning_date")[-1:]
            move.dunning_level_id = last.dunning_level_id
            move.dunning_date = last.dunning_date

    @api.depends("line_ids.dunning_blocked")
    def _compute_dunning_blocked(self):
        for move in self:
            exclusions = set(move._get_dunning_items().mapped("dunning_blocked"))
            # items excluded differently show none: setting one writes all
            move.dunning_blocked = exclusions.pop() if len(exclusions) == 1 else False

    def _inverse_dunning_blocked(self):
        for move in self:
            items = move._get_dunning_items()
            if not items or all(item.dunning_blocked == move.dunning_blocked for item in items):
                continue
            items.dunning_blocked = move.dunning_blocked
            if move.dunning_blocked:
                labels = dict(self._fields["dunning_blocked"]._description_selection(self.env))
                body = _("Excluded from dunning: %(exclusion)s.", exclusion=labels[move.dunning_blocked])
            else:
                body = _("Dunning exclusion removed: the invoice is dunned again.")
            move._message_log(body=body)

    def _get_dunning_items(self):
        """The invoice's receivable items, which dunning reminds of."""
        self.ensure_one()
        return self.line_ids.filtered(lambda line: line.account_type == "asset_receivable")

    def _post(self, soft=True):
        self._add_pending_dunning_fees()
        return super()._post(soft=soft)

    def _add_pending_dunning_fees(self):
        """Customer invoices carry the dunning fees waiting for them (company setting)."""
        invoices = self.filtered(
            lambda m: (
                m.move_type == "out_invoice" and m.state == "draft" and m.company_id.dunning_fee_mode == "next_invoice"
            )
        )
        if not invoices:
            return
        # sudo: whoever posts the invoice adds the fees; letters belong to the collectors
        pending = (
            self.env["sales.dunning.letter"]
            .sudo()
            .search(
                [
                    ("fee_pending", "=", True),
                    ("partner_id", "in", invoices.commercial_partner_id.ids),
                    ("company_id", "in", invoices.company_id.ids),
                ]
            )
        )
        for invoice in invoices:
            fees = pending.filtered(
                lambda l: l.partner_id == invoice.commercial_partner_id and l.company_id == invoice.company_id
            )
            if fees:
                # fees are in company currency: converted at the invoice's date (today's when posted without one)
                date = invoice.invoice_date or fields.Date.context_today(invoice)
                lines = [Command.create(letter._prepare_fee_line_vals(invoice.currency_id, date)) for letter in fees]
                invoice.write({"invoice_line_ids": lines})
                fees.write({"fee_pending": False, "fee_move_id": invoice.id})
                pending -= fees

    # ------------------------------------------------------------
    # CASH-DISCOUNT TIERS
    # ------------------------------------------------------------

    def _get_discount_tier_schedule(self):
        """Each discount tier of the invoice: percentage, last date and the amount to pay by then."""
        self.ensure_one()
        term = self.invoice_payment_term_id
        sign = 1 if self.is_inbound(include_receipts=True) else -1
        return [
            {
                "percentage": percentage,
                "date": self.invoice_date + relativedelta(days=days),
                "amount": sign * self._get_discount_tier_amounts(percentage)[0],
            }
            for days, percentage in term._get_discount_tiers()
        ]

    def _get_discount_tier_amounts(self, percentage):
        """(amount_currency, balance) left to pay on the receivable line with that discount percentage."""
        self.ensure_one()
        term = self.invoice_payment_term_id
        sign = 1 if self.is_inbound(include_receipts=True) else -1
        # an unsaved term with the tier's percentage: Odoo's own computation, rounding and cash rounding
        tier_term = term.new(
            {
                "early_discount": True,
                "discount_percentage": percentage,
                "early_pay_discount_computation": term.early_pay_discount_computation,
            }
        )
        terms = tier_term._compute_terms(
            date_ref=self.invoice_date,
            currency=self.currency_id,
            company=self.company_id,
            tax_amount=self.amount_tax_signed,
            tax_amount_currency=sign * self.amount_tax,
            untaxed_amount=self.amount_untaxed_signed,
            untaxed_amount_currency=sign * self.amount_untaxed,
            sign=sign,
            cash_rounding=self.invoice_cash_rounding_id,
        )
        return terms["discount_amount_currency"], terms["discount_balance"]

    def _get_later_discount_tier(self, payment_date):
        """For a payment on payment_date in a tier after Odoo's own: (percentage, amount_currency, balance)
        still to pay on the receivable line. None when Odoo's own discount or no discount applies."""
        self.ensure_one()
        term = self.invoice_payment_term_id
        if not (term.discount_tier_ids and self.invoice_date):
            return None
        tier = term._get_discount_tier(self.invoice_date, payment_date)
        if not tier or tier == term._get_discount_tiers()[0]:
            return None
        return (tier[1], *self._get_discount_tier_amounts(tier[1]))

    @contextmanager
    def _discount_tier_in_cache(self, tier):
        """Show Odoo's discount machinery a later tier as if it were the term's own, for one call.

        Odoo books the discount from the term's percentage and the discounted amount stored on the receivable
        line, and its counterpart computation takes no payment date; the tier's figures go into the cache (not the
        database) and are dropped afterwards. One invoice at a time: invoices paid together may share a term but
        not a tier.
        """
        percentage, amount_currency, balance = tier
        term = self.invoice_payment_term_id
        term_lines = self.line_ids.filtered(lambda line: line.display_type == "payment_term")
        self.env.flush_all()
        cache = self.env.cache
        try:
            cache.set(term, term._fields["discount_percentage"], percentage)
            for line in term_lines:
                cache.set(line, line._fields["discount_amount_currency"], amount_currency)
                cache.set(line, line._fields["discount_balance"], balance)
            yield
        finally:
            term.invalidate_recordset(["discount_percentage"])
            term_lines.invalidate_recordset(["discount_amount_currency", "discount_balance"])

    @api.model
    def _get_cash_discount_date(self):
        """The date whose discount tier applies: the payment's, set in the context by the path that books it
        (payment wizard, payment transaction, statement line), else today as in Odoo's own computations."""
        return fields.Date.to_date(self.env.context.get("cash_discount_date")) or fields.Date.context_today(self)

    @api.model
    def _get_invoice_counterpart_amls_for_early_payment_discount(self, aml_values_list, open_balance):
        # the invoices are read from the caller's journal items: they need the caller's payment date
        payment_date = self.env.context.get("cash_discount_date")
        if payment_date:
            aml_values_list = [
                {**values, "aml": values["aml"].with_context(cash_discount_date=payment_date)}
                for values in aml_values_list
            ]
        return super()._get_invoice_counterpart_amls_for_early_payment_discount(aml_values_list, open_balance)

    def _get_invoice_counterpart_amls_for_early_payment_discount_per_payment_term_line(self):
        # every path that books a discount passes here, once per invoice: each invoice books its own tier
        tier = self._get_later_discount_tier(self._get_cash_discount_date())
        if not tier:
            return super()._get_invoice_counterpart_amls_for_early_payment_discount_per_payment_term_line()
        with self._discount_tier_in_cache(tier):
            return super()._get_invoice_counterpart_amls_for_early_payment_discount_per_payment_term_line()

    def _get_invoice_next_payment_values(self, custom_amount=None):
        # the portal and the payment link show the tier valid today, with its own last date
        values = super()._get_invoice_next_payment_values(custom_amount=custom_amount)
        if values.get("installment_state") == "epd" and self.invoice_payment_term_id.discount_tier_ids:
            values.update(self._get_discount_tier_payment_values(values["epd_discount_amount_currency"]))
        return values

    def _get_discount_tier_payment_values(self, discount_amount_currency):
        """The last date of the tier valid on the payment date, the days left and the customer's message."""
        self.ensure_one()
        payment_date = self._get_cash_discount_date()
        tier = self.invoice_payment_term_id._get_discount_tier(self.invoice_date, payment_date)
        if not tier:
            return {}
        discount_date = self.invoice_date + relativedelta(days=tier[0])
        days_left = (discount_date - payment_date).days
        amount = self.currency_id.format(discount_amount_currency)
        if days_left > 0:
            message = _("Discount of %(amount)s if paid within %(days)s days", amount=amount, days=days_left)
        else:
            message = _("Discount of %(amount)s if paid today", amount=amount)
        return {
            "discount_date": fields.Date.to_string(discount_date),
            "epd_days_left": days_left,
            "epd_discount_msg": message,
        }
