import base64
import io
from datetime import timedelta

import xlsxwriter
from dateutil.relativedelta import relativedelta

from odoo import _, api, fields, models
from odoo.exceptions import UserError

from ..wizards.sales_trend_report import DIMENSIONS

# the measures of the export, in column order
COLUMNS = [
    ("order_count", "Orders", "count_distinct"),
    ("qty_ordered", "Quantity", "sum"),
    ("amount_ordered", "Ordered", "sum"),
    ("amount_delivered", "Delivered", "sum"),
    ("amount_invoiced", "Invoiced", "sum"),
    ("amount_to_invoice", "To Invoice", "sum"),
    ("margin", "Margin", "sum"),
]
XLSX_MIMETYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
# finished exports are deleted after this many days (their file stays in the inbox message of a queued one)
EXPORT_KEEP_DAYS = 30


class SalesAnalysisExport(models.Model):
    """The sales analysis of a period as an Excel workbook: a summary by one dimension with totals and a chart,
    optionally every order line on a second sheet. An export is a record of its requester, kept so that a large
    one, built by a background job, survives until the job ends; finished ones go after EXPORT_KEEP_DAYS days."""

    _name = "sales.analysis.export"
    _description = "Excel Export of the Sales Analysis"
    _inherit = ["sales.background.mixin"]
    _order = "id desc"
    _check_company_auto = True

    company_id = fields.Many2one("res.company", required=True, default=lambda self: self.env.company, readonly=True)
    date_from = fields.Date(required=True, default=lambda self: self.env.company._sales_today().replace(month=1, day=1))
    date_to = fields.Date(required=True, default=lambda self: self.env.company._sales_today())
    dimension = fields.Selection(DIMENSIONS, string="Group By", required=True, default="categ_id")
    compare = fields.Boolean(string="Compare with Last Year", default=True)
    include_lines = fields.Boolean(string="Add Every Order Line")
    file = fields.Binary(readonly=True)
    filename = fields.Char(readonly=True)

    def _compute_display_name(self):
        for export in self:
            export.display_name = _("Sales Analysis %(start)s - %(end)s", start=export.date_from, end=export.date_to)

    @api.autovacuum
    def _gc_finished_exports(self):
        """Delete the exports finished (or failed) more than EXPORT_KEEP_DAYS days ago; queued ones stay."""
        exports = self.search(
            [
                ("job_state", "!=", "queued"),
                ("write_date", "<", fields.Datetime.now() - timedelta(days=EXPORT_KEEP_DAYS)),
            ],
            limit=models.GC_UNLINK_LIMIT,
        )
        exports.unlink()

    def action_export(self):
        """Download the workbook; with more order lines than the background threshold, it comes to the inbox."""
        self.ensure_one()
        if self.date_from > self.date_to:
            raise UserError(_("The period must end after it starts."))
        domain = self._domain(self.date_from, self.date_to)
        lines = self.env["sales.analysis"].search_count(domain) if self.include_lines else 0
        if self._run_or_queue("_export", size=lines, unit=_("order lines")) is False:
            return self._queued_notification({"type": "ir.actions.act_window_close"})
        return self._get_download_action()

    def action_download(self):
        self.ensure_one()
        if not self.file:
            raise UserError(_("%(export)s has no workbook yet.", export=self.display_name))
        return self._get_download_action()

    def _get_download_action(self):
        return {
            "type": "ir.actions.act_url",
            # the type given: Odoo would guess it from the first kilobyte, which no zip reader can open
            "url": f"/web/content/?model={self._name}&id={self.id}&field=file&filename_field=filename&download=true"
            f"&mimetype={XLSX_MIMETYPE}",
            "target": "self",
        }

    def _export(self):
        self.write({"file": base64.b64encode(self._build_workbook()), "filename": self._get_filename()})
        return True

    def _notify_job_done(self, result, seconds):
        self._notify_job(
            _("Your Excel export is ready (%(seconds)s s).", seconds=round(seconds, 1)),
            attachments=[(self.filename, base64.b64decode(self.file))],
        )

    def _get_filename(self):
        return f"sales_analysis_{self.date_from}_{self.date_to}.xlsx"

    def _domain(self, date_from, date_to):
        """The order lines of the local days from ``date_from`` to ``date_to``."""
        return self.env.company._sales_period_domain("date", date_from, date_to)

    def _summary(self, date_from, date_to):
        groups = self.env["sales.analysis"]._read_group(
            self._domain(date_from, date_to), [self.dimension], [f"{f}:{agg}" for f, _label, agg in COLUMNS]
        )
        return {group[0]: group[1:] for group in groups}

    def _totals(self, date_from, date_to):
        """The measures over the whole period, each aggregated as in the rows: the orders are counted once, not
        once per row they have lines in."""
        [totals] = self.env["sales.analysis"]._read_group(
            self._domain(date_from, date_to), [], [f"{f}:{agg}" for f, _label, agg in COLUMNS]
        )
        return [value or 0.0 for value in totals]

    def _build_workbook(self):
        """The workbook's bytes; rows are streamed to a temporary file as they are written (constant memory: not
        in_memory, which would keep every cell), so large exports stay small in memory."""
        output = io.BytesIO()
        book = xlsxwriter.Workbook(output, {"constant_memory": True})
        styles = {
            "title": book.add_format({"bold": True, "font_size": 14}),
            "header": book.add_format(
                {
                    "bold": True,
                    "bg_color": "#714B67",
                    "font_color": "#FFFFFF",
                    "border": 1,
                    "text_wrap": True,
                    "valign": "vcenter",
                }
            ),
            "text": book.add_format({}),
            "int": book.add_format({"num_format": "#,##0"}),
            "money": book.add_format({"num_format": "#,##0.00"}),
            "pct": book.add_format({"num_format": "0.0%"}),
            "total_pct": book.add_format({"bold": True, "top": 2, "num_format": "0.0%"}),
            "total_text": book.add_format({"bold": True, "top": 2}),
            "total_money": book.add_format({"bold": True, "top": 2, "num_format": "#,##0.00"}),
            "total_int": book.add_format({"bold": True, "top": 2, "num_format": "#,##0"}),
            "date": book.add_format({"num_format": "yyyy-mm-dd"}),
        }
        self._write_summary(book, styles)
        if self.include_lines:
            self._write_lines(book, styles)
        book.close()
        return output.getvalue()

    def _write_summary(self, book, styles):
        sheet = book.add_worksheet(_("Summary"))
        dimension_label = dict(self._fields["dimension"]._description_selection(self.env))[self.dimension]
        current = self._summary(self.date_from, self.date_to)
        previous = (
            self._summary(self.date_from - relativedelta(years=1), self.date_to - relativedelta(years=1))
            if self.compare
            else {}
        )
        sheet.write(
            0, 0, _("Sales Analysis %(start)s – %(end)s", start=self.date_from, end=self.date_to), styles["title"]
        )
        sheet.write(1, 0, self.env.company.name)
        headers = [dimension_label] + [label for _f, label, _a in COLUMNS]
        if self.compare:
            headers += [_("Ordered Last Year"), _("Growth")]
        header_row = 3
        for col, header in enumerate(headers):
            sheet.write(header_row, col, header, styles["header"])
        sheet.set_column(0, 0, 32)
        sheet.set_column(1, len(headers), 14)
        sheet.freeze_panes(header_row + 1, 1)
        row = header_row
        total_previous = 0.0
        ordered = sorted(current.items(), key=lambda item: -(item[1][2] or 0.0))
        for record, values in ordered:
            row += 1
            sheet.write(row, 0, record.display_name if record else _("Undefined"), styles["text"])
            for col, value in enumerate(values, 1):
                sheet.write_number(row, col, value or 0.0, styles["int" if col == 1 else "money"])
            if self.compare:
                before = (previous.get(record) or [0.0] * len(COLUMNS))[2] or 0.0
                total_previous += before
                sheet.write_number(row, len(COLUMNS) + 1, before, styles["money"])
                if before:
                    sheet.write_number(
                        row, len(COLUMNS) + 2, ((values[2] or 0.0) - before) / abs(before), styles["pct"]
                    )
                else:
                    sheet.write_string(row, len(COLUMNS) + 2, _("new"))
        last_data_row = row
        row += 1
        sheet.write(row, 0, _("Total"), styles["total_text"])
        totals = self._totals(self.date_from, self.date_to)
        for col, value in enumerate(totals, 1):
            sheet.write_number(row, col, value, styles["total_int" if col == 1 else "total_money"])
        if self.compare:
            sheet.write_number(row, len(COLUMNS) + 1, total_previous, styles["total_money"])
            # the growth of the totals, not a sum of the rows' growth rates
            if total_previous:
                sheet.write_number(
                    row, len(COLUMNS) + 2, (totals[2] - total_previous) / abs(total_previous), styles["total_pct"]
                )
        if ordered:
            chart = book.add_chart({"type": "column"})
            chart.add_series(
                {
                    "name": [sheet.name, header_row, 3],
                    "categories": [sheet.name, header_row + 1, 0, last_data_row, 0],
                    "values": [sheet.name, header_row + 1, 3, last_data_row, 3],
                }
            )
            chart.set_title({"name": _("Ordered by %(dimension)s", dimension=dimension_label)})
            chart.set_legend({"none": True})
            sheet.insert_chart(row + 2, 0, chart, {"x_scale": 1.6, "y_scale": 1.3})

    def _write_lines(self, book, styles):
        """Every order line of the period: one query for the lines, one name lookup per linked record (not per
        cell), so 100,000 lines take seconds."""
        sheet = book.add_worksheet(_("Order Lines"))
        Analysis = self.env["sales.analysis"]
        names = [
            "date",
            "order_id",
            "partner_id",
            "product_id",
            "categ_id",
            "user_id",
            "team_id",
            "qty_ordered",
            "amount_ordered",
            "amount_delivered",
            "amount_invoiced",
        ]
        for col, name in enumerate(names):
            sheet.write(0, col, Analysis._fields[name].get_description(self.env)["string"], styles["header"])
        sheet.freeze_panes(1, 0)
        sheet.set_column(0, len(names), 16)
        # the user's record rules apply through _search
        query = Analysis._search(self._domain(self.date_from, self.date_to), order="id")
        # the day of the order where the reader is, as the summary counts it: converted by the database, once
        columns = [Analysis._field_to_sql(Analysis._table, name, query) for name in names]
        columns[0] = self.env.company._sales_local_date_sql(columns[0])
        rows = self.env.execute_query(query.select(*columns))
        labels = {}
        for col, name in enumerate(names[1:7], 1):
            # only the fields of the name: prefetching whole orders would hold 100,000 of them in the cache
            records = (
                self.env[Analysis._fields[name].comodel_name]
                .with_context(prefetch_fields=False)
                .browse({row[col] for row in rows if row[col]})
            )
            labels[col] = {record.id: record.display_name for record in records}
        for index, row in enumerate(rows, 1):
            sheet.write_datetime(index, 0, row[0], styles["date"])
            for col in range(1, 7):
                sheet.write_string(index, col, labels[col].get(row[col], ""))
            for col in range(7, len(names)):
                sheet.write_number(index, col, row[col] or 0.0, styles["money"])
