from odoo.exceptions import AccessError, UserError
from odoo.tests import Form, new_test_user, tagged

from .common import SalesCreditCommon


@tagged("post_install", "-at_install")
class TestDecisionAudit(SalesCreditCommon):
    """Holds and reviews are a record that nobody rewrites; what they say reaches the people who act on them."""

    def held_order(self, user=None):
        self.set_credit(self.customer, limit=1000, policy="block")
        order = self.order(1500, user=user)
        order.with_user(user or self.salesman).action_confirm()
        self.assertTrue(order.on_credit_hold)
        return order

    def decision(self, order, note):
        action = order.with_user(self.credit_manager).action_credit_decide()
        wizard = Form(self.env[action["res_model"]].with_user(self.credit_manager).with_context(**action["context"]))
        wizard.note = note
        return wizard.save()

    def test_credit_managers_cannot_write_holds(self):
        hold = self.held_order().credit_hold_ids.with_user(self.credit_manager)
        for vals in ({"state": "released"}, {"amount": 1_000_000}, {"decision_note": "ok"}, {"decided_by_id": 1}):
            with self.assertRaises(AccessError):
                hold.write(vals)
        self.assertEqual(hold.state, "pending")

    def test_a_decision_is_written_once(self):
        order = self.held_order()
        self.decision(order, "Guarantee received").action_release()
        hold = order.credit_hold_ids
        with self.assertRaisesText(UserError, "already decided"):
            hold.sudo().write({"decision_note": "rewritten", "state": "rejected"})
        self.assertRecordValues(hold, [{"state": "released", "decision_note": "Guarantee received"}])

    def test_decisions_are_tracked_in_the_chatter(self):
        # the suite's tests run with tracking off, as Odoo's do; this one looks at it
        self.env = self.env(context=dict(self.env.context, mail_notrack=False, tracking_disable=False))
        order = self.held_order()
        # Odoo does not track records in the transaction that creates them: end it as a commit would
        self.env.flush_all()
        self.env.cr.precommit.run()
        self.decision(order, "Guarantee received").action_release()
        self.env.flush_all()
        self.env.cr.precommit.run()
        # sudo: the test reads the tracking values behind the chatter's lines
        tracking = order.credit_hold_ids.sudo().message_ids.tracking_value_ids
        self.assertEqual(
            sorted(tracking.field_id.mapped("name")), ["decided_by_id", "state"], "who decided, and the new state"
        )
        self.assertEqual(tracking.filtered(lambda t: t.field_id.name == "state").new_value_char, "Released")

    def test_a_hold_gives_the_credit_managers_a_todo_done_by_the_decision(self):
        order = self.held_order()
        hold = order.credit_hold_ids
        self.assertIn(self.credit_manager, hold.activity_ids.user_id)
        self.decision(order, "Guarantee received").action_release()
        self.assertFalse(hold.activity_ids)

    def test_the_salesperson_requests_a_release_the_manager_sees(self):
        order = self.held_order()
        action = order.with_user(self.salesman).action_credit_request_release()
        wizard = Form(self.env[action["res_model"]].with_user(self.salesman).with_context(**action["context"]))
        wizard.justification = "The customer pays in advance tomorrow"
        wizard.save().action_request()
        self.assertFalse(order.with_user(self.salesman).can_request_release)
        decision = self.decision(order, "Prepayment confirmed by the bank")
        self.assertEqual(decision.release_request, "The customer pays in advance tomorrow")
        result = decision.action_release()
        self.assertEqual(result["tag"], "display_notification")
        self.assertIn(order.name, result["params"]["message"])
        self.assertIn("confirmed", result["params"]["message"])

    def test_a_rejection_says_the_order_is_cancelled(self):
        order = self.held_order()
        result = self.decision(order, "No guarantee").action_reject()
        self.assertEqual(order.state, "cancel")
        self.assertIn(order.name, result["params"]["message"])
        self.assertIn("cancelled", result["params"]["message"])

    def test_a_salesperson_without_email_gets_the_hold(self):
        mute = new_test_user(self.env, "credit_mute", groups="sales_team.group_sale_salesman", email=False)
        mute.partner_id.email = False
        order = self.held_order(user=mute)
        self.assertEqual(order.credit_hold_ids.state, "pending")
        self.assertIn("Credit hold", order.message_ids[0].body)
        self.assertIn(self.credit_manager, order.credit_hold_ids.activity_ids.user_id)

    def test_the_reason_is_shown_in_the_readers_language(self):
        self.env["res.lang"]._activate_lang("zh_CN")
        self.env["ir.module.module"]._load_module_terms(["sales_credit"], ["zh_CN"], overwrite=True)
        hold = self.held_order().credit_hold_ids
        self.assertIn("exceeded by", hold.with_context(lang="en_US").reason)
        chinese = hold.with_user(self.credit_manager).with_context(lang="zh_CN").reason
        self.assertIn("信用额度", chinese)
        self.assertIn("500.00", chinese)
