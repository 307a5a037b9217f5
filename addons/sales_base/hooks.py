"""Install hooks: a fresh database, or a database of the suite from before sales_base, where sales_credit held
customer tiers, sales regions, background jobs and the suite's shared settings.

On such a database (``-u sales_credit``, or of the whole suite: Odoo installs sales_base, the new dependency,
before it upgrades sales_credit), sales_base takes over what moved: the external ids of its records, models,
fields, selections, access rights, views, actions, menus, cron, data and demo, and the rows of ir_model_constraint
and ir_model_relation, so that the records keep their ids and uninstalling sales_credit later leaves them. A new
module loads its data files in "init" mode, which writes even the records marked noupdate (the tiers) and the demo;
the values users gave them before are kept aside before the load and written back after it.
"""

from odoo.tools import SQL

MOVED_MODELS = ("sales.customer.tier", "sales.region", "sales.background.mixin")
# the fields sales_base adds to Odoo's models (res.users shows the partner's through _inherits)
MOVED_FIELDS = (
    ("res.partner", "customer_tier_id"),
    ("res.partner", "sales_region_id"),
    ("res.users", "customer_tier_id"),
    ("res.users", "sales_region_id"),
    ("res.company", "sales_background_threshold"),
    ("res.config.settings", "sales_background_threshold"),
)
# sales.background.mixin's fields, on each model of the suite that inherits it
JOB_FIELDS = ("job_state", "job_method", "job_user_id", "job_company_id", "job_error")
# {name in sales_credit: name in sales_base} of the moved records of data files (models and fields aside)
MOVED_RECORDS = {
    name: name
    for name in (
        "access_sales_customer_tier_user",
        "access_sales_customer_tier_manager",
        "access_sales_region_user",
        "access_sales_region_manager",
        "tier_strategic",
        "tier_key",
        "tier_normal",
        "tier_occasional",
        "ir_cron_sales_background_jobs",
        "ir_cron_sales_background_jobs_ir_actions_server",
        "sales_customer_tier_view_list",
        "sales_customer_tier_view_search",
        "sales_customer_tier_action",
        "sales_region_view_list",
        "sales_region_view_form",
        "sales_region_view_search",
        "sales_region_action",
        "sales_customer_tier_menu",
        "sales_region_menu",
        "region_north_america",
        "region_europe",
        "region_east_china",
    )
} | {"sales_credit_config_menu": "sales_customer_config_menu"}
# what the data files of sales_base write again at install: kept aside before, written back after
KEPT_TABLES = (
    "sales_customer_tier",
    "sales_region",
    "res_country_sales_region_rel",
    "res_country_state_sales_region_rel",
)
KEPT_PARTNER_COLUMNS = ("customer_tier_id", "sales_region_id")


def pre_init_hook(env):
    """Create the stored computed column of customers on their big table with its value at install, and take
    over from sales_credit on a database of the suite from before sales_base."""
    cr = env.cr
    # no sales region exists when the addon installs on a fresh database, so every customer starts empty (NULL
    # reads as False); Odoo would otherwise compute and write it record by record, minutes on a big database
    cr.execute("ALTER TABLE res_partner ADD COLUMN IF NOT EXISTS sales_region_id integer")
    if not _takes_over(cr):
        return
    _move_external_ids(cr)
    _move_schema_records(cr)
    _keep_values(cr)


def post_init_hook(env):
    """Write back the values of the moved records that the install's data files wrote again, and have the addons
    that now depend on sales_base upgraded with it."""
    if not _takes_over(env.cr):
        return
    env.flush_all()
    _restore_values(env.cr)
    env.invalidate_all()
    _upgrade_dependents(env)


def _upgrade_dependents(env):
    """Mark for upgrade the installed addons that depend on sales_base and wait to be loaded after it.

    Odoo upgrades the addons that depend on an upgraded one; those that depended on sales_credit and now depend on
    sales_base only (planning, analytics) would be left out of ``-u sales_credit``, their views still on
    sales_credit's settings and their schema not updated."""
    base = env["ir.module.module"].search([("name", "=", "sales_base")])
    base.downstream_dependencies().filtered(lambda module: module.state == "installed").state = "to upgrade"


def _takes_over(cr):
    """Whether this install moves sales_credit's shared records to sales_base (a database from before it)."""
    cr.execute("SELECT 1 FROM ir_model_data WHERE module = 'sales_credit' AND name = 'model_sales_customer_tier'")
    return bool(cr.rowcount) or _kept_exists(cr)


def _moved_field_ids():
    """SQL: the ids of ir_model_fields whose field sales_base now defines."""
    return SQL(
        """
        SELECT f.id
          FROM ir_model_fields f
         WHERE f.model IN %(models)s
            OR (f.model, f.name) IN %(fields)s
            OR (f.name IN %(job_fields)s AND f.model_id IN (
                    SELECT i.model_id FROM ir_model_inherit i JOIN ir_model p ON p.id = i.parent_id
                     WHERE p.model = 'sales.background.mixin'))
        """,
        models=MOVED_MODELS,
        fields=MOVED_FIELDS,
        job_fields=JOB_FIELDS,
    )


