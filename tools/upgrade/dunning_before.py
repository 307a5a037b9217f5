"""Before the upgrade (baseline): the dunning letter's template as shipped then."""

template = env.ref("sales_dunning.mail_template_dunning_letter")
assert "level_id" in template.subject, template.subject
