from . import (
    product_template,
    res_company,
    res_config_settings,
    res_partner,
    sale_order_line,
    sales_background_mixin,
    sales_customer_tier,
    sales_formatter,
    sales_grading,
    sales_region,
)
