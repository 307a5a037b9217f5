from . import (
    base_partner_merge_automatic_wizard,
    sales_credit_hold_decision,
    sales_credit_release_request,
    sales_order_review_decision,
)
