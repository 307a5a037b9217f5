from . import (
    account_move,
    account_move_line,
    account_payment_term,
    res_company,
    res_config_settings,
    res_partner,
    sales_discount_tier,
    sales_dunning_letter,
    sales_dunning_letter_line,
    sales_dunning_level,
    sales_dunning_policy,
    sales_dunning_run,
)
