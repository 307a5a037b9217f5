from odoo import fields, models


class SalesAllocationLine(models.Model):
    _name = "sales.allocation.line"
    _description = "Stock Allocation Log Line"
    _order = "run_id desc, product_id, quantity desc, id"

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
