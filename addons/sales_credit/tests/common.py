from odoo.tests import new_test_user

from odoo.addons.base.tests.common import BaseCommon


class SalesCreditCommon(BaseCommon):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.salesman = new_test_user(cls.env, "credit_salesman", groups="sales_team.group_sale_salesman")
        cls.sale_manager = new_test_user(
            cls.env, "credit_sale_manager", groups="sales_team.group_sale_manager"
        )
        cls.credit_manager = new_test_user(
            cls.env, "credit_manager", groups="sales_credit.group_credit_manager"
        )
        # the tests define their own regions
        cls.env["sales.region"].search([]).action_archive()
        cls.tier_key = cls.env.ref("sales_credit.tier_key")
        cls.tier_normal = cls.env.ref("sales_credit.tier_normal")
        cls.country_cn = cls.env.ref("base.cn")
        cls.state_zj = cls.env.ref("base.state_cn_ZJ")
        cls.customer = cls.env["res.partner"].create(
            {"name": "Hangzhou Steel Trading", "is_company": True, "country_id": cls.country_cn.id}
        )
