from collections import defaultdict

from markupsafe import Markup, escape

from odoo import _, fields, models
from odoo.exceptions import UserError
from odoo.tools import float_compare


class StockMove(models.Model):
    _inherit = "stock.move"  # pylint: disable=consider-merging-classes-inherited

    # ------------------------------------------------------------
    # ACTIONS
    # ------------------------------------------------------------

    def _action_done(self, cancel_backorder=False):
        # every validation ends here (button, backorder wizard, immediate transfer, RPC), and RPC cannot call it
        warnings = self._credit_check_delivery()
        moves = super()._action_done(cancel_backorder=cancel_backorder)
        for warning in warnings:
            self._credit_warn_delivery(warning)
        return moves

    # ------------------------------------------------------------
    # CREDIT CHECK
    # ------------------------------------------------------------

    def _credit_check_delivery(self):
        """Refuse the goods that may not ship to customers; return the warnings to post once they have shipped.

        Whatever the company's delivery check, goods of an unconfirmed order never ship, and quantities beyond
        the confirmed ones ship only if they pass the check a confirmation would.
        :return: [{"records", "partner", "reasons"}], one per customer to warn the credit controller about
        """
        # sudo: warehouse users may read neither the customers' credit fields nor the orders' holds and taxes
        shipping = self.sudo()._credit_get_shipping()
        shipping._credit_check_unconfirmed()
        warnings = []
        for (company, partner), moves in shipping.grouped(lambda m: (m.company_id, m._credit_get_customer())).items():
            if not partner:
                continue
            moves = moves.with_company(company)
            result = moves._credit_evaluate_delivery(partner.with_company(company))
            if result["action"] == "refuse":
                raise UserError(moves._credit_refusal_message(partner, result))
            if result["action"] == "warn":
                # the note and the activity are written by the user who validates, not by the superuser
                records = moves.with_env(self.env).picking_id or moves.with_env(self.env).sale_line_id.order_id
                warnings.append({"records": records, "partner": partner, "reasons": result["reasons"]})
        return warnings

    def _credit_get_shipping(self):
        """The moves of these about to ship goods to a customer: picked, with a quantity, to a customer location."""
        return self.filtered(
            lambda m: (
                m.state not in ("done", "cancel")
                and m.picked
                and m.location_dest_id.usage == "customer"
                and float_compare(m._credit_get_shipped_qty(), 0, precision_rounding=m.product_id.uom_id.rounding) > 0
            )
        )

    def _credit_get_shipped_qty(self):
        """The quantity this move ships once done, in the product's unit (its unpicked lines do not ship)."""
        self.ensure_one()
        return sum(self.move_line_ids.filtered("picked").mapped("quantity_product_uom"))

    def _credit_get_order(self):
        self.ensure_one()
        return self.sale_line_id.order_id or self.picking_id.sale_id

    def _credit_get_customer(self):
        """The commercial partner whose credit the goods of this move weigh on: the one the order invoices."""
        self.ensure_one()
        order = self._credit_get_order()
        if order:
            return order._get_credit_partner()
        return (self.picking_id.partner_id or self.partner_id).commercial_partner_id

    def _credit_check_unconfirmed(self):
        """Goods of an order that is not confirmed (a quotation, held or cancelled) never ship."""
        for move in self:
            order = move._credit_get_order()
            if order and order.state != "sale":
                raise UserError(
                    _(
                        "%(picking)s cannot be validated: it ships %(product)s of %(order)s, which is not a "
                        "confirmed order (%(state)s). Goods ship only once their order is confirmed; remove the "
                        "line from the transfer or have the order confirmed.",
                        picking=move.picking_id.name or move.reference,
                        product=move.product_id.display_name,
                        order=order.name,
                        state=dict(order._fields["state"]._description_selection(self.env))[order.state],
                    )
                )

    def _credit_evaluate_delivery(self, partner):
        """The decision on shipping these moves, all of one customer and one company: pass, warn or refuse.

        The company's delivery check covers the confirmed quantities; what ships beyond them is checked as a
        confirmation would be, under the customer's policy, whatever the delivery check.
        """
        company = self.env.company
        setting = company.credit_delivery_check
        extra = self._credit_get_extra_amount()
        policy = partner._get_credit_policy()
        currency = company.currency_id
        has_extra = currency.compare_amounts(extra, 0) > 0
        # what a credit manager released ships without a new look at the limit and the overdue thresholds
        checked = setting != "off" and any(not move._credit_is_released() for move in self)
        reasons, refuse, warn = [], False, False
        if partner.credit_hold and (setting != "off" or has_extra):
            refuse = True
            reasons.append(
                self.env["sales.credit.hold"]._render_reason_item("manual_hold", {"reason": partner.credit_hold_reason})
            )
        if policy == "none" or not (checked or has_extra):
            return {"action": "refuse" if refuse else "pass", "reasons": reasons}
        if has_extra:
            partner._credit_lock()
        figures = partner._get_credit_figures()[partner.id]
        exposure, limit = figures["exposure"] + extra, partner.credit_limit
        if limit and currency.compare_amounts(exposure, limit) > 0:
            refuse = refuse or (checked and setting == "block") or (has_extra and policy == "block")
            warn = True
            reasons.append(self._credit_limit_reason(exposure, limit, extra))
        breaches = company._get_overdue_breaches(figures)
        if breaches:
            # past the thresholds a confirmation holds the order, whatever the policy
            refuse = refuse or (checked and setting == "block") or has_extra
            warn = True
            reasons += self._credit_overdue_reasons(figures, breaches)
        return {"action": "refuse" if refuse else "warn" if warn else "pass", "reasons": reasons}

    def _credit_limit_reason(self, exposure, limit, extra):
        currency = self.env.company.currency_id
        money = self.env["sales.formatter"]._money
        values = {
            "exposure": money(exposure, currency),
            "limit": money(limit, currency),
            "excess": money(exposure - limit, currency),
            "extra": money(extra, currency),
        }
        if currency.is_zero(extra):
            return _("Its exposure of %(exposure)s is above its credit limit of %(limit)s by %(excess)s.", **values)
        return _(
            "Its exposure of %(exposure)s, with the %(extra)s shipped beyond the confirmed quantities, is above its "
            "credit limit of %(limit)s by %(excess)s.",
            **values,
        )

    def _credit_overdue_reasons(self, figures, breaches):
        company = self.env.company
        Hold = self.env["sales.credit.hold"]
        reasons = []
        if "amount" in breaches:
            params = {"overdue": figures["overdue_amount"], "threshold": company.credit_overdue_amount_limit}
            reasons.append(Hold._render_reason_item("overdue_amount", params))
        if "days" in breaches:
            params = {"days": figures["overdue_days"], "threshold": company.credit_overdue_days_limit}
            reasons.append(Hold._render_reason_item("overdue_days", params))
        return reasons

    def _credit_is_released(self):
        """A credit manager released this move's order at its current total (as the confirmation check reads it)."""
        self.ensure_one()
        order = self._credit_get_order()
        return any(hold._covers(order) for hold in order.credit_hold_ids)

    def _credit_get_extra_amount(self):
        """What these moves ship beyond the confirmed quantities of their orders, taxes included, in company
        currency: a line's delivered quantity beyond the ordered one, and products the order does not have."""
        company = self.env.company
        today = fields.Date.context_today(self)
        shipped = defaultdict(float)
        amount = 0.0
        for move in self:
            line, order, product = move.sale_line_id, move._credit_get_order(), move.product_id
            qty = move._credit_get_shipped_qty()
            if line and line.product_id == product:
                shipped[line] += product.uom_id._compute_quantity(qty, line.product_uom)
            elif not line and order:
                # Odoo adds these to the order, at the price of a line of the same product if it has one
                same = order.order_line.filtered(lambda sol, product=product: sol.product_id == product)[:1]
                if same:
                    value = self._credit_line_value(same, product.uom_id._compute_quantity(qty, same.product_uom))
                    amount += order.currency_id._convert(value, company.currency_id, company, today)
                else:
                    amount += move._credit_list_value(order, qty)
        for line, qty in shipped.items():
            # what the line still had to deliver is confirmed; the rest is extra
            extra = qty - max(line.product_uom_qty - line.qty_delivered, 0.0)
            if float_compare(extra, 0, precision_rounding=line.product_uom.rounding) > 0:
                value = self._credit_line_value(line, extra)
                amount += line.currency_id._convert(value, company.currency_id, company, today)
        return amount

    def _credit_line_value(self, line, qty):
        """``qty`` (in the line's unit) at the line's price, discount and taxes, in the order's currency."""
        taxes = line.tax_id.compute_all(
            line.price_unit * (1 - (line.discount or 0.0) / 100.0),
            line.currency_id,
            qty,
            product=line.product_id,
            partner=line.order_id.partner_shipping_id,
        )
        return taxes["total_included"]

    def _credit_list_value(self, order, qty):
        """``qty`` (in the product's unit) of this move's product at its sales price with the taxes the order
        would apply, in company currency."""
        self.ensure_one()
        company = self.env.company
        taxes = order.fiscal_position_id.map_tax(self.product_id.taxes_id._filter_taxes_by_company(company))
        product = self.product_id
        return taxes.compute_all(
            product.lst_price, company.currency_id, qty, product=product, partner=order.partner_shipping_id
        )["total_included"]

    # ------------------------------------------------------------
    # MESSAGES
    # ------------------------------------------------------------

    def _credit_refusal_message(self, partner, result):
        return _(
            "%(pickings)s cannot be validated for %(partner)s: %(reasons)s Ask a credit manager to lift the hold or "
            "raise the limit, or ship only the quantities the order confirmed.",
            pickings=", ".join(self.picking_id.mapped("name") or dict.fromkeys(self.mapped("reference"))),
            partner=partner.display_name,
            reasons=" ".join(result["reasons"]),
        )

    def _credit_warn_delivery(self, warning):
        """Warned: the goods shipped; the reasons go to the transfers' chatter and the credit controller."""
        records = warning["records"]
        body = Markup("<p><b>%s</b></p><ul>%s</ul>") % (
            _("Credit warning: delivered to %(partner)s over its credit.", partner=warning["partner"].display_name),
            Markup("").join(Markup("<li>%s</li>") % escape(reason) for reason in warning["reasons"]),
        )
        manager = records.company_id[:1]._get_credit_manager()
        for record in records:
            record.message_post(body=body, subtype_xmlid="mail.mt_note")
            record.activity_schedule(
                "mail.mail_activity_data_warning",
                summary=_("Credit warning on %(document)s", document=record.display_name),
                note=body,
                user_id=manager.id,
            )
