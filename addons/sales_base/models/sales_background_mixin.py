import logging
import time
from datetime import timedelta

from odoo import _, api, fields, models
from odoo.exceptions import UserError
from odoo.service.model import PG_CONCURRENCY_EXCEPTIONS_TO_RETRY

_logger = logging.getLogger(__name__)


class SalesBackgroundMixin(models.AbstractModel):
    """A long action of the suite (allocation, dunning, decomposition, export) that runs in the user's request while
    it is small, and past the company's threshold as a scheduled job, so the browser is not kept waiting. The job
    runs with the requester's rights and company; the requester finds the result, or the error, in the Discuss
    inbox. One job queue for the whole suite: the cron handles every model that inherits this one."""

    _name = "sales.background.mixin"
    _description = "Long Action Run in the Background"

    job_state = fields.Selection(
        [("queued", "Queued"), ("failed", "Failed")],
        string="Background Job",
        readonly=True,
        copy=False,
        index="btree_not_null",
    )
    job_method = fields.Char(readonly=True, copy=False)
    job_user_id = fields.Many2one("res.users", string="Requested By", readonly=True, copy=False)
    job_company_id = fields.Many2one("res.company", readonly=True, copy=False)
    job_error = fields.Text(readonly=True, copy=False)

    def _run_or_queue(self, method, size, **kwargs):
        """Call ``method`` on these records now, or queue it when ``size`` (the rows it will handle) is past the
        company's threshold. ``kwargs`` go to the call made now only (what the caller already read to size the
        work); the queued job calls the method without them.

        :return: the method's result, or False when queued
        """
        if queued := self.filtered(lambda record: record.job_state == "queued"):
            raise UserError(_("%(record)s already waits for its background job.", record=queued[0].display_name))
        threshold = self.env.company.sales_background_threshold
        if not threshold or size <= threshold:
            return getattr(self, method)(**kwargs)
        self.write(
            {
                "job_state": "queued",
                "job_method": method,
                "job_user_id": self.env.uid,
                "job_company_id": self.env.company.id,
                "job_error": False,
            }
        )
        self._get_job_cron()._trigger()
        return False

    def _get_job_cron(self):
        # sudo: a salesperson may not read scheduled actions; triggering only wakes the suite's own job queue
        return self.env.ref("sales_base.ir_cron_sales_background_jobs").sudo()

    def _queued_notification(self, next_action=None):
        """The client action telling the requester where the result of a queued job will come, then
        ``next_action`` (by default, the screen reloads to show the job waiting)."""
        return {
            "type": "ir.actions.client",
            "tag": "display_notification",
            "params": {
                "type": "info",
                "title": _("Running in the background"),
                "message": _("This is a large job: it runs in the background and your inbox tells you when it ends."),
                "next": next_action or {"type": "ir.actions.client", "tag": "soft_reload"},
            },
        }

    @api.model
    def _cron_run_jobs(self):
        """Run the queued jobs of every model of the suite, oldest first, each as its requester."""
        for model in self.env.registry.descendants([self._name], "_inherit") - {self._name}:
            for record in self.env[model].search([("job_state", "=", "queued")], order="id"):
                record._run_job()

    def _run_job(self):
        self.ensure_one()
        job = self.with_user(self.job_user_id).with_company(self.job_company_id)
        start = time.monotonic()
        try:
            # a failed job is undone alone: the others, and its own failure record, are kept
            with self.env.cr.savepoint():
                result = getattr(job, self.job_method)()
        except Exception as error:  # noqa: BLE001 - any failure is the requester's to read, not the cron's to stop
            self.env.invalidate_all()  # the cache may hold what the savepoint undid
            if isinstance(error, PG_CONCURRENCY_EXCEPTIONS_TO_RETRY):
                # a user changed the same rows meanwhile: the job stays queued and runs again on their result
                _logger.info(
                    "Background job %s of %s met a concurrent update: retried in a minute", self.job_method, self
                )
                self._get_job_cron()._trigger(fields.Datetime.now() + timedelta(minutes=1))
                return
            if isinstance(error, UserError):
                message = error.args[0]
            else:
                _logger.exception("Background job %s of %s failed", self.job_method, self)
                message = _("An unexpected error stopped it: %(error)s", error=error)
            self.write({"job_state": "failed", "job_error": message})
            job._notify_job(_("%(record)s could not finish: %(error)s", record=self.display_name, error=message))
            return
        self.write({"job_state": False, "job_error": False})
        job._notify_job_done(result, time.monotonic() - start)

    def _notify_job_done(self, result, seconds):
        """Tell the requester the job ended; models add what it produced (counts, the file)."""
        self._notify_job(_("%(record)s is done (%(seconds)s s).", record=self.display_name, seconds=round(seconds, 1)))

    def _notify_job(self, body, attachments=None):
        """A message in the requester's inbox, linked to the record unless it is a passing wizard."""
        link = not self._transient
        # from OdooBot: the requester may have no email address of their own to send from
        self.env["mail.thread"].message_notify(
            body=body,
            subject=self.display_name,
            author_id=self.env.ref("base.partner_root").id,
            partner_ids=self.job_user_id.partner_id.ids,
            model=link and self._name,
            res_id=link and self.id,
            attachments=attachments,
        )
