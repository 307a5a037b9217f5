"""After the upgrade: the template names the letter and writes to the customer's invoice contact."""

template = env.ref("sales_dunning.mail_template_dunning_letter")
problems = []
if template.subject != "{{ object.company_id.name }}: {{ object.name }}":
    problems.append(f"subject: {template.subject}")
if template.partner_to != "{{ object.contact_id.id }}":
    problems.append(f"recipient: {template.partner_to}")
print("\n".join(problems) if problems else "upgrade check dunning: ok")
