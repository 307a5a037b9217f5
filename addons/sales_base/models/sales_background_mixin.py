import logging
import threading
import time
from datetime import timedelta

from markupsafe import Markup

from odoo import _, api, fields, models
from odoo.exceptions import UserError
from odoo.service.model import PG_CONCURRENCY_EXCEPTIONS_TO_RETRY
from odoo.tools import SQL, formatLang
from odoo.tools.misc import format_datetime

_logger = logging.getLogger(__name__)

# a job started this many times without ending (its process killed each time) fails instead of starting again
JOB_MAX_ATTEMPTS = 3
# a job is taken again at the earliest this long after its last start: after a crash, or a concurrent update
JOB_RETRY_DELAY = timedelta(minutes=1)


class SalesBackgroundMixin(models.AbstractModel):
    """A long action of the suite (allocation, dunning, decomposition, export) that runs in the user's request while
    it is small, and past the company's threshold as a scheduled job, so the browser is not kept waiting. The job
    runs with the requester's rights and company; the requester finds the result, or the error, in the Discuss
    inbox. One job queue for the whole suite: the cron handles every model that inherits this one.

    How the queue runs (docs/BACKGROUND_JOBS.md tells more):

    - Size: each caller of ``_run_or_queue`` passes the size of its work in a named unit (stock moves to allocate,
      open items to dun, last year's sales rows to split, order lines to export); past the company's
      ``sales_background_threshold`` the work is queued.
    - One job per transaction: each call of the cron takes the oldest queued job, runs it, reports its progress
      to the cron (``ir.cron._notify_progress``) and the cron commits; while jobs remain, Odoo calls again (up to
      10 times in a row, then at its next turn). A job is all or nothing: its work is undone on any error, and
      only its failure record and the requester's message are kept.
    - Time limit: under ``--workers`` a cron worker is killed after ``limit_time_real_cron`` seconds (default:
      ``limit_time_real``, 120 s); the jobs committed before stay done, the running one is undone.
    - Attempts: a job's start is counted and committed before it runs, so a start that never ends (process
      killed, server stopped, connection lost) still counts; the job runs again a minute after that start, and
      after ``JOB_MAX_ATTEMPTS`` starts it fails with the reason in the requester's inbox. A concurrency error
      (serialisation failure, lock not available) is not counted: the job runs again a minute later.
    - Locking: a job runs while its transaction holds its record's row lock (``FOR NO KEY UPDATE``), taken with
      ``SKIP LOCKED``: two servers, or the cron and a "Run Manually", never run the same job together, and the
      lock dies with the connection of a dead process.
    """

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
    job_date = fields.Datetime(string="Queued On", readonly=True, copy=False)
    job_size = fields.Integer(readonly=True, copy=False)
    job_size_unit = fields.Char(readonly=True, copy=False)
    job_attempts = fields.Integer(
        string="Attempts", readonly=True, copy=False, help="How many times the background job was started."
    )
    job_attempt_date = fields.Datetime(string="Last Attempt", readonly=True, copy=False)
    # the whole banner of the form: every model shows its job the same way
    job_banner = fields.Html(compute="_compute_job_banner", sanitize=False, string="Background Job Status")

    @api.depends("job_state", "job_error", "job_user_id", "job_date", "job_size", "job_size_unit", "job_attempts")
    def _compute_job_banner(self):
        for record in self:
            record.job_banner = record._get_job_banner()

    def _get_job_banner(self):
        """The job's state as the form shows it, every value escaped (the field is not sanitized)."""
        if self.job_state == "queued":
            text = _(
                "Working in the background since %(date)s for %(user)s (%(size)s %(unit)s): their inbox tells them "
                "when it is done.",
                date=format_datetime(self.env, self.job_date),
                user=self.job_user_id.name,
                size=formatLang(self.env, self.job_size, digits=0),
                unit=self.job_size_unit,
            )
            if self.job_attempts:
                text += " " + _(
                    "Started %(attempts)s time(s) already without finishing (a restart or the time limit stopped "
                    "it); at most %(max)s.",
                    attempts=self.job_attempts,
                    max=JOB_MAX_ATTEMPTS,
                )
            return Markup('<div class="alert alert-warning mb-0" role="status">%s</div>') % text
        if self.job_state == "failed":
            return Markup('<div class="alert alert-danger mb-0" role="alert"><strong>%s</strong> %s</div>') % (
                _("The background job requested by %(user)s failed:", user=self.job_user_id.name),
                self.job_error,
            )
        return False

    # ------------------------------------------------------------
    # QUEUE
    # ------------------------------------------------------------

    def _run_or_queue(self, method, *, size, unit, **kwargs):
        """Call ``method`` on these records now, or queue it when ``size`` (the rows it will handle, counted in
        ``unit``: the translated name of what the caller counts, e.g. "stock moves") is past the company's
        threshold. ``kwargs`` go to the call made now only (what the caller already read to size the work); the
        queued job calls the method without them.

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
                "job_date": fields.Datetime.now(),
                "job_size": size,
                "job_size_unit": unit,
                "job_attempts": 0,
                "job_attempt_date": False,
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
        """Run the oldest queued job of any model of the suite, as its requester, and report the progress to the
        cron: Odoo commits after this call and calls again while jobs remain, so each job commits alone."""
        job = self._take_job()
        if job:
            job._run_job()
        else:
            self._schedule_delayed_jobs()
        self.env["ir.cron"]._notify_progress(done=1 if job else 0, remaining=self._count_ready_jobs())

    # ------------------------------------------------------------
    # JOBS
    # ------------------------------------------------------------

    @api.model
    def _take_job(self):
        """The oldest ready job (queued, not started in the last minute) that no other transaction runs, locked
        until this transaction ends, its start counted; a job already started ``JOB_MAX_ATTEMPTS`` times fails on
        the way. Outside tests, the start is committed before the job runs: a process killed during the job
        leaves it counted."""
        tried = set()
        while candidates := [key for key in self._get_ready_jobs() if key not in tried]:
            for key in candidates:
                tried.add(key)
                record = self.env[key[0]].browse(key[1])
                if not record._lock_job():
                    continue
                if record.job_attempts >= JOB_MAX_ATTEMPTS:
                    record._fail_job(record._get_attempts_error())
                    self._commit_job_step()
                    break  # a new transaction: look again
                attempts = record.job_attempts + 1
                record.write({"job_attempts": attempts, "job_attempt_date": fields.Datetime.now()})
                if self._commit_job_step() and not record._lock_job(attempts=attempts):
                    continue  # removed or changed by its user meanwhile
                return record
        return None

    @api.model
    def _get_ready_jobs(self):
        """(model, id) of the queued jobs that may start, oldest first; a job started less than a minute ago is
        running, or waits after a crash or a concurrent update."""
        keys = []
        for model in self._get_job_models():
            Model = self.env[model]
            Model.flush_model(["job_state", "job_date", "job_attempt_date"])
            rows = self.env.execute_query(
                SQL(
                    "SELECT COALESCE(job_date, write_date), id FROM %s WHERE %s ORDER BY 1, 2 LIMIT 100",
                    SQL.identifier(Model._table),
                    Model._get_ready_job_condition(),
                )
            )
            keys += [(date, model, record_id) for date, record_id in rows]
        return [(model, record_id) for _date, model, record_id in sorted(keys)]

    @api.model
    def _get_job_models(self):
        """The models of the suite that run background jobs."""
        models = self.env.registry.descendants([self._name], "_inherit") - {self._name}
        return sorted(model for model in models if not self.env[model]._abstract)

    @api.model
    def _get_ready_job_condition(self):
        return SQL(
            "job_state = 'queued' AND (job_attempt_date IS NULL OR job_attempt_date <= %s)",
            fields.Datetime.now() - JOB_RETRY_DELAY,
        )

    def _lock_job(self, attempts=None):
        """Lock this ready job's row for the rest of the transaction (``NO KEY UPDATE``: records that refer to it
        may still be created), or return False when another transaction holds it or it is no longer ready.

        :param attempts: the job's start just committed, to lock again: only if no one changed it since
        """
        self.ensure_one()
        self.flush_recordset()
        condition = (
            SQL("job_state = 'queued' AND job_attempts = %s", attempts) if attempts else self._get_ready_job_condition()
        )
        try:
            # a savepoint: the row may have changed since this transaction's snapshot (serialisation failure)
            with self.env.cr.savepoint(flush=False):
                locked = self.env.execute_query(
                    SQL(
                        "SELECT id FROM %s WHERE id = %s AND %s FOR NO KEY UPDATE SKIP LOCKED",
                        SQL.identifier(self._table),
                        self.id,
                        condition,
                    )
                )
        except PG_CONCURRENCY_EXCEPTIONS_TO_RETRY:
            return False
        self.invalidate_recordset()
        return bool(locked)

    @api.model
    def _commit_job_step(self):
        """Commit what the queue did so far (a job's start, or its failure), except in tests; return whether it
        committed."""
        if not self._can_commit_jobs():
            return False
        # the cron's own commit after each job is not enough: a start must be kept even if the job's process dies
        # (as Odoo's own batch crons do, with _notify_progress; never in tests)
        self.env.cr.commit()  # pylint: disable=invalid-commit
        return True

    @api.model
    def _can_commit_jobs(self):
        """Whether the queue may commit: not in tests, whose transaction must stay whole (as Odoo's own crons)."""
        return not (getattr(threading.current_thread(), "testing", False) or self.env.registry.in_test_mode())

    @api.model
    def _count_ready_jobs(self):
        count = 0
        for model in self._get_job_models():
            Model = self.env[model]
            Model.flush_model(["job_state", "job_attempt_date"])
            [(found,)] = self.env.execute_query(
                SQL(
                    "SELECT COUNT(*) FROM %s WHERE %s",
                    SQL.identifier(Model._table),
                    Model._get_ready_job_condition(),
                )
            )
            count += found
        return count

    @api.model
    def _schedule_delayed_jobs(self):
        """Wake the queue when the first job waiting out its retry delay may start again: the cron's own
        wake-ups are used up when it runs with no ready job."""
        waiting = [
            date
            for model in self._get_job_models()
            for (date,) in self.env.execute_query(
                SQL(
                    "SELECT MIN(job_attempt_date) FROM %s WHERE job_state = 'queued' AND job_attempt_date > %s",
                    SQL.identifier(self.env[model]._table),
                    fields.Datetime.now() - JOB_RETRY_DELAY,
                )
            )
            if date
        ]
        if not waiting:
            return
        cron, at = self._get_job_cron(), min(waiting) + JOB_RETRY_DELAY
        if not self.env["ir.cron.trigger"].sudo().search_count([("cron_id", "=", cron.id), ("call_at", "=", at)]):
            cron._trigger(at)

    def _run_job(self):
        """Run this job, taken by ``_take_job``, as its requester: all or nothing. On an error its work is undone
        and the failure is recorded and told to the requester; on a concurrency error it runs again later."""
        self.ensure_one()
        job = self.with_user(self.job_user_id).with_company(self.job_company_id)
        start = time.monotonic()
        try:
            with self.env.cr.savepoint():
                result = getattr(job, self.job_method)()
        except Exception as error:  # noqa: BLE001 - any failure is the requester's to read, not the cron's to stop
            if self.env.cr.closed:
                raise  # the connection is lost: nothing can be recorded; the counted start makes it run again
            self.env.invalidate_all()  # the cache may hold what the savepoint undid
            if isinstance(error, PG_CONCURRENCY_EXCEPTIONS_TO_RETRY):
                self._retry_job()
                return
            if isinstance(error, UserError):
                message = error.args[0]
            else:
                _logger.exception("Background job %s of %s failed", self.job_method, self)
                message = _("An unexpected error stopped it: %(error)s", error=error)
            self._fail_job(message)
            return
        seconds = time.monotonic() - start
        _logger.info(
            "Background job %s of %s done in %.1f s for %s %s (attempt %s)",
            self.job_method,
            self,
            seconds,
            self.job_size,
            self.job_size_unit,
            self.job_attempts,
        )
        self.write({"job_state": False, "job_error": False})
        job._notify_job_done(result, seconds)

    def _retry_job(self):
        """A user changed the same rows meanwhile: the job stays queued, its start not counted, and runs again in
        a minute on their result."""
        _logger.info("Background job %s of %s met a concurrent update: retried in a minute", self.job_method, self)
        self.write({"job_attempts": self.job_attempts - 1, "job_attempt_date": fields.Datetime.now()})
        self._get_job_cron()._trigger(fields.Datetime.now() + JOB_RETRY_DELAY)

    def _fail_job(self, message):
        """Record the job as failed with ``message``, and tell its requester."""
        self.write({"job_state": "failed", "job_error": message})
        job = self.with_user(self.job_user_id).with_company(self.job_company_id)
        job._notify_job(_("%(record)s could not finish: %(error)s", record=self.display_name, error=message))

    def _get_attempts_error(self):
        _logger.error(
            "Background job %s of %s started %s times without finishing (%s %s): failed",
            self.job_method,
            self,
            self.job_attempts,
            self.job_size,
            self.job_size_unit,
        )
        return _(
            "it was started %(attempts)s times and stopped before the end each time, without an error of its own: "
            "the server was restarted, or the job ran longer than scheduled actions may (%(size)s %(unit)s). Ask "
            "your administrator to raise that time limit (limit_time_real_cron), or split the work.",
            attempts=self.job_attempts,
            size=formatLang(self.env, self.job_size, digits=0),
            unit=self.job_size_unit,
        )

    def _notify_job_done(self, result, seconds):
        """Tell the requester the job ended; models add what it produced (counts, the file)."""
        self._notify_job(_("%(record)s is done (%(seconds)s s).", record=self.display_name, seconds=round(seconds, 1)))

    def _notify_job(self, body, attachments=None):
        """A message in the requester's inbox, linked to the record unless it is a passing wizard."""
        link = not self._transient
        # from OdooBot: the requester may have no email address of their own to send from; the job runs as the
        # requester, whom Odoo leaves out of the recipients as the message's real author unless told otherwise
        self.env["mail.thread"].with_context(mail_notify_author=True).message_notify(
            body=body,
            subject=self.display_name,
            author_id=self.env.ref("base.partner_root").id,
            partner_ids=self.job_user_id.partner_id.ids,
            model=link and self._name,
            res_id=link and self.id,
            attachments=attachments,
        )
