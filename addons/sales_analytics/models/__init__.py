from . import res_company
from . import res_config_settings
from . import sales_daily_report
