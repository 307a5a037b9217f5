import base64
from collections import defaultdict
from datetime import datetime, timedelta

import pytz
from dateutil.relativedelta import relativedelta

from odoo import Command, _, api, models
from odoo.tools import SQL

from .sales_analysis_export import XLSX_MIMETYPE


class SalesDailyReport(models.AbstractModel):
    """The daily sales report: per sales team and salesperson, the day's new orders, deliveries, invoices and
    payments, with month to date beside the same days of last month; mailed every morning."""

    _name = "sales.daily.report"
    _description = "Daily Sales Report"

    MEASURES = ("order_count", "order_amount", "delivered_amount", "invoiced_amount", "payment_amount")

    @api.model
    def _cron_send(self):
        """Hourly: send each company's report once a day, at or after its configured hour; the hour, the day and
        its figures all in the suite's time zone (the company's, for the scheduled job)."""
        for company in self.env["res.company"].search([("daily_report_enabled", "=", True)]):
            tz = company._sales_tz()
            now = datetime.now(pytz.timezone(tz))
            if now.hour >= company.daily_report_hour and company.daily_report_last_date != now.date():
                self.with_company(company).with_context(tz=tz)._send(now.date() - timedelta(days=1))
                company.daily_report_last_date = now.date()

    @api.model
    def _send(self, day):
        company = self.env.company
        recipients = company.daily_report_user_ids.filtered("email")
        if not recipients:
            return self.env["mail.mail"]
        report = self._get_report(day)
        body = self.env["ir.qweb"]._render("sales_analytics.daily_report_email", {"report": report, "company": company})
        # a workbook of the mail only, not an export of someone's to keep
        export = self.env["sales.analysis.export"].new(
            {"date_from": day.replace(day=1), "date_to": day, "dimension": "user_id", "compare": True}
        )
        attachment = self.env["ir.attachment"].create(
            {
                "name": f"sales_{day}.xlsx",
                "datas": base64.b64encode(export._build_workbook()),
                "mimetype": XLSX_MIMETYPE,
            }
        )
        return (
            self.env["mail.mail"]
            .sudo()
            .create(
                {  # sudo: the cron's mail to the configured recipients
                    "subject": _("Daily sales report %(day)s – %(company)s", day=day, company=company.name),
                    "body_html": body,
                    "email_from": company.email_formatted or self.env.user.email_formatted,
                    "recipient_ids": [Command.set(recipients.partner_id.ids)],
                    "attachment_ids": [Command.set(attachment.ids)],
                }
            )
        )

    @api.model
    def _get_report(self, day):
        """{"day", "rows": [{team, user, measures...}], "totals": {period: measures}} for the current company."""
        month_start = day.replace(day=1)
        last_month_day = day - relativedelta(months=1)
        rows = self._figures(day, day)
        return {
            "day": day,
            "rows": [
                dict(values, team=team, user=user)
                for (team, user), values in sorted(
                    rows.items(), key=lambda item: (item[0][0].name or "", item[0][1].name or "")
                )
            ],
            "totals": {
                "day": self._total(rows),
                "month": self._total(self._figures(month_start, day)),
                "last_month": self._total(self._figures(last_month_day.replace(day=1), last_month_day)),
            },
            "currency": self.env.company.currency_id,
        }

    def _total(self, rows):
        return {measure: sum(values[measure] for values in rows.values()) for measure in self.MEASURES}

    @api.model
    def _figures(self, date_from, date_to):
        """{(team, user): {measure: value}} over [date_from, date_to], company currency, one query a measure."""
        company = self.env.company
        teams = company.daily_report_team_ids
        # the local days' bounds, as UTC moments: [start, end)
        start, end = company._sales_utc_start(date_from), company._sales_utc_start(date_to + timedelta(days=1))
        rows = defaultdict(lambda: dict.fromkeys(self.MEASURES, 0.0))

        def keep(team):
            return not teams or team in teams

        for team, user, count, amount in self.env["sales.analysis"]._read_group(
            [("date", ">=", start), ("date", "<", end), ("company_id", "=", company.id)],
            ["team_id", "user_id"],
            ["order_count:count_distinct", "amount_ordered:sum"],
        ):
            if keep(team):
                rows[team, user].update(order_count=count, order_amount=amount or 0.0)
        for team, user, amount in self.env["account.move"]._read_group(
            [
                ("state", "=", "posted"),
                ("move_type", "in", ("out_invoice", "out_refund")),
                ("invoice_date", ">=", date_from),
                ("invoice_date", "<=", date_to),
                ("company_id", "=", company.id),
            ],
            ["team_id", "invoice_user_id"],
            ["amount_untaxed_signed:sum"],
        ):
            if keep(team):
                rows[team, user]["invoiced_amount"] = amount or 0.0
        # payments are credited to the customer's salesperson and team
        for partner, amount in self.env["account.payment"]._read_group(
            [
                ("state", "in", ("paid", "in_process")),
                ("payment_type", "=", "inbound"),
                ("partner_type", "=", "customer"),
                ("date", ">=", date_from),
                ("date", "<=", date_to),
                ("company_id", "=", company.id),
            ],
            ["partner_id"],
            ["amount_company_currency_signed:sum"],
        ):
            customer = partner.commercial_partner_id
            if keep(customer.team_id):
                rows[customer.team_id, customer.user_id]["payment_amount"] += amount or 0.0
        for (team_id, user_id), amount in self._delivered(start, end).items():
            team, user = self.env["crm.team"].browse(team_id), self.env["res.users"].browse(user_id)
            if keep(team):
                rows[team, user]["delivered_amount"] = amount
        return rows

    @api.model
    def _delivered(self, start, end):
        """Value (untaxed, company currency) of the goods that left for customers less those they returned, from
        ``start`` (included) to ``end`` (excluded), per order team and salesperson."""
        self.env["stock.move"].flush_model(["sale_line_id", "state", "date", "quantity", "location_dest_id"])
        self.env.cr.execute(
            SQL(
                """
            SELECT o.team_id, o.user_id,
                   SUM(%(amount)s)
              FROM stock_move m
              JOIN sale_order_line l ON l.id = m.sale_line_id
              JOIN sale_order o ON o.id = l.order_id
              JOIN stock_location dest ON dest.id = m.location_dest_id
              JOIN stock_location src ON src.id = m.location_id
             WHERE m.state = 'done' AND m.date >= %(start)s AND m.date < %(end)s AND o.company_id = %(company)s
               AND (dest.usage = 'customer' OR src.usage = 'customer')
          GROUP BY o.team_id, o.user_id
            """,
                # out to customers less their returns, at the line's unit price
                amount=self.env["sale.order.line"]._sales_company_amount_sql(
                    SQL("(CASE WHEN dest.usage = 'customer' THEN 1 ELSE -1 END) * m.quantity * l.price_reduce_taxexcl")
                ),
                start=start,
                end=end,
                company=self.env.company.id,
            )
        )
        return {(team_id, user_id): amount or 0.0 for team_id, user_id, amount in self.env.cr.fetchall()}
