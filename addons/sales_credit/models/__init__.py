from . import sales_customer_tier
from . import sales_region
from . import res_partner
from . import res_config_settings
