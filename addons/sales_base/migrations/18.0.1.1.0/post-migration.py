"""ABC grading: the standard tiers of a database from before say which grade they suit (Key A, Normal B,
Occasional C), as on a new database; their records are noupdate, and a tier a user already set keeps its grade."""


def migrate(cr, version):
    cr.execute(
        """
        UPDATE sales_customer_tier t
           SET sales_grade = g.grade
          FROM ir_model_data d
          JOIN (VALUES ('tier_key', 'a'), ('tier_normal', 'b'), ('tier_occasional', 'c')) AS g (name, grade)
            ON g.name = d.name
         WHERE d.module = 'sales_base' AND d.model = 'sales.customer.tier' AND d.res_id = t.id
           AND t.sales_grade IS NULL
        """
    )
