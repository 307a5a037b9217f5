from collections import defaultdict, namedtuple
from operator import attrgetter

from odoo import _, api, fields, models
from odoo.exceptions import UserError
from odoo.tools import SQL, float_compare, float_is_zero, float_round, formatLang, groupby

# an open receivable item of a customer as a run reads it (SalesDunningRun._get_due_items); residual in the item's
# currency; waiting: in dispute, excluded by hand or under a promise not yet due
DueItem = namedtuple(
    "DueItem", "id partner_id currency_id residual_company residual date_due overdue level_id dunned_on waiting"
)
# a level of a customer's policy as a run applies it; rank: its place in the policy
Rung = namedtuple("Rung", "id rank days interval_days min_amount fee")
# a policy's levels in order, and the rank of each level
Ladder = namedtuple("Ladder", "rungs ranks")
# a line of a letter: an item dunned at a level (Rung), or a credit it absorbed (no level, negative residual)
LetterLine = namedtuple("LetterLine", "item rung residual residual_company")


class SalesDunningRun(models.Model):
    """One dunning run of a company on a date: one letter per customer and currency for the items due for their
    next level, net of the customer's credits."""

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
    # superseded: a draft whose letters a later computation took over (SalesDunningRun._supersede_other_runs)
    state = fields.Selection(
        [("draft", "Draft"), ("superseded", "Superseded"), ("done", "Done")],
        default="draft",
        required=True,
        tracking=True,
    )
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
            # the items dunned, not the credits listed with them
            run.item_count = self.env["sales.dunning.letter.line"].search_count(
                [("letter_id", "in", run.letter_ids.ids), ("level_id", "!=", False)]
            )
            run.total_residual = sum(run.letter_ids.mapped("residual_company"))

    # ------------------------------------------------------------
    # ACTIONS
    # ------------------------------------------------------------

    def action_compute(self):
        """(Re)compute the draft letters: what is due for its next level on the run's date."""
        for run in self:
            if run.state == "done":
                raise UserError(_("%(run)s is done: its letters cannot change.", run=run.name))
            if run._run_or_queue("_compute_letters", size=run._count_overdue_items(), unit=_("overdue items")) is False:
                return run._queued_notification()
        return True

    def action_done(self):
        """Record the letters as sent: items move to their level, fees are charged, holds applied."""
        for run in self.filtered(lambda r: r.state == "draft"):
            if run._run_or_queue("_confirm", size=run.item_count, unit=_("dunned items")) is False:
                return run._queued_notification()
        return True

    def _compute_letters(self):
        self.ensure_one()
        if self.state == "done":
            raise UserError(_("%(run)s is done: its letters cannot change.", run=self.name))
        self._supersede_other_runs()
        if self.state != "draft":
            self.state = "draft"
        self.letter_ids.unlink()
        vals_list, lines = self._prepare_letter_vals()
        # the run is the letters' log: no creation note or follower per letter
        letters = (
            self.env["sales.dunning.letter"]
            .with_context(mail_create_nolog=True, mail_create_nosubscribe=True)
            .create(vals_list)
        )
        self._insert_letter_lines(letters, lines)
        return True

    def _confirm(self):
        self.ensure_one()
        if self.state == "superseded":
            raise UserError(
                _("%(run)s was superseded by a later run: compute it again before confirming it.", run=self.name)
            )
        if self.state != "draft":
            raise UserError(_("%(run)s is already confirmed.", run=self.name))
        self._lock_items()
        self._recheck_letters()
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
            self.env["account.move.line"]._sales_open_receivable_domain()
            + [("company_id", "=", self.company_id.id), ("date_maturity", "<", self.date)]
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
            if run.state != "done":
                run._compute_letters()
                run._confirm()
                run.action_send()

    def _supersede_other_runs(self):
        """The company's other draft runs give up their letters to this computation: the latest computation wins,
        so that a draft left unconfirmed never holds its items back from a later run, the daily one included (an
        item is in one letter per level)."""
        others = self.search([("company_id", "=", self.company_id.id), ("state", "=", "draft"), ("id", "!=", self.id)])
        if not others:
            return
        others.letter_ids.unlink()
        others.write({"state": "superseded", "job_state": False})
        for other in others:
            other._message_log(
                body=_(
                    "Superseded by %(run)s, computed later: its letters were dropped. Compute it again to use it.",
                    run=self.name,
                )
            )

    def _get_due_items(self, partner_ids=None):
        """The open receivable items of the company's customers that may be dunned, as DueItem, by customer and
        currency, oldest due date first: the debits, and the credits (credit notes, payments not yet matched,
        negative opening balances) that net them; one query.

        :param partner_ids: only these customers
        """
        self.ensure_one()
        self.env.flush_all()
        rows = self.env.execute_query(
            SQL(
                """
            SELECT aml.id, customer.id, COALESCE(aml.currency_id, aml.company_currency_id),
                   aml.amount_residual, aml.amount_residual_currency, COALESCE(aml.date_maturity, aml.date),
                   %(date)s - COALESCE(aml.date_maturity, aml.date), aml.dunning_level_id, aml.dunning_date,
                   aml.dunning_blocked IS NOT NULL OR COALESCE(move.promise_date >= %(date)s, FALSE)
              FROM account_move_line aml
              JOIN account_move move ON move.id = aml.move_id
              JOIN res_partner p ON p.id = aml.partner_id
              JOIN res_partner customer ON customer.id = p.commercial_partner_id
             WHERE %(open)s
               AND aml.company_id = %(company)s
               AND customer.dunning_excluded IS NOT TRUE
               %(partners)s
          -- by customer, currency, due date, item
          ORDER BY 2, 3, 6, 1
            """,
                open=self.env["account.move.line"]._sales_open_receivable_sql(alias="aml"),
                date=self.date,
                company=self.company_id.id,
                partners=SQL("AND customer.id = ANY(%s)", list(partner_ids)) if partner_ids is not None else SQL(),
            )
        )
        return [DueItem(*row) for row in rows]

    def _get_ladders(self, partner_ids):
        """{customer id: Ladder of its policy}; a customer without a policy is not dunned."""
        partners = self.env["res.partner"].with_company(self.company_id).browse(partner_ids)
        ladders = {}
        for policy, customers in partners.grouped("dunning_policy_id").items():
            if not policy:
                continue
            levels = policy.level_ids.sorted(lambda lvl: (lvl.sequence, lvl.id))
            rungs = [
                Rung(level.id, rank, level.days, level.interval_days, level.min_amount, level.fee)
                for rank, level in enumerate(levels)
            ]
            ladder = Ladder(rungs, {rung.id: rung.rank for rung in rungs})
            ladders.update(dict.fromkeys(customers.ids, ladder))
        return ladders

    def _get_next_level(self, ladder, item):
        """The Rung the item reaches on the run's date, or None.

        Levels follow each other, except that an item past its due date skips the levels before the due date
        (courtesy reminders); a level is reached once the item is old enough for it and its previous letter is at
        least the level's interval old.
        """
        rank = ladder.ranks.get(item.level_id, -1)
        rung = next((r for r in ladder.rungs[rank + 1 :] if item.overdue <= 0 or r.days >= 0), None)
        if rung is None or item.overdue < rung.days:
            return None
        if item.dunned_on and (self.date - item.dunned_on).days < rung.interval_days:
            return None
        return rung

    def _net_items(self, items, ladder, rounding, claims=None):
        """The LetterLines of one customer in one currency.

        The credits (negative items) absorb the debits that may be dunned, oldest due date first: a debit absorbed
        in full is not dunned, one absorbed in part is dunned for the rest. Debits in dispute, excluded by hand or
        under a promise absorb nothing. The dunned debits come at their residual, followed by what they absorbed
        of each credit, as negative lines: the lines add up to what the customer is asked to pay.

        :param rounding: the currency's rounding
        :param claims: {item id: level id}: only these items, at these levels (a confirmation re-checks its
            letters)
        """
        credits = [[item, -item.residual] for item in items if item.residual < 0]
        absorbed = defaultdict(float)  # index of a credit: how much of it the dunned debits absorbed
        lines, index = [], 0
        for item in items:
            if item.residual <= 0 or item.waiting:
                continue
            rest, taken = item.residual, []
            while index < len(credits) and float_compare(rest, 0, precision_rounding=rounding) > 0:
                amount = min(rest, credits[index][1])
                rest -= amount
                credits[index][1] -= amount
                taken.append((index, amount))
                if float_is_zero(credits[index][1], precision_rounding=rounding):
                    index += 1
            if float_compare(rest, 0, precision_rounding=rounding) <= 0:
                continue
            rung = self._get_next_level(ladder, item)
            if rung is None or (claims is not None and claims.get(item.id) != rung.id):
                continue
            lines.append(LetterLine(item, rung, item.residual, item.residual_company))
            for credit_index, amount in taken:
                absorbed[credit_index] += amount
        if lines:
            lines.extend(
                self._prepare_credit_line(credits[i][0], amount, rounding) for i, amount in sorted(absorbed.items())
            )
        return lines

    def _prepare_credit_line(self, credit, amount, rounding):
        """The LetterLine of ``amount`` (in the credit's currency) absorbed of ``credit``: the same share of its
        residual in company currency."""
        amount = float_round(amount, precision_rounding=rounding)
        share = credit.residual_company * amount / -credit.residual
        company_rounding = self.company_id.currency_id.rounding
        return LetterLine(credit, None, -amount, float_round(share, precision_rounding=company_rounding))

    def _prepare_letter_vals(self, claims=None):
        """One letter per customer and currency with items due for their next level, net of its credits; the
        highest level of its items decides the letter's level and fee, and whether the net amount (company
        currency) reaches the minimum amount.

        :param claims: {item id: level id}: only these items at these levels, of the run's letters' customers
        :return: the letters' values, and for each letter its LetterLines
        """
        self.ensure_one()
        items = self._get_due_items(partner_ids=self.letter_ids.partner_id.ids if claims is not None else None)
        ladders = self._get_ladders({item.partner_id for item in items})
        currencies = self.env["res.currency"].browse({item.currency_id for item in items})
        roundings = {currency.id: currency.rounding for currency in currencies}
        vals_list, lines_list = [], []
        for (partner_id, currency_id), group in groupby(items, key=attrgetter("partner_id", "currency_id")):
            ladder = ladders.get(partner_id)
            if not ladder:
                continue
            lines = self._net_items(group, ladder, roundings[currency_id], claims=claims)
            vals = lines and self._prepare_one_letter_vals(partner_id, currency_id, lines, roundings[currency_id])
            if vals:
                vals_list.append(vals)
                lines_list.append(lines)
        return vals_list, lines_list

    def _prepare_one_letter_vals(self, partner_id, currency_id, lines, rounding):
        """The values of the letter of these LetterLines; None when its net amount is below its level's minimum."""
        level = max((line.rung for line in lines if line.rung), key=attrgetter("rank"))
        residual = float_round(sum(line.residual for line in lines), precision_rounding=rounding)
        residual_company = self.company_id.currency_id.round(sum(line.residual_company for line in lines))
        if (
            float_compare(residual, 0, precision_rounding=rounding) <= 0
            or self.company_id.currency_id.compare_amounts(residual_company, level.min_amount) < 0
        ):
            return None
        return {
            "run_id": self.id,
            "partner_id": partner_id,
            "level_id": level.id,
            "currency_id": currency_id,
            "fee": level.fee,
            "residual": residual,
            "residual_company": residual_company,
        }

    def _insert_letter_lines(self, letters, lines):
        """The letters' LetterLines in one INSERT, with their amounts as of the run: a run may dun 200,000 items,
        which the ORM would create at a fraction of a millisecond each."""
        rows = [
            (
                letter.id,
                line.item.id,
                line.rung and line.rung.id,
                line.item.overdue if line.rung else None,
                line.residual,
                line.residual_company,
            )
            for letter, letter_lines in zip(letters, lines)
            for line in letter_lines
        ]
        if not rows:
            return
        letters.flush_recordset()
        letter_ids, item_ids, level_ids, days, residuals, residuals_company = zip(*rows)
        self.env.execute_query(
            SQL(
                """
            INSERT INTO sales_dunning_letter_line (letter_id, move_line_id, level_id, date_due, days_overdue,
                                                   company_id, amount, residual, residual_company,
                                                   create_uid, write_uid, create_date, write_date)
            SELECT letter.id, item.id, new.level_id, COALESCE(item.date_maturity, item.date), new.days_overdue,
                   letter.company_id,
                   CASE WHEN item.currency_id != item.company_currency_id THEN item.amount_currency
                        ELSE item.balance END,
                   new.residual, new.residual_company,
                   %(uid)s, %(uid)s, now() at time zone 'UTC', now() at time zone 'UTC'
              FROM unnest(%(letters)s::int[], %(items)s::int[], %(levels)s::int[], %(days)s::int[],
                          %(residuals)s::numeric[], %(residuals_company)s::numeric[])
                   AS new(letter_id, item_id, level_id, days_overdue, residual, residual_company)
              JOIN sales_dunning_letter letter ON letter.id = new.letter_id
              JOIN account_move_line item ON item.id = new.item_id
            """,
                letters=list(letter_ids),
                items=list(item_ids),
                levels=list(level_ids),
                days=list(days),
                residuals=list(residuals),
                residuals_company=list(residuals_company),
                uid=self.env.uid,
            )
        )
        letters.invalidate_recordset(["line_ids"])
        # the planner's statistics of the letters and items just written: confirming the run reads them back,
        # and without statistics PostgreSQL takes 200,000 rows for none and joins them row by row
        self.env.cr.execute("ANALYZE sales_dunning_letter, sales_dunning_letter_line")

    def _recheck_letters(self):
        """Confirming re-reads the letters' items as they are now: an item paid, credited, disputed or promised
        since the run was computed drops out, a letter left without items or below its level's minimum drops with
        its fee and hold, and the credits and totals follow. Nothing is added: what is confirmed was reviewed."""
        letters = self.letter_ids
        claims = {item_id: level_id for item_id, level_id, _day in letters._get_items()}
        vals_list, lines_list = self._prepare_letter_vals(claims=claims)
        fresh = {(vals["partner_id"], vals["currency_id"]): (vals, lines) for vals, lines in zip(vals_list, lines_list)}
        stored = self._get_letter_line_keys()
        dropped, redone, redone_lines = letters.browse(), letters.browse(), []
        for letter in letters:
            vals, lines = fresh.get((letter.partner_id.id, letter.currency_id.id), (None, None))
            if vals is None:
                dropped |= letter
            elif self._line_keys(lines) != stored.get(letter.id):
                letter.write({key: vals[key] for key in ("level_id", "fee", "residual", "residual_company")})
                redone |= letter
                redone_lines.append(lines)
        if redone:
            self.env.execute_query(SQL("DELETE FROM sales_dunning_letter_line WHERE letter_id = ANY(%s)", redone.ids))
            self.env["sales.dunning.letter.line"].invalidate_model()
            self._insert_letter_lines(redone, redone_lines)
        dropped.unlink()
        self.invalidate_recordset(["letter_count", "item_count", "total_residual"])
        kept = sum(1 for lines in lines_list for line in lines if line.rung)
        if kept < len(claims):
            self._message_log(
                body=_(
                    "Re-checked at confirmation: %(items)s item(s) paid, credited, disputed or promised since the "
                    "computation left out, %(letters)s letter(s) dropped.",
                    items=len(claims) - kept,
                    letters=len(dropped),
                )
            )

    def _get_letter_line_keys(self):
        """{letter id: the _line_keys of its stored lines}"""
        keys = defaultdict(set)
        for letter_id, item_id, level_id, residual, residual_company in self.env.execute_query(
            SQL(
                """SELECT letter_id, move_line_id, level_id, residual, residual_company
                     FROM sales_dunning_letter_line WHERE letter_id = ANY(%s)""",
                self.letter_ids.ids,
            )
        ):
            keys[letter_id].add((item_id, level_id, round(residual, 6), round(residual_company, 6)))
        return keys

    def _line_keys(self, lines):
        return {
            (line.item.id, line.rung and line.rung.id, round(line.residual, 6), round(line.residual_company, 6))
            for line in lines
        }

    def _lock_items(self):
        """Lock the run's items and credits: another run confirming the same items waits, then fails on the
        unique key; a payment or a reconciliation of them meanwhile makes this confirmation fail to serialise.

        NO KEY UPDATE does not conflict with the key-share locks that letter lines of other runs hold on the
        items, which would deadlock.
        """
        self.letter_ids.flush_recordset()
        # by ids: the run's items were inserted in this transaction, before any statistics saw them
        item_ids = [
            item_id
            for (item_id,) in self.env.execute_query(
                SQL(
                    "SELECT move_line_id FROM sales_dunning_letter_line WHERE letter_id = ANY(%s)",
                    self.letter_ids.ids,
                )
            )
        ]
        if item_ids:
            self.env.cr.execute(
                SQL("SELECT id FROM account_move_line WHERE id = ANY(%s) ORDER BY id FOR NO KEY UPDATE", item_ids),
                log_exceptions=False,
            )