def _move_external_ids(cr):
    """sales_credit's external ids of the moved records become sales_base's, on the same records."""
    for old, new in MOVED_RECORDS.items():
        cr.execute(
            "UPDATE ir_model_data SET module = 'sales_base', name = %s WHERE module = 'sales_credit' AND name = %s",
            (new, old),
        )
    cr.execute(
        SQL(
            """
        UPDATE ir_model_data d SET module = 'sales_base'
         WHERE d.module = 'sales_credit'
           AND ((d.model = 'ir.model' AND d.res_id IN (SELECT id FROM ir_model WHERE model IN %(models)s))
             OR (d.model = 'ir.model.fields' AND d.res_id IN (%(fields)s))
             OR (d.model = 'ir.model.fields.selection' AND d.res_id IN (
                    SELECT id FROM ir_model_fields_selection WHERE field_id IN (%(fields)s)))
             OR (d.model = 'ir.model.constraint' AND d.res_id IN (
                    SELECT c.id FROM ir_model_constraint c JOIN ir_model m ON m.id = c.model
                     WHERE m.model IN %(models)s)))
            """,
            models=MOVED_MODELS,
            fields=_moved_field_ids(),
        )
    )


def _move_schema_records(cr):
    """The constraints and many2many tables of the moved models and fields are sales_base's: uninstalling
    sales_credit does not drop them."""
    cr.execute(
        SQL(
            """
        UPDATE ir_model_constraint c
           SET module = (SELECT id FROM ir_module_module WHERE name = 'sales_base')
          FROM ir_model m
         WHERE m.id = c.model
           AND c.module = (SELECT id FROM ir_module_module WHERE name = 'sales_credit')
           AND (m.model IN %(models)s
                -- the foreign keys of the moved many2one fields of other models: <table>_<column>_fkey
                OR (c.type = 'f' AND c.name IN (
                    SELECT replace(f.model, '.', '_') || '_' || f.name || '_fkey'
                      FROM ir_model_fields f WHERE f.id IN (%(fields)s) AND f.model = m.model)))
            """,
            models=MOVED_MODELS,
            fields=_moved_field_ids(),
        )
    )
    cr.execute(
        SQL(
            """
        UPDATE ir_model_relation r
           SET module = (SELECT id FROM ir_module_module WHERE name = 'sales_base')
          FROM ir_model m
         WHERE m.id = r.model
           AND r.module = (SELECT id FROM ir_module_module WHERE name = 'sales_credit')
           AND m.model IN %(models)s
            """,
            models=MOVED_MODELS,
        )
    )


def _kept(table):
    return SQL.identifier(f"sales_base_kept_{table}")


def _kept_exists(cr):
    cr.execute("SELECT to_regclass('pg_temp.sales_base_kept_sales_customer_tier') IS NOT NULL")
    return cr.fetchone()[0]


def _keep_values(cr):
    """Copy what the data files will write again into temporary tables of this connection (the install runs in
    one transaction on one cursor)."""
    for table in KEPT_TABLES:
        cr.execute(SQL("CREATE TEMPORARY TABLE %s AS TABLE %s", _kept(table), SQL.identifier(table)))
    cr.execute(
        SQL(
            "CREATE TEMPORARY TABLE %s AS SELECT id, %s FROM res_partner",
            _kept("res_partner"),
            SQL(", ").join(map(SQL.identifier, KEPT_PARTNER_COLUMNS)),
        )
    )


def _columns(cr, table):
    cr.execute(
        "SELECT column_name FROM information_schema.columns WHERE table_schema = 'public' AND table_name = %s",
        (table,),
    )
    return [name for (name,) in cr.fetchall() if name != "id"]


def _kept_columns(cr, table):
    cr.execute(SQL("SELECT * FROM %s LIMIT 0", _kept(table)))
    return {column.name for column in cr.description}


def _restore_values(cr):
    for table in ("sales_customer_tier", "sales_region"):
        # the columns this version added (e.g. the grade a tier suits) keep what the data files gave them
        kept = _kept_columns(cr, table)
        columns = [column for column in _columns(cr, table) if column in kept]
        cr.execute(
            SQL(
                "UPDATE %(table)s t SET (%(columns)s) = (SELECT %(kept_columns)s FROM %(kept)s k WHERE k.id = t.id)"
                " WHERE t.id IN (SELECT id FROM %(kept)s)",
                table=SQL.identifier(table),
                columns=SQL(", ").join(map(SQL.identifier, columns)),
                kept_columns=SQL(", ").join(SQL.identifier("k", column) for column in columns),
                kept=_kept(table),
            )
        )
    for table in ("res_country_sales_region_rel", "res_country_state_sales_region_rel"):
        cr.execute(
            SQL(
                "DELETE FROM %(table)s WHERE sales_region_id IN (SELECT id FROM %(regions)s);"
                " INSERT INTO %(table)s SELECT * FROM %(kept)s",
                table=SQL.identifier(table),
                regions=_kept("sales_region"),
                kept=_kept(table),
            )
        )
    changed = SQL(" OR ").join(
        SQL("p.%s IS DISTINCT FROM k.%s", SQL.identifier(column), SQL.identifier(column))
        for column in KEPT_PARTNER_COLUMNS
    )
    cr.execute(
        SQL(
            "UPDATE res_partner p SET %(assign)s FROM %(kept)s k WHERE k.id = p.id AND (%(changed)s)",
            assign=SQL(", ").join(
                SQL("%s = k.%s", SQL.identifier(column), SQL.identifier(column)) for column in KEPT_PARTNER_COLUMNS
            ),
            kept=_kept("res_partner"),
            changed=changed,
        )
    )
    for table in (*KEPT_TABLES, "res_partner"):
        cr.execute(SQL("DROP TABLE %s", _kept(table)))
