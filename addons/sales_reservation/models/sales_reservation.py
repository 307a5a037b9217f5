from dateutil.relativedelta import relativedelta

from odoo import _, api, fields, models
from odoo.exceptions import UserError, ValidationError
from odoo.tools import SQL, float_compare, format_date


class SalesReservation(models.Model):
    """Stock set aside on purpose for a customer or an order, held in Odoo's own reservation until it expires."""

    _name = "sales.reservation"
    _description = "Designated Stock Reservation"
    _inherit = ["mail.thread"]
    _order = "date_expiry, id"
    _check_company_auto = True

    name = fields.Char(default=lambda self: _("New"), readonly=True, copy=False)
    company_id = fields.Many2one("res.company", default=lambda self: self.env.company, required=True)
    user_id = fields.Many2one(
        "res.users", string="Salesperson", default=lambda self: self.env.user, required=True, tracking=True
    )
    partner_id = fields.Many2one(
        "res.partner",
        string="Customer",
        required=True,
        tracking=True,
        domain=[("is_company", "=", True)],
        check_company=True,
    )
    order_id = fields.Many2one(
        "sale.order",
        tracking=True,
        check_company=True,
        domain="[('partner_id.commercial_partner_id', '=', partner_id), ('state', 'in', ('draft', 'sent', 'sale'))]",
        help="The quotation or order whose delivery takes this stock when the order is confirmed. Without "
        "one, the first order of the customer for this product confirmed from the warehouse takes it.",
    )
    product_id = fields.Many2one(
        "product.product", required=True, domain=[("is_storable", "=", True)], check_company=True, tracking=True
    )
    product_uom_id = fields.Many2one(related="product_id.uom_id")
    quantity = fields.Float(digits="Product Unit of Measure", required=True, tracking=True)
    warehouse_id = fields.Many2one(
        "stock.warehouse",
        required=True,
        check_company=True,
        default=lambda self: self.env["stock.warehouse"].search([("company_id", "=", self.env.company.id)], limit=1),
    )
    location_id = fields.Many2one(
        "stock.location",
        compute="_compute_location_id",
        store=True,
        readonly=False,
        required=True,
        precompute=True,
        check_company=True,
        domain="[('usage', '=', 'internal'), ('warehouse_id', '=', warehouse_id)]",
        help="Where the stock is held: the warehouse's stock, or one of its locations.",
    )
    lot_id = fields.Many2one(
        "stock.lot", string="Lot/Serial", check_company=True, domain="[('product_id', '=', product_id)]"
    )
    date_expiry = fields.Date(
        string="Expires On",
        required=True,
        tracking=True,
        default=lambda self: (
            fields.Date.context_today(self) + relativedelta(days=self.env.company.reservation_default_days)
        ),
    )
    state = fields.Selection(
        [
            ("draft", "Draft"),
            ("reserved", "Reserved"),
            ("consumed", "Delivered to Order"),
            ("expired", "Expired"),
            # "cancel" is the stored value since the first version: a reservation given back early, by hand
            ("cancel", "Released"),
        ],
        default="draft",
        required=True,
        readonly=True,
        tracking=True,
        copy=False,
    )
    move_id = fields.Many2one(
        "stock.move",
        string="Holding Move",
        readonly=True,
        copy=False,
        help="The stock move whose reservation holds the stock.",
    )
    reserved_qty = fields.Float(related="move_id.quantity", string="Held")
    hold_warning = fields.Char(
        compute="_compute_hold_warning", help="The reservation holds less than its quantity: why, and what to do."
    )
    is_uncertain = fields.Boolean(
        compute="_compute_is_uncertain", help="For a quotation or without an order: the pre-booking limits apply."
    )

    @api.depends("warehouse_id")
    def _compute_location_id(self):
        for reservation in self:
            reservation.location_id = reservation.warehouse_id.lot_stock_id

    @api.depends("state", "quantity", "move_id.quantity")
    def _compute_hold_warning(self):
        fmt = self.env["sales.formatter"]
        for reservation in self:
            uom = reservation.product_uom_id
            short = reservation.state == "reserved" and (
                float_compare(reservation.reserved_qty, reservation.quantity, precision_rounding=uom.rounding) < 0
            )
            reservation.hold_warning = short and _(
                "Only %(held)s of the %(qty)s of this reservation are still held: the stock was moved or counted "
                "short since it was reserved. Release it and reserve again what is free.",
                held=fmt._quantity(reservation.reserved_qty, uom),
                qty=fmt._quantity(reservation.quantity, uom),
            )

    @api.depends("order_id.state")
    def _compute_is_uncertain(self):
        for reservation in self:
            reservation.is_uncertain = reservation.order_id.state != "sale"

    @api.constrains("quantity", "date_expiry")
    def _check_quantity(self):
        for reservation in self:
            if float_compare(reservation.quantity, 0, precision_rounding=reservation.product_uom_id.rounding) <= 0:
                raise ValidationError(
                    _(
                        "Reserve a positive quantity, not %(qty)s.",
                        qty=self.env["sales.formatter"]._quantity(reservation.quantity, reservation.product_uom_id),
                    )
                )

    @api.constrains(
        "partner_id", "order_id", "product_id", "quantity", "warehouse_id", "location_id", "lot_id", "date_expiry"
    )
    def _check_reservable(self):
        """Refused when saved, not only when reserved: the form saves before its Reserve button runs, and a
        refused Reserve would leave a draft (or a changed expiry) that can never hold its stock."""
        for reservation in self.filtered(lambda r: r.state == "draft"):
            reservation._check_prebook_limits()
            reservation._check_free_qty(reservation._get_free_qty())
        for reservation in self.filtered(lambda r: r.state == "reserved"):
            reservation._check_prebook_days()

    @api.model_create_multi
    def create(self, vals_list):
        for vals in vals_list:
            if vals.get("name", _("New")) == _("New"):
                vals["name"] = self.env["ir.sequence"].next_by_code("sales.reservation") or _("New")
        return super().create(vals_list)

    @api.ondelete(at_uninstall=False)
    def _unlink_except_reserved(self):
        if any(reservation.state == "reserved" for reservation in self):
            raise UserError(_("Cancel a reservation before deleting it: it still holds stock."))

    # ------------------------------------------------------------
    # ACTIONS
    # ------------------------------------------------------------

    def action_reserve(self):
        """Hold the stock: a move of the warehouse's stock, reserved by Odoo like any delivery."""
        for reservation in self:
            if reservation.state != "draft":
                raise UserError(_("Reservation %(name)s is not a draft.", name=reservation.name))
            if reservation.date_expiry < fields.Date.context_today(self):
                raise UserError(
                    _(
                        "Reservation %(name)s expired on %(date)s: choose a later expiry date.",
                        name=reservation.name,
                        date=format_date(self.env, reservation.date_expiry),
                    )
                )
            reservation._check_prebook_limits()
            # one reservation per product at a time, like the allocation runs
            self.env.cr.execute(
                SQL("SELECT id FROM product_product WHERE id = %s FOR UPDATE", reservation.product_id.id),
                log_exceptions=False,
            )
            # sudo: salespeople pre-book without stock rights; the move only reserves, it never ships
            move = self.env["stock.move"].sudo().create(reservation._prepare_move_vals())
            move._action_confirm()
            # from the chosen location and its sublocations; a chosen lot only from that very location
            move._update_reserved_quantity(
                move.product_qty, reservation.location_id, lot_id=reservation.lot_id, strict=bool(reservation.lot_id)
            )
            move._recompute_state()
            reservation._check_free_qty(move.quantity)
            reservation.write({"move_id": move.id, "state": "reserved"})
        return True

    def action_cancel(self):
        """Release: give the held stock back before the expiry date."""
        if any(reservation.state != "reserved" for reservation in self):
            raise UserError(_("Only a reservation holding stock can be released; delete a draft instead."))
        self._release("cancel")
        return True

    def action_draft(self):
        self.filtered(lambda r: r.state in ("cancel", "expired")).state = "draft"
        return True

    # ------------------------------------------------------------
    # BUSINESS METHODS
    # ------------------------------------------------------------

    def _prepare_move_vals(self):
        self.ensure_one()
        return {
            "name": _("Reservation %(name)s for %(customer)s", name=self.name, customer=self.partner_id.name),
            "product_id": self.product_id.id,
            "product_uom": self.product_id.uom_id.id,
            "product_uom_qty": self.quantity,
            "location_id": self.location_id.id,
            "location_dest_id": self.partner_id.property_stock_customer.id,
            "partner_id": self.partner_id.id,
            "company_id": self.company_id.id,
            "sales_reservation_id": self.id,
            "origin": self.order_id.name or self.name,
        }

    def _check_prebook_limits(self):
        """Quotations and reservations without an order are uncertain demand: the company's limits apply."""
        self.ensure_one()
        if not self.is_uncertain or self.env.user.has_group("sales_reservation.group_reservation_manager"):
            return
        self._check_prebook_tier()
        self._check_prebook_days()
        self._check_prebook_share()

    def _check_prebook_tier(self):
        company = self.company_id
        tier = self.partner_id.commercial_partner_id.customer_tier_id
        if company.prebook_tier_ids and tier not in company.prebook_tier_ids:
            raise UserError(
                _(
                    "Customers of tier %(tier)s may not pre-book stock for a quotation; allowed tiers: %(tiers)s.",
                    tier=tier.name or _("none"),
                    tiers=", ".join(company.prebook_tier_ids.mapped("name")),
                )
            )

    def _check_prebook_days(self):
        """Uncertain demand holds stock for a few days only; managers decide beyond."""
        if not self.is_uncertain or self.env.user.has_group("sales_reservation.group_reservation_manager"):
            return
        company = self.company_id
        latest = fields.Date.context_today(self) + relativedelta(days=company.prebook_max_days)
        if self.date_expiry > latest:
            raise UserError(
                _(
                    "A reservation for a quotation may last until %(latest)s at most (%(days)s days), not %(date)s.",
                    latest=format_date(self.env, latest),
                    days=company.prebook_max_days,
                    date=format_date(self.env, self.date_expiry),
                )
            )

    def _check_prebook_share(self):
        company = self.company_id
        on_hand = self.product_id.with_context(warehouse_id=self.warehouse_id.id).qty_available
        # sudo: the share counts every salesperson's pre-bookings, not only those the reader sees
        held = sum(
            self.sudo()
            .search(
                [
                    ("product_id", "=", self.product_id.id),
                    ("warehouse_id", "=", self.warehouse_id.id),
                    ("state", "=", "reserved"),
                    ("id", "!=", self.id),
                ]
            )
            .filtered("is_uncertain")
            .mapped("quantity")
        )
        allowed = on_hand * company.prebook_max_share / 100
        if float_compare(held + self.quantity, allowed, precision_rounding=self.product_uom_id.rounding) > 0:
            fmt, uom = self.env["sales.formatter"], self.product_uom_id
            raise UserError(
                _(
                    "Quotations may hold at most %(share)s of the %(on_hand)s on hand of %(product)s, i.e. "
                    "%(allowed)s; %(held)s are already held, so %(qty)s more cannot be.",
                    share=fmt._percent(company.prebook_max_share),
                    on_hand=fmt._quantity(on_hand, uom),
                    product=self.product_id.display_name,
                    allowed=fmt._quantity(allowed, uom),
                    held=fmt._quantity(held, uom),
                    qty=fmt._quantity(self.quantity, uom),
                )
            )

    def _get_free_qty(self):
        """What Reserve could hold now: free in the location and its sublocations, or of the lot in the location."""
        self.ensure_one()
        # sudo: salespeople pre-book without stock rights; only the free quantity is read
        return (
            self.env["stock.quant"]
            .sudo()
            ._get_available_quantity(
                self.product_id, self.location_id, lot_id=self.lot_id or None, strict=bool(self.lot_id)
            )
        )

    def _check_free_qty(self, free):
        self.ensure_one()
        if float_compare(free, self.quantity, precision_rounding=self.product_uom_id.rounding) < 0:
            fmt, uom = self.env["sales.formatter"], self.product_uom_id
            raise UserError(
                _(
                    "Only %(free)s of %(product)s are free in %(location)s; %(qty)s cannot be reserved.",
                    free=fmt._quantity(max(free, 0.0), uom),
                    product=self.product_id.display_name,
                    location=self.location_id.display_name,
                    qty=fmt._quantity(self.quantity, uom),
                )
            )

    def _release(self, state):
        """Give the held stock back and close the reservation."""
        for reservation in self.filtered(lambda r: r.state == "reserved"):
            # sudo: the holding move is internal to the reservation
            reservation.move_id.sudo()._action_cancel()
        self.write({"state": state})

    def _consume(self, moves):
        """Hand the held stock to the order's delivery moves: the reserved lines move over, never freed."""
        for reservation in self.filtered(lambda r: r.state == "reserved"):
            # sudo: the confirming salesperson has no stock rights; only this order's moves are touched
            hold = reservation.move_id.sudo()
            for move in moves.filtered(lambda m: m.product_id == reservation.product_id).sudo():
                need = move.product_qty - move.quantity
                for line in hold.move_line_ids:
                    if fields.Float.compare(need, 0, precision_rounding=move.product_id.uom_id.rounding) <= 0:
                        break
                    if (
                        fields.Float.compare(
                            line.quantity_product_uom, need, precision_rounding=move.product_id.uom_id.rounding
                        )
                        > 0
                    ):
                        line.quantity = line.product_id.uom_id._compute_quantity(
                            line.quantity_product_uom - need, line.product_uom_id
                        )
                        line.copy(
                            {
                                "move_id": move.id,
                                "picking_id": move.picking_id.id,
                                "location_dest_id": move.location_dest_id.id,
                                "quantity": need,
                            }
                        )
                        need = 0
                    else:
                        need -= line.quantity_product_uom
                        line.write(
                            {
                                "move_id": move.id,
                                "picking_id": move.picking_id.id,
                                "location_dest_id": move.location_dest_id.id,
                            }
                        )
                move._recompute_state()
            hold._action_cancel()
            reservation.state = "consumed"

    @api.model
    def _cron_expire(self):
        """Release the reservations past their date and tell their salespeople."""
        expired = self.search([("state", "=", "reserved"), ("date_expiry", "<", fields.Date.context_today(self))])
        expired._release("expired")
        runs = expired._allocate_freed_stock()
        for reservation in expired:
            run = runs.filtered(lambda r: r.company_id == reservation.company_id)
            reservation.message_post(
                body=_(
                    "The reservation of %(qty)s of %(product)s for %(customer)s expired; the stock is free again. "
                    "%(allocation)s",
                    qty=self.env["sales.formatter"]._quantity(reservation.quantity, reservation.product_uom_id),
                    product=reservation.product_id.display_name,
                    customer=reservation.partner_id.name,
                    allocation=run.summary if run else "",
                ).strip(),
                partner_ids=reservation.user_id.partner_id.ids,
            )

    def _allocate_freed_stock(self):
        """Serve the deliveries waiting for the products these released reservations held, in the companies that
        allocate by priority, without waiting for the next scheduled run; return the runs."""
        runs = self.env["sales.allocation.run"]
        for company in self.company_id.filtered("allocation_by_priority"):
            products = self.filtered(lambda r: r.company_id == company).product_id
            runs |= runs.with_company(company)._run(products, "expiry")
        return runs
