from collections import defaultdict

from odoo import Command, _, api, fields, models
from odoo.exceptions import AccessError, ValidationError
from odoo.tools import SQL

CREDIT_POLICIES = [
    ("none", "No Check"),
    ("warn", "Warn"),
    ("block", "Block"),
]
CREDIT_RATINGS = [("a", "A"), ("b", "B"), ("c", "C"), ("d", "D")]
CREDIT_GROUPS = "account.group_account_invoice,account.group_account_readonly,sales_credit.group_credit_user"


class ResPartner(models.Model):
    _inherit = "res.partner"

    # ------------------------------------------------------------
    # CLASSIFICATION
    # ------------------------------------------------------------

    credit_rating = fields.Selection(
        CREDIT_RATINGS,
        tracking=True,
        help="A: excellent payer ... D: high risk. Set by a credit manager.",
    )
    credit_rating_suggested = fields.Selection(
        CREDIT_RATINGS,
        string="Suggested Rating",
        compute="_compute_credit_rating_suggested",
        groups=CREDIT_GROUPS,
        help="From the last 12 months in this company: average days paid late, share of invoices paid late, "
        "and the age of the oldest overdue item; the worst of the three.",
    )
    # ------------------------------------------------------------
    # CREDIT SETTINGS (per company, like Odoo's credit_limit)
    # ------------------------------------------------------------

    # Odoo's own limit; credit users may read it too; who changed it and when shows in the chatter
    credit_limit = fields.Float(groups=CREDIT_GROUPS, tracking=True)
    # the company default is the field's ir.default (Settings > Credit Control)
    credit_policy = fields.Selection(
        CREDIT_POLICIES,
        company_dependent=True,
        tracking=True,
        help="What confirming an order of this customer does when the credit check fails: "
        "nothing, warn the credit managers, or hold the order. Empty means the company default.",
    )
    credit_hold = fields.Boolean(
        string="On Credit Hold",
        company_dependent=True,
        tracking=True,
        help="Every new order of this customer is held, and its deliveries cannot be validated.",
    )
    credit_hold_reason = fields.Char(string="Hold Reason", company_dependent=True, tracking=True)
    allowed_payment_term_ids = fields.Many2many(
        "account.payment.term",
        string="Allowed Payment Terms",
        tracking=True,
        help="Orders with another payment term need a review (when a review rule on payment terms is active). "
        "Empty: any term.",
    )
    can_edit_credit = fields.Boolean(compute="_compute_can_edit_credit")

    # ------------------------------------------------------------
    # EXPOSURE (company currency, current company)
    # ------------------------------------------------------------

    credit_currency_id = fields.Many2one("res.currency", compute="_compute_credit_currency_id")
    credit_open_receivable = fields.Monetary(
        "Open Receivables",
        compute="_compute_credit_exposure",
        currency_field="credit_currency_id",
        groups=CREDIT_GROUPS,
        help="Residual of posted, unreconciled receivable items.",
    )
    credit_draft_invoices = fields.Monetary(
        "Draft Invoices",
        compute="_compute_credit_exposure",
        currency_field="credit_currency_id",
        groups=CREDIT_GROUPS,
        help="Draft customer invoices less draft credit notes, when the company counts them.",
    )
    credit_delivered_uninvoiced = fields.Monetary(
        "Delivered not Invoiced",
        compute="_compute_credit_exposure",
        currency_field="credit_currency_id",
        groups=CREDIT_GROUPS,
        help="Delivered quantities of confirmed orders not invoiced yet, taxes included.",
    )
    credit_undelivered = fields.Monetary(
        "Confirmed not Delivered",
        compute="_compute_credit_exposure",
        currency_field="credit_currency_id",
        groups=CREDIT_GROUPS,
        help="Ordered minus delivered (and not invoiced in advance) on confirmed orders, taxes included, "
        "whatever the invoicing policy.",
    )
    credit_exposure = fields.Monetary(
        compute="_compute_credit_exposure",
        currency_field="credit_currency_id",
        groups=CREDIT_GROUPS,
    )
    credit_available = fields.Monetary(
        "Available Credit",
        compute="_compute_credit_exposure",
        currency_field="credit_currency_id",
        groups=CREDIT_GROUPS,
        help="Credit limit minus exposure; empty when the customer has no limit.",
    )
    credit_overdue_amount = fields.Monetary(
        "Overdue",
        compute="_compute_credit_exposure",
        currency_field="credit_currency_id",
        groups=CREDIT_GROUPS,
    )
    credit_overdue_days = fields.Integer(
        "Oldest Overdue (Days)",
        compute="_compute_credit_exposure",
        groups=CREDIT_GROUPS,
    )
    credit_over_limit = fields.Boolean(
        "Over Credit Limit",
        compute="_compute_credit_exposure",
        search="_search_credit_over_limit",
        groups=CREDIT_GROUPS,
    )

    @api.depends_context("uid")
    def _compute_can_edit_credit(self):
        self.can_edit_credit = self.env.user.has_group("sales_credit.group_credit_manager")

    @api.depends_context("company")
    def _compute_credit_currency_id(self):
        self.credit_currency_id = self.env.company.currency_id

    @api.depends_context("company")
    def _compute_credit_exposure(self):
        figures = self.commercial_partner_id._get_credit_figures()
        for partner in self:
            values = figures[partner.commercial_partner_id.id]
            limit = partner.commercial_partner_id.credit_limit
            partner.credit_open_receivable = values["open_receivable"]
            partner.credit_draft_invoices = values["draft_invoices"]
            partner.credit_delivered_uninvoiced = values["delivered_uninvoiced"]
            partner.credit_undelivered = values["undelivered"]
            partner.credit_exposure = values["exposure"]
            partner.credit_available = limit - values["exposure"] if limit else 0.0
            partner.credit_overdue_amount = values["overdue_amount"]
            partner.credit_overdue_days = values["overdue_days"]
            partner.credit_over_limit = bool(limit) and values["exposure"] > limit

    def _search_credit_over_limit(self, operator, value):
        if operator not in ("=", "!=") or not isinstance(value, bool):
            raise ValidationError(_("Search 'Over Credit Limit' with = or != and True or False."))
        limited = self.search([("credit_limit", ">", 0), ("is_company", "=", True)])
        over = limited.filtered("credit_over_limit")
        return [("commercial_partner_id", "in" if (operator == "=") == value else "not in", over.ids)]

    @api.depends_context("company")
    def _compute_credit_rating_suggested(self):
        suggestions = self.commercial_partner_id._get_credit_rating_suggestions()
        for partner in self:
            partner.credit_rating_suggested = suggestions.get(partner.commercial_partner_id.id, False)

    # ------------------------------------------------------------
    # CONSTRAINTS
    # ------------------------------------------------------------

    @api.constrains("credit_limit")
    def _check_credit_limit(self):
        for partner in self:
            if partner.credit_limit < 0:
                raise ValidationError(
                    _(
                        "The credit limit of %(partner)s cannot be negative (%(limit)s); use 0 for no limit.",
                        partner=partner.display_name,
                        limit=self.env["sales.formatter"]._money(partner.credit_limit),
                    )
                )

    # ------------------------------------------------------------
    # CRUD
    # ------------------------------------------------------------

    @api.model_create_multi
    def create(self, vals_list):
        # existing partners the new ones take as contacts
        adopted = self._get_credit_control_affected(vals_list, self.browse())
        before = adopted._get_credit_control_snapshot()
        partners = super().create(vals_list)
        adopted._check_credit_control_kept(before)
        return partners

    def write(self, vals):
        affected = self._get_credit_control_affected([vals], self)
        before = affected._get_credit_control_snapshot()
        result = super().write(vals)
        affected._check_credit_control_kept(before)
        return result

    @api.model
    def _commercial_fields(self):
        return super()._commercial_fields() + [
            "credit_rating",
            "credit_policy",
            "credit_hold",
            "credit_hold_reason",
            "allowed_payment_term_ids",
        ]

    # ------------------------------------------------------------
    # ACTIONS
    # ------------------------------------------------------------

    def action_accept_suggested_rating(self):
        for partner in self.filtered("credit_rating_suggested"):
            partner.credit_rating = partner.credit_rating_suggested
        return True

    def action_view_credit_holds(self):
        self.ensure_one()
        action = self.env["ir.actions.act_window"]._for_xml_id("sales_credit.sales_credit_hold_action")
        action["domain"] = [("partner_id", "=", self.commercial_partner_id.id)]
        action["context"] = {}
        return action

    # ------------------------------------------------------------
    # BUSINESS METHODS
    # ------------------------------------------------------------

    def _get_credit_policy(self):
        """The credit policy that applies to this customer in the current company."""
        self.ensure_one()
        # a policy cleared by hand is stored as empty: it means the company default too
        fallback = self._fields["credit_policy"].get_company_dependent_fallback(self)
        return self.commercial_partner_id.credit_policy or fallback or "none"

    @api.model
    def _get_protected_fields(self):
        credit_manager = ("sales_credit.group_credit_manager",)
        protected = super()._get_protected_fields()
        return protected | {
            # Odoo's own field: accounting administrators keep setting it, as in stock Odoo
            "credit_limit": credit_manager + ("account.group_account_manager",),
            "credit_rating": credit_manager,
            "credit_policy": credit_manager,
            "credit_hold": credit_manager,
            "credit_hold_reason": credit_manager,
            "allowed_payment_term_ids": credit_manager,
            # credit managers set the tier too
            "customer_tier_id": protected["customer_tier_id"] + credit_manager,
        }

    @api.model
    def _get_credit_structure_fields(self):
        """The fields that decide which commercial partner, hence which credit control, a partner has."""
        return {"parent_id", "is_company", "company_type", "company_id", "commercial_partner_id", "child_ids"}

    @api.model
    def _get_credit_control_affected(self, vals_list, partners):
        """The existing partners whose credit control a write of ``partners`` (or a create) with these values
        may change, for a user who may not change all of it; none otherwise."""
        watched = self._get_credit_structure_fields() | set(self._get_protected_fields())
        if self.env.su or not any(watched & vals.keys() for vals in vals_list) or not self._credit_control_restricted():
            return self.browse()
        ids = set(partners.ids)
        for vals in vals_list:
            for command in vals.get("child_ids") or ():
                if isinstance(command, int):
                    ids.add(command)
                elif command[0] in (Command.UPDATE, Command.LINK):
                    ids.add(command[1])
                elif command[0] == Command.SET:
                    ids.update(command[2])
        return self.browse(ids)._get_credit_control_family()

    def _get_credit_control_family(self):
        """These partners and all their contacts, archived ones too."""
        if not self:
            return self.browse()
        # sudo: the check must see every contact the change moves, whoever may read it
        return self.sudo().with_context(active_test=False).search([("id", "child_of", self.ids)])

    @api.model
    def _credit_control_restricted(self):
        """Whether the user may not change some of a customer's credit control."""
        return not self.env.su and any(
            not any(self.env.user.has_group(group) for group in groups)
            for groups in self._get_credit_control_groups().values()
        )

    @api.model
    def _get_credit_control_groups(self):
        """{credit control value: groups any of which may change it}: the protected fields, and the customer
        whose credit carries the partner's orders (moving them off a controlled customer frees its credit)."""
        return self._get_protected_fields() | {"exposure_owner": ("sales_credit.group_credit_manager",)}

    def _get_credit_control_snapshot(self):
        """{partner id: {company id: credit control values}} of the commercial partners of these partners
        in every company (credit settings are per company)."""
        if not self:
            return {}
        # sudo: a change moves the credit control in every company, also those the user cannot open
        companies = self.env["res.company"].sudo().search([])  # pylint: disable=no-search-all
        snapshot = {partner.id: {} for partner in self}
        for company in companies:
            values_of = {}
            for partner in self.sudo().with_company(company):
                entity = partner.commercial_partner_id
                if entity not in values_of:
                    values_of[entity] = entity._get_credit_control_values()
                snapshot[partner.id][company.id] = values_of[entity]
        return snapshot

    def _get_credit_control_values(self):
        """What the credit control of this commercial partner is in the current company, as in force
        (an empty policy reads the company default): {name: value}."""
        self.ensure_one()
        values = {}
        for fname in self._get_protected_fields():
            if fname == "credit_policy":
                value = self.credit_policy or self._fields["credit_policy"].get_company_dependent_fallback(self)
                value = value or "none"
            else:
                value = self[fname]
            values[fname] = frozenset(value.ids) if isinstance(value, models.BaseModel) else value
        company = self.env.company
        # what the check measures against: a limit, a hold, or the company's overdue thresholds
        thresholds = company.credit_overdue_amount_limit or company.credit_overdue_days_limit
        policy_checks = values["credit_policy"] != "none" and thresholds
        controlled = values["credit_limit"] or values["credit_hold"] or policy_checks
        values["exposure_owner"] = self.id if controlled else False
        return values

    def _check_credit_control_kept(self, before, successor=None):
        """Refuse the change if the credit control of a partner (that of its commercial partner, in any
        company) now differs in a value the user may not change. A partner merged away is judged on the
        partner it was merged into, ``successor``."""
        if not before:
            return
        if successor:
            # the merge moved contacts and documents in SQL
            self.env.invalidate_all()
        partners = self.browse(before).exists()
        after = partners._get_credit_control_snapshot()
        if successor:
            successor_values = successor._get_credit_control_snapshot()[successor.id]
            merged_away = {partner_id for partner_id in before if partner_id not in after}
            after |= dict.fromkeys(merged_away, successor_values)
            # the orders of a partner merged away count for the partner it became
            owner = {company_id: values["exposure_owner"] for company_id, values in successor_values.items()}
            before = {
                partner_id: {
                    company_id: values | {"exposure_owner": owner[company_id]}
                    if values["exposure_owner"] in merged_away
                    else values
                    for company_id, values in by_company.items()
                }
                for partner_id, by_company in before.items()
            }
        groups_of = self._get_credit_control_groups()
        for partner_id, by_company in before.items():
            changed = {
                name
                for company_id, values in by_company.items()
                for name, value in values.items()
                if after.get(partner_id, {}).get(company_id, {}).get(name) != value
                and not any(self.env.user.has_group(group) for group in groups_of[name])
            }
            if changed:
                # a partner merged away is named by the one it became
                self._raise_credit_control_changed(self.browse(partner_id).exists() or successor, changed)

    def _raise_credit_control_changed(self, partner, names):
        groups_of = self._get_credit_control_groups()
        labels = [
            self._fields[name].get_description(self.env)["string"]
            if name in self._fields
            else _("the customer its orders count for")
            for name in sorted(names)
        ]
        # the groups that may make the whole change, else any that may make part of it
        groups = set.intersection(*(set(groups_of[name]) for name in names)) or {
            group for name in names for group in groups_of[name]
        }
        raise AccessError(
            _(
                "This change would change the credit control of %(partner)s (%(what)s): only a user of %(groups)s "
                "may do it.",
                # sudo: the names of the partner and of the groups to ask, for whoever is refused
                partner=partner.sudo().display_name,
                what=", ".join(labels),
                groups=", ".join(sorted(self.env.ref(group).sudo().full_name for group in groups)),
            )
        )

    def _credit_lock(self):
        """Serialise credit checks per customer until the end of the transaction.

        An update of the customer's row of sales.credit.lock (not a mere lock) makes a concurrent transaction
        checking the same customer fail to serialise once this one commits; Odoo then retries it, and the retry
        sees the orders confirmed here. The row is inserted the first time, which serialises the same way.
        """
        # a serialization failure here is expected under concurrency and retried: not a bad query
        self.env.cr.execute(
            SQL(
                """INSERT INTO sales_credit_lock (partner_id) SELECT unnest(%s::int[]) AS id ORDER BY id
                   ON CONFLICT (partner_id) DO UPDATE SET partner_id = EXCLUDED.partner_id""",
                sorted(self.ids),
            ),
            log_exceptions=False,
        )

    def _get_credit_blocked(self):
        """The commercial partners of these on credit hold or past the company's overdue thresholds."""
        partners = self.commercial_partner_id
        company = self.env.company
        blocked = partners.filtered("credit_hold")
        if company.credit_overdue_amount_limit or company.credit_overdue_days_limit:
            for partner_id, figures in (partners - blocked)._get_credit_figures().items():
                if company._get_overdue_breaches(figures):
                    blocked |= self.browse(partner_id)
        return blocked

    def _get_credit_figures(self, exclude_orders=None):
        """Credit figures of commercial partners in the current company, in its currency.

        One grouped query per part of the exposure (see ``_get_credit_components``), whatever the customers'
        history. An order counts for the commercial partner of its invoice address, as its invoices do.
        ``exclude_orders`` leaves those orders out of the order parts and returns their open amount under
        ``orders`` (the orders being checked).
        :return: {partner id: {component: amount, "exposure", "overdue_amount", "overdue_days", "orders"}}
        """
        components = self._get_credit_components()
        figures = {
            partner_id: dict.fromkeys(tuple(components) + ("overdue_amount",), 0.0)
            | {"overdue_days": 0, "orders": defaultdict(float)}
            for partner_id in self.ids
        }
        exclude_ids = list(exclude_orders.ids) if exclude_orders else []
        self.env["res.partner"].flush_model(["commercial_partner_id"])
        # a method may fill several parts from one query: each runs once
        for method in dict.fromkeys(components.values()):
            getattr(self, method)(figures, exclude_ids)
        for values in figures.values():
            values["exposure"] = sum(values[component] for component in components)
        return figures

    @api.model
    def _get_credit_components(self):
        """The parts of the credit exposure, in the order they are shown: {component: method}.

        Each method takes ``(figures, exclude_ids)`` and adds its amounts (company currency) to
        ``figures[partner id][component]``; another addon adds a part by extending this dict.
        """
        return {
            "open_receivable": "_add_credit_open_receivable",
            "draft_invoices": "_add_credit_draft_invoices",
            "delivered_uninvoiced": "_add_credit_open_orders",
            "undelivered": "_add_credit_open_orders",
        }

    def _add_credit_open_receivable(self, figures, exclude_ids):
        """Residual of posted unreconciled receivable items, and the overdue part with its oldest due date."""
        today = fields.Date.context_today(self)
        self.env["account.move.line"].flush_model(
            ["partner_id", "account_id", "amount_residual", "reconciled", "parent_state", "date_maturity", "company_id"]
        )
        self.env.cr.execute(
            SQL(
                """
            SELECT p.commercial_partner_id,
                   SUM(aml.amount_residual),
                   SUM(aml.amount_residual) FILTER (WHERE aml.date_maturity < %(today)s AND aml.amount_residual > 0),
                   MIN(aml.date_maturity) FILTER (WHERE aml.date_maturity < %(today)s AND aml.amount_residual > 0)
              FROM account_move_line aml
              JOIN res_partner p ON p.id = aml.partner_id
             WHERE %(open)s
               AND aml.company_id = %(company)s
               AND p.commercial_partner_id IN %(partners)s
          GROUP BY p.commercial_partner_id
            """,
                open=self.env["account.move.line"]._sales_open_receivable_sql(),
                today=today,
                company=self.env.company.id,
                partners=tuple(self.ids) or (0,),
            )
        )
        for partner_id, residual, overdue, oldest in self.env.cr.fetchall():
            figures[partner_id]["open_receivable"] += residual or 0.0
            figures[partner_id]["overdue_amount"] += overdue or 0.0
            figures[partner_id]["overdue_days"] = (today - oldest).days if oldest else 0

    def _add_credit_draft_invoices(self, figures, exclude_ids):
        """Draft customer invoices less draft credit notes, when the company counts them."""
        company = self.env.company
        if not company.credit_count_draft_invoices:
            return
        self.env["account.move"].flush_model(
            ["commercial_partner_id", "state", "move_type", "amount_total_signed", "company_id"]
        )
        # amount_total_signed is in company currency, negative for credit notes
        self.env.cr.execute(
            SQL(
                """
            SELECT commercial_partner_id, SUM(amount_total_signed)
              FROM account_move
             WHERE state = 'draft' AND move_type IN ('out_invoice', 'out_refund')
               AND company_id = %(company)s AND commercial_partner_id IN %(partners)s
          GROUP BY commercial_partner_id
            """,
                company=company.id,
                partners=tuple(self.ids) or (0,),
            )
        )
        for partner_id, amount in self.env.cr.fetchall():
            figures[partner_id]["draft_invoices"] += amount or 0.0

    def _add_credit_open_orders(self, figures, exclude_ids):
        """Open lines of confirmed orders at their unit price with taxes and discount: delivered not invoiced,
        and ordered but neither delivered nor invoiced in advance.

        A down payment invoiced and not yet deducted by a later invoice is already in the receivables or
        the draft invoices: it comes off the order's undelivered amount, then off its delivered one.
        """
        company = self.env.company
        today = fields.Date.context_today(self)
        self.env["sale.order"].flush_model(["partner_invoice_id"])
        self.env["sale.order.line"].flush_model(
            [
                "order_id",
                "state",
                "company_id",
                "currency_id",
                "display_type",
                "is_downpayment",
                "product_uom_qty",
                "qty_delivered",
                "qty_invoiced",
                "price_reduce_taxinc",
            ]
        )
        # one query: each open order's amounts at the lines' stored unit prices, and the lines ordered with
        # quantity 0 (extra delivered lines, down payments), whose stored unit price Odoo leaves at 0 and which are
        # priced below only when there are some
        self.env.cr.execute(
            SQL(
                """
            SELECT p.commercial_partner_id, l.currency_id, l.order_id,
                   SUM(CASE WHEN l.is_downpayment IS NOT TRUE THEN GREATEST(l.qty_delivered - l.qty_invoiced, 0) END
                       * l.price_reduce_taxinc),
                   SUM(CASE WHEN l.is_downpayment IS NOT TRUE
                            THEN GREATEST(l.product_uom_qty - GREATEST(l.qty_delivered, l.qty_invoiced), 0) END
                       * l.price_reduce_taxinc),
                   SUM(CASE WHEN l.is_downpayment THEN l.qty_invoiced END * l.price_reduce_taxinc),
                   ARRAY_AGG(l.id) FILTER (WHERE l.product_uom_qty = 0)
              FROM sale_order_line l
              JOIN sale_order o ON o.id = l.order_id
              JOIN res_partner p ON p.id = o.partner_invoice_id
             WHERE %(open)s
               AND l.company_id = %(company)s
               AND p.commercial_partner_id IN %(partners)s
          GROUP BY 1, 2, 3
            """,
                open=self.env["sale.order.line"]._credit_open_sql("l"),
                company=company.id,
                partners=tuple(self.ids) or (0,),
            )
        )
        rows = self.env.cr.fetchall()
        unpriced = self._get_credit_unpriced_values([line_id for row in rows for line_id in row[6] or ()])
        currencies = self.env["res.currency"]
        for partner_id, currency_id, order_id, delivered, undelivered, down_payment, unpriced_ids in rows:
            delivered, undelivered, down_payment = (
                float(delivered or 0),
                float(undelivered or 0),
                float(down_payment or 0),
            )
            for line_id in unpriced_ids or ():
                delivered += unpriced[line_id]["delivered"]
                down_payment += unpriced[line_id]["down_payment"]
            # a down payment comes off what is left to deliver, then off what was delivered
            delivered -= max(down_payment - undelivered, 0)
            undelivered -= min(down_payment, undelivered)
            currency = currencies.browse(currency_id)
            delivered = currency._convert(delivered, company.currency_id, company, today)
            undelivered = currency._convert(undelivered, company.currency_id, company, today)
            if order_id in exclude_ids:
                figures[partner_id]["orders"][order_id] += delivered + undelivered
            else:
                figures[partner_id]["delivered_uninvoiced"] += delivered
                figures[partner_id]["undelivered"] += undelivered

    def _get_credit_unpriced_values(self, line_ids):
        """{line id: {"delivered", "down_payment"}}: the open value of order lines ordered with quantity 0 (extra
        delivered lines, down payments) at their unit price with taxes and discount, which Odoo does not store."""
        # sudo: the exposure counts every order of the customer, whoever sells it
        lines = self.env["sale.order.line"].sudo().browse(line_ids)
        values = {}
        for line in lines:
            base_line = line._prepare_base_line_for_taxes_computation(quantity=1.0)
            self.env["account.tax"]._add_tax_details_in_base_line(base_line, line.company_id)
            unit = base_line["tax_details"]["total_included_currency"]
            values[line.id] = {
                "delivered": 0.0 if line.is_downpayment else max(line.qty_delivered - line.qty_invoiced, 0) * unit,
                "down_payment": line.qty_invoiced * unit if line.is_downpayment else 0.0,
            }
        return values

    def _get_credit_rating_suggestions(self):
        """Suggested ratings of commercial partners from the last 12 months in the current company.

        Each of three measures gives a rating, the worst one is suggested: the average days paid late
        (5/15/45), the share of items paid late (10/30/60 %), the age of the oldest overdue item (0/30/60 days).
        """
        today = fields.Date.context_today(self)
        self.env["res.partner"].flush_model(["commercial_partner_id"])
        self.env["account.move.line"].flush_model(
            [
                "partner_id",
                "account_id",
                "balance",
                "amount_residual",
                "reconciled",
                "parent_state",
                "date_maturity",
                "date",
                "company_id",
            ]
        )
        self.env["account.partial.reconcile"].flush_model(["debit_move_id", "max_date"])
        self.env.cr.execute(
            SQL(
                """
            WITH items AS (
                SELECT p.commercial_partner_id AS partner_id, aml.date_maturity,
                       aml.reconciled, aml.amount_residual,
                       GREATEST((SELECT MAX(apr.max_date) FROM account_partial_reconcile apr
                                  WHERE apr.debit_move_id = aml.id) - aml.date_maturity, 0) AS days_late
                  FROM account_move_line aml
                  JOIN res_partner p ON p.id = aml.partner_id
                 WHERE %(receivable)s AND aml.balance > 0
                   AND aml.company_id = %(company)s AND aml.date >= %(since)s
                   AND p.commercial_partner_id IN %(partners)s
            )
            SELECT partner_id,
                   AVG(days_late) FILTER (WHERE reconciled),
                   COUNT(*) FILTER (WHERE reconciled AND days_late > 0)::float
                       / NULLIF(COUNT(*) FILTER (WHERE reconciled), 0),
                   MAX(%(today)s - date_maturity) FILTER (WHERE NOT reconciled AND date_maturity < %(today)s)
              FROM items
          GROUP BY partner_id
            """,
                receivable=self.env["account.move.line"]._sales_receivable_sql(),
                company=self.env.company.id,
                since=fields.Date.subtract(today, years=1),
                today=today,
                partners=tuple(self.ids) or (0,),
            )
        )

        def grade(value, limits):
            return next((rating for (rating, _label), limit in zip(CREDIT_RATINGS, limits) if value <= limit), "d")

        return {
            partner_id: max(
                grade(avg_late or 0, (5, 15, 45)),
                grade((share_late or 0) * 100, (10, 30, 60)),
                grade(oldest_overdue or 0, (0, 30, 60)),
            )
            for partner_id, avg_late, share_late, oldest_overdue in self.env.cr.fetchall()
        }
