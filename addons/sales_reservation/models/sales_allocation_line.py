from odoo import api, fields, models

from odoo.addons.sales_credit.models.res_partner import CREDIT_GROUPS, CREDIT_RATINGS

CREDIT_FIGURE_GROUPS = f"{CREDIT_GROUPS},sales_reservation.group_reservation_manager"


class SalesAllocationLine(models.Model):
    _name = "sales.allocation.line"
    _description = "Stock Allocation Log Line"
    _order = "run_id desc, product_id, rank, id"

    run_id = fields.Many2one("sales.allocation.run", required=True, ondelete="cascade", index=True)
    company_id = fields.Many2one(related="run_id.company_id", store=True)
    move_id = fields.Many2one("stock.move", string="Delivery Move", required=True, ondelete="cascade", index=True)
    product_id = fields.Many2one(related="move_id.product_id", store=True)
    picking_id = fields.Many2one(related="move_id.picking_id")
    order_id = fields.Many2one(related="move_id.sale_line_id.order_id", string="Order")
    partner_id = fields.Many2one(related="move_id.sale_line_id.order_id.partner_id", string="Customer")
    quantity = fields.Float(
        digits="Product Unit of Measure",
        required=True,
        help="Reserved by this run (positive) or taken back from this delivery (negative).",
    )
    reserved_qty = fields.Float("Reserved After", digits="Product Unit of Measure")
    reason = fields.Char(help="The delivery's allocation priority when the run decided.")
    # the ranking as the run computed it: a record of the decision, never edited
    rank = fields.Integer(
        readonly=True, help="Place of the delivery among those of the product in the run: 1 is served first."
    )
    score = fields.Integer(
        readonly=True, help="Tier weight plus the points of the credit rating and of the available credit."
    )
    customer_tier_id = fields.Many2one("sales.customer.tier", string="Tier", readonly=True)
    tier_points = fields.Integer("Tier Weight", readonly=True)
    credit_rating = fields.Selection(CREDIT_RATINGS, help="The rating of the customer who pays, when the run ranked.")
    rating_points = fields.Integer(readonly=True)
    currency_id = fields.Many2one(related="company_id.currency_id")
    # amounts of credit control: for those who read it there, and the managers whose runs count it
    credit_limit = fields.Monetary(
        currency_field="currency_id",
        groups=CREDIT_FIGURE_GROUPS,
        help="Credit limit of the customer who pays, when the company counts the available credit; 0: no limit.",
    )
    credit_available = fields.Monetary(
        "Available Credit",
        currency_field="currency_id",
        groups=CREDIT_FIGURE_GROUPS,
        help="Credit limit minus exposure of the customer who pays.",
    )
    credit_points = fields.Integer(readonly=True)
    customer_blocked = fields.Boolean(help="On credit hold or past the overdue thresholds: served last.")
    priority = fields.Selection([("0", "Normal"), ("1", "Urgent")], string="Urgency")
    date_deadline = fields.Datetime("Delivery Date")
    date_order = fields.Datetime(related="move_id.sale_line_id.order_id.date_order", string="Order Date")

    @api.model
    def _prepare_standing_vals(self, move, standing):
        """The parts of a delivery's rank, as the log keeps them."""
        return {
            "score": standing["score"],
            "customer_tier_id": standing["tier"].id,
            "tier_points": standing["tier_points"],
            "credit_rating": standing["rating"],
            "rating_points": standing["rating_points"],
            "credit_limit": standing["limit"],
            "credit_available": standing["available"],
            "credit_points": standing["credit_points"],
            "customer_blocked": standing["blocked"],
            "priority": move.priority or "0",
            "date_deadline": move.date_deadline,
        }
