from contextlib import contextmanager

from markupsafe import Markup, escape

from odoo import _, api, fields, models
from odoo.exceptions import UserError
from odoo.tools.misc import formatLang

# cursor-cache key of the orders whose confirmation passed the credit check in this transaction;
# unlike a context key, an RPC caller cannot set it
CONFIRMING = "sales_credit_confirming"


class SaleOrder(models.Model):
    _inherit = "sale.order"

    hold_ids = fields.One2many("sales.order.hold", "order_id", string="Holds", copy=False)
    on_credit_hold = fields.Boolean(
        compute="_compute_on_credit_hold",
        store=True,
        index="btree_not_null",
        help="The order waits for a credit manager to release it.",
    )
    credit_hold_summary = fields.Html(compute="_compute_credit_hold_summary", sanitize=False)
    to_review = fields.Boolean(
        compute="_compute_to_review",
        store=True,
        index="btree_not_null",
        help="The order waits for the reviews its rules ask for before it can be confirmed.",
    )
    review_summary = fields.Html(compute="_compute_review_summary", sanitize=False)
    can_review = fields.Boolean(compute="_compute_can_review", help="A review of this order awaits the user.")

    @api.depends("hold_ids.state", "hold_ids.hold_type")
    def _compute_on_credit_hold(self):
        for order in self:
            order.on_credit_hold = bool(order._get_pending_holds("credit"))

    @api.depends("hold_ids.state", "hold_ids.hold_type")
    def _compute_to_review(self):
        for order in self:
            order.to_review = bool(order._get_pending_holds("review"))

    @api.depends_context("uid")
    @api.depends("hold_ids.state")
    def _compute_can_review(self):
        for order in self:
            order.can_review = any(h.is_active and h.is_my_review for h in order._get_pending_holds("review"))

    @api.depends("hold_ids.state")
    def _compute_review_summary(self):
        for order in self:
            reviews = order.hold_ids.filtered(lambda h: h.hold_type == "review" and h.state in ("pending", "released"))
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

    @api.depends("hold_ids.state")
    def _compute_credit_hold_summary(self):
        for order in self:
            hold = order._get_pending_holds("credit")[:1]
            order.credit_hold_summary = hold and order._credit_figures_html(
                (hold.reason or "").splitlines(),
                {fname: hold[fname] for fname in hold._get_figure_fields()} | {"order_amount": hold.amount},
            )

    # ------------------------------------------------------------
    # CRUD
    # ------------------------------------------------------------

    def write(self, vals):
        self._review_reset(vals.keys(), set())
        if vals.get("state") == "sale":
            # writing the state directly goes through the same check as the Confirm button
            confirming = self.env.cr.cache.get(CONFIRMING, set())
            unchecked = self.filtered(lambda o: o.state != "sale" and o.id not in confirming)
            unreviewed = unchecked._review_check()
            if unreviewed:
                raise UserError(
                    _(
                        "%(order)s cannot be confirmed: it waits for review (%(reviews)s).",
                        order=unreviewed[0].name,
                        reviews=", ".join(unreviewed[0]._get_pending_holds("review").rule_id.mapped("name")),
                    )
                )
            results = unchecked._credit_check("confirm")
            held = unchecked.filtered(lambda o: results[o]["action"] == "hold")
            if held:
                raise UserError(held[0]._credit_refusal_message(results[held[0]]))
            for order in unchecked.filtered(lambda o: results[o]["action"] == "warn"):
                order._credit_warn(results[order])
        return super().write(vals)

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
            with to_confirm._credit_confirming():
                super(SaleOrder, to_confirm).action_confirm()
            for order in to_confirm:
                # sudo: a passing check clears the hold; the salesperson cannot write holds himself
                order._get_pending_holds("credit").sudo().state = "cleared"
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
        return self._get_pending_holds("credit")._action_decision_dialog()

    def action_review_decide(self):
        """Open the dialog where the current user approves or rejects the reviews awaiting him."""
        self.ensure_one()
        mine = self._get_pending_holds("review").filtered(lambda h: h.is_active and h.is_my_review)
        if not mine:
            raise UserError(_("No review of %(order)s awaits your decision.", order=self.name))
        return mine._action_decision_dialog()

    # ------------------------------------------------------------
    # CREDIT CHECK
    # ------------------------------------------------------------

    def _credit_check(self, checkpoint):
        """Check the customers of these orders at a check point ("confirm" or "change").

        Orders of one customer are checked in sequence, each counting those before it. The customers are
        locked first so that two transactions cannot both pass on the same credit.
        :return: {order: {"action": "pass" | "warn" | "hold", "reasons": [str], "figures": dict}}
        """
        results = {order: {"action": "pass", "reasons": [], "figures": {}} for order in self}
        for company, company_orders in self.grouped("company_id").items():
            if not company[f"credit_check_on_{checkpoint}"]:
                continue
            orders = company_orders.with_company(company)
            to_measure = orders.filtered(lambda o: o._credit_needs_check())
            if not to_measure:
                continue
            partners = to_measure.partner_id.commercial_partner_id
            partners._credit_lock()
            figures = partners._get_credit_figures(exclude_orders=to_measure)
            for partner, partner_orders in to_measure.grouped(lambda o: o.partner_id.commercial_partner_id).items():
                before = 0.0
                for order in partner_orders.sorted("id"):
                    result = order._credit_evaluate(partner, figures[partner.id], before)
                    results[order] = result
                    if result["action"] != "hold":
                        before += result["figures"]["order_amount"]
        return results

    def _credit_needs_check(self):
        """False when nothing can stop this order: a release covers it, it is prepaid, or its customer
        is not checked."""
        self.ensure_one()
        partner = self.partner_id.commercial_partner_id
        release = self.hold_ids.filtered(lambda h: h.hold_type == "credit" and h.state == "released")
        if release and self.currency_id.compare_amounts(self.amount_total, max(release.mapped("order_total"))) <= 0:
            return False
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
        order_amount = figures["orders"].get(self.id, 0.0) if self.state == "sale" else self._credit_order_amount()
        exposure = figures["exposure"] + before + order_amount
        # sudo: the check reads the limit, which the salesperson confirming the order may not see
        limit = partner.sudo().credit_limit
        currency = company.currency_id
        reasons, hold = [], False
        if partner.credit_hold:
            hold = True
            reasons.append(
                _(
                    "The customer is on credit hold: %(reason)s",
                    reason=partner.credit_hold_reason or _("no reason given"),
                )
            )
        policy = partner._get_credit_policy()
        if policy != "none" and not self._credit_is_prepaid():
            if limit and currency.compare_amounts(exposure, limit) > 0:
                hold = hold or policy == "block"
                reasons.append(
                    _(
                        "The credit limit of %(limit)s is exceeded by %(excess)s.",
                        limit=formatLang(self.env, limit, currency_obj=currency),
                        excess=formatLang(self.env, exposure - limit, currency_obj=currency),
                    )
                )
            breaches = company._get_overdue_breaches(figures)
            if "amount" in breaches:
                hold = True
                reasons.append(
                    _(
                        "Overdue invoices of %(overdue)s are above the threshold of %(threshold)s.",
                        overdue=formatLang(self.env, figures["overdue_amount"], currency_obj=currency),
                        threshold=formatLang(self.env, company.credit_overdue_amount_limit, currency_obj=currency),
                    )
                )
            if "days" in breaches:
                hold = True
                reasons.append(
                    _(
                        "The oldest overdue item is %(days)s days overdue, more than the %(threshold)s allowed.",
                        days=figures["overdue_days"],
                        threshold=company.credit_overdue_days_limit,
                    )
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
                "order_amount": order_amount,
                "exposure": exposure,
                "overdue_amount": figures["overdue_amount"],
                "overdue_days": figures["overdue_days"],
            },
        }

    def _credit_put_on_hold(self, result):
        """Hold the order (or refresh its pending hold) and tell the credit managers."""
        self.ensure_one()
        vals = self._prepare_credit_hold_vals(result)
        pending = self._get_pending_holds("credit")
        # sudo: the salesperson's confirmation records the hold; he cannot edit or release it
        if pending:
            pending.sudo().write(vals)
        else:
            self.env["sales.order.hold"].sudo().create(vals)
        managers = self.env.ref("sales_credit.group_credit_manager").users.filtered(
            lambda user: self.company_id in user.company_ids and not user.share
        )
        self.message_post(
            body=Markup("<p><b>%s</b></p>%s")
            % (
                _("Credit hold: the order did not confirm."),
                self._credit_figures_html(result["reasons"], result["figures"]),
            ),
            partner_ids=[] if pending else managers.partner_id.ids,
            subtype_xmlid="mail.mt_note",
        )

    def _prepare_credit_hold_vals(self, result):
        figures = result["figures"]
        return {
            "order_id": self.id,
            "hold_type": "credit",
            "reason": "\n".join(result["reasons"]),
            "amount": figures["order_amount"],
            "order_total": self.amount_total,
            **{
                fname: figures[fname] for fname in self.env["sales.order.hold"]._get_figure_fields() if fname in figures
            },
        }

    def _credit_warn(self, result):
        """Policy "warn": the order confirms; the figures go to the chatter and a credit manager."""
        self.ensure_one()
        body = self._credit_figures_html(result["reasons"], result["figures"])
        self.message_post(
            body=Markup("<p><b>%s</b></p>%s") % (_("Credit warning: confirmed over the customer's credit."), body),
            subtype_xmlid="mail.mt_note",
        )
        self.activity_schedule(
            "mail.mail_activity_data_warning",
            summary=_("Credit warning on %(order)s", order=self.name),
            note=body,
            user_id=self.company_id._get_credit_manager().id,
        )

    def _credit_refusal_message(self, result):
        return _(
            "%(order)s cannot be confirmed: %(reasons)s Ask a credit manager to release it.",
            order=self.name,
            reasons=" ".join(result["reasons"]),
        )

    def _credit_figures_html(self, reasons, figures):
        currency = self.company_id.currency_id
        labels = self.env["sales.order.hold"]._get_figure_labels()
        rows = Markup("").join(
            Markup("<tr><td>%s</td><td class='text-end'>%s</td></tr>")
            % (
                label,
                figures[fname]
                if fname == "overdue_days"
                else formatLang(self.env, figures[fname] or 0.0, currency_obj=currency),
            )
            for fname, label in labels.items()
            if fname in figures
        )
        items = Markup("").join(Markup("<li>%s</li>") % escape(reason) for reason in reasons)
        return Markup("<ul>%s</ul><table class='table table-sm table-borderless w-auto mb-0'>%s</table>") % (
            items,
            rows,
        )

    def _get_pending_holds(self, hold_type):
        return self.hold_ids.filtered(lambda h: h.state == "pending" and h.hold_type == hold_type)

    @contextmanager
    def _credit_confirming(self):
        confirming = self.env.cr.cache.setdefault(CONFIRMING, set())
        confirming.update(self.ids)
        try:
            yield
        finally:
            confirming.difference_update(self.ids)

    def _credit_check_growth(self, totals_before):
        """A confirmed order whose total grew is checked again: a hold refuses the change."""
        grown = self.filtered(
            lambda o: (
                o.state == "sale"
                and o.id not in self.env.cr.cache.get(CONFIRMING, set())
                and o.currency_id.compare_amounts(o.amount_total, totals_before.get(o.id, 0.0)) > 0
            )
        )
        results = grown._credit_check("change")
        for order in grown:
            if results[order]["action"] == "hold":
                raise UserError(order._credit_refusal_message(results[order]))
            if results[order]["action"] == "warn":
                order._credit_warn(results[order])

    # ------------------------------------------------------------
    # ORDER REVIEW
    # ------------------------------------------------------------

    def _review_check(self):
        """Ask the reviews the company's rules require; return the orders that must wait for them.

        An approved review stays valid until the order changes in a way its rule looks at.
        """
        waiting = self.browse()
        rules_by_company = {}
        for order in self:
            company = order.company_id
            if company not in rules_by_company:
                rules_by_company[company] = self.env["sales.review.rule"].search([("company_id", "=", company.id)])
            matches = {rule: reason for rule in rules_by_company[company] if (reason := rule._match(order))}
            reviews = order.hold_ids.filtered(lambda h: h.hold_type == "review")
            approved = reviews.filtered(lambda h: h.state == "released").rule_id
            pending = reviews.filtered(lambda h: h.state == "pending")
            # sudo: asking a review records it; the salesperson cannot decide it
            pending.filtered(lambda h: h.rule_id not in matches).sudo().state = "cleared"
            new = [
                order._prepare_review_vals(rule, reason)
                for rule, reason in matches.items()
                if rule not in approved and rule not in pending.rule_id
            ]
            if new:
                # sudo: the salesperson's order raises the review; he cannot decide it
                created = self.env["sales.order.hold"].sudo().create(new)
                order.message_post(
                    body=Markup("<p><b>%s</b></p>%s") % (_("Waiting for review."), order.review_summary),
                    subtype_xmlid="mail.mt_note",
                )
                created.with_env(self.env)._review_notify()
            if order._get_pending_holds("review"):
                waiting |= order
        return waiting

    def _prepare_review_vals(self, rule, reason):
        leader = rule.reviewer == "team_leader" and self.team_id.user_id
        return {
            "order_id": self.id,
            "hold_type": "review",
            "rule_id": rule.id,
            "sequence": rule.sequence,
            "in_sequence": rule.in_sequence,
            "reason": reason,
            "amount": self._credit_order_amount(),
            "order_total": self.amount_total,
            "reviewer_user_id": (rule.user_id if rule.reviewer == "user" else leader or self.env["res.users"]).id,
            "reviewer_group_id": rule.group_id.id if rule.reviewer == "group" else False,
        }

    def _review_reset(self, order_fields, line_fields):
        """Changing what a rule looks at sends the order's reviews under that rule back to the start."""
        # the confirmation's own writes (state, date) do not undo the reviews it rests on
        confirming = self.env.cr.cache.get(CONFIRMING, set())
        for order in self.filtered(lambda o: o.state in ("draft", "sent") and o.id not in confirming):
            affected = order.hold_ids.filtered(
                lambda h: (
                    h.hold_type == "review"
                    and h.state in ("pending", "released")
                    and order._review_touched(h.rule_id, order_fields, line_fields)
                )
            )
            if affected:
                # sudo: the salesperson's change resets the reviews; he cannot decide them
                affected.sudo().write({"state": "cleared"})
                order.message_post(
                    body=_(
                        "The order changed: %(reviews)s must be reviewed again.",
                        reviews=", ".join(affected.rule_id.mapped("name")),
                    ),
                    subtype_xmlid="mail.mt_note",
                )

    @api.model
    def _review_touched(self, rule, order_fields, line_fields):
        watched_order, watched_lines = rule._get_trigger_fields()
        return bool(watched_order & set(order_fields)) or bool(watched_lines & set(line_fields))

    def _review_check_change(self):
        """A change of a confirmed order that a rule would review, and that was not approved, is refused."""
        confirming = self.env.cr.cache.get(CONFIRMING, set())
        for order in self.filtered(lambda o: o.state == "sale" and o.id not in confirming):
            rules = self.env["sales.review.rule"].search([("company_id", "=", order.company_id.id)])
            approved = order.hold_ids.filtered(lambda h: h.hold_type == "review" and h.state == "released").rule_id
            for rule in rules - approved:
                reason = rule._match(order)
                if reason:
                    raise UserError(
                        _(
                            "%(order)s is confirmed and this change needs a review (%(reason)s). Set the order back "
                            "to quotation to have it reviewed.",
                            order=order.name,
                            reason=reason,
                        )
                    )
