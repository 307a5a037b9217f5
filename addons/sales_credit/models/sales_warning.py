import logging
from collections import defaultdict
from datetime import timedelta

from markupsafe import Markup

from odoo import _, api, fields, models
from odoo.tools import SQL, format_date

_logger = logging.getLogger(__name__)

# a customer's usual interval between orders needs at least this many confirmed orders
STOPPED_MIN_ORDERS = 3


class SalesWarning(models.Model):
    """A problem the daily early warning found, for one person who must know or act.

    One row per company, kind, record, escalation level and person, open while the problem lasts: the daily run
    opens the rows it finds for the first time, leaves the others as they are and resolves those it no longer finds.
    The digest sends the open rows not sent yet, so nothing goes out twice; a problem that comes back after it was
    resolved is a new row. Rows are written by the daily run only.
    """

    _name = "sales.warning"
    _description = "Early Warning"
    _order = "first_seen desc, id desc"
    _rec_name = "record_name"

    kind = fields.Selection(
        [
            ("order_late", "Late Order"),
            ("order_at_risk", "Order at Risk"),
            ("credit_near", "Near Credit Limit"),
            ("credit_over", "Over Credit Limit"),
            ("decision_waiting", "Decision Waiting"),
            ("customer_stopped", "Stopped Buying"),
        ],
        required=True,
        readonly=True,
        index=True,
    )
    res_model = fields.Char(string="Document Model", required=True, readonly=True)
    res_id = fields.Many2oneReference(string="Document", model_field="res_model", required=True, readonly=True)
    level = fields.Integer(
        string="Escalation", readonly=True, default=0, help="0: the warning itself; 1: escalated to the next reviewers."
    )
    is_escalated = fields.Boolean(string="Escalated", compute="_compute_is_escalated")
    record_name = fields.Char(string="About", compute="_compute_record_name")
    partner_id = fields.Many2one("res.partner", string="Customer", readonly=True, index=True)
    order_id = fields.Many2one("sale.order", readonly=True, index="btree_not_null")
    user_id = fields.Many2one("res.users", string="For", required=True, readonly=True, index=True)
    company_id = fields.Many2one("res.company", required=True, readonly=True, index=True)
    state = fields.Selection(
        [("open", "Open"), ("resolved", "Resolved")], default="open", required=True, readonly=True, index=True
    )
    first_seen = fields.Datetime(required=True, readonly=True, default=fields.Datetime.now)
    notified_date = fields.Datetime(string="Sent in Digest", readonly=True)
    resolved_date = fields.Datetime(string="Resolved On", readonly=True)
    detail_data = fields.Json(readonly=True, help="The figures of the warning: rendered in the reader's language.")
    detail = fields.Text(compute="_compute_detail")
    activity_id = fields.Many2one("mail.activity", readonly=True, ondelete="set null")

    def init(self):
        # one open warning per company, kind, record, level and person: what makes the daily run idempotent; a
        # customer shared by two companies has a warning in each (the first version of the key had no company)
        self.env.cr.execute(SQL("DROP INDEX IF EXISTS sales_warning_open_key"))
        self.env.cr.execute(
            SQL(
                """CREATE UNIQUE INDEX IF NOT EXISTS sales_warning_open_company_key
                   ON sales_warning (company_id, kind, res_model, res_id, level, user_id) WHERE state = 'open'"""
            )
        )
        return super().init()

    @api.depends("level")
    def _compute_is_escalated(self):
        for warning in self:
            warning.is_escalated = warning.level > 0

    @api.depends("res_model", "res_id")
    def _compute_record_name(self):
        ids_by_model = defaultdict(set)
        for warning in self.filtered("res_model"):
            ids_by_model[warning.res_model].add(warning.res_id)
        names = {}
        for model, ids in ids_by_model.items():
            # sudo: the names of the documents the reader's warnings are about, one read per kind of document
            for record in self.env[model].sudo().browse(ids).exists():
                names[model, record.id] = record.display_name
        for warning in self:
            warning.record_name = names.get((warning.res_model, warning.res_id), False)

    @api.depends_context("lang", "tz")
    @api.depends("kind", "detail_data")
    def _compute_detail(self):
        for warning in self:
            warning.detail = warning._render_detail(warning.detail_data or {})

    # ------------------------------------------------------------
    # ACTIONS
    # ------------------------------------------------------------

    def action_open_record(self):
        """Open the order, customer, hold or review the warning is about."""
        self.ensure_one()
        return {
            "type": "ir.actions.act_window",
            "res_model": self.res_model,
            "res_id": self.res_id,
            "view_mode": "form",
        }

    # ------------------------------------------------------------
    # THE DAILY RUN
    # ------------------------------------------------------------

    @api.model
    def _cron_run_warnings(self):
        """Daily: find the problems of every company, then send each person the digest of the new ones. A company
        whose run fails keeps yesterday's warnings and its administrators are told; the others go on."""
        # sudo: the scheduled job sees every company's orders and customers to warn their people
        Warning = self.sudo()
        failed = {}
        for company in Warning.env["res.company"].search([("active", "=", True)]):
            try:
                with Warning.env.cr.savepoint():
                    Warning._in_company(company)._detect_warnings()
            except Exception as error:  # whatever fails in one company, the other companies are still checked
                _logger.exception("Early warning of company %s failed", company.id)
                failed[company] = error
        for company, error in failed.items():
            Warning._notify_run_failed(company, error)
        Warning._send_digests()

    def _in_company(self, company):
        """This model in ``company`` and its time zone: "today", "late" and the to-do dates are the company's days,
        not those of the scheduled job's user."""
        warnings = self.with_company(company)
        return warnings.with_context(tz=company.partner_id.tz) if company.partner_id.tz else warnings

    def _notify_run_failed(self, company, error):
        """Tell the company's administrators, in their inbox and language, that its warnings could not be checked
        today."""
        for admin in company._get_warning_group_users("base.group_system"):
            self.with_context(lang=admin.lang)._notify_run_failed_to(admin, company, error)

    def _notify_run_failed_to(self, admin, company, error):
        body = Markup("<p>%s</p><p>%s</p>") % (
            _(
                "The early warning could not check %(company)s today; its warnings stay as they were yesterday. "
                "The other companies were checked. The job tries again tomorrow.",
                company=company.name,
            ),
            str(error),
        )
        self.env["mail.thread"].message_notify(
            partner_ids=admin.partner_id.ids,
            subject=_("Early warning failed for %(company)s", company=company.name),
            body=body,
            author_id=self.env.ref("base.partner_root").id,
        )

    @api.model
    def _get_warning_detectors(self):
        """{method: kinds it finds}: each method returns the company's current problems of its kinds (see
        ``_detect_late_orders``), nothing when its setting is off; another addon adds a kind by extending this."""
        return {
            "_detect_late_orders": ("order_late", "order_at_risk"),
            "_detect_credit_limits": ("credit_near", "credit_over"),
            "_detect_waiting_decisions": ("decision_waiting",),
            "_detect_stopped_customers": ("customer_stopped",),
        }

    @api.model
    def _get_activity_kinds(self):
        """The kinds where a person must act: each new warning of these gives its person a to-do on the document.
        Escalated warnings always do."""
        return {"order_late", "credit_over", "customer_stopped"}

    @api.model
    def _detect_warnings(self):
        """Open, keep or resolve the current company's warnings after what the detectors find now."""
        company = self.env.company
        found, kinds = [], []
        for method, method_kinds in self._get_warning_detectors().items():
            found += getattr(self, method)()
            kinds += method_kinds
        current = self.search([("company_id", "=", company.id), ("state", "=", "open"), ("kind", "in", kinds)])
        by_key = {warning._get_key(): warning for warning in current}
        seen, new_vals = set(), []
        for vals in self._expand_signals(found):
            key = (vals["company_id"], vals["kind"], vals["res_model"], vals["res_id"], vals["level"], vals["user_id"])
            if key in seen:
                continue
            seen.add(key)
            if key in by_key:
                if by_key[key].detail_data != vals["detail_data"]:
                    by_key[key].detail_data = vals["detail_data"]
            else:
                new_vals.append(vals)
        current.filtered(lambda w: w._get_key() not in seen)._resolve()
        new = self.create(new_vals)
        new._schedule_activities()
        return new

    def _expand_signals(self, signals):
        """One row's values per person who must know of each problem found, for the people who may work in the
        company."""
        company = self.env.company
        users = self.env["res.users"].browse({user_id for signal in signals for user_id in signal["user_ids"]})
        allowed = set(users.filtered(lambda u: u.active and not u.share and company in u.company_ids).ids)
        for signal in signals:
            for user_id in signal["user_ids"]:
                if user_id in allowed:
                    yield {
                        "kind": signal["kind"],
                        "res_model": signal["res_model"],
                        "res_id": signal["res_id"],
                        "level": signal.get("level", 0),
                        "partner_id": signal.get("partner_id"),
                        "order_id": signal.get("order_id"),
                        "user_id": user_id,
                        "company_id": company.id,
                        "detail_data": signal.get("data") or {},
                    }

    def _get_key(self):
        self.ensure_one()
        return (self.company_id.id, self.kind, self.res_model, self.res_id, self.level, self.user_id.id)

    def _resolve(self):
        """The problem is gone: the warning leaves the open list and its to-do, if still there, goes."""
        self.write({"state": "resolved", "resolved_date": fields.Datetime.now()})
        self.activity_id.unlink()

    def _needs_activity(self):
        self.ensure_one()
        return self.level > 0 or self.kind in self._get_activity_kinds()

    def _schedule_activities(self):
        """A to-do on the document for each person who must act, in his language, due today."""
        warnings = self.filtered(lambda w: w._needs_activity() and w.res_model in self.env)
        warnings = warnings.filtered(lambda w: "activity_ids" in self.env[w.res_model]._fields)
        if not warnings:
            return
        todo = self.env.ref("mail.mail_activity_data_todo")
        today = self.env.company._sales_today()
        vals_list = []
        for warning in warnings:
            localized = warning.with_context(lang=warning.user_id.lang)
            vals_list.append(
                {
                    "res_model_id": self.env["ir.model"]._get_id(warning.res_model),
                    "res_id": warning.res_id,
                    "activity_type_id": todo.id,
                    "summary": localized._get_activity_summary(),
                    "note": localized.detail,
                    "user_id": warning.user_id.id,
                    "date_deadline": today,
                }
            )
        # sudo: the daily run gives each person his to-do, on documents he may not write; the digest is the email
        activities = self.env["mail.activity"].sudo().with_context(mail_activity_quick_update=True).create(vals_list)
        for warning, activity in zip(warnings, activities, strict=True):
            warning.activity_id = activity

    def _get_activity_summary(self):
        self.ensure_one()
        kind = dict(self._fields["kind"]._description_selection(self.env))[self.kind]
        if self.level:
            return _("Escalated: %(kind)s", kind=kind)
        return kind

    # ------------------------------------------------------------
    # DETECTORS
    # ------------------------------------------------------------

    @api.model
    def _detect_late_orders(self):
        """Confirmed orders with an open delivery due before today (late), or due by the end of the at-risk days
        with goods not reserved in full (at risk); for their salesperson. One grouped query over the open moves of
        the orders' transfers: with two or three steps the goods are picked first, and the pick is the step that
        reserves. A step waiting for the one before it is short only when there is no step before it (waiting for
        goods, e.g. made or bought to order); the step before is judged itself."""
        company = self.env.company
        if not company.warning_order_late:
            return []
        today = company._sales_today()
        day_start = company._sales_utc_start(today)
        self.env.flush_all()
        self.env.cr.execute(
            SQL(
                """
            SELECT o.id, p.commercial_partner_id, o.user_id,
                   MIN(COALESCE(o.commitment_date, pk.scheduled_date)),
                   BOOL_OR(
                       m.state IN ('confirmed', 'partially_available')
                       OR (m.state = 'waiting' AND NOT EXISTS (
                           SELECT 1
                             FROM stock_move_move_rel r
                             JOIN stock_move origin ON origin.id = r.move_orig_id
                            WHERE r.move_dest_id = m.id AND origin.state <> 'cancel'
                       ))
                   )
              FROM stock_move m
              JOIN stock_picking pk ON pk.id = m.picking_id
              JOIN stock_picking_type t ON t.id = pk.picking_type_id
              JOIN sale_order o ON o.id = pk.sale_id
              JOIN res_partner p ON p.id = o.partner_id
             WHERE m.state NOT IN ('draft', 'done', 'cancel') AND pk.state NOT IN ('draft', 'done', 'cancel')
               AND t.code <> 'incoming'
               AND o.state = 'sale' AND o.company_id = %(company)s AND o.user_id IS NOT NULL
               AND COALESCE(o.commitment_date, pk.scheduled_date) < %(horizon)s
          GROUP BY o.id, p.commercial_partner_id, o.user_id
                """,
                company=company.id,
                horizon=company._sales_utc_start(today + timedelta(days=company.sales_at_risk_days + 1)),
            )
        )
        signals = []
        for order_id, partner_id, user_id, due, short in self.env.cr.fetchall():
            if due >= day_start and not short:
                continue
            kind = "order_late" if due < day_start else "order_at_risk"
            signals.append(
                {
                    "kind": kind,
                    "res_model": "sale.order",
                    "res_id": order_id,
                    "partner_id": partner_id,
                    "order_id": order_id,
                    "user_ids": [user_id],
                    "data": {"due": fields.Datetime.to_string(due)},
                }
            )
        return signals

    @api.model
    def _detect_credit_limits(self):
        """Customers with a credit limit whose exposure is within the margin of it (near) or above it (over); for
        their salesperson and the credit controller. The exposure of all of them in one batch."""
        company = self.env.company
        if not company.warning_credit:
            return []
        partners = self.env["res.partner"].search([("credit_limit", ">", 0)])
        partners = partners.filtered(lambda p: p == p.commercial_partner_id)
        managers = company._get_warning_credit_managers().ids
        currency = company.currency_id
        signals = []
        for partner_id, figures in partners._get_credit_figures().items():
            partner = partners.browse(partner_id)
            limit, exposure = partner.credit_limit, figures["exposure"]
            if currency.compare_amounts(exposure, limit) > 0:
                kind = "credit_over"
            elif currency.compare_amounts(exposure, limit * (1 - company.warning_credit_margin / 100)) >= 0:
                kind = "credit_near"
            else:
                continue
            signals.append(
                {
                    "kind": kind,
                    "res_model": "res.partner",
                    "res_id": partner_id,
                    "partner_id": partner_id,
                    "user_ids": partner.user_id.ids + managers,
                    "data": {"exposure": currency.round(exposure), "limit": limit},
                }
            )
        return signals

    @api.model
    def _detect_waiting_decisions(self):
        """Credit holds and order reviews waiting longer than the hours of the settings, for those who decide
        them; after the escalation hours also for the next reviewers (level 1)."""
        company = self.env.company
        if not company.warning_decision:
            return []
        now = fields.Datetime.now()
        since = now - timedelta(hours=company.warning_decision_hours)
        escalate_since = now - timedelta(hours=company.warning_escalation_hours)
        domain = [("state", "=", "pending"), ("company_id", "=", company.id), ("create_date", "<", since)]
        signals = []
        for hold in self.env["sales.credit.hold"].search(domain):
            deciders = hold.order_id._get_credit_managers()
            signals += hold._get_waiting_signals(deciders, escalate_since)
        for review in self.env["sales.order.review"].search(domain).filtered("is_active"):
            signals += review._get_waiting_signals(review._get_reviewers(), escalate_since)
        return signals

    @api.model
    def _detect_stopped_customers(self):
        """Customers with at least three confirmed orders and none for longer than the factor times their usual
        interval between orders; for their salesperson (else the one of their last order). One grouped query over
        the company's orders."""
        company = self.env.company
        if not company.warning_stopped:
            return []
        now = fields.Datetime.now()
        self.env["sale.order"].flush_model(["partner_id", "state", "company_id", "date_order", "user_id"])
        self.env["res.partner"].flush_model(["commercial_partner_id"])
        self.env.cr.execute(
            SQL(
                """
            SELECT p.commercial_partner_id, MAX(o.date_order),
                   EXTRACT(EPOCH FROM MAX(o.date_order) - MIN(o.date_order)) / 86400 / (COUNT(*) - 1),
                   (ARRAY_AGG(o.user_id ORDER BY o.date_order DESC))[1]
              FROM sale_order o
              JOIN res_partner p ON p.id = o.partner_id
             WHERE o.state = 'sale' AND o.company_id = %(company)s
          GROUP BY p.commercial_partner_id
            HAVING COUNT(*) >= %(min_orders)s AND MAX(o.date_order) > MIN(o.date_order)
               AND EXTRACT(EPOCH FROM %(now)s - MAX(o.date_order))
                   > %(factor)s * EXTRACT(EPOCH FROM MAX(o.date_order) - MIN(o.date_order)) / (COUNT(*) - 1)
                """,
                company=company.id,
                min_orders=STOPPED_MIN_ORDERS,
                now=now,
                factor=company.warning_stopped_factor,
            )
        )
        rows = self.env.cr.fetchall()
        partners = self.env["res.partner"].browse([row[0] for row in rows])
        signals = []
        for partner_id, last, interval, last_user_id in rows:
            user = partners.browse(partner_id).user_id
            user_ids = user.ids or ([last_user_id] if last_user_id else [])
            signals.append(
                {
                    "kind": "customer_stopped",
                    "res_model": "res.partner",
                    "res_id": partner_id,
                    "partner_id": partner_id,
                    "user_ids": user_ids,
                    "data": {"last": fields.Datetime.to_string(last), "interval": round(float(interval))},
                }
            )
        return signals

    # ------------------------------------------------------------
    # THE DIGEST
    # ------------------------------------------------------------

    @api.model
    def _send_digests(self):
        """Each person's new open warnings, once: by email and in his Odoo inbox. Returns the warnings sent."""
        new = self.search([("state", "=", "open"), ("notified_date", "=", False)], order="user_id, kind, id")
        ids_by_user = defaultdict(list)
        for warning in new:
            ids_by_user[warning.user_id].append(warning.id)
        for user, ids in ids_by_user.items():
            self.browse(ids)._send_digest(user)
        new.write({"notified_date": fields.Datetime.now()})
        return new

    def _send_digest(self, user):
        """The digest of these warnings of ``user`` in his language: an email (the template) and, for users who
        read their notifications in Odoo, a message in the inbox (Odoo emails the others itself)."""
        lang = user.lang or "en_US"
        # the reader's days: his time zone, else his company's
        tz = user.tz or user.company_id.partner_id.tz
        warnings = self.with_context(lang=lang, tz=tz) if tz else self.with_context(lang=lang)
        template = self.env.ref("sales_credit.sales_warning_digest_mail_template").with_context(lang=lang)
        body = warnings._render_digest_body(user)
        subject = _("Early warning: %(count)s new", count=len(self))
        if user.email:
            template.send_mail(user.id, email_values={"body_html": body})
        if user.notification_type == "inbox":
            self.env["mail.thread"].message_notify(
                partner_ids=user.partner_id.ids,
                subject=template._render_field("subject", user.ids, compute_lang=True)[user.id] or subject,
                body=body,
                author_id=self.env.ref("base.partner_root").id,
            )

    def _render_digest_body(self, user):
        labels = dict(self._fields["kind"]._description_selection(self.env))
        groups = []
        for kind in dict.fromkeys(self.mapped("kind")):
            groups.append((labels[kind], self.filtered(lambda w, kind=kind: w.kind == kind)))
        return self.env["ir.qweb"]._render(
            "sales_credit.sales_warning_digest",
            {
                "user": user,
                "groups": groups,
                "open_count": self.search_count([("user_id", "=", user.id), ("state", "=", "open")]),
                "url": f"{user.get_base_url()}/odoo/action-sales_credit.sales_warning_action",
            },
        )

    # ------------------------------------------------------------
    # DETAILS
    # ------------------------------------------------------------

    def _render_detail(self, data):
        """The sentence of a warning, in the reader's language; another addon renders its kinds and calls super."""
        # the figures that grow by the day (days late, hours waiting) are counted when read, not stored
        # dates are the local days of the reader (the company's in the digest when he has no time zone)
        company = self.company_id or self.env.company
        money = self.env["sales.formatter"]._money
        now = fields.Datetime.now()
        today = company._sales_today()
        if self.kind == "order_late":
            due = company._sales_local_date(fields.Datetime.to_datetime(data.get("due")) or now)
            return _(
                "Due on %(date)s, %(days)s day(s) ago, and not fully delivered.",
                date=format_date(self.env, due),
                days=(today - due).days,
            )
        if self.kind == "order_at_risk":
            due = company._sales_local_date(fields.Datetime.to_datetime(data.get("due")) or now)
            return _("Due on %(date)s and its delivery is not ready (stock short).", date=format_date(self.env, due))
        if self.kind in ("credit_near", "credit_over"):
            return _(
                "Exposure %(exposure)s against a credit limit of %(limit)s.",
                exposure=money(data.get("exposure"), company.currency_id),
                limit=money(data.get("limit"), company.currency_id),
            )
        if self.kind == "decision_waiting":
            since = fields.Datetime.to_datetime(data.get("since")) or now
            hours = int((now - since).total_seconds() // 3600)
            if self.level:
                return _(
                    "Waiting for a decision for %(hours)s hours, more than %(limit)s: escalated to you.",
                    hours=hours,
                    limit=data.get("limit"),
                )
            return _("Waiting for your decision for %(hours)s hours.", hours=hours)
        if self.kind == "customer_stopped":
            last = company._sales_local_date(fields.Datetime.to_datetime(data.get("last")) or now)
            return _(
                "No order for %(days)s days (last on %(last)s); usually one every %(interval)s days.",
                days=(today - last).days,
                last=format_date(self.env, last),
                interval=data.get("interval"),
            )
        return ""
