"""The dunning letter's email template is noupdate: databases that kept it as shipped get its new subject (the
letter's name) and recipient (the customer's invoice contact); a template an administrator edited is left alone."""

from odoo import SUPERUSER_ID, api

OLD = {
    "subject": "{{ object.company_id.name }}: {{ object.level_id.name }}",
    "partner_to": "{{ object.partner_id.id }}",
}
NEW = {
    "subject": "{{ object.company_id.name }}: {{ object.name }}",
    "partner_to": "{{ object.contact_id.id }}",
}


def migrate(cr, version):
    env = api.Environment(cr, SUPERUSER_ID, {})
    template = env.ref("sales_dunning.mail_template_dunning_letter", raise_if_not_found=False)
    if not template:
        return
    for fname, old in OLD.items():
        if template.with_context(lang="en_US")[fname] == old:
            template.with_context(lang="en_US")[fname] = NEW[fname]
