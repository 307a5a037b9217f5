from . import (
    test_credit_bypass,
    test_credit_changes,
    test_credit_concurrency,
    test_credit_delivery,
    test_credit_exposure,
    test_credit_exposure_components,
    test_credit_hold,
    test_credit_master,
    test_credit_rating,
    test_credit_security,
    test_customer_classification,
    test_decision_audit,
    test_order_review,
    test_sales_warning,
    test_tours,
)

# go-live data
from . import test_sales_golive  # isort: skip
