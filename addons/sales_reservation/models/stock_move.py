from datetime import datetime

from odoo import _, api, fields, models
from odoo.tools import SQL, format_date

# Odoo's states of a move that waits for stock or holds some, and of one that still waits
OPEN_STATES = ("waiting", "confirmed", "partially_available", "assigned")
WAITING_STATES = ("confirmed", "partially_available")


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
        blocked = self.sale_line_id.order_id.partner_invoice_id._get_credit_blocked()
        for move in self:
            order = move.sale_line_id.order_id
            partner = order.partner_id.commercial_partner_id
            tier = partner.customer_tier_id
            move.allocation_weight = tier.allocation_weight
            # the customer ranks by its tier; its credit is the payer's, as in the credit check
            move.allocation_blocked = bool(order) and order._get_credit_partner() in blocked
            parts = [
                _("%(tier)s (weight %(weight)s)", tier=tier.name, weight=tier.allocation_weight)
                if tier
                else _("No tier (weight 0)")
            ]
            if move.allocation_blocked:
                parts.insert(0, _("Customer blocked: served last"))
            if move.priority == "1":
                parts.append(_("urgent"))
            if move.date_deadline:
                parts.append(move._get_allocation_deadline_text(order))
            if order:
                parts.append(_("ordered %(date)s", date=format_date(self.env, order.date_order)))
            move.allocation_priority = ", ".join(parts)

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

    def _sorted_by_allocation_priority(self):
        """These moves in allocation order: blocked customers last, then the key of each move."""
        blocked = self.sale_line_id.order_id.partner_invoice_id._get_credit_blocked()
        return self.sorted(lambda move: move._get_allocation_sort_key(blocked))

    def _get_allocation_sort_key(self, blocked):
        """Allocation order (smallest first): blocked customer, tier weight, urgency, requested date, order date."""
        self.ensure_one()
        order = self.sale_line_id.order_id
        partner = order.partner_id.commercial_partner_id
        return (
            bool(order) and order._get_credit_partner() in blocked,
            -partner.customer_tier_id.allocation_weight,
            -int(self.priority or 0),
            self.date_deadline or datetime.max,
            order.date_order or self.date,
            self.id,
        )

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
