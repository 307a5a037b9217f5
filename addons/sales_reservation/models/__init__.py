from . import res_company
from . import res_config_settings
from . import sales_customer_tier
from . import stock_move
