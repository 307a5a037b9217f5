import math
from datetime import datetime

from odoo import _, api, fields, models
from odoo.tools import SQL, format_date

# Odoo's states of a move that waits for stock or holds some, and of one that still waits
OPEN_STATES = ("waiting", "confirmed", "partially_available", "assigned")
WAITING_STATES = ("confirmed", "partially_available")
# credit rating steps counted in the allocation ranking; an unrated customer counts as C, an average payer
RATING_STEPS = {"a": 3, "b": 2, "c": 1, "d": 0, False: 1}


class StockMove(models.Model):
    _inherit = "stock.move"

    allocation_weight = fields.Integer(
        compute="_compute_allocation_priority",
        help="Allocation weight of the customer's tier: the higher, the earlier this delivery gets stock.",
    )
    allocation_blocked = fields.Boolean(
        string="Customer Blocked",
        compute="_compute_allocation_priority",
        help="The customer is on credit hold or past the overdue thresholds: served last, or not at all.",
    )
    allocation_priority = fields.Char(
        compute="_compute_allocation_priority",
        help="Why this delivery is served before or after others: customer tier and weight, urgency, "
        "delivery date (requested by the customer, or expected by Odoo), order date.",
    )
    sales_reservation_id = fields.Many2one(
        "sales.reservation",
        string="Designated Reservation",
        readonly=True,
        index="btree_not_null",
        help="This move only holds the stock of a designated reservation.",
    )

    # ------------------------------------------------------------
    # STOCK DEMAND: the one definition of "a move taking from the warehouses' stock", read by the shortage views,
    # the allocation and the consumption of designated reservations
    # ------------------------------------------------------------

    @api.model
    def _sales_stock_demand_domain(self, states=OPEN_STATES):
        """Domain: moves in ``states`` made to stock from an internal location (a delivery, or the pick of a
        two-step one)."""
        return [
            ("state", "in", states),
            ("procure_method", "=", "make_to_stock"),
            ("location_id.usage", "=", "internal"),
        ]

    @api.model
    def _sales_stock_demand_sql(self, move, location, states=OPEN_STATES):
        """SQL condition: the same, for a query on ``move`` (alias) joining its source location as ``location``."""
        return SQL(
            """%(move)s.state IN %(states)s AND %(move)s.procure_method = 'make_to_stock'
               AND %(location)s.usage = 'internal'""",
            move=SQL.identifier(move),
            location=SQL.identifier(location),
            states=states,
        )

    def _filter_sales_stock_demand(self):
        """These moves that the domain above selects."""
        return self.filtered(
            lambda move: (
                move.state in OPEN_STATES
                and move.procure_method == "make_to_stock"
                and move.location_id.usage == "internal"
            )
        )

    @api.model
    def _sales_reserved_qty_sql(self):
        """SQL subquery (move_id, qty): what each move's lines reserve, in the product's unit."""
        return SQL(
            """(SELECT move_id, SUM(quantity_product_uom) AS qty
                 FROM stock_move_line
                WHERE move_id IS NOT NULL
             GROUP BY move_id)"""
        )

    def _compute_allocation_priority(self):
        standings = self._get_allocation_standings()
        for move in self:
            standing = standings[move.id]
            move.allocation_weight = standing["tier_points"]
            move.allocation_blocked = standing["blocked"]
            move.allocation_priority = move._get_allocation_priority_text(standing)

    def _get_allocation_priority_text(self, standing):
        """The ranking of this delivery in words: blocked, score and its parts, urgency, dates."""
        self.ensure_one()
        order = self.sale_line_id.order_id
        tier = standing["tier"]
        parts = [
            _("%(tier)s (weight %(weight)s)", tier=tier.name, weight=standing["tier_points"])
            if tier
            else _("No tier (weight 0)")
        ]
        parts += self._get_allocation_standing_texts(standing)
        if len(parts) > 1:
            parts.insert(0, _("score %(score)s", score=standing["score"]))
        if standing["blocked"]:
            parts.insert(0, _("Customer blocked: served last"))
        if self.priority == "1":
            parts.append(_("urgent"))
        if self.date_deadline:
            parts.append(self._get_allocation_deadline_text(order))
        if order:
            parts.append(_("ordered %(date)s", date=format_date(self.env, order.date_order)))
        return ", ".join(parts)

    def _get_allocation_standing_texts(self, standing):
        """How the credit rating and the available credit counted, where the company counts them."""
        company = self.company_id
        fmt = self.env["sales.formatter"].with_company(company)
        texts = []
        if company.allocation_rating_weight:
            ratings = dict(self.env["res.partner"]._fields["credit_rating"]._description_selection(self.env))
            points = standing["rating_points"]
            if standing["rating"]:
                texts.append(_("rating %(rating)s (+%(points)s)", rating=ratings[standing["rating"]], points=points))
            else:
                texts.append(_("unrated (+%(points)s)", points=points))
        if company.allocation_credit_rank == "none":
            return texts
        if not standing["limit"]:
            weighs = company.allocation_credit_rank == "weight"
            texts.append(_("no credit limit (+0)") if weighs else _("no credit limit"))
            return texts
        # a share of the limit, not an amount: the reason is read by salespeople and the warehouse too
        share = fmt._percent(max(standing["available"], 0.0) / standing["limit"] * 100)
        if company.allocation_credit_rank == "weight":
            texts.append(
                _("%(share)s of credit available (+%(points)s)", share=share, points=standing["credit_points"])
            )
        else:
            texts.append(_("%(share)s of credit available", share=share))
        return texts

    def _get_allocation_deadline_text(self, order):
        """The deadline as what it is: the customer's requested date (the order's commitment date), or the date
        Odoo expects to deliver by when the customer asked for none."""
        date = format_date(self.env, self.date_deadline)
        if order.commitment_date:
            return _("requested %(date)s", date=date)
        if order:
            return _("expected %(date)s", date=date)
        return _("deadline %(date)s", date=date)

    def _action_assign(self, force_qty=False):
        # Odoo reserves the moves one after the other in the order of the recordset: put the most
        # important customers first where the company allocates by priority.
        by_priority = self.filtered(lambda move: move.company_id.allocation_by_priority)
        if by_priority:
            self = by_priority._sorted_by_allocation_priority() | (self - by_priority)
        return super()._action_assign(force_qty=force_qty)

    def _trigger_assign(self):
        # stock arriving where the company allocates by priority: an allocation run, logged, serves the waiting
        by_priority = self.filtered(lambda move: move.company_id.allocation_by_priority)
        result = super(StockMove, self - by_priority)._trigger_assign()
        # sudo: Odoo's own setting, read as Odoo reads it
        if by_priority and not self.env["ir.config_parameter"].sudo().get_param("stock.picking_no_auto_reserve"):
            for company in by_priority.company_id:
                moves = by_priority.filtered(lambda move: move.company_id == company)
                # sudo: whoever validates the receipt triggers the run; the run's log belongs to the managers
                self.env["sales.allocation.run"].sudo().with_company(company)._run(moves.product_id, "receipt")
        return result

    def _sorted_by_allocation_priority(self, standings=None):
        """These moves in allocation order: blocked customers last, then the key of each move."""
        standings = standings or self._get_allocation_standings()
        return self.sorted(lambda move: move._get_allocation_sort_key(standings[move.id]))

    def _get_allocation_sort_key(self, standing):
        """Allocation order (smallest first): blocked customer, score (tier weight, credit rating, available
        credit), available credit where it breaks ties, urgency, requested date, order date."""
        self.ensure_one()
        order = self.sale_line_id.order_id
        return (
            standing["blocked"],
            -standing["score"],
            -standing["tiebreak"],
            -int(self.priority or 0),
            self.date_deadline or datetime.max,
            order.date_order or self.date,
            self.id,
        )

    # ------------------------------------------------------------
    # CREDIT STANDING: what the customer brings to the ranking, for all the moves at once
    # ------------------------------------------------------------

    def _get_allocation_standings(self):
        """{move id: standing}: the parts of each move's rank, in its company (see ``_get_allocation_standing``)."""
        standings = {}
        for company in self.company_id:
            moves = self.filtered(lambda move, company=company: move.company_id == company)
            standings.update(moves.with_company(company)._get_company_allocation_standings())
        # a move not saved yet has no company
        for move in self.filtered(lambda move: not move.company_id):
            standings[move.id] = move._get_allocation_standing(None, {})
        return standings

    def _get_company_allocation_standings(self):
        orders = self.sale_line_id.order_id
        blocked = orders.partner_invoice_id._get_credit_blocked()
        credit = {}
        if self.env.company.allocation_credit_rank != "none" and orders:
            # credit is the payer's, as in the credit check
            payers = self.env["res.partner"].union(*(order._get_credit_partner() for order in orders))
            # sudo: the ranking weighs every payer's limit and exposure, whoever allocates
            payers = payers.sudo()
            figures = payers._get_credit_figures()
            credit = {payer.id: (payer.credit_limit, figures[payer.id]["exposure"]) for payer in payers}
        return {move.id: move._get_allocation_standing(blocked, credit) for move in self}

    def _get_allocation_standing(self, blocked, credit):
        """What ranks this move: {blocked, tier, tier_points, rating, rating_points, limit, available,
        credit_points, tiebreak, score}. ``credit`` maps payers to (limit, exposure) when the company counts it."""
        self.ensure_one()
        company = self.company_id or self.env.company
        order = self.sale_line_id.order_id
        tier = order.partner_id.commercial_partner_id.customer_tier_id
        payer = order._get_credit_partner() if order else self.env["res.partner"]
        limit, exposure = credit.get(payer.id, (0.0, 0.0))
        available = limit - exposure if limit else 0.0
        rating_points = RATING_STEPS[payer.credit_rating or False] * company.allocation_rating_weight
        credit_points = 0
        if company.allocation_credit_rank == "weight" and limit:
            credit_points = round(company.allocation_credit_weight * max(min(available / limit, 1.0), 0.0))
        tiebreak = 0.0
        if company.allocation_credit_rank == "tiebreak":
            # no limit: nothing measured, after every customer with a limit
            tiebreak = available / limit if limit else -math.inf
        return {
            "blocked": bool(order) and payer in (blocked or ()),
            "tier": tier,
            "tier_points": tier.allocation_weight,
            "rating": payer.credit_rating,
            "rating_points": rating_points,
            "limit": limit,
            "available": available,
            "credit_points": credit_points,
            "tiebreak": tiebreak,
            "score": tier.allocation_weight + rating_points + credit_points,
        }

    def _reduce_reservation(self, quantity):
        """Give back up to ``quantity`` (product unit) of this move's unpicked reservation; return what was freed."""
        self.ensure_one()
        freed = 0.0
        rounding = self.product_id.uom_id.rounding
        for line in self.move_line_ids.filtered(lambda ml: not ml.picked).sorted("id", reverse=True):
            left = quantity - freed
            if fields.Float.compare(left, 0, precision_rounding=rounding) <= 0:
                break
            if fields.Float.compare(line.quantity_product_uom, left, precision_rounding=rounding) <= 0:
                freed += line.quantity_product_uom
                line.unlink()
            else:
                remaining = self.product_id.uom_id._compute_quantity(
                    line.quantity_product_uom - left, line.product_uom_id, rounding_method="HALF-UP"
                )
                line.quantity = remaining
                freed += left
        self._recompute_state()
        return freed
