"""Run in `odoo-bin shell` on the upgraded database (tools/upgrade_check.sh): sales_base, installed by the upgrade,
holds what sales_credit held. Tiers, regions, customers' tiers and regions and the queued background job that
base_before.py recorded keep their ids and values (also what users changed in the shipped tiers and the demo's
regions, which the new addon's data files write again); the moved records' external ids are sales_base's, on the
same records, and sales_credit keeps none of them; the moved models' constraints and tables are sales_base's, so
that uninstalling sales_credit (tried here, then rolled back) leaves them and their data. The queued job still runs.
Prints "upgrade check base: ok" or raises."""

import json
import os

from odoo.tools import mute_logger

with open(os.environ["UPGRADE_CHECK_DATA"], encoding="utf-8") as file:
    data = json.load(file)

problems = []
Module = env["ir.module.module"]
assert Module.search([("name", "=", "sales_base"), ("state", "=", "installed")]), "sales_base is not installed"

# ------------------------------------------------------------
# records and values
# ------------------------------------------------------------

Tier = env["sales.customer.tier"].with_context(active_test=False, lang="en_US")
for before in data["tiers"]:
    tier = Tier.browse(before["id"]).exists()
    if not tier:
        problems.append(f"tier {before['id']} ({before['name']}) is gone")
        continue
    after = tier.read(list(before))[0]
    if after != before:
        problems.append(f"tier {before['id']}: {after} instead of {before}")

Region = env["sales.region"].with_context(active_test=False, lang="en_US")
for before in data["regions"]:
    region = Region.browse(before["id"]).exists()
    if not region:
        problems.append(f"region {before['id']} ({before['name']}) is gone")
        continue
    after = {
        "id": region.id,
        "name": region.name,
        "countries": sorted(region.country_ids.ids),
        "states": sorted(region.state_ids.ids),
        "user_id": region.user_id.id,
        "active": region.active,
    }
    if after != before:
        problems.append(f"region {before['id']}: {after} instead of {before}")

partners = env["res.partner"].with_context(active_test=False).browse([int(key) for key in data["partners"]])
for partner in partners:
    expected = data["partners"][str(partner.id)]
    found = [partner.customer_tier_id.id, partner.sales_region_id.id]
    if found != [value or False for value in expected]:
        problems.append(f"customer {partner.id} ({partner.name}): tier and region {found} instead of {expected}")

company = env["res.company"].browse(data["threshold"]["company"])
if company.sales_background_threshold != data["threshold"]["value"]:
    problems.append(f"threshold {company.sales_background_threshold} instead of {data['threshold']['value']}")
export = env["sales.analysis.export"].browse(data["made"]["export"]).exists()
job = export and {fname: export[fname].id if fname.endswith("_id") else export[fname] for fname in data["export"]}
if job != data["export"]:
    problems.append(f"the queued export is {job} instead of {data['export']}")

# ------------------------------------------------------------
# external ids: sales_base's now, on the same records
# ------------------------------------------------------------

RENAMED = {"sales_credit_config_menu": "sales_customer_config_menu"}
MOVED = (
    "model_sales_customer_tier",
    "model_sales_region",
    "model_sales_background_mixin",
    "field_sales_customer_tier__code",
    "field_sales_region__country_ids",
    "field_sales_background_mixin__job_state",
    "selection__sales_background_mixin__job_state__queued",
    "field_res_partner__customer_tier_id",
    "field_res_partner__sales_region_id",
    "field_res_users__customer_tier_id",
    "field_res_company__sales_background_threshold",
    "field_res_config_settings__sales_background_threshold",
    "constraint_sales_customer_tier_code_unique",
    "access_sales_customer_tier_user",
    "access_sales_customer_tier_manager",
    "access_sales_region_user",
    "access_sales_region_manager",
    "tier_strategic",
    "tier_key",
    "tier_normal",
    "tier_occasional",
    "region_north_america",
    "region_europe",
    "region_east_china",
    "ir_cron_sales_background_jobs",
    "ir_cron_sales_background_jobs_ir_actions_server",
    "sales_customer_tier_view_list",
    "sales_customer_tier_view_search",
    "sales_customer_tier_action",
    "sales_region_view_list",
    "sales_region_view_form",
    "sales_region_view_search",
    "sales_region_action",
    "sales_credit_config_menu",
    "sales_customer_tier_menu",
    "sales_region_menu",
)
Data = env["ir.model.data"]
base_ids = {row.name: (row.model, row.res_id) for row in Data.search([("module", "=", "sales_base")])}
credit_ids = {row.name: (row.model, row.res_id) for row in Data.search([("module", "=", "sales_credit")])}
for name in MOVED:
    if name not in data["xmlids"]:
        problems.append(f"sales_credit.{name} was not in the baseline's database")
    elif RENAMED.get(name, name) not in base_ids:
        problems.append(f"sales_base.{RENAMED.get(name, name)} is missing")
