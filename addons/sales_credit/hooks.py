def pre_init_hook(env):
    """Create the suite's stored computed columns on big existing tables with their value at install.

    Nothing is held or under review when the addon installs, so every order starts empty (NULL reads as False);
    Odoo would otherwise compute and write them record by record, which takes minutes on a database with years
    of orders.
    """
    env.cr.execute("""
        ALTER TABLE sale_order ADD COLUMN IF NOT EXISTS on_credit_hold boolean,
                               ADD COLUMN IF NOT EXISTS to_review boolean
    """)
