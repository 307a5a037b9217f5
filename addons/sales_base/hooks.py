def pre_init_hook(env):
    """Create the stored computed column of customers on their big table with its value at install.

    No sales region exists when the addon installs, so every customer starts empty (NULL reads as False); Odoo
    would otherwise compute and write it record by record, which takes minutes on a big database.
    """
    env.cr.execute("ALTER TABLE res_partner ADD COLUMN IF NOT EXISTS sales_region_id integer")
