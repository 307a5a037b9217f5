from . import (
    product_product,
    product_template,
    res_company,
    res_config_settings,
    sale_order,
    sale_order_line,
    sales_allocation_line,
    sales_allocation_run,
    sales_customer_tier,
    sales_reservation,
    stock_move,
    stock_warehouse_orderpoint,
)