# a moved record, model, field or constraint has the same record under its new external id (sales_base has views
# of its own named like sales_credit's)
moved = set(MOVED) | {
    name for name in data["xmlids"] if name.startswith(("field_", "selection__", "constraint_", "model_sales_"))
}
for old_name, record in data["xmlids"].items():
    name = RENAMED.get(old_name, old_name)
    if old_name in moved and name in base_ids and list(base_ids[name]) != record:
        problems.append(f"sales_base.{name} is {base_ids[name]} instead of sales_credit.{old_name}'s {record}")
# (both extend Odoo's res.partner, sale.order.line...: each keeps its external id of those models)
left = {
    name
    for name, record in credit_ids.items()
    if record in set(base_ids.values()) and not (name.startswith("model_") and name in base_ids and name not in MOVED)
}
if left:
    problems.append(f"sales_credit keeps external ids of moved records: {sorted(left)}")
if Data.search_count([("module", "=", "sales_credit"), ("name", "in", MOVED)]):
    problems.append("sales_credit keeps external ids of the moved records' names")

# ------------------------------------------------------------
# constraints and tables: sales_base's, so that uninstalling sales_credit keeps them
# ------------------------------------------------------------

moved_models = ("sales.customer.tier", "sales.region", "sales.background.mixin")
env.cr.execute(
    """
    SELECT c.name, mm.name FROM ir_model_constraint c
      JOIN ir_model m ON m.id = c.model JOIN ir_module_module mm ON mm.id = c.module
     WHERE m.model IN %s OR c.name IN ('res_partner_customer_tier_id_fkey', 'res_partner_sales_region_id_fkey')
        OR c.name LIKE '%%\\_job\\_user\\_id\\_fkey' OR c.name LIKE '%%\\_job\\_company\\_id\\_fkey'
    """,
    [moved_models],
)
constraints = env.cr.fetchall()
if {"sales_customer_tier_code_unique", "res_partner_customer_tier_id_fkey"} - {name for name, _module in constraints}:
    problems.append(f"constraints of the moved models missing: {constraints}")
problems += [f"constraint {name} is {module}'s" for name, module in constraints if module != "sales_base"]
env.cr.execute(
    """
    SELECT r.name, mm.name FROM ir_model_relation r
      JOIN ir_model m ON m.id = r.model JOIN ir_module_module mm ON mm.id = r.module
     WHERE m.model IN %s
    """,
    [moved_models],
)
relations = env.cr.fetchall()
if len(relations) != 2:
    problems.append(f"the regions' many2many tables are {relations}")
problems += [f"table {name} is {module}'s" for name, module in relations if module != "sales_base"]

# the queued job runs where sales_base's cron finds it
env.ref("sales_base.ir_cron_sales_background_jobs").method_direct_trigger()
if export and (export.job_state or not export.file):
    problems.append(f"the queued export did not run: {export.job_state} {export.job_error}")

# uninstalling sales_credit (and what depends on it), as Odoo does it, in this transaction only
credit = Module.search([("name", "=", "sales_credit")])
removed = credit | credit.downstream_dependencies()
if "sales_planning" in removed.mapped("name") or "sales_analytics" in removed.mapped("name"):
    problems.append(f"uninstalling sales_credit takes {removed.mapped('name')}")
# the customers of the removed addons' demo go with them
kept_partners = tuple(
    set(partners.ids)
    - set(Data.search([("module", "in", removed.mapped("name")), ("model", "=", "res.partner")]).mapped("res_id"))
)
CLASSIFIED = "SELECT id, customer_tier_id, sales_region_id FROM res_partner WHERE id IN %s ORDER BY id"
env.flush_all()
env.cr.execute(CLASSIFIED, [kept_partners])
classified = env.cr.fetchall()
# Odoo deletes the removed addons' records one by one, and logs those still referenced (the demo's review rules
# of reviews) before it drops their tables
with mute_logger("odoo.sql_db"):
    removed.module_uninstall()
env.cr.execute(
    "SELECT to_regclass('sales_customer_tier'), to_regclass('sales_region'), "
    "to_regclass('res_country_sales_region_rel'), to_regclass('res_country_state_sales_region_rel')"
)
if not all(env.cr.fetchone()):
    problems.append("uninstalling sales_credit drops the tables of tiers or regions")
env.cr.execute(
    "SELECT column_name FROM information_schema.columns WHERE table_name = 'res_partner'"
    " AND column_name IN ('customer_tier_id', 'sales_region_id', 'credit_rating')"
)
columns = {name for (name,) in env.cr.fetchall()}
if columns != {"customer_tier_id", "sales_region_id"}:
    problems.append(f"after uninstalling sales_credit, res_partner has the columns {sorted(columns)}")
env.cr.execute(CLASSIFIED, [kept_partners])
if env.cr.fetchall() != classified:
    problems.append("uninstalling sales_credit loses customers' tiers or regions")
env.cr.execute("SELECT count(*) FROM ir_model WHERE model IN %s", [moved_models])
if env.cr.fetchone()[0] != 3:
    problems.append("uninstalling sales_credit removes a moved model")
env.cr.rollback()

assert not problems, "\n".join(problems)
print("upgrade check base: ok")
