from contextlib import contextmanager

from markupsafe import Markup, escape

from odoo import _, api, fields, models
from odoo.exceptions import UserError

# cursor-cache keys; unlike context keys, an RPC caller cannot set them
# the orders whose confirmation passed the credit check in this transaction
CONFIRMING = "sales_credit_confirming"
# the confirmed orders whose own write checks the change as a whole: their lines' hooks leave them to it
CHANGING = "sales_credit_changing"


class SaleOrder(models.Model):
    _inherit = "sale.order"

    credit_hold_ids = fields.One2many("sales.credit.hold", "order_id", string="Credit Holds", copy=False)
    review_ids = fields.One2many("sales.order.review", "order_id", string="Reviews", copy=False)
    on_credit_hold = fields.Boolean(
        compute="_compute_on_credit_hold",
        store=True,
        index="btree_not_null",
        help="The order waits for a credit manager to release it.",
    )
    credit_hold_summary = fields.Html(compute="_compute_credit_hold_summary", sanitize=False)
    can_request_release = fields.Boolean(
        compute="_compute_credit_hold_summary", help="The order is held and nobody asked for its release yet."
    )
    to_review = fields.Boolean(
        compute="_compute_to_review",
        store=True,
        index="btree_not_null",
        help="The order waits for the reviews its rules ask for before it can be confirmed.",
    )
    review_summary = fields.Html(compute="_compute_review_summary", sanitize=False)
    can_review = fields.Boolean(compute="_compute_can_review", help="A review of this order awaits the user.")

    @api.depends("credit_hold_ids.state")
    def _compute_on_credit_hold(self):
        for order in self:
            order.on_credit_hold = bool(order._get_pending_credit_hold())

    @api.depends("review_ids.state")
    def _compute_to_review(self):
        for order in self:
            order.to_review = bool(order._get_pending_reviews())

    @api.depends_context("uid")
    @api.depends("review_ids.state")
    def _compute_can_review(self):
        for order in self:
            order.can_review = any(r.is_active and r.is_my_review for r in order._get_pending_reviews())

    @api.depends_context("lang")
    @api.depends("review_ids.state")
    def _compute_review_summary(self):
        for order in self:
            reviews = order.review_ids.filtered(
                lambda r: r.state == "pending" or (r.state == "approved" and not r.is_outdated)
            )
            rows = Markup("").join(
                Markup("<tr><td>%s</td><td>%s</td><td>%s</td><td>%s</td></tr>")
                % (
                    review.rule_id.name,
                    review.reason,
                    review.reviewer_user_id.name or review.reviewer_group_id.full_name,
                    dict(review._fields["state"]._description_selection(self.env))[review.state]
                    if review.state != "pending" or review.is_active
                    else _("Waits for the reviews before it"),
                )
                for review in reviews.sorted("sequence")
            )
            order.review_summary = (
                rows and Markup("<table class='table table-sm table-borderless w-auto mb-0'>%s</table>") % rows
            )

    @api.depends_context("lang")
    @api.depends("credit_hold_ids.state")
    def _compute_credit_hold_summary(self):
        for order in self:
            hold = order._get_pending_credit_hold()
            order.credit_hold_summary = hold and order._credit_figures_html(
                (hold.reason or "").splitlines(), {fname: hold[fname] for fname in hold._get_figure_labels()}
            )
            order.can_request_release = bool(hold) and not hold.release_request

    # ------------------------------------------------------------
    # CRUD
    # ------------------------------------------------------------

    def write(self, vals):
        if vals.get("state") == "sale":
            self._check_write_confirmation()
        self._review_reset(vals.keys(), set())
        changing = self._credit_changed_orders()
        if not changing:
            return super().write(vals)
        before = changing._credit_snapshot()
        with changing._credit_context(CHANGING):
            res = super().write(vals)
        changing._after_confirmed_change(before, set(vals), set())
        return res

    def _check_write_confirmation(self):
        """Writing the state directly goes through the same checks as the Confirm button."""
        confirming = self.env.cr.cache.get(CONFIRMING, set())
        unchecked = self.filtered(lambda o: o.state != "sale" and o.id not in confirming)
        unreviewed = unchecked._review_check()
        if unreviewed:
            raise UserError(
                _(
                    "%(order)s cannot be confirmed: it waits for review (%(reviews)s).",
                    order=unreviewed[0].name,
                    reviews=", ".join(unreviewed[0]._get_pending_reviews().rule_id.mapped("name")),
                )
            )
        results = unchecked._credit_check("confirm")
        held = unchecked.filtered(lambda o: results[o]["action"] == "hold")
        if held:
            raise UserError(held[0]._credit_refusal_message(results[held[0]]))
        for order in unchecked.filtered(lambda o: results[o]["action"] == "warn"):
            order._credit_warn(results[order])

    # ------------------------------------------------------------
    # ACTIONS
    # ------------------------------------------------------------

    def action_confirm(self):
        # review first, then credit
        candidates = self.filtered(lambda o: o.state in ("draft", "sent"))
        in_review = candidates._review_check()
        results = (candidates - in_review)._credit_check("confirm")
        held = self.browse([order.id for order, result in results.items() if result["action"] == "hold"])
        for order in held:
            order._credit_put_on_hold(results[order])
        waiting = held | in_review
        to_confirm = self - waiting
        if to_confirm:
            with to_confirm._credit_context(CONFIRMING):
                super(SaleOrder, to_confirm).action_confirm()
            for order in to_confirm:
                # a passing check clears the hold
                order._get_pending_credit_hold()._move_to("cleared")
                if results.get(order, {}).get("action") == "warn":
                    order._credit_warn(results[order])
        if waiting:
            messages = []
            if in_review:
                messages.append(_("%(orders)s: waiting for review.", orders=", ".join(in_review.mapped("name"))))
            if held:
                messages.append(
                    _(
                        "%(orders)s: on credit hold until a credit manager releases it.",
                        orders=", ".join(held.mapped("name")),
                    )
                )
            return {
                "type": "ir.actions.client",
                "tag": "display_notification",
                "params": {
                    "type": "warning",
                    "sticky": True,
                    "title": _("Not confirmed"),
                    "message": " ".join(messages),
                    # closing reloads the caller's records (the saved form, the list); a soft reload would
                    # rebuild a form opened as New into a blank new one, hiding the order and its hold
                    "next": {"type": "ir.actions.act_window_close"},
                },
            }
        return True

    def action_credit_decide(self):
        """Open the dialog where a credit manager releases or rejects this order's credit hold."""
        self.ensure_one()
        hold = self._get_pending_credit_hold()
        if not hold:
            raise UserError(_("%(order)s is not on credit hold.", order=self.name))
        return hold._action_decision_dialog()

    def action_credit_request_release(self):
        """Open the dialog where the salesperson asks a credit manager to release this order, saying why."""
        self.ensure_one()
        hold = self._get_pending_credit_hold()
        if not hold:
            raise UserError(_("%(order)s is not on credit hold.", order=self.name))
        return {
            "type": "ir.actions.act_window",
            "name": _("Request the Release of %(order)s", order=self.name),
            "res_model": "sales.credit.release.request",
            "view_mode": "form",
            "target": "new",
            "context": {"default_order_id": self.id},
        }

    def action_review_decide(self):
        """Open the dialog where the current user approves or rejects the reviews awaiting him."""
        self.ensure_one()
        mine = self._get_pending_reviews().filtered(lambda r: r.is_active and r.is_my_review)
        if not mine:
            raise UserError(_("No review of %(order)s awaits your decision.", order=self.name))
        return mine._action_decision_dialog()

    # ------------------------------------------------------------
    # CREDIT CHECK
    # ------------------------------------------------------------

    def _get_credit_partner(self):
        """The customer whose credit an order uses: the one who pays, the commercial partner of the invoice
        address (Odoo's invoices are made out to it)."""
        self.ensure_one()
        return (self.partner_invoice_id or self.partner_id).commercial_partner_id

    def _credit_check(self, checkpoint):
        """Check the customers of these orders at a check point ("confirm" or "change").

        Orders of one customer are checked in sequence, each counting those before it. The customers are
        locked first so that two transactions cannot both pass on the same credit.
        :return: {order: {"action": "pass" | "warn" | "hold", "reasons": [[code, params]], "figures": dict}}
        """
        results = {order: {"action": "pass", "reasons": [], "figures": {}} for order in self}
        for company, company_orders in self.grouped("company_id").items():
            if not company[f"credit_check_on_{checkpoint}"]:
                continue
            orders = company_orders.with_company(company)
            to_measure = orders.filtered(lambda o: o._credit_needs_check())
            if not to_measure:
                continue
            partners = self.env["res.partner"].union(*(o._get_credit_partner() for o in to_measure))
            partners._credit_lock()
            figures = partners._get_credit_figures(exclude_orders=to_measure)
            for partner, partner_orders in to_measure.grouped(lambda o: o._get_credit_partner()).items():
                before = 0.0
                for order in partner_orders.sorted("id"):
                    result = order._credit_evaluate(partner, figures[partner.id], before)
                    results[order] = result
                    if result["action"] != "hold":
                        before += result["figures"]["amount"]
        return results

    def _credit_needs_check(self):
        """False when nothing can stop this order: a release covers it, it is prepaid, or its customer
        is not checked."""
        self.ensure_one()
        if any(hold._covers(self) for hold in self.credit_hold_ids):
            return False
        partner = self._get_credit_partner()
        if partner.credit_hold:
            return True
        return partner._get_credit_policy() != "none" and not self._credit_is_prepaid()

    def _credit_is_prepaid(self):
        """Paid in full online, or by paid down payments covering the total."""
        self.ensure_one()
        # sudo: only the payment status is read, salespeople may not read transactions
        order = self.sudo()
        paid = order.amount_paid
        for invoice in order.invoice_ids.filtered(
            lambda inv: inv.move_type == "out_invoice" and inv.payment_state in ("paid", "in_payment")
        ):
            if all(line.is_downpayment for line in invoice.invoice_line_ids.sale_line_ids):
                paid += invoice.currency_id._convert(
                    invoice.amount_total, order.currency_id, order.company_id, fields.Date.context_today(self)
                )
        return self.amount_total > 0 and self.currency_id.compare_amounts(paid, self.amount_total) >= 0

    def _credit_order_amount(self):
        """The order total in company currency, at today's rate."""
        self.ensure_one()
        return self.currency_id._convert(
            self.amount_total, self.company_id.currency_id, self.company_id, fields.Date.context_today(self)
        )

    def _credit_evaluate(self, partner, figures, before):
        """The decision for this order given its customer's figures and the orders checked before it."""
        self.ensure_one()
        company = self.company_id
        amount = figures["orders"].get(self.id, 0.0) if self.state == "sale" else self._credit_order_amount()
        exposure = figures["exposure"] + before + amount
        # sudo: the check reads the limit, which the salesperson confirming the order may not see
        limit = partner.sudo().credit_limit
        currency = company.currency_id
        reasons, hold = [], False
        if partner.credit_hold:
            hold = True
            reasons.append(["manual_hold", {"reason": partner.credit_hold_reason or ""}])
        policy = partner._get_credit_policy()
        if policy != "none" and not self._credit_is_prepaid():
            if limit and currency.compare_amounts(exposure, limit) > 0:
                hold = hold or policy == "block"
                reasons.append(["limit", {"limit": limit, "excess": exposure - limit}])
            breaches = company._get_overdue_breaches(figures)
            if "amount" in breaches:
                hold = True
                reasons.append(
                    [
                        "overdue_amount",
                        {"overdue": figures["overdue_amount"], "threshold": company.credit_overdue_amount_limit},
                    ]
                )
            if "days" in breaches:
                hold = True
                reasons.append(
                    ["overdue_days", {"days": figures["overdue_days"], "threshold": company.credit_overdue_days_limit}]
                )
        return {
            "action": "hold" if hold else "warn" if reasons else "pass",
            "reasons": reasons,
            "figures": {
                "credit_limit": limit,
                "open_receivable": figures["open_receivable"],
                "draft_invoices": figures["draft_invoices"],
                "delivered_uninvoiced": figures["delivered_uninvoiced"],
                "undelivered": figures["undelivered"] + before,
                "amount": amount,
                "exposure": exposure,
                "overdue_amount": figures["overdue_amount"],
                "overdue_days": figures["overdue_days"],
            },
        }

    def _credit_put_on_hold(self, result):
        """Hold the order (or refresh its pending hold) and give the credit managers an activity."""
        self.ensure_one()
        vals = self._prepare_credit_hold_vals(result)
        hold = self._get_pending_credit_hold()
        # sudo: the salesperson's confirmation records the hold; he cannot edit or release it
        if hold:
            hold.sudo().write(vals)
        else:
            hold = self.env["sales.credit.hold"].sudo().create(vals).with_env(self.env)
            for user in self._get_credit_managers():
                self._schedule_decision_activity(hold, user)
        self._post_note(
            Markup("<p><b>%s</b></p>%s")
            % (
                _("Credit hold: the order did not confirm."),
                self._credit_figures_html(hold.reason.splitlines(), result["figures"]),
            )
        )

    def _prepare_credit_hold_vals(self, result):
        labels = self.env["sales.credit.hold"]._get_figure_labels()
        return {
            "order_id": self.id,
            "partner_id": self._get_credit_partner().id,
            "reason_data": result["reasons"],
            **{fname: value for fname, value in result["figures"].items() if fname in labels},
        }

    def _credit_warn(self, result):
        """Policy "warn": the order confirms; the figures go to the chatter and a credit manager."""
        self.ensure_one()
        hold = self.env["sales.credit.hold"].new({"reason_data": result["reasons"], "order_id": self.id})
        body = self._credit_figures_html(hold.reason.splitlines(), result["figures"])
        self._post_note(
            Markup("<p><b>%s</b></p>%s") % (_("Credit warning: confirmed over the customer's credit."), body)
        )
        # sudo: the salesperson's confirmation gives the credit manager his activity (by email only when the
        # salesperson can sign one)
        self.sudo().with_context(mail_activity_quick_update=not self.env.user.email).activity_schedule(
            "mail.mail_activity_data_warning",
            summary=_("Credit warning on %(order)s", order=self.name),
            note=body,
            user_id=self.company_id._get_credit_manager().id,
        )

    def _credit_refusal_message(self, result):
        hold = self.env["sales.credit.hold"].new({"reason_data": result["reasons"], "order_id": self.id})
        return _(
            "%(order)s cannot be confirmed: %(reasons)s Ask a credit manager to release it.",
            order=self.name,
            reasons=" ".join(hold.reason.splitlines()),
        )

    def _credit_figures_html(self, reasons, figures):
        currency = self.company_id.currency_id
        labels = self.env["sales.credit.hold"]._get_figure_labels()
        rows = Markup("").join(
            Markup("<tr><td>%s</td><td class='text-end'>%s</td></tr>")
            % (
                label,
                figures[fname]
                if fname == "overdue_days"
                else self.env["sales.formatter"]._money(figures[fname], currency),
            )
            for fname, label in labels.items()
            if fname in figures
        )
        items = Markup("").join(Markup("<li>%s</li>") % escape(reason) for reason in reasons)
        return Markup("<ul>%s</ul><table class='table table-sm table-borderless w-auto mb-0'>%s</table>") % (
            items,
            rows,
        )

    def _get_pending_credit_hold(self):
        self.ensure_one()
        return self.credit_hold_ids.filtered(lambda h: h.state == "pending")[:1]

    def _get_credit_managers(self):
        """Who decides this order's credit hold: the company's credit controller, else its credit managers."""
        self.ensure_one()
        company = self.company_id
        if company.credit_manager_id:
            return company.credit_manager_id
        return (
            self.env.ref("sales_credit.group_credit_manager").users.filtered(
                lambda user: company in user.company_ids and not user.share and user.active
            )
            or company._get_credit_manager()
        )

    @contextmanager
    def _credit_context(self, key):
        """Mark these orders in the cursor's cache under ``key`` (CONFIRMING or CHANGING) for the block."""
        marked = self.env.cr.cache.setdefault(key, set())
        ids = set(self.ids) - marked
        marked.update(ids)
        try:
            yield
        finally:
            marked.difference_update(ids)

    def _credit_changed_orders(self):
        """The confirmed orders whose change is checked here: not those being confirmed, nor those whose own write
        checks the change as a whole."""
        cache = self.env.cr.cache
        skip = cache.get(CONFIRMING, set()) | cache.get(CHANGING, set())
        return self.filtered(lambda o: o.state == "sale" and o.id not in skip)

    def _credit_snapshot(self):
        """What a change of confirmed orders is compared with: who pays, currency, company and amount."""
        return {order.id: order._credit_key() + (order._credit_order_amount(),) for order in self}

    def _credit_key(self):
        self.ensure_one()
        return (self._get_credit_partner().id, self.currency_id.id, self.company_id.id)

    def _after_confirmed_change(self, before, order_fields, line_fields):
        """Confirmed orders changed: the change passes the reviews' and the credit check's rules, or is refused."""
        orders = self.exists()
        orders._review_check_change(order_fields, line_fields)
        orders._credit_check_change(before)

    def _credit_check_change(self, before):
        """A confirmed order whose exposure grew, or moved to another customer, currency or company, is checked
        as a confirmation is: a hold refuses the change."""
        changed = self.filtered(
            lambda o: (
                o.state == "sale"
                and o.id in before
                and (
                    o._credit_key() != before[o.id][:3]
                    or o.company_id.currency_id.compare_amounts(o._credit_order_amount(), before[o.id][3]) > 0
                )
            )
        )
        results = changed._credit_check("change")
        for order in changed:
            if results[order]["action"] == "hold":
                raise UserError(order._credit_refusal_message(results[order]))
            if results[order]["action"] == "warn":
                order._credit_warn(results[order])

    # ------------------------------------------------------------
    # ORDER REVIEW
    # ------------------------------------------------------------

    def _get_pending_reviews(self):
        return self.review_ids.filtered(lambda r: r.state == "pending")

    def _get_review_rules(self):
        self.ensure_one()
        return self.env["sales.review.rule"].search([("company_id", "=", self.company_id.id)])

    def _review_check(self):
        """Ask the reviews the company's rules require; return the orders that must wait for them.

        An approval stays valid until the order changes in a way its rule looks at.
        """
        waiting = self.browse()
        for order in self:
            matches = {rule: match for rule in order._get_review_rules() if (match := rule._match(order)) is not False}
            approved = order.review_ids.filtered(lambda r: r.state == "approved" and not r.is_outdated).rule_id
            pending = order._get_pending_reviews()
            pending.filtered(lambda r: r.rule_id not in matches)._move_to("cleared")
            new = [
                order._prepare_review_vals(rule, match)
                for rule, match in matches.items()
                if rule not in approved and rule not in pending.rule_id
            ]
            if new:
                # sudo: the salesperson's order raises the review; he cannot decide it
                created = self.env["sales.order.review"].sudo().create(new).with_env(self.env)
                created._ensure_reviewers()
                order._post_note(Markup("<p><b>%s</b></p>%s") % (_("Waiting for review."), order.review_summary))
                created._notify_reviewers()
            if order._get_pending_reviews():
                waiting |= order
        return waiting

    def _prepare_review_vals(self, rule, match):
        return {
            "order_id": self.id,
            "partner_id": self.partner_id.commercial_partner_id.id,
            "rule_id": rule.id,
            "sequence": rule.sequence,
            "in_sequence": rule.in_sequence,
            "reason_data": [["rule", match]],
            "amount": self.currency_id._convert(
                self.amount_untaxed, self.company_id.currency_id, self.company_id, fields.Date.context_today(self)
            ),
            "requested_by_id": self.env.uid,
            **rule._prepare_reviewer_vals(self),
        }

    def _review_reset(self, order_fields, line_fields):
        """Changing what a rule looks at sends the quotation's reviews under that rule back to the start."""
        # the confirmation's own writes (state, date) do not undo the reviews it rests on
        confirming = self.env.cr.cache.get(CONFIRMING, set())
        for order in self.filtered(lambda o: o.state in ("draft", "sent") and o.id not in confirming):
            affected = order.review_ids.filtered(
                lambda r: (
                    (r.state == "pending" or (r.state == "approved" and not r.is_outdated))
                    and order._review_touched(r.rule_id, order_fields, line_fields)
                )
            )
            if affected:
                affected._move_to("cleared")
                affected._outdate()
                order._post_note(
                    _(
                        "The order changed: %(reviews)s must be reviewed again.",
                        reviews=", ".join(affected.rule_id.mapped("name")),
                    )
                )

    @api.model
    def _review_touched(self, rule, order_fields, line_fields):
        watched_order, watched_lines = rule._get_trigger_fields()
        if "order_line" in order_fields:
            # lines written through the order: any line field may have changed
            return True
        return bool(watched_order & set(order_fields)) or bool(watched_lines & set(line_fields))

    def _review_check_change(self, order_fields, line_fields):
        """A confirmed order changed in a way a rule looks at, and the rule applies: the change is refused unless
        an approval still covers it (an approved amount that the order does not exceed)."""
        for order in self.filtered(lambda o: o.state == "sale"):
            for rule in order._get_review_rules():
                if not order._review_touched(rule, order_fields, line_fields):
                    continue
                match = rule._match(order)
                if match is False or order._review_approval_covers(rule, match):
                    continue
                raise UserError(
                    _(
                        "%(order)s is confirmed and this change needs a review (%(reason)s). Set the order back "
                        "to quotation to have it reviewed.",
                        order=order.name,
                        reason=rule._render_match(match),
                    )
                )

    def _review_approval_covers(self, rule, match):
        self.ensure_one()
        approvals = self.review_ids.filtered(
            lambda r: r.rule_id == rule and r.state == "approved" and not r.is_outdated
        )
        if not approvals or rule.condition != "amount":
            return False
        currency = self.company_id.currency_id
        return currency.compare_amounts(match["total"], max(approvals.mapped("amount"))) <= 0

    # ------------------------------------------------------------
    # MESSAGES AND ACTIVITIES
    # ------------------------------------------------------------

    def _post_note(self, body):
        """A note in the order's chatter, authored by the current user."""
        # sudo: a user without an email address may not post, but what happened to the order must be recorded
        self.sudo().message_post(body=body, subtype_xmlid="mail.mt_note")

    def _schedule_decision_activity(self, record, user):
        """Give ``user`` a to-do on a credit hold or review ``record``, where he decides it."""
        # sudo: the salesperson's order gives the decider his to-do. A salesperson without an email address cannot
        # sign the email that announces it: the decider then finds the to-do in Odoo only.
        record.sudo().with_context(mail_activity_quick_update=not self.env.user.email).activity_schedule(
            "mail.mail_activity_data_todo",
            summary=_("Decide on %(order)s", order=self.name),
            note=record.reason,
            user_id=user.id,
        )
