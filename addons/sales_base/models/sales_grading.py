from collections import Counter

from dateutil.relativedelta import relativedelta

from odoo import _, api, models
from odoo.exceptions import AccessError
from odoo.tools import SQL

GRADES = [("a", "A"), ("b", "B"), ("c", "C")]


class SalesGrading(models.AbstractModel):
    """ABC grading of customers and products from the suite's sales lines of a period, per company.

    One grouped query per company and kind sums each customer's (or product's) value over the period, ranks them
    with a window function and writes every grade at once into the company-dependent columns: no loop per
    customer, whatever the number of lines. A customer or product is A while the share of those ranked above it
    is below the A cut-off, B while below the B cut-off, else C; equal values get the same grade; a value of zero
    or less (credit notes over sales) is C; without sales in the period, the grade is cleared.
    """

    _name = "sales.grading"
    _description = "ABC Grading of Customers and Products"

    # ------------------------------------------------------------
    # ACTIONS
    # ------------------------------------------------------------

    @api.model
    def action_grade_now(self):
        """Grade the customers and products of the selected companies now; tell the user what came out."""
        self._check_grading_rights()
        counts = self._grade(self.env.companies)
        return {
            "type": "ir.actions.client",
            "tag": "display_notification",
            "params": {
                "type": "success",
                "title": _("ABC grading done"),
                "message": _(
                    "Customers: %(customers)s. Products: %(products)s.",
                    customers=self._format_counts(counts["customer"]),
                    products=self._format_counts(counts["product"]),
                ),
                "next": {"type": "ir.actions.client", "tag": "soft_reload"},
            },
        }

    @api.model
    def _cron_grade(self):
        """Scheduled grading of every company."""
        # sudo: the scheduled job grades all companies, whoever runs it; a database has a handful of companies
        self.sudo()._grade(self.env["res.company"].sudo().search([]))  # pylint: disable=no-search-all

    # ------------------------------------------------------------
    # BUSINESS METHODS
    # ------------------------------------------------------------

    @api.model
    def _check_grading_rights(self):
        """Those who may set a customer's tier may grade (the menus offer it to sales managers)."""
        groups = self.env["res.partner"]._get_protected_fields()["customer_tier_id"]
        if not self.env.su and not any(self.env.user.has_group(group) for group in groups):
            raise AccessError(
                _(
                    "You cannot grade customers and products: ask a user of %(groups)s.",
                    # sudo: the names of the groups to ask, for whoever is refused
                    groups=", ".join(self.env.ref(group).sudo().full_name for group in groups),
                )
            )

    @api.model
    def _grade(self, companies):
        """Grade customers and products of each of ``companies``; return {kind: Counter of grades}."""
        self.env.flush_all()
        counts = {"customer": Counter(), "product": Counter()}
        for company in companies:
            for kind, table in (("customer", "res_partner"), ("product", "product_template")):
                self.env.cr.execute(self._write_grades_sql(company, kind, table))
                counts[kind].update(grade for (grade,) in self.env.cr.fetchall() if grade)
        self.env["res.partner"].invalidate_model(["sales_grade", "sales_grade_date"])
        self.env["product.template"].invalidate_model(["sales_grade", "sales_grade_date"])
        self._after_grading(companies)
        return counts

    @api.model
    def _after_grading(self, companies):
        """Hook: what other addons refresh once the grades of ``companies`` are written (e.g. plan lines)."""
        return True

    @api.model
    def _write_grades_sql(self, company, kind, table):
        """SQL: write the grades of ``kind`` of ``company`` into ``table``, and clear those without sales in the
        period; returns one row per customer or product touched, with its new grade (NULL: cleared)."""
        key = str(company.id)
        return SQL(
            """
            WITH graded AS (%(graded)s),
            targets AS (
                SELECT key, grade FROM graded
                 UNION ALL
                SELECT id, NULL FROM %(table)s
                 WHERE sales_grade ? %(key)s AND id NOT IN (SELECT key FROM graded)
            )
            UPDATE %(table)s r
               SET sales_grade = CASE WHEN t.grade IS NULL THEN r.sales_grade - %(key)s
                                 ELSE COALESCE(r.sales_grade, '{}'::jsonb) || jsonb_build_object(%(key)s, t.grade) END,
                   sales_grade_date = CASE WHEN t.grade IS NULL THEN r.sales_grade_date - %(key)s
                                 ELSE COALESCE(r.sales_grade_date, '{}'::jsonb)
                                      || jsonb_build_object(%(key)s, %(today)s::text) END
              FROM targets t
             WHERE r.id = t.key
         RETURNING t.grade
            """,
            graded=self._grades_sql(company, kind),
            table=SQL.identifier(table),
            key=key,
            today=str(company._sales_today()),
        )

    @api.model
    def _grades_sql(self, company, kind):
        """SQL: (key, grade) of the customers (commercial partners) or product templates with sales lines in
        ``company``'s grading period, graded by the cumulative share of their value."""
        a_share = company.sales_grade_a_share / 100
        b_share = company.sales_grade_b_share / 100
        since = company._sales_today() - relativedelta(months=company.sales_grade_months)
        return SQL(
            """
            WITH valued AS (
                SELECT %(key)s AS key, %(value)s AS value
                  FROM sale_order_line l
                  JOIN sale_order o ON o.id = l.order_id
                  JOIN res_partner partner ON partner.id = o.partner_id
                  JOIN product_product p ON p.id = l.product_id
                  JOIN product_template t ON t.id = p.product_tmpl_id
                  JOIN uom_uom line_uom ON line_uom.id = l.product_uom
                  JOIN uom_uom product_uom ON product_uom.id = t.uom_id
                  LEFT JOIN (%(credited)s) credited ON credited.order_line_id = l.id
                 WHERE %(confirmed)s AND o.company_id = %(company)s AND o.date_order >= %(since)s
              GROUP BY 1
            ),
            ranked AS (
                -- above: the running sum up to and with the equal values, less theirs (in one pass each; a
                -- frame excluding the peers would sum again for every row)
                SELECT key, value,
                       SUM(GREATEST(value, 0)) OVER (ORDER BY value DESC)
                           - SUM(GREATEST(value, 0)) OVER (PARTITION BY value) AS above,
                       SUM(GREATEST(value, 0)) OVER () AS total
                  FROM valued
            )
            SELECT key, CASE WHEN value <= 0 THEN 'c'
                             WHEN above < %(a_share)s * total THEN 'a'
                             WHEN above < %(b_share)s * total THEN 'b'
                             ELSE 'c' END AS grade
              FROM ranked
            """,
            key=SQL("partner.commercial_partner_id") if kind == "customer" else SQL("p.product_tmpl_id"),
            value=self._value_sql(self._get_basis(company, kind)),
            credited=self._credited_sql(),
            confirmed=self.env["sale.order.line"]._sales_confirmed_sql(),
            company=company.id,
            since=company._sales_utc_start(since),
            a_share=a_share,
            b_share=b_share,
        )

    @api.model
    def _get_basis(self, company, kind):
        return company.sales_grade_customer_basis if kind == "customer" else company.sales_grade_product_basis

    @api.model
    def _value_sql(self, basis):
        """SQL: the aggregate a customer or product is ranked by, in the company's currency: the revenue (ordered
        less credited), the margin as the sales analysis defines it, or the number of orders."""
        lines = self.env["sale.order.line"]
        if basis == "frequency":
            return SQL("COUNT(DISTINCT o.id)")
        if basis == "margin":
            return SQL("COALESCE(SUM(%s), 0)", lines._sales_company_margin_sql())
        return SQL(
            "COALESCE(SUM(%s), 0)",
            lines._sales_company_amount_sql(SQL("(l.price_subtotal - COALESCE(credited.amount, 0))")),
        )

    @api.model
    def _credited_sql(self):
        """SQL: per sales line, the untaxed amount of its posted credit notes, in the order's currency (Odoo
        credits an order in its own currency)."""
        return SQL(
            """
            SELECT rel.order_line_id, SUM(aml.price_subtotal) AS amount
              FROM sale_order_line_invoice_rel rel
              JOIN account_move_line aml ON aml.id = rel.invoice_line_id
              JOIN account_move m ON m.id = aml.move_id
             WHERE m.move_type = 'out_refund' AND m.state = 'posted'
          GROUP BY rel.order_line_id
            """
        )

    @api.model
    def _format_counts(self, counts):
        if not counts:
            return _("none graded")
        return ", ".join(f"{label} {counts[grade]}" for grade, label in GRADES)
