"""Run in `odoo-bin shell` on a database with the baseline's addons (tools/upgrade_check.sh), where sales_credit holds
customer tiers, sales regions and the background jobs: tiers and regions as users make and change them, customers'
tiers and regions (one set by hand), a queued background job and the company's threshold; what the upgrade must
keep, and the external ids sales_credit has then, written to the JSON file $UPGRADE_CHECK_DATA for base_after.py."""

import json
import os

from odoo import Command


def user(login, groups):
    return env["res.users"].create(
        {
            "name": login,
            "login": login,
            "email": f"{login}@example.com",
            "groups_id": [Command.link(env.ref(group).id) for group in groups],
        }
    )


manager = user("upgrade_base_manager", ["sales_team.group_sale_manager", "base.group_partner_manager"])
Tier = env["sales.customer.tier"].with_user(manager)
Region = env["sales.region"].with_user(manager)
Partner = env["res.partner"].with_user(manager)

# a tier and a region of the users', and changes to the shipped tier (noupdate data) and the demo's region
platinum = Tier.create({"name": "Platinum", "code": "upgrade_platinum", "sequence": 5, "is_key_customer": True})
south = Region.create({"name": "South China", "state_ids": [Command.set([env.ref("base.state_cn_GD").id])]})
occasional = env.ref("sales_credit.tier_occasional").with_user(manager)
occasional.write({"name": "Now and then", "sequence": 45, "description": "Fewer than two orders a year"})
europe = env.ref("sales_credit.region_europe").with_user(manager)
europe.write({"name": "European Union", "country_ids": [Command.link(env.ref("base.it").id)]})

# customers: a tier set by a sales manager, a region from the address, one set by hand, a demo customer changed
guangzhou = Partner.create(
    {
        "name": "Upgrade Guangzhou Ltd",
        "is_company": True,
        "country_id": env.ref("base.cn").id,
        "state_id": env.ref("base.state_cn_GD").id,
        "customer_tier_id": platinum.id,
    }
)
contact = Partner.create({"name": "Upgrade Ms. Chen", "parent_id": guangzhou.id})
milan = Partner.create({"name": "Upgrade Milano Srl", "is_company": True, "country_id": env.ref("base.it").id})
by_hand = Partner.create({"name": "Upgrade Texas Inc", "is_company": True, "country_id": env.ref("base.us").id})
by_hand.sales_region_id = south
demo = env.ref("base.res_partner_12").with_user(manager)
demo.customer_tier_id = occasional
assert guangzhou.sales_region_id == contact.sales_region_id == south and contact.customer_tier_id == platinum
assert milan.sales_region_id == europe and by_hand.sales_region_id == south

# a large export queued as a background job, past the company's threshold
env.company.sales_background_threshold = 1
export = (
    env["sales.analysis.export"]
    .with_user(manager)
    .create({"date_from": "2000-01-01", "date_to": "2100-12-31", "include_lines": True})
)
export.action_export()
assert export.job_state == "queued", export.read(["job_state", "job_error"])
env.company.sales_background_threshold = 4321

tiers = env["sales.customer.tier"].with_context(active_test=False).search([])
regions = env["sales.region"].with_context(active_test=False).search([])
partners = (
    env["res.partner"]
    .with_context(active_test=False)
    .search(["|", ("customer_tier_id", "!=", False), ("sales_region_id", "!=", False)])
)
data = {
    "made": {"tier": platinum.id, "region": south.id, "by_hand": by_hand.id, "export": export.id},
    "tiers": tiers.read(["name", "code", "sequence", "is_key_customer", "description", "active"]),
    "regions": [
        {
            "id": region.id,
            "name": region.name,
            "countries": sorted(region.country_ids.ids),
            "states": sorted(region.state_ids.ids),
            "user_id": region.user_id.id,
            "active": region.active,
        }
        for region in regions
    ],
    "partners": {partner.id: [partner.customer_tier_id.id, partner.sales_region_id.id] for partner in partners},
    "export": {
        fname: export[fname].id if fname.endswith("_id") else export[fname]
        for fname in ("job_state", "job_method", "job_user_id", "job_company_id")
    },
    "threshold": {"company": env.company.id, "value": env.company.sales_background_threshold},
    # every external id of sales_credit, with its record: the moved ones must keep their records
    "xmlids": {
        row.name: [row.model, row.res_id] for row in env["ir.model.data"].search([("module", "=", "sales_credit")])
    },
}
with open(os.environ["UPGRADE_CHECK_DATA"], "w", encoding="utf-8") as file:
    json.dump(data, file, indent=1)
env.cr.commit()
print(f"upgrade check base: {len(tiers)} tiers, {len(regions)} regions, {len(partners)} customers classified")
