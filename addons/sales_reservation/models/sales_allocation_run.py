from collections import Counter

from odoo import _, api, fields, models
from odoo.exceptions import UserError
from odoo.tools import SQL

from .stock_move import WAITING_STATES


class SalesAllocationRun(models.Model):
    """One allocation of scarce stock to waiting deliveries, with its log: who got what, who lost what, why."""

    _name = "sales.allocation.run"
    _description = "Stock Allocation Run"
    _inherit = ["sales.background.mixin"]
    _order = "id desc"

    name = fields.Char(compute="_compute_name")
    date = fields.Datetime(default=fields.Datetime.now, required=True, readonly=True)
    user_id = fields.Many2one("res.users", string="Run By", default=lambda self: self.env.user, readonly=True)
    company_id = fields.Many2one("res.company", default=lambda self: self.env.company, required=True, readonly=True)
    trigger = fields.Selection(
        [
            ("manual", "By Hand"),
            ("schedule", "Scheduled"),
            ("receipt", "Stock Received"),
            ("expiry", "Reservation Expired"),
        ],
        required=True,
        default="manual",
        readonly=True,
    )
    product_ids = fields.Many2many("product.product", string="Products", readonly=True)
    line_ids = fields.One2many("sales.allocation.line", "run_id", string="Log", readonly=True)
    allocated_qty = fields.Float("Allocated", digits="Product Unit of Measure", compute="_compute_totals")
    taken_qty = fields.Float("Taken Back", digits="Product Unit of Measure", compute="_compute_totals")
    summary = fields.Char(compute="_compute_totals")
    ranking = fields.Char(
        readonly=True,
        help="How the run ranked the waiting deliveries: the company's allocation settings of the moment.",
    )
    idle_cause = fields.Selection(
        [
            ("no_demand", "No delivery is waiting for these products: there is nothing to allocate."),
            (
                "blocked",
                "Every delivery waiting for these products is for a customer on credit hold or past the overdue "
                "thresholds, and the company gives such customers no stock (Settings, No Stock for Blocked "
                "Customers).",
            ),
            (
                "no_stock",
                "No stock of these products is free where the waiting deliveries take it from: everything on hand "
                "is already reserved for other deliveries or designated reservations. Receive stock, release a "
                "reservation, or let allocation runs redistribute reserved stock (Settings).",
            ),
            (
                "no_donor",
                "No stock of these products is free where the waiting deliveries take it from, and no delivery of "
                "a lower priority holds stock that may be taken back (stock of deliveries being picked or printed "
                "stays with them). Receive stock or release a reservation.",
            ),
            (
                "unreachable",
                "Some stock is free, but not in a form the waiting deliveries can take (another lot, package or "
                "owner): check the stock of the deliveries' source location.",
            ),
        ],
        string="Why Nothing Moved",
        readonly=True,
        help="Set when a run reserved nothing and took nothing back, from what the run saw.",
    )

    @api.depends("date", "trigger")
    def _compute_name(self):
        for run in self:
            run.name = _("Allocation of %(date)s", date=fields.Datetime.to_string(run.date))

    @api.depends("line_ids.quantity", "idle_cause", "ranking")
    def _compute_totals(self):
        fmt = self.env["sales.formatter"]
        causes = dict(self._fields["idle_cause"]._description_selection(self.env))
        for run in self:
            run.allocated_qty = sum(run.line_ids.filtered(lambda l: l.quantity > 0).mapped("quantity"))
            run.taken_qty = -sum(run.line_ids.filtered(lambda l: l.quantity < 0).mapped("quantity"))
            run.summary = _(
                "%(products)s product(s): %(allocated)s allocated to %(served)s delivery(ies), %(taken)s taken back.",
                products=len(run.product_ids),
                allocated=fmt._quantity(run.allocated_qty),
                taken=fmt._quantity(run.taken_qty),
                served=len(run.line_ids.filtered(lambda l: l.quantity > 0).move_id),
            )
            if run.ranking:
                run.summary = f"{run.summary} {run.ranking}"
            if run.idle_cause:
                run.summary = _("Nothing moved. %(cause)s", cause=causes[run.idle_cause])

    # ------------------------------------------------------------
    # ALLOCATION
    # ------------------------------------------------------------

    @api.model
    def _run(self, products, trigger="manual"):
        """Allocate the stock of ``products`` to their waiting deliveries in priority order; return the run."""
        run = self._create_run(products, trigger)
        run._allocate()
        return run

    @api.model
    def _create_run(self, products, trigger):
        products = products.filtered("is_storable")
        if not products:
            raise UserError(_("Allocation only concerns products tracked in stock."))
        return self.create(
            {"trigger": trigger, "product_ids": [fields.Command.set(products.ids)], "company_id": self.env.company.id}
        )

    def _allocate(self):
        self.ensure_one()
        products = self.product_ids
        # one allocation per product at a time: a concurrent run or reservation waits, then fails to
        # serialise and Odoo retries it on the stock as this one left it
        self.env.cr.execute(
            SQL("SELECT id FROM product_product WHERE id IN %s ORDER BY id FOR UPDATE", tuple(products.ids)),
            log_exceptions=False,
        )
        waiting = self._get_waiting_moves(products)
        donors = self._get_donor_moves(products) if self.company_id.allocation_redistribute else self.env["stock.move"]
        before = {move: move.quantity for move in waiting | donors}
        standings = (waiting | donors)._get_allocation_standings()
        self.ranking = self._get_ranking_text()
        reasons = {}
        waiting._action_assign()
        if donors:
            reasons = self._redistribute(waiting, donors, standings)
        if not self._log(before, reasons, standings):
            self.idle_cause = self._get_idle_cause(waiting, donors)
        return True

    def _notify_job_done(self, result, seconds):
        self._notify_job(_("%(run)s is done: %(summary)s", run=self.name, summary=self.summary))

    def _get_waiting_domain(self, products):
        return [("product_id", "in", products.ids), *self._get_company_waiting_domain(self.company_id)]

    @api.model
    def _get_company_waiting_domain(self, company):
        """The moves an allocation serves: waiting for the company's stock, not holding a designated reservation."""
        return [
            ("company_id", "=", company.id),
            ("sales_reservation_id", "=", False),
            *self.env["stock.move"]._sales_stock_demand_domain(WAITING_STATES),
        ]

    def _get_waiting_moves(self, products):
        """Moves of these products waiting for stock in the company's warehouses, allocation order."""
        moves = self.env["stock.move"].search(self._get_waiting_domain(products))
        if self.company_id.allocation_exclude_blocked:
            blocked = moves.sale_line_id.order_id.partner_invoice_id._get_credit_blocked()
            # credit is the payer's, as in the credit check
            moves = moves.filtered(
                lambda move: not move.sale_line_id or move.sale_line_id.order_id._get_credit_partner() not in blocked
            )
        return moves._sorted_by_allocation_priority()

    def _get_donor_moves(self, products):
        """Sale deliveries that may give back reserved stock: reserved, not being picked, not designated."""
        return self.env["stock.move"].search(
            [
                ("product_id", "in", products.ids),
                ("company_id", "=", self.company_id.id),
                ("state", "in", ("assigned", "partially_available")),
                ("sale_line_id", "!=", False),
                ("picked", "=", False),
                ("picking_id.printed", "=", False),
                ("location_id.usage", "=", "internal"),
            ]
        )

    def _redistribute(self, waiting, donors, standings):
        """Serve the still short moves with stock taken from lower-priority donors, lowest first.

        :return: {donor move: [moves it gave to]} for the log
        """
        gave_to = {}
        candidates = (waiting | donors)._sorted_by_allocation_priority(standings)
        rank = {move: index for index, move in enumerate(candidates)}
        rounding_of = lambda move: move.product_id.uom_id.rounding  # noqa: E731
        for move in candidates.filtered(lambda m: m.state in WAITING_STATES):
            need = move.product_qty - move.quantity
            for donor in reversed(candidates):
                if (
                    rank[donor] <= rank[move]
                    or fields.Float.compare(need, 0, precision_rounding=rounding_of(move)) <= 0
                ):
                    break
                if (
                    donor.product_id != move.product_id
                    or donor.location_id != move.location_id
                    or donor.state not in ("assigned", "partially_available")
                    or donor.picked
                ):
                    continue
                freed = donor._reduce_reservation(need)
                if freed:
                    move._action_assign()
                    gave_to.setdefault(donor, []).append(move)
                    need = move.product_qty - move.quantity
        return gave_to

    def _log(self, before, gave_to, standings):
        # the rank among the deliveries of the same product
        rank, ranked_of_product = {}, Counter()
        for move in self.env["stock.move"].union(*before)._sorted_by_allocation_priority(standings):
            ranked_of_product[move.product_id] += 1
            rank[move] = ranked_of_product[move.product_id]
        lines = []
        for move, quantity in before.items():
            change = move.quantity - quantity
            if fields.Float.is_zero(change, precision_rounding=move.product_id.uom_id.rounding):
                continue
            reason = move._get_allocation_priority_text(standings[move.id])
            if change < 0 and move in gave_to:
                reason = _(
                    "%(priority)s; gave to %(orders)s",
                    priority=reason,
                    orders=", ".join(m.sale_line_id.order_id.name or m.reference for m in gave_to[move]),
                )
            lines.append(
                {
                    "run_id": self.id,
                    "move_id": move.id,
                    "quantity": change,
                    "reserved_qty": move.quantity,
                    "reason": reason,
                    "rank": rank[move],
                    **self.env["sales.allocation.line"]._prepare_standing_vals(move, standings[move.id]),
                }
            )
        return self.env["sales.allocation.line"].create(lines)

    def _get_ranking_text(self):
        """How this run ranks the deliveries, in the company's settings of the moment."""
        company = self.company_id
        points = [_("tier weight")]
        if company.allocation_rating_weight:
            points.append(
                _(
                    "%(weight)s per credit rating step (A 3, B 2, C or unrated 1, D 0)",
                    weight=company.allocation_rating_weight,
                )
            )
        if company.allocation_credit_rank == "weight":
            points.append(
                _("up to %(weight)s for the share of credit limit available", weight=company.allocation_credit_weight)
            )
        criteria = [_("score (%(points)s)", points=" + ".join(points)) if len(points) > 1 else _("customer tier")]
        if company.allocation_credit_rank == "tiebreak":
            criteria.append(_("available credit"))
        criteria += [_("urgency"), _("delivery date"), _("order date")]
        return _(
            "Ranked by %(criteria)s; blocked customers %(blocked)s.",
            criteria=", ".join(criteria),
            blocked=_("get nothing") if company.allocation_exclude_blocked else _("last"),
        )

    def _get_idle_cause(self, waiting, donors):
        """Why this run moved nothing, from the moves it served and the stock it found."""
        self.ensure_one()
        if not waiting:
            demand = self.env["stock.move"].search_count(self._get_waiting_domain(self.product_ids), limit=1)
            return "blocked" if demand else "no_demand"
        for move in waiting:
            free = move.product_id.with_context(location=move.location_id.id).free_qty
            if fields.Float.compare(free, 0, precision_rounding=move.product_id.uom_id.rounding) > 0:
                return "unreachable"
        return "no_donor" if self.company_id.allocation_redistribute else "no_stock"

    # ------------------------------------------------------------
    # ACTIONS
    # ------------------------------------------------------------

    @api.model
    def _action_run(self, products):
        """Run an allocation by hand and show its result; past the background threshold, show it queued."""
        run = self._create_run(products, "manual")
        size = self.env["stock.move"].search_count(run._get_waiting_domain(run.product_ids))
        form = {
            "type": "ir.actions.act_window",
            "res_model": self._name,
            "res_id": run.id,
            "view_mode": "form",
            "target": "current",
        }
        if run._run_or_queue("_allocate", size=size, unit=_("waiting stock moves")) is False:
            return run._queued_notification(form)
        return form

    @api.model
    def _cron_run(self):
        """Allocate, in every company allocating by priority, the products some delivery waits for."""
        for company in self.env["res.company"].search([("allocation_by_priority", "=", True)]):
            runs = self.with_company(company)
            waiting = self.env["stock.move"].search(self._get_company_waiting_domain(company))
            if waiting.product_id.filtered("is_storable"):
                runs._run(waiting.product_id, "schedule")
