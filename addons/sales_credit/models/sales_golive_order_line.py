from contextlib import contextmanager

from odoo import Command, _, api, fields, models
from odoo.exceptions import UserError, ValidationError
from odoo.tools import SQL, float_compare, float_is_zero

from .sales_golive_sale_order import GOLIVE

# the order fields every row of one order must give alike
HEADER_FIELDS = ("partner_id", "user_id", "date_order", "commitment_date")
# more lines than any order has; also within the database's integers
MAX_LINE_NO = 99999


class SalesGoliveOrderLine(models.Model):
    _name = "sales.golive.order.line"
    _inherit = ["sales.golive.mixin"]
    _description = "Go-Live Open Order Line"
    _order = "state desc, order_ref, line_no, id"
    _rec_name = "order_ref"

    order_ref = fields.Char(
        string="Order Number", required=True, index=True, help="The order's number in the old system."
    )
    line_no = fields.Integer(
        string="Line",
        required=True,
        help="The line's number in the order, once per order: importing a file twice cannot double the lines.",
    )
    date_order = fields.Date(string="Order Date", required=True)
    commitment_date = fields.Date(string="Delivery Date", help="The date promised to the customer.")
    product_id = fields.Many2one("product.product", required=True, check_company=True, domain=[("sale_ok", "=", True)])
    product_uom_qty = fields.Float(string="Ordered Quantity", digits="Product Unit of Measure", required=True)
    qty_delivered = fields.Float(
        string="Delivered Quantity",
        digits="Product Unit of Measure",
        help="Delivered before go-live and not invoiced yet; the rest waits in a delivery.",
    )
    price_unit = fields.Float(string="Unit Price", digits="Product Price", required=True)
    discount = fields.Float(string="Discount (%)", digits="Discount")
    currency_id = fields.Many2one(related="company_id.currency_id")
    amount = fields.Monetary(
        compute="_compute_amount", store=True, help="Ordered quantity at the unit price, before taxes."
    )
    kind = fields.Selection(
        [("open", "Open"), ("partial", "Partly Delivered"), ("shipped", "Shipped, Not Invoiced")],
        compute="_compute_kind",
        store=True,
        help="Open: nothing delivered yet. Partly delivered: the rest waits in a delivery. Shipped, not invoiced: "
        "everything delivered, the order waits for its invoice.",
    )
    order_id = fields.Many2one("sale.order", string="Sale Order", readonly=True, copy=False, index="btree_not_null")
    sale_line_id = fields.Many2one("sale.order.line", string="Order Line", readonly=True, copy=False)

    @api.depends("product_uom_qty", "price_unit", "discount")
    def _compute_amount(self):
        for row in self:
            row.amount = row.product_uom_qty * row.price_unit * (1 - row.discount / 100)

    @api.depends("product_uom_qty", "qty_delivered", "product_id")
    def _compute_kind(self):
        for row in self:
            rounding = row.product_id.uom_id.rounding or 0.01
            if float_is_zero(row.qty_delivered, precision_rounding=rounding):
                row.kind = "open"
            elif float_compare(row.qty_delivered, row.product_uom_qty, precision_rounding=rounding) >= 0:
                row.kind = "shipped"
            else:
                row.kind = "partial"

    def _init_column(self, column_name):
        if column_name != "line_no":
            return super()._init_column(column_name)
        # rows imported before lines had numbers: numbered in the order they were imported, per order
        self.env.cr.execute(
            SQL(
                """
            UPDATE %(table)s golive
               SET line_no = numbered.line_no
              FROM (SELECT id, ROW_NUMBER() OVER (PARTITION BY company_id, order_ref ORDER BY id) AS line_no
                      FROM %(table)s) numbered
             WHERE numbered.id = golive.id
                """,
                table=SQL.identifier(self._table),
            )
        )
        return None

    # ------------------------------------------------------------
    # CONSTRAINTS
    # ------------------------------------------------------------

    @api.constrains("product_uom_qty", "qty_delivered", "price_unit", "discount")
    def _check_quantities(self):
        for row in self:
            rounding = row.product_id.uom_id.rounding or 0.01
            if float_compare(row.product_uom_qty, 0, precision_rounding=rounding) <= 0:
                raise ValidationError(
                    _("Order %(order)s, %(product)s: the ordered quantity must be above zero.", **row._golive_names())
                )
            if (
                row.qty_delivered < 0
                or float_compare(row.qty_delivered, row.product_uom_qty, precision_rounding=rounding) > 0
            ):
                raise ValidationError(
                    _(
                        "Order %(order)s, %(product)s: the delivered quantity (%(delivered)s) must be between 0 and "
                        "the ordered quantity (%(ordered)s).",
                        **row._golive_names(),
                        delivered=row.qty_delivered,
                        ordered=row.product_uom_qty,
                    )
                )
            if row.price_unit < 0 or not 0 <= row.discount < 100:
                raise ValidationError(
                    _(
                        "Order %(order)s, %(product)s: the unit price cannot be negative and the discount is a "
                        "percentage from 0 to below 100.",
                        **row._golive_names(),
                    )
                )

    @api.constrains("order_ref", *HEADER_FIELDS)
    def _check_order_header(self):
        """Rows of one order agree on its customer, salesperson and dates; the order number is not used yet."""
        refs = set(self.mapped("order_ref"))
        rows = self.search([("order_ref", "in", list(refs)), ("company_id", "in", self.company_id.ids)])
        for (_company, ref), order_rows in rows.grouped(lambda r: (r.company_id, r.order_ref)).items():
            for fname in HEADER_FIELDS:
                if len({row[fname] for row in order_rows}) > 1:
                    raise ValidationError(
                        _(
                            "The rows of order %(order)s give different values for %(field)s: give every row of an "
                            "order the same customer, salesperson, order date and delivery date.",
                            order=ref,
                            field=self._fields[fname]._description_string(self.env),
                        )
                    )
        # sudo: the number may be taken by an order the user does not see
        used = (
            self.env["sale.order"]
            .sudo()
            .search([("name", "in", list(refs)), ("company_id", "in", self.company_id.ids)], limit=1)
        )
        if used:
            raise ValidationError(
                _(
                    "Order number %(order)s is used already by an order in Odoo: it was loaded before, or give the "
                    "order another number.",
                    order=used.name,
                )
            )

    @api.constrains("order_ref", "line_no")
    def _check_unique_line(self):
        """Each line of an order is one row: a file imported twice, or a line given twice, is refused."""
        # checked before the search below writes the rows (a number past the database's integers)
        for row in self.filtered(lambda r: not 0 < r.line_no <= MAX_LINE_NO):
            raise ValidationError(
                _(
                    "Order %(order)s, %(product)s: the line number must be from 1 to %(max)s.",
                    **row._golive_names(),
                    max=MAX_LINE_NO,
                )
            )
        rows = self.search(
            [
                ("order_ref", "in", list(set(self.mapped("order_ref")))),
                ("line_no", "in", list(set(self.mapped("line_no")))),
                ("company_id", "in", self.company_id.ids),
            ]
        )
        for (_company, ref, line_no), same in rows.grouped(lambda r: (r.company_id, r.order_ref, r.line_no)).items():
            if len(same) > 1:
                raise ValidationError(
                    _(
                        "Order %(order)s has line %(line)s twice: give each line of an order once. If the file was "
                        "imported before, its rows are in the list already: correct or delete them there instead of "
                        "importing the file again.",
                        order=ref,
                        line=line_no,
                    )
                )

    @api.constrains("product_id", "qty_delivered")
    def _check_product_delivery(self):
        for row in self.filtered("qty_delivered"):
            if row.product_id.type == "combo":
                raise ValidationError(
                    _("Order %(order)s, %(product)s: load the products of a combo one per row.", **row._golive_names())
                )
            if row.product_id.type == "service" and row.product_id.service_type != "manual":
                raise ValidationError(
                    _(
                        "Order %(order)s, %(product)s: this service counts its delivered quantity itself (timesheets, "
                        "milestones); load it without a delivered quantity.",
                        **row._golive_names(),
                    )
                )

    # ------------------------------------------------------------
    # BUSINESS
    # ------------------------------------------------------------

    def _golive_complete(self):
        # an order loads whole: the other rows of its number come along
        return self | self.search(
            [
                ("order_ref", "in", list(set(self.mapped("order_ref")))),
                ("state", "=", "to_load"),
                ("company_id", "in", self.company_id.ids),
            ]
        )

    def _golive_load(self):
        """Create the orders of these rows, record what was delivered before go-live and confirm them."""
        # the order lines follow the line numbers of the old order
        orders_rows = self.sorted(lambda row: (row.order_ref, row.line_no)).grouped("order_ref")
        orders = self.env["sale.order"].create([rows._prepare_golive_order_vals() for rows in orders_rows.values()])
        other_currency = orders.filtered(lambda o: o.currency_id != o.company_id.currency_id)[:1]
        if other_currency:
            raise UserError(
                _(
                    "Order %(order)s: the pricelist of %(partner)s is in %(currency)s; go-live orders are loaded in "
                    "the company's currency. Give the customer a pricelist in it, then load again; nothing was loaded.",
                    order=other_currency.name,
                    partner=other_currency.partner_id.display_name,
                    currency=other_currency.currency_id.name,
                )
            )
        for order, rows in zip(orders, orders_rows.values(), strict=True):
            for row, line in zip(rows, order.order_line, strict=True):
                row.write({"order_id": order.id, "sale_line_id": line.id})
        with self._golive_context(orders):
            self._golive_record_deliveries()
            orders.action_confirm()
            not_confirmed = orders.filtered(lambda o: o.state != "sale")
            if not_confirmed:
                raise UserError(
                    _("Order %(order)s could not be confirmed; nothing was loaded.", order=not_confirmed[0].name)
                )
        # delivered services are counted by hand in Odoo too
        for row in self.filtered(lambda r: r.qty_delivered and r.sale_line_id.qty_delivered_method == "manual"):
            row.sale_line_id.qty_delivered = row.qty_delivered

    def _prepare_golive_order_vals(self):
        """Values of the order of these rows, all of one order number."""
        first = self[0]
        return {
            "name": first.order_ref,
            "company_id": first.company_id.id,
            "partner_id": first.partner_id.id,
            "user_id": (first.user_id or first.partner_id.user_id).id,
            "date_order": first.date_order,
            "commitment_date": first.commitment_date,
            "order_line": [Command.create(row._prepare_golive_order_line_vals()) for row in self],
        }

    def _prepare_golive_order_line_vals(self):
        self.ensure_one()
        return {
            "sequence": self.line_no,
            "product_id": self.product_id.id,
            "product_uom_qty": self.product_uom_qty,
            "price_unit": self.price_unit,
            "discount": self.discount,
        }

    def _golive_record_deliveries(self):
        """Done moves of the quantities delivered before go-live, from the go-live location: the order's delivery
        then asks only for the rest, and the opening stock, which no longer holds them, is left alone."""
        rows = self.filtered(lambda r: r.qty_delivered and r.sale_line_id.qty_delivered_method == "stock_move")
        if not rows:
            return
        location = self.env.company._get_golive_location()
        # sudo: the sales manager who loads orders records past deliveries without inventory rights
        moves = self.env["stock.move"].sudo().create([row._prepare_golive_move_vals(location) for row in rows])
        moves._action_confirm(merge=False)
        for move, row in zip(moves, rows, strict=True):
            move.quantity = row.qty_delivered
        moves.picked = True
        moves._action_done()

    def _prepare_golive_move_vals(self, location):
        self.ensure_one()
        line = self.sale_line_id
        order = line.order_id
        return {
            "name": _("%(order)s: delivered before go-live", order=order.name),
            "origin": order.name,
            "product_id": self.product_id.id,
            "product_uom": line.product_uom.id,
            "product_uom_qty": self.qty_delivered,
            "location_id": location.id,
            "location_dest_id": order.partner_shipping_id.property_stock_customer.id,
            "partner_id": order.partner_shipping_id.id,
            "sale_line_id": line.id,
            "company_id": order.company_id.id,
            "date": fields.Datetime.to_datetime(self.date_order),
        }

    @contextmanager
    def _golive_context(self, orders):
        marked = self.env.cr.cache.setdefault(GOLIVE, set())
        marked.update(orders.ids)
        try:
            yield
        finally:
            marked.difference_update(orders.ids)

    def _golive_link_fields(self):
        return super()._golive_link_fields() | {"order_id", "sale_line_id"}

    def _golive_summary(self):
        return _(
            "Orders loaded and confirmed: %(orders)s, from %(count)s rows; lines shipped, not invoiced: %(shipped)s.",
            orders=len(self.order_id),
            count=len(self),
            shipped=len(self.filtered(lambda row: row.kind == "shipped")),
        )

    def _golive_names(self):
        self.ensure_one()
        return {"order": self.order_ref, "product": self.product_id.display_name}

    @api.model
    def get_import_templates(self):
        return [
            {
                "label": _("Import Template for Open Orders"),
                "template": "/sales_credit/static/xls/sales_golive_open_orders.csv",
            },
            {
                "label": _("Import Template for Shipped, Not Invoiced"),
                "template": "/sales_credit/static/xls/sales_golive_shipped_not_invoiced.csv",
            },
        ]
