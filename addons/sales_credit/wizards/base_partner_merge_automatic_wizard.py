from odoo import models


class BasePartnerMergeAutomaticWizard(models.TransientModel):
    _inherit = "base.partner.merge.automatic.wizard"

    def _merge(self, partner_ids, dst_partner=None, extra_checks=True):
        # a merge moves contacts and orders in SQL, around write(): the credit control is judged around it
        Partner = self.env["res.partner"]
        merged = Partner.browse(partner_ids).exists()
        affected = merged._get_credit_control_family() if Partner._credit_control_restricted() else Partner
        before = affected._get_credit_control_snapshot()
        result = super()._merge(partner_ids, dst_partner=dst_partner, extra_checks=extra_checks)
        survivor = merged.exists()
        if len(survivor) == 1:
            affected._check_credit_control_kept(before, successor=survivor)
        return result
