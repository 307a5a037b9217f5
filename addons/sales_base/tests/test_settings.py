from odoo.exceptions import ValidationError
from odoo.tests import Form, tagged

from .common import SuiteCommon


@tagged("post_install", "-at_install")
class TestSettings(SuiteCommon):
    def test_background_threshold_is_a_number_of_rows(self):
        with self.assertRaisesText(ValidationError, "from 0"):
            self.company.sales_background_threshold = -1
        with self.assertRaisesText(ValidationError, "from 0"):
            self.company.sales_background_threshold = 10_000_001
        settings = Form(self.env["res.config.settings"])
        settings.sales_background_threshold = 200
        settings.save().execute()
        self.assertEqual(self.company.sales_background_threshold, 200)

    def test_the_suite_has_its_own_settings_block(self):
        arch = self.env["res.config.settings"].get_views([(False, "form")])["views"]["form"]["arch"]
        self.assertIn('name="sales_base_setting_container"', arch)
        self.assertIn('name="sales_background_threshold"', arch)

    def test_the_background_jobs_cron_runs_the_suites_queue(self):
        cron = self.env.ref("sales_base.ir_cron_sales_background_jobs")
        self.assertEqual(cron.model_id.model, "sales.background.mixin")
        self.assertEqual(self.env["sales.background.mixin"]._get_job_cron(), cron)
