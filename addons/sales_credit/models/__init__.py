# the mixin first: credit holds and order reviews inherit it
from . import sales_decision_mixin  # isort: skip
from . import (
    account_move,
    account_move_line,
    res_company,
    res_config_settings,
    res_partner,
    sale_order,
    sale_order_line,
    sales_credit_hold,
    sales_credit_lock,
    sales_order_review,
    sales_review_rule,
    sales_warning,
    sales_warning_decision,
    stock_move,
)
