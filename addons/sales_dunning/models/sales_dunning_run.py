from collections import defaultdict

from odoo import _, api, fields, models
from odoo.exceptions import UserError
from odoo.tools import SQL, formatLang


class SalesDunningRun(models.Model):
    """One dunning run of a company on a date: the letters for every item due for its next level."""

    _name = "sales.dunning.run"
    _description = "Dunning Run"
    _inherit = ["mail.thread", "sales.background.mixin"]
    _order = "date desc, id desc"
    _check_company_auto = True

    _sql_constraints = [
        (
            "date_company_unique",
            "unique(company_id, date)",
            "There is already a dunning run of this company on this date: open it and compute it again.",
        ),
    ]

    name = fields.Char(compute="_compute_name", store=True)
    date = fields.Date(required=True, default=fields.Date.context_today, tracking=True)
    company_id = fields.Many2one("res.company", required=True, index=True, default=lambda self: self.env.company)
    currency_id = fields.Many2one(related="company_id.currency_id")
    state = fields.Selection([("draft", "Draft"), ("done", "Done")], default="draft", required=True, tracking=True)
    letter_ids = fields.One2many("sales.dunning.letter", "run_id", string="Letters")
    letter_count = fields.Integer(compute="_compute_counts")
    item_count = fields.Integer(compute="_compute_counts")
    total_residual = fields.Monetary(compute="_compute_counts", string="Dunned Amount")

    @api.depends("date", "company_id")
    def _compute_name(self):
        for run in self:
            run.name = _("Dunning %(date)s", date=run.date) if run.date else _("New Dunning Run")

    @api.depends("letter_ids.line_ids")
    def _compute_counts(self):
        for run in self:
            run.letter_count = len(run.letter_ids)
            run.item_count = self.env["sales.dunning.letter.line"].search_count(
                [("letter_id", "in", run.letter_ids.ids)]
            )
            run.total_residual = sum(run.letter_ids.mapped("residual_company"))

    # ------------------------------------------------------------
    # ACTIONS
    # ------------------------------------------------------------

    def action_compute(self):
        """(Re)compute the draft letters: what is due for its next level on the run's date."""
        for run in self:
            if run.state != "draft":
                raise UserError(_("%(run)s is done: its letters cannot change.", run=run.name))
            if run._run_or_queue("_compute_letters", run._count_overdue_items()) is False:
                return run._queued_notification()
        return True

    def action_done(self):
        """Record the letters as sent: items move to their level, fees are charged, holds applied."""
        for run in self.filtered(lambda r: r.state == "draft"):
            if run._run_or_queue("_confirm", run.item_count) is False:
                return run._queued_notification()
        return True

    def _compute_letters(self):
        self.ensure_one()
        if self.state != "draft":
            raise UserError(_("%(run)s is done: its letters cannot change.", run=self.name))
        self.letter_ids.unlink()
        vals_list, items = self._prepare_letter_vals()
        # the run is the letters' log: no creation note or follower per letter
        letters = (
            self.env["sales.dunning.letter"]
            .with_context(mail_create_nolog=True, mail_create_nosubscribe=True)
            .create(vals_list)
        )
        self._insert_letter_lines(letters, items)
        return True

    def _confirm(self):
        self.ensure_one()
        if self.state != "draft":
            raise UserError(_("%(run)s is already confirmed.", run=self.name))
        self._lock_items()
        self.letter_ids._apply()
        self.state = "done"
        self._message_log(body=self._get_result_message())
        return True

    def _get_result_message(self):
        return _(
            "%(run)s: %(letters)s letter(s) to %(customers)s customer(s) for %(items)s item(s), %(amount)s due.",
            run=self.name,
            letters=self.letter_count,
            customers=len(self.letter_ids.partner_id),
            items=self.item_count,
            amount=formatLang(self.env, self.total_residual, currency_obj=self.currency_id),
        )

    def _notify_job_done(self, result, seconds):
        self._notify_job(self._get_result_message())

    def _count_overdue_items(self):
        """How many open receivable items are overdue on the run's date: the size of its computation."""
        return self.env["account.move.line"].search_count(
            [
                ("company_id", "=", self.company_id.id),
                ("account_id.account_type", "=", "asset_receivable"),
                ("parent_state", "=", "posted"),
                ("reconciled", "=", False),
                ("date_maturity", "<", self.date),
            ]
        )

    def action_send(self):
        self.ensure_one()
        if self.state != "done":
            raise UserError(_("Confirm the run before sending its letters."))
        self.letter_ids.filtered(lambda l: l.level_id.channel in ("email", "both"))._send_email()
        return True

    def action_print(self):
        self.ensure_one()
        letters = self.letter_ids.filtered(lambda l: l.level_id.channel in ("letter", "both")) or self.letter_ids
        if not letters:
            raise UserError(_("This run has no letter to print."))
        return self.env.ref("sales_dunning.action_report_dunning_letter").report_action(letters)

    def action_view_letters(self):
        self.ensure_one()
        action = self.env["ir.actions.act_window"]._for_xml_id("sales_dunning.sales_dunning_letter_action")
        action["domain"] = [("run_id", "=", self.id)]
        return action

    # ------------------------------------------------------------
    # BUSINESS METHODS
    # ------------------------------------------------------------

    @api.model
    def _cron_run(self):
        """Daily: for each company that runs dunning automatically, compute, confirm and send today's run."""
        for company in self.env["res.company"].search([("dunning_auto_run", "=", True)]):
            Run = self.with_company(company)
            today = fields.Date.context_today(Run)
            run = Run.search([("company_id", "=", company.id), ("date", "=", today)]) or Run.create(
                {"company_id": company.id, "date": today}
            )
            if run.state == "draft":
                run._compute_letters()
                run._confirm()
                run.action_send()

    def _get_due_items(self):
        """[(item id, partner id, currency id, residual, residual in currency, days overdue, level id)] of
        the open receivable items of the company, with their last level; one query."""
        self.ensure_one()
        self.env.flush_all()
        self.env.cr.execute(
            SQL(
                """
            SELECT aml.id, p.commercial_partner_id, COALESCE(aml.currency_id, aml.company_currency_id),
                   aml.amount_residual, aml.amount_residual_currency,
                   %(date)s - aml.date_maturity, aml.dunning_level_id
              FROM account_move_line aml
              JOIN account_move move ON move.id = aml.move_id
              JOIN res_partner p ON p.id = aml.partner_id
              JOIN res_partner customer ON customer.id = p.commercial_partner_id
             WHERE aml.account_id IN (SELECT id FROM account_account WHERE account_type = 'asset_receivable')
               AND aml.reconciled IS NOT TRUE
               AND aml.parent_state = 'posted'
               AND aml.company_id = %(company)s
               AND aml.amount_residual > 0
               AND aml.date_maturity IS NOT NULL
               AND aml.dunning_blocked IS NULL
               AND move.move_type = 'out_invoice'
               AND (move.promise_date IS NULL OR move.promise_date < %(date)s)
               AND customer.dunning_excluded IS NOT TRUE
               AND NOT EXISTS (SELECT 1 FROM sales_dunning_letter_line other
                                JOIN sales_dunning_letter letter ON letter.id = other.letter_id
                               WHERE other.move_line_id = aml.id AND letter.run_id != %(run)s
                                 AND letter.state = 'draft')
            """,
                date=self.date,
                company=self.company_id.id,
                run=self.id,
            )
        )
        return self.env.cr.fetchall()

    def _prepare_letter_vals(self):
        """Letters per customer, next level and currency for the items due for their next level.

        :return: the letters' values, and for each letter its items as (item id, days overdue)
        """
        self.ensure_one()
        items = self._get_due_items()
        Partner = self.env["res.partner"].with_company(self.company_id)
        partners = Partner.browse({item[1] for item in items})
        policies = {partner.id: partner.dunning_policy_id for partner in partners}
        groups = defaultdict(list)
        for item_id, partner_id, currency_id, residual, residual_currency, overdue, level_id in items:
            policy = policies[partner_id]
            if not policy:
                continue
            level = policy._next_level(level_id)
            if level and overdue >= level.days:
                groups[partner_id, level.id, currency_id].append((item_id, residual, residual_currency, overdue))
        vals_list, items = [], []
        Level = self.env["sales.dunning.level"]
        for (partner_id, level_id, currency_id), lines in groups.items():
            level = Level.browse(level_id)
            residual_company = sum(line[1] for line in lines)
            if residual_company < level.min_amount:
                continue
            vals_list.append(
                {
                    "run_id": self.id,
                    "partner_id": partner_id,
                    "level_id": level_id,
                    "currency_id": currency_id,
                    "fee": level.fee,
                    "residual": sum(line[2] for line in lines),
                    "residual_company": residual_company,
                }
            )
            items.append([(item_id, overdue) for item_id, _residual, _residual_currency, overdue in lines])
        return vals_list, items

    def _insert_letter_lines(self, letters, items):
        """The letters' items in one INSERT, with their amounts as of the run: a run may dun 200,000 items,
        which the ORM would create at a fraction of a millisecond each."""
        rows = [
            (letter.id, item_id, overdue)
            for letter, letter_items in zip(letters, items)
            for item_id, overdue in letter_items
        ]
        if not rows:
            return
        letters.flush_recordset()
        letter_ids, item_ids, days = zip(*rows)
        self.env.execute_query(
            SQL(
                """
            INSERT INTO sales_dunning_letter_line (letter_id, move_line_id, days_overdue, company_id, level_id,
                                                   amount, residual, residual_company,
                                                   create_uid, write_uid, create_date, write_date)
            SELECT letter.id, item.id, new.days_overdue, letter.company_id, letter.level_id,
                   CASE WHEN item.currency_id != item.company_currency_id THEN item.amount_currency
                        ELSE item.balance END,
                   CASE WHEN item.currency_id != item.company_currency_id THEN item.amount_residual_currency
                        ELSE item.amount_residual END,
                   item.amount_residual, %(uid)s, %(uid)s, now() at time zone 'UTC', now() at time zone 'UTC'
              FROM unnest(%(letters)s::int[], %(items)s::int[], %(days)s::int[])
                   AS new(letter_id, item_id, days_overdue)
              JOIN sales_dunning_letter letter ON letter.id = new.letter_id
              JOIN account_move_line item ON item.id = new.item_id
            """,
                letters=list(letter_ids),
                items=list(item_ids),
                days=list(days),
                uid=self.env.uid,
            )
        )
        letters.invalidate_recordset(["line_ids"])
        # the planner's statistics of the letters and items just written: confirming the run reads them back,
        # and without statistics PostgreSQL takes 200,000 rows for none and joins them row by row
        self.env.cr.execute("ANALYZE sales_dunning_letter, sales_dunning_letter_line")

    def _lock_items(self):
        """Lock the run's items: another run confirming the same items waits, then fails on the unique key.

        NO KEY UPDATE does not conflict with the key-share locks that letter lines of other runs hold on the
        items, which would deadlock.
        """
        # by ids: the run's items were inserted in this transaction, before any statistics saw them
        item_ids = [item_id for item_id, _level, _day in self.letter_ids._get_items()]
        if item_ids:
            self.env.cr.execute(
                SQL("SELECT id FROM account_move_line WHERE id = ANY(%s) ORDER BY id FOR NO KEY UPDATE", item_ids),
                log_exceptions=False,
            )
