from markupsafe import Markup

from odoo import Command, _, api, fields, models
from odoo.tools import SQL


class SalesDunningLetter(models.Model):
    """What one customer is reminded of in one run and one currency: its items, each at its own level, less its
    credits; the highest level decides the letter's wording, fee and action."""

    _name = "sales.dunning.letter"
    _description = "Dunning Letter"
    _inherit = ["mail.thread"]
    _order = "run_id desc, partner_id, id"
    _check_company_auto = True

    name = fields.Char(compute="_compute_name", store=True)
    run_id = fields.Many2one("sales.dunning.run", required=True, ondelete="cascade", index=True)
    company_id = fields.Many2one(related="run_id.company_id", store=True, index=True)
    date = fields.Date(related="run_id.date", store=True)
    partner_id = fields.Many2one("res.partner", string="Customer", required=True, index=True)
    user_id = fields.Many2one(related="partner_id.user_id", string="Salesperson")
    contact_id = fields.Many2one(
        "res.partner",
        string="Send To",
        compute="_compute_contact_id",
        store=True,
        help="The customer's invoice address contact, or the customer itself when it has none.",
    )
    # the highest level of the letter's items, set by the run (its lines are written in SQL)
    level_id = fields.Many2one("sales.dunning.level", required=True, ondelete="restrict")
    currency_id = fields.Many2one("res.currency", required=True)
    line_ids = fields.One2many("sales.dunning.letter.line", "letter_id", string="Items")
    fee = fields.Monetary(help="Charged with this letter (company currency).", currency_field="company_currency_id")
    company_currency_id = fields.Many2one(related="company_id.currency_id", string="Company Currency")
    # as of the run, the sums of the lines: the items less the credits they absorb (letters are the run's, never
    # edited)
    residual = fields.Monetary(string="Due", readonly=True)
    residual_company = fields.Monetary(
        string="Due (Company Currency)", readonly=True, currency_field="company_currency_id"
    )
    state = fields.Selection([("draft", "Draft"), ("done", "Sent")], default="draft", required=True)
    fee_move_id = fields.Many2one(
        "account.move",
        string="Fee Invoice",
        readonly=True,
        index="btree_not_null",
        help="The invoice that charges the fee: its own, or the customer's next invoice.",
    )
    fee_pending = fields.Boolean(readonly=True, help="The fee waits for the customer's next invoice.")
    email_sent = fields.Boolean(readonly=True)

    @api.depends("partner_id.name", "level_id.name", "date", "currency_id", "company_id.currency_id")
    def _compute_name(self):
        for letter in self:
            letter.name = _(
                "%(level)s for %(customer)s, %(date)s",
                level=letter.level_id.name,
                customer=letter.partner_id.name,
                date=fields.Date.to_string(letter.date),
            )
            # a customer owing in several currencies gets a letter per currency on the same day
            if letter.currency_id and letter.currency_id != letter.company_id.currency_id:
                letter.name += f" ({letter.currency_id.name})"

    @api.depends("partner_id")
    def _compute_contact_id(self):
        # the recipient as of the letter: one search for the invoice contacts of all the letters' customers
        invoice_contact = {}
        for contact in self.env["res.partner"].search(
            [("parent_id", "in", self.partner_id.ids), ("type", "=", "invoice")], order="id"
        ):
            invoice_contact.setdefault(contact.parent_id, contact)
        for letter in self:
            letter.contact_id = invoice_contact.get(letter.partner_id, letter.partner_id)

    def _get_items(self):
        """[(journal item id, level id, date)] of the items these letters dun, each at its own level (not their
        credit lines), read without the ORM: a run holds up to hundreds of thousands."""
        self.flush_recordset()
        return self.env.execute_query(
            SQL(
                """
                SELECT line.move_line_id, line.level_id, letter.date
                  FROM sales_dunning_letter_line line JOIN sales_dunning_letter letter ON letter.id = line.letter_id
                 WHERE line.letter_id = ANY(%s) AND line.level_id IS NOT NULL
                """,
                self.ids,
            )
        )

    def _apply(self):
        """The letters are out: their items reach the level, fees and holds follow."""
        # one update: posted journal items refuse ORM writes, and a run may hold many items
        items = self._get_items()
        if items:
            item_ids, level_ids, days = zip(*items)
            self.env.cr.execute(
                SQL(
                    """
                UPDATE account_move_line item SET dunning_level_id = new.level_id, dunning_date = new.day
                  FROM unnest(%s::int[], %s::int[], %s::date[]) AS new(id, level_id, day)
                 WHERE item.id = new.id
                """,
                    list(item_ids),
                    list(level_ids),
                    list(days),
                )
            )
        self.env["account.move.line"].invalidate_model(["dunning_level_id", "dunning_date"])
        for letter in self:
            if letter.fee and letter.company_id.dunning_fee_mode == "next_invoice":
                letter.fee_pending = True
            elif letter.fee:
                letter.fee_move_id = letter._create_fee_invoice()
            if letter.level_id.hold_customer:
                letter._hold_customer()
        self.state = "done"

    def _create_fee_invoice(self):
        """The posted invoice of this letter's fee, dated and due on the run's date."""
        self.ensure_one()
        date = self.run_id.date
        invoice = (
            self.env["account.move"]
            .with_company(self.company_id)
            .create(
                {
                    "move_type": "out_invoice",
                    "partner_id": self.partner_id.id,
                    "invoice_date": date,
                    # due when charged, whatever the customer's payment term
                    "invoice_payment_term_id": False,
                    "invoice_date_due": date,
                    "invoice_line_ids": [Command.create(self._prepare_fee_line_vals())],
                }
            )
        )
        invoice.action_post()
        return invoice

    def _prepare_fee_line_vals(self, currency=None, date=None):
        """The invoice line of this letter's fee: the company's fee product, at the fee (company currency)
        converted to ``currency`` at ``date`` when the invoice is in another currency."""
        self.ensure_one()
        price = self.fee
        if currency and currency != self.company_currency_id:
            price = self.company_currency_id._convert(
                self.fee, currency, self.company_id, date or fields.Date.context_today(self)
            )
        return {
            "product_id": self.company_id._get_dunning_fee_product().id,
            "name": _("Dunning fee: %(level)s (%(date)s)", level=self.level_id.name, date=self.run_id.date),
            "quantity": 1,
            "price_unit": price,
        }

    def _hold_customer(self):
        """Put the customer on credit hold for this letter's level, noting that dunning set it (to be lifted
        when paid); a customer a credit manager already holds keeps his hold as it is."""
        self.ensure_one()
        # sudo: the dunning run holds the customer; dunning users may not edit credit settings
        partner = self.partner_id.with_company(self.company_id).sudo()
        if partner.credit_hold and not partner.dunning_hold_level_id:
            return
        partner.write(
            {
                "credit_hold": True,
                "credit_hold_reason": _(
                    "Dunning level %(level)s reached on %(date)s", level=self.level_id.name, date=self.run_id.date
                ),
            }
        )
        # after the hold: a change of the hold clears the level that had set it (res.partner.write)
        partner.write({"dunning_hold_level_id": self.level_id.id})

    def _send_email(self):
        template = self.env.ref("sales_dunning.mail_template_dunning_letter")
        for letter in self.filtered(lambda l: not l.email_sent):
            template.send_mail(letter.id, email_layout_xmlid="mail.mail_notification_light")
            letter.email_sent = True
            letter.partner_id.message_post(
                body=Markup("%s") % _("Dunning letter %(letter)s emailed.", letter=letter.name),
                subtype_xmlid="mail.mt_note",
            )
