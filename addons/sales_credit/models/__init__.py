from . import (
    account_move,
    res_company,
    res_config_settings,
    res_partner,
    sale_order,
    sale_order_line,
    sales_background_mixin,
    sales_customer_tier,
    sales_order_hold,
    sales_region,
    sales_review_rule,
    stock_picking,
)
