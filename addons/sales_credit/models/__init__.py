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

# go-live data: the mixin first, the extensions after the models they extend
from . import sales_golive_mixin  # isort: skip
from . import (  # isort: skip
    sales_golive_order_line,
    sales_golive_receivable,
    sales_golive_res_company,
    sales_golive_sale_order,
    sales_golive_stock_move,
)
