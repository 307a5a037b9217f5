from . import (
    res_company,
    res_config_settings,
    res_partner,
    sale_order_line,
    sales_background_mixin,
    sales_customer_tier,
    sales_formatter,
    sales_region,
)
