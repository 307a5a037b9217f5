from . import sales_dunning_policy
from . import sales_dunning_level
from . import res_partner
from . import res_config_settings
